import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffUsers } from '../../../src/db/schema/index.ts';
import { can, Forbidden, knownPermissions, PERMISSIONS, type Permission } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { ensureFirstAdmin, FIRST_ADMIN_EMAIL } from '../../../src/services/staff/first-admin.ts';
import { authenticate, login } from '../../../src/services/staff/sessions.ts';
import { createStaffUser, listStaffUsers, StaffInputError, updateStaffAccess } from '../../../src/services/staff/users.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staffActor, twoKecamatan } from './fixtures.ts';

let database: TestDatabase;
let kec: { sagulung: number; nongsa: number };
beforeAll(async () => {
  database = await createTestDatabase();
  kec = await twoKecamatan(database.db);
});
afterAll(async () => {
  await database?.dispose();
});

describe('ensureFirstAdmin', () => {
  // First in the file: it only acts on a database without any staff user.
  it('creates a city-wide admin on an empty database once, and never again', async () => {
    const password = await ensureFirstAdmin(database.db);
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    const [admin] = await database.db.select().from(staffUsers).where(eq(staffUsers.email, FIRST_ADMIN_EMAIL));
    expect(admin).toMatchObject({ role: 'admin', kecamatanId: null, bidang: null, active: true });
    expect((await login(database.db, { email: FIRST_ADMIN_EMAIL, password: password! })).ok).toBe(true);

    expect(await ensureFirstAdmin(database.db)).toBeNull();
    expect(await database.db.select().from(staffUsers)).toHaveLength(1);
  });
});

describe('createStaffUser', () => {
  it('stores an argon2id hash, never the password, and generates a strong password when none is given', async () => {
    const { id, password } = await createStaffUser(database.db, 'system', { email: 'Ani@Dinsos.test', name: 'Ani', role: 'operator' });
    expect(password.length).toBeGreaterThanOrEqual(20);
    const [row] = await database.db.select().from(staffUsers).where(eq(staffUsers.id, id));
    expect(row!.email).toBe('ani@dinsos.test');
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row!.passwordHash).not.toContain(password);

    const other = await createStaffUser(database.db, 'system', { email: 'budi@dinsos.test', name: 'Budi', role: 'viewer' });
    expect(other.password).not.toBe(password);
  });

  it('keeps a given password and refuses one under ten characters', async () => {
    const { password } = await createStaffUser(database.db, 'system', { email: 'citra@dinsos.test', name: 'Citra', role: 'viewer', password: 'sepuluh-10' });
    expect(password).toBe('sepuluh-10');
    await expect(createStaffUser(database.db, 'system', { email: 'dodi@dinsos.test', name: 'Dodi', role: 'viewer', password: '123456789' })).rejects.toMatchObject({
      code: 'password_too_short',
    });
  });

  it('refuses a taken email, a bad role, bidang, email or kecamatan with a typed error', async () => {
    const base = { email: 'eka@dinsos.test', name: 'Eka', role: 'operator' as const };
    await createStaffUser(database.db, 'system', base);
    const code = (p: Promise<unknown>) => p.then(() => 'created', (e: unknown) => (e instanceof StaffInputError ? e.code : String(e)));
    expect(await code(createStaffUser(database.db, 'system', { ...base, email: 'EKA@dinsos.test' }))).toBe('email_taken');
    expect(await code(createStaffUser(database.db, 'system', { ...base, email: 'x@y.z', role: 'root' as never }))).toBe('role_invalid');
    expect(await code(createStaffUser(database.db, 'system', { ...base, email: 'x@y.z', bidang: 'Keuangan' as never }))).toBe('bidang_invalid');
    expect(await code(createStaffUser(database.db, 'system', { ...base, email: 'not an email' }))).toBe('email_invalid');
    expect(await code(createStaffUser(database.db, 'system', { ...base, email: 'x@y.z', kecamatanId: 999_999 }))).toBe('kecamatan_unknown');
  });

  it('is for admins only, within their own scope', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const scopedAdmin = await staffActor(database.db, { role: 'admin', kecamatanId: kec.sagulung });
    const supervisor = await staffActor(database.db, { role: 'supervisor' });
    const operator = await staffActor(database.db, { role: 'operator' });

    const made = await createStaffUser(database.db, admin, { email: 'fajar@dinsos.test', name: 'Fajar', role: 'supervisor', kecamatanId: kec.nongsa, bidang: 'Rehsos' });
    expect(made.id).toBeGreaterThan(0);
    for (const who of [supervisor, operator]) {
      await expect(createStaffUser(database.db, who, { email: `x${who.id}@y.z`, name: 'X', role: 'viewer' })).rejects.toBeInstanceOf(Forbidden);
    }
    // A Sagulung admin cannot mint a city-wide or a Nongsa user.
    await expect(createStaffUser(database.db, scopedAdmin, { email: 'g@y.z', name: 'G', role: 'operator' })).rejects.toMatchObject({ permission: 'scope' });
    await expect(createStaffUser(database.db, scopedAdmin, { email: 'g@y.z', name: 'G', role: 'operator', kecamatanId: kec.nongsa })).rejects.toMatchObject({
      permission: 'scope',
    });
    await createStaffUser(database.db, scopedAdmin, { email: 'g@y.z', name: 'G', role: 'operator', kecamatanId: kec.sagulung });
  });
});

describe('updateStaffAccess', () => {
  it('lets an admin change a colleague, applied to their live session at once', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const op = await staffActor(database.db, { role: 'operator', kecamatanId: kec.sagulung });
    const s = await login(database.db, { email: op.email, password: op.password });
    if (!s.ok) throw new Error('login failed');
    await updateStaffAccess(database.db, admin, op.id, { role: 'supervisor', kecamatanId: kec.nongsa, bidang: 'Linjamsos' });
    expect((await authenticate(database.db, s.sessionToken))?.actor).toMatchObject({ role: 'supervisor', kecamatanId: kec.nongsa, bidang: 'Linjamsos' });

    await updateStaffAccess(database.db, admin, op.id, { active: false });
    expect(await authenticate(database.db, s.sessionToken)).toBeNull();
  });

  it('never lets anyone raise their own role or widen their own scope', async () => {
    const op = await staffActor(database.db, { role: 'operator', kecamatanId: kec.sagulung });
    const sup = await staffActor(database.db, { role: 'supervisor', kecamatanId: kec.sagulung });
    const admin = await staffActor(database.db, { role: 'admin', kecamatanId: kec.sagulung });
    await expect(updateStaffAccess(database.db, op, op.id, { role: 'admin' })).rejects.toBeInstanceOf(Forbidden);
    await expect(updateStaffAccess(database.db, sup, sup.id, { kecamatanId: null })).rejects.toBeInstanceOf(Forbidden);
    await expect(updateStaffAccess(database.db, admin, admin.id, { kecamatanId: null })).rejects.toMatchObject({ permission: 'self' });
    for (const who of [op, sup, admin]) {
      const [row] = await database.db.select().from(staffUsers).where(eq(staffUsers.id, who.id));
      expect({ role: row!.role, kecamatanId: row!.kecamatanId }).toEqual({ role: who.role, kecamatanId: kec.sagulung });
    }
  });

  it('never lets a lower role raise anyone, nor a scoped admin reach past their scope', async () => {
    const sup = await staffActor(database.db, { role: 'supervisor' });
    const op = await staffActor(database.db, { role: 'operator' });
    await expect(updateStaffAccess(database.db, sup, op.id, { role: 'supervisor' })).rejects.toMatchObject({ permission: 'users.manage' });

    const scopedAdmin = await staffActor(database.db, { role: 'admin', kecamatanId: kec.sagulung });
    const cityAdmin = await staffActor(database.db, { role: 'admin' });
    await expect(updateStaffAccess(database.db, scopedAdmin, cityAdmin.id, { active: false })).rejects.toMatchObject({ permission: 'scope' });
    await expect(updateStaffAccess(database.db, scopedAdmin, op.id, { role: 'viewer' })).rejects.toMatchObject({ permission: 'scope' });
  });

  it('lists users within the admin scope, without password hashes', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const list = await listStaffUsers(database.db, admin);
    expect(list.length).toBeGreaterThan(3);
    expect(JSON.stringify(list)).not.toContain('argon2');
    const scoped = await listStaffUsers(database.db, await staffActor(database.db, { role: 'admin', kecamatanId: kec.nongsa }));
    expect(scoped.every((u) => u.kecamatanId === kec.nongsa)).toBe(true);
    await expect(listStaffUsers(database.db, await staffActor(database.db, { role: 'supervisor' }))).rejects.toBeInstanceOf(Forbidden);
  });
});

describe('can', () => {
  const actor = (role: Actor['role']): Actor => ({ kind: 'staff', id: 1, role, kecamatanId: null, bidang: null });
  const granted = (role: Actor['role']) => PERMISSIONS.filter((p) => can(actor(role), p)).sort();

  it('matches the role table of issue 5', () => {
    expect(granted('admin')).toEqual([...PERMISSIONS].sort());
    expect(granted('supervisor')).toEqual(
      (['broadcasts.manage', 'complaints.assign', 'complaints.read_queue', 'complaints.read_scope', 'complaints.work', 'dashboard.read', 'distribution.manage', 'distribution.read', 'field.manage', 'registry.import', 'reports.read', 'residents.read',
        // Issue 20: a supervisor keeps the programs of their own bidang, approves their lists, imports their
        // transfers (the bidang is checked in services/programs and services/disbursements).
        'programs.manage', 'recipients.approve', 'disbursements.import', 'disbursements.work'] as Permission[]).sort(),
    );
    expect(granted('operator')).toEqual((['complaints.read_queue', 'complaints.work', 'dashboard.read', 'residents.read', 'disbursements.work'] as Permission[]).sort());
    expect(granted('field_officer')).toEqual(['checkin.record', 'distribution.read']);
    expect(granted('viewer')).toEqual(['dashboard.read', 'distribution.read']);
  });

  it("adds what a field role's row grants to the built-in role, and nothing that is no permission", () => {
    const tksk: Actor = { ...actor('field_officer'), fieldRole: 'tksk', granted: knownPermissions(['field.work', 'checkin.record', 'users.manage_typo']) };
    expect(PERMISSIONS.filter((p) => can(tksk, p)).sort()).toEqual(['checkin.record', 'distribution.read', 'field.work']);
    expect(can(actor('field_officer'), 'field.work')).toBe(false);
  });

  it('keeps user management, settings and the audit log with the admin', () => {
    for (const p of ['users.manage', 'settings.manage', 'audit.read', 'identity.reveal'] as const) {
      for (const role of ['supervisor', 'operator', 'field_officer', 'viewer'] as const) expect(can(actor(role), p)).toBe(false);
    }
  });
});
