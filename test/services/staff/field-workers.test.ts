import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, staffKelurahan, staffUsers } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { authenticate, login } from '../../../src/services/staff/sessions.ts';
import { createStaffUser, listStaffUsers, StaffInputError, updateStaffAccess, type NewStaffUser } from '../../../src/services/staff/users.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { kelurahanIn, staffActor, twoKecamatan } from './fixtures.ts';

// Field workers as staff (issue 19): an account with a field role (TKSK, PSM… as data) is a field officer
// with a kecamatan and one or more of its kelurahan; their session gets the role's grants and the kelurahan.

let database: TestDatabase;
let kec: { sagulung: number; nongsa: number };
let kel: Record<string, number>;
let admin: Actor;
let sagulungAdmin: Actor;

const PASSWORD = 'kata-sandi-lapangan-1';
let n = 0;
const email = () => `lapangan${++n}@dinsos.test`;
const code = (p: Promise<unknown>) => p.then(() => 'done', (e: unknown) => (e instanceof StaffInputError ? e.code : e instanceof Forbidden ? `forbidden:${e.permission}` : String(e)));

const userRow = async (id: number) => (await database.db.select().from(staffUsers).where(eq(staffUsers.id, id)))[0]!;
const kelurahanOfUser = async (id: number) =>
  (await database.db.select({ id: staffKelurahan.kelurahanId }).from(staffKelurahan).where(eq(staffKelurahan.staffId, id))).map((r) => r.id).sort((a, b) => a - b);
const byEmail = async (e: string) => database.db.select().from(staffUsers).where(eq(staffUsers.email, e));
const lastAudit = async (id: number, action: string) =>
  (await database.db.select().from(auditLog).where(and(eq(auditLog.entity, 'staff_user'), eq(auditLog.entityId, String(id)), eq(auditLog.action, action)))).at(-1);

beforeAll(async () => {
  database = await createTestDatabase();
  kec = await twoKecamatan(database.db);
  kel = {
    ...(await kelurahanIn(database.db, kec.sagulung, ['Tembesi', 'Sungai Binti', 'Sungai Lekop'])),
    ...(await kelurahanIn(database.db, kec.nongsa, ['Batu Besar', 'Kabil'])),
  };
  admin = await staffActor(database.db, { role: 'admin' });
  sagulungAdmin = await staffActor(database.db, { role: 'admin', kecamatanId: kec.sagulung });
});
afterAll(async () => {
  await database?.dispose();
});

const tksk = (extra: Partial<NewStaffUser> = {}): NewStaffUser => ({
  email: email(),
  name: 'Petugas TKSK',
  role: 'operator', // whatever is posted, a field worker is a field officer
  kecamatanId: kec.sagulung,
  fieldRole: 'tksk',
  kelurahanIds: [kel.Tembesi!, kel['Sungai Binti']!],
  password: PASSWORD,
  ...extra,
});

describe('a field worker account', () => {
  it('is a field officer with its field role and kelurahan, audited, and its session carries the grants and the kelurahan', async () => {
    const input = tksk();
    const { id } = await createStaffUser(database.db, admin, input);
    expect(await userRow(id)).toMatchObject({ role: 'field_officer', fieldRole: 'tksk', kecamatanId: kec.sagulung });
    expect(await kelurahanOfUser(id)).toEqual([kel.Tembesi!, kel['Sungai Binti']!].sort((a, b) => a - b));
    expect((await lastAudit(id, 'staff.create'))?.details).toMatchObject({
      role: 'field_officer',
      fieldRole: 'tksk',
      kelurahanIds: [kel.Tembesi!, kel['Sungai Binti']!].sort((a, b) => a - b),
    });

    const signed = await login(database.db, { email: input.email, password: PASSWORD });
    if (!signed.ok) throw new Error('sign-in failed');
    const session = await authenticate(database.db, signed.sessionToken);
    expect(session?.actor).toMatchObject({
      role: 'field_officer',
      fieldRole: 'tksk',
      granted: ['field.work', 'checkin.record', 'distribution.read'],
      kelurahanIds: [kel.Tembesi!, kel['Sungai Binti']!].sort((a, b) => a - b),
    });
  });

  it('is listed with its field role and kelurahan by name', async () => {
    const { id } = await createStaffUser(database.db, admin, tksk({ fieldRole: 'psm', kelurahanIds: [kel['Sungai Lekop']!, kel.Tembesi!] }));
    const row = (await listStaffUsers(database.db, admin)).find((u) => u.id === id);
    expect(row).toMatchObject({ role: 'field_officer', fieldRole: 'psm', kelurahan: [{ name: 'Sungai Lekop' }, { name: 'Tembesi' }] });
    const plain = (await listStaffUsers(database.db, admin)).find((u) => u.id === admin.id);
    expect(plain).toMatchObject({ fieldRole: null, kelurahan: [] });
  });

  it('refuses a kelurahan of another kecamatan, an unknown field role or kelurahan, and a missing kecamatan or kelurahan, writing nothing', async () => {
    const cases: [Partial<NewStaffUser>, string][] = [
      [{ kelurahanIds: [kel.Tembesi!, kel.Kabil!] }, 'kelurahan_outside'],
      [{ fieldRole: 'kepala_dinas' }, 'field_role_unknown'],
      [{ kelurahanIds: [999_999] }, 'kelurahan_unknown'],
      [{ kelurahanIds: [] }, 'kelurahan_missing'],
      [{ kecamatanId: null }, 'kecamatan_required'],
      [{ fieldRole: null, role: 'operator' }, 'kelurahan_without_field_role'],
    ];
    const staffBefore = (await database.db.select().from(staffUsers)).length;
    const areasBefore = (await database.db.select().from(staffKelurahan)).length;
    for (const [extra, expected] of cases) {
      const input = tksk(extra);
      expect({ extra, refused: await code(createStaffUser(database.db, admin, input)) }).toEqual({ extra, refused: expected });
      expect(await byEmail(input.email)).toEqual([]);
    }
    expect((await database.db.select().from(staffUsers)).length).toBe(staffBefore);
    expect((await database.db.select().from(staffKelurahan)).length).toBe(areasBefore);
  });

  it('keeps a kecamatan admin to their own kecamatan and its kelurahan', async () => {
    const { id } = await createStaffUser(database.db, sagulungAdmin, tksk({ kelurahanIds: [kel['Sungai Lekop']!] }));
    expect(await kelurahanOfUser(id)).toEqual([kel['Sungai Lekop']!]);
    expect(await code(createStaffUser(database.db, sagulungAdmin, tksk({ kecamatanId: kec.nongsa, kelurahanIds: [kel.Kabil!] })))).toBe('forbidden:scope');
    expect(await code(createStaffUser(database.db, sagulungAdmin, tksk({ kelurahanIds: [kel['Batu Besar']!] })))).toBe('kelurahan_outside');
    // And they cannot touch a Nongsa worker at all.
    const nongsa = await createStaffUser(database.db, admin, tksk({ kecamatanId: kec.nongsa, kelurahanIds: [kel.Kabil!] }));
    expect(await code(updateStaffAccess(database.db, sagulungAdmin, nongsa.id, { kelurahanIds: [kel['Batu Besar']!] }))).toBe('forbidden:scope');
    expect(await kelurahanOfUser(nongsa.id)).toEqual([kel.Kabil!]);
  });
});

describe('changing a field worker', () => {
  it('replaces the kelurahan set, audited, and the next request of their session sees it', async () => {
    const input = tksk();
    const { id } = await createStaffUser(database.db, admin, input);
    const signed = await login(database.db, { email: input.email, password: PASSWORD });
    if (!signed.ok) throw new Error('sign-in failed');

    await updateStaffAccess(database.db, admin, id, { kelurahanIds: [kel['Sungai Lekop']!] });
    expect(await kelurahanOfUser(id)).toEqual([kel['Sungai Lekop']!]);
    expect((await lastAudit(id, 'staff.update'))?.details).toMatchObject({ fieldRole: 'tksk', kelurahanIds: [kel['Sungai Lekop']!] });
    expect((await authenticate(database.db, signed.sessionToken))?.actor.kelurahanIds).toEqual([kel['Sungai Lekop']!]);

    // Another field role: its grants at once.
    await updateStaffAccess(database.db, admin, id, { fieldRole: 'pendamping' });
    expect((await authenticate(database.db, signed.sessionToken))?.actor).toMatchObject({ fieldRole: 'pendamping', granted: ['field.work', 'distribution.read'] });
  });

  it('makes an account a field worker, forcing the built-in role, and refuses bad kelurahan without changing anything', async () => {
    const { id } = await createStaffUser(database.db, admin, { email: email(), name: 'Operator', role: 'operator', kecamatanId: kec.nongsa });
    expect(await code(updateStaffAccess(database.db, admin, id, { fieldRole: 'psm' }))).toBe('kelurahan_missing');
    expect(await code(updateStaffAccess(database.db, admin, id, { fieldRole: 'psm', kelurahanIds: [kel.Tembesi!] }))).toBe('kelurahan_outside');
    expect(await code(updateStaffAccess(database.db, admin, id, { fieldRole: 'nope', kelurahanIds: [kel.Kabil!] }))).toBe('field_role_unknown');
    expect(await userRow(id)).toMatchObject({ role: 'operator', fieldRole: null });
    expect(await kelurahanOfUser(id)).toEqual([]);

    await updateStaffAccess(database.db, admin, id, { role: 'supervisor', fieldRole: 'psm', kelurahanIds: [kel.Kabil!, kel['Batu Besar']!, kel.Kabil!] });
    expect(await userRow(id)).toMatchObject({ role: 'field_officer', fieldRole: 'psm' });
    expect(await kelurahanOfUser(id)).toEqual([kel['Batu Besar']!, kel.Kabil!].sort((a, b) => a - b));
  });

  it('refuses moving a worker to another kecamatan with the old kelurahan kept', async () => {
    const { id } = await createStaffUser(database.db, admin, tksk());
    expect(await code(updateStaffAccess(database.db, admin, id, { kecamatanId: kec.nongsa }))).toBe('kelurahan_outside');
    expect(await userRow(id)).toMatchObject({ kecamatanId: kec.sagulung });
    await updateStaffAccess(database.db, admin, id, { kecamatanId: kec.nongsa, kelurahanIds: [kel.Kabil!] });
    expect(await userRow(id)).toMatchObject({ kecamatanId: kec.nongsa });
    expect(await kelurahanOfUser(id)).toEqual([kel.Kabil!]);
  });

  it('clears the field role and the kelurahan with "no field role", and the session loses the grants', async () => {
    const input = tksk();
    const { id } = await createStaffUser(database.db, admin, input);
    const signed = await login(database.db, { email: input.email, password: PASSWORD });
    if (!signed.ok) throw new Error('sign-in failed');
    expect(await code(updateStaffAccess(database.db, admin, id, { fieldRole: null, kelurahanIds: [kel.Tembesi!] }))).toBe('kelurahan_without_field_role');

    await updateStaffAccess(database.db, admin, id, { fieldRole: null, role: 'viewer' });
    expect(await userRow(id)).toMatchObject({ role: 'viewer', fieldRole: null });
    expect(await kelurahanOfUser(id)).toEqual([]);
    expect((await lastAudit(id, 'staff.update'))?.details).toMatchObject({ role: 'viewer', fieldRole: null, kelurahanIds: [] });
    const actor = (await authenticate(database.db, signed.sessionToken))?.actor;
    expect(actor?.role).toBe('viewer');
    expect(actor?.granted).toBeUndefined();
    expect(actor?.kelurahanIds).toBeUndefined();
  });

  it('leaves other accounts as they were: no field role, no kelurahan', async () => {
    const { id } = await createStaffUser(database.db, admin, { email: email(), name: 'Supervisor', role: 'supervisor', kecamatanId: kec.sagulung });
    await updateStaffAccess(database.db, admin, id, { bidang: 'Rehsos' });
    expect(await userRow(id)).toMatchObject({ role: 'supervisor', fieldRole: null, bidang: 'Rehsos' });
    expect(await kelurahanOfUser(id)).toEqual([]);
  });
});
