import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, staffRoles } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { authenticate, login } from '../../../src/services/staff/sessions.ts';
import { deleteFieldRole, FIELD_ROLE_PERMISSIONS, fieldRoleProblems, listFieldRoles, saveFieldRole } from '../../../src/services/staff/field-roles.ts';
import { createStaffUser } from '../../../src/services/staff/users.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { kelurahanIn, staffActor, twoKecamatan } from './fixtures.ts';

// Field roles as data (issue 19): listed with who holds them, added and changed by a city-wide admin, never
// granting more than field work needs, and deleted only when nobody holds them.

let database: TestDatabase;
let kec: { sagulung: number; nongsa: number };
let kel: Record<string, number>;
let admin: Actor;

const role = (key: string) => database.db.select().from(staffRoles).where(eq(staffRoles.key, key));
const audits = (key: string) => database.db.select().from(auditLog).where(and(eq(auditLog.entity, 'staff_role'), eq(auditLog.entityId, key)));
const NAMES = { id: 'Petugas Puskesos', en: 'Puskesos officer' };

beforeAll(async () => {
  database = await createTestDatabase();
  kec = await twoKecamatan(database.db);
  kel = await kelurahanIn(database.db, kec.sagulung, ['Tembesi']);
  admin = await staffActor(database.db, { role: 'admin' });
});
afterAll(async () => {
  await database?.dispose();
});

describe('listFieldRoles', () => {
  it('lists the roles the office starts with, their permissions and how many accounts hold them, for admins only', async () => {
    await createStaffUser(database.db, admin, { email: 'tksk1@dinsos.test', name: 'TKSK', role: 'field_officer', kecamatanId: kec.sagulung, fieldRole: 'tksk', kelurahanIds: [kel.Tembesi!] });
    const roles = await listFieldRoles(database.db, admin);
    expect(roles.map((r) => r.key)).toEqual(expect.arrayContaining(['pendamping', 'psm', 'tksk']));
    expect(roles.find((r) => r.key === 'tksk')).toMatchObject({ names: { id: 'TKSK (Tenaga Kesejahteraan Sosial Kecamatan)' }, permissions: ['field.work', 'checkin.record', 'distribution.read'], users: 1 });
    expect(roles.find((r) => r.key === 'psm')).toMatchObject({ users: 0 });
    for (const who of ['supervisor', 'operator', 'field_officer', 'viewer'] as const) {
      await expect(listFieldRoles(database.db, await staffActor(database.db, { role: who }))).rejects.toBeInstanceOf(Forbidden);
    }
  });
});

describe('saveFieldRole', () => {
  it('adds a role and changes it, audited; the key is taken once', async () => {
    expect(await saveFieldRole(database.db, admin, { key: 'puskesos', names: NAMES, permissions: ['field.work'] }, 'create')).toEqual({ ok: true });
    expect(await role('puskesos')).toMatchObject([{ names: NAMES, permissions: ['field.work'] }]);
    expect(await saveFieldRole(database.db, admin, { key: 'puskesos', names: NAMES, permissions: ['checkin.record'] }, 'create')).toEqual({ ok: false, reason: 'key_taken' });
    expect(await role('puskesos')).toMatchObject([{ permissions: ['field.work'] }]);

    // Permissions kept in the allow-list's order, once each; names trimmed.
    const changed = { key: 'puskesos', names: { id: '  Petugas Puskesos-SLRT ', en: 'Puskesos-SLRT officer' }, permissions: ['distribution.read', 'field.work', 'field.work'] };
    expect(await saveFieldRole(database.db, admin, changed, 'update')).toEqual({ ok: true });
    expect(await role('puskesos')).toMatchObject([{ names: { id: 'Petugas Puskesos-SLRT', en: 'Puskesos-SLRT officer' }, permissions: ['field.work', 'distribution.read'] }]);
    expect((await audits('puskesos')).map((a) => [a.action, a.details])).toEqual([
      ['field_role.create', { permissions: ['field.work'] }],
      ['field_role.update', { permissions: ['field.work', 'distribution.read'] }],
    ]);
    expect(await saveFieldRole(database.db, admin, { key: 'tidak_ada', names: NAMES, permissions: ['field.work'] }, 'update')).toEqual({ ok: false, reason: 'not_found' });
  });

  it('never grants what field work does not need: a role with users.manage is refused and nothing is written', async () => {
    const input = { key: 'raja', names: NAMES, permissions: ['field.work', 'users.manage', 'registry.import'] };
    expect(fieldRoleProblems(input)).toEqual([{ field: 'permissions', problem: 'not_allowed', permissions: ['users.manage', 'registry.import'] }]);
    expect(await saveFieldRole(database.db, admin, input, 'create')).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await role('raja')).toEqual([]);
    // Nor by changing an existing one.
    expect(await saveFieldRole(database.db, admin, { key: 'psm', names: NAMES, permissions: ['users.manage'] }, 'update')).toEqual({ ok: false, reason: 'invalid_input' });
    expect((await role('psm'))[0]!.permissions).toEqual(['field.work', 'checkin.record']);
    expect(FIELD_ROLE_PERMISSIONS).not.toContain('users.manage');
  });

  it('says what is wrong with a key, a name or the permissions', () => {
    const ok = { key: 'tksk_2', names: NAMES, permissions: ['field.work'] };
    expect(fieldRoleProblems(ok)).toEqual([]);
    for (const key of ['', 'a', 'TKSK', '1tksk', 'tksk-2', 'x'.repeat(32), 'tksk 2']) {
      expect({ key, problems: fieldRoleProblems({ ...ok, key }) }).toEqual({ key, problems: [{ field: 'key', problem: 'invalid' }] });
    }
    expect(fieldRoleProblems({ ...ok, names: { id: '  ', en: 'x'.repeat(81) } })).toEqual([
      { field: 'name_id', problem: 'empty' },
      { field: 'name_en', problem: 'too_long' },
    ]);
    expect(fieldRoleProblems({ ...ok, names: { id: 'TKSK' } })).toEqual([{ field: 'name_en', problem: 'empty' }]);
    expect(fieldRoleProblems({ ...ok, permissions: [] })).toEqual([{ field: 'permissions', problem: 'empty' }]);
  });

  it('applies a change to the sessions of the workers who hold the role at once', async () => {
    await saveFieldRole(database.db, admin, { key: 'sakti', names: { id: 'Pekerja Sosial', en: 'Social worker' }, permissions: ['field.work'] }, 'create');
    const { password } = await createStaffUser(database.db, admin, { email: 'sakti@dinsos.test', name: 'Sakti', role: 'field_officer', kecamatanId: kec.sagulung, fieldRole: 'sakti', kelurahanIds: [kel.Tembesi!] });
    const signed = await login(database.db, { email: 'sakti@dinsos.test', password });
    if (!signed.ok) throw new Error('sign-in failed');
    expect((await authenticate(database.db, signed.sessionToken))?.actor.granted).toEqual(['field.work']);
    await saveFieldRole(database.db, admin, { key: 'sakti', names: { id: 'Pekerja Sosial', en: 'Social worker' }, permissions: ['field.work', 'checkin.record'] }, 'update');
    expect((await authenticate(database.db, signed.sessionToken))?.actor.granted).toEqual(['field.work', 'checkin.record']);
  });

  it('is for a city-wide admin only: a kecamatan admin reads the roles but changes none', async () => {
    const scoped = await staffActor(database.db, { role: 'admin', kecamatanId: kec.sagulung });
    expect((await listFieldRoles(database.db, scoped)).length).toBeGreaterThanOrEqual(3);
    await expect(saveFieldRole(database.db, scoped, { key: 'lokal', names: NAMES, permissions: ['field.work'] }, 'create')).rejects.toMatchObject({ permission: 'scope' });
    await expect(deleteFieldRole(database.db, scoped, 'pendamping')).rejects.toMatchObject({ permission: 'scope' });
    expect(await role('lokal')).toEqual([]);
    expect(await role('pendamping')).toHaveLength(1);
    const supervisor = await staffActor(database.db, { role: 'supervisor' });
    await expect(saveFieldRole(database.db, supervisor, { key: 'lokal', names: NAMES, permissions: ['field.work'] }, 'create')).rejects.toMatchObject({ permission: 'users.manage' });
  });
});

describe('deleteFieldRole', () => {
  it('refuses a role in use, deletes an unused one, audited', async () => {
    expect(await deleteFieldRole(database.db, admin, 'tksk')).toEqual({ ok: false, reason: 'in_use' });
    expect(await role('tksk')).toHaveLength(1);
    await saveFieldRole(database.db, admin, { key: 'sementara', names: NAMES, permissions: ['field.work'] }, 'create');
    expect(await deleteFieldRole(database.db, admin, 'sementara')).toEqual({ ok: true });
    expect(await role('sementara')).toEqual([]);
    expect((await audits('sementara')).map((a) => a.action)).toEqual(['field_role.create', 'field_role.delete']);
    expect(await deleteFieldRole(database.db, admin, 'sementara')).toEqual({ ok: false, reason: 'not_found' });
  });

  it('refuses to give a deleted role to an account', async () => {
    await saveFieldRole(database.db, admin, { key: 'bekas', names: NAMES, permissions: ['field.work'] }, 'create');
    await deleteFieldRole(database.db, admin, 'bekas');
    await expect(
      createStaffUser(database.db, admin, { email: 'bekas@dinsos.test', name: 'Bekas', role: 'field_officer', kecamatanId: kec.sagulung, fieldRole: 'bekas', kelurahanIds: [kel.Tembesi!] }),
    ).rejects.toMatchObject({ code: 'field_role_unknown' });
  });
});
