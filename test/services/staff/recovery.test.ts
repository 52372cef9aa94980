import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, staffDevices, staffSessions } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { resetStaffPassword, staffIdByEmail, unlockStaffUser } from '../../../src/services/staff/recovery.ts';
import { authenticate, login, type LoginResult } from '../../../src/services/staff/sessions.ts';
import { listStaffUsers, StaffInputError } from '../../../src/services/staff/users.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staffActor, twoKecamatan } from './fixtures.ts';

// An admin (or the CLI, as the system) getting a colleague back in: lifting the sign-in back-off, or a new
// password.

let database: TestDatabase;
let kec: { sagulung: number; nongsa: number };
beforeAll(async () => {
  database = await createTestDatabase();
  kec = await twoKecamatan(database.db);
});
afterAll(async () => {
  await database?.dispose();
});

const answer = (r: LoginResult) => (r.ok ? 'ok' : r.reason);

/** Five wrong passwords from an address: the account is held there (and shown as held to the admin). */
async function holdFrom(email: string, ip: string) {
  for (let i = 0; i < 5; i++) await login(database.db, { email, password: `wrong-${i}`, ip });
}

describe('unlock', () => {
  it('lifts every hold on the account at once, shows it in the admin list, and is audited', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const u = await staffActor(database.db, { role: 'operator' });
    await holdFrom(u.email, '10.50.0.1');
    await holdFrom(u.email, '10.50.0.2');
    const held = async () => (await listStaffUsers(database.db, admin)).find((s) => s.id === u.id)!.held;
    expect(await held()).toBe(true);
    expect(answer(await login(database.db, { email: u.email, password: u.password, ip: '10.50.0.1' }))).toBe('throttled');

    await unlockStaffUser(database.db, admin, u.id);
    expect(await held()).toBe(false);
    expect(answer(await login(database.db, { email: u.email, password: u.password, ip: '10.50.0.1' }))).toBe('ok');
    const [entry] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'staff.unlock'), eq(auditLog.entityId, String(u.id))));
    expect(entry).toMatchObject({ actorKind: 'staff', staffId: admin.id, entity: 'staff_user' });
  });
});

describe('reset password', () => {
  it('gives a new password once, ends sessions, forgets known browsers and holds, and is audited', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const u = await staffActor(database.db, { role: 'supervisor' });
    const before = await login(database.db, { email: u.email, password: u.password, ip: '10.51.0.1' });
    if (!before.ok) throw new Error('sign-in failed');
    await holdFrom(u.email, '10.51.0.2');

    const { password } = await resetStaffPassword(database.db, admin, u.id);
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(password).not.toBe(u.password);
    expect(await authenticate(database.db, before.sessionToken)).toBeNull();
    expect(await database.db.select().from(staffSessions).where(eq(staffSessions.staffId, u.id))).toEqual([]);
    expect(await database.db.select().from(staffDevices).where(eq(staffDevices.staffId, u.id))).toEqual([]);
    expect(answer(await login(database.db, { email: u.email, password: u.password, ip: '10.51.0.3' }))).toBe('invalid');
    // From the address that was held, with the new password, at once.
    expect(answer(await login(database.db, { email: u.email, password, ip: '10.51.0.2' }))).toBe('ok');
    const entries = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'staff.password_reset'), eq(auditLog.entityId, String(u.id))));
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries)).not.toContain(password);
  });

  it('is refused on one’s own account, on a role above one’s own, or outside one’s area', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const localAdmin = await staffActor(database.db, { role: 'admin', kecamatanId: kec.sagulung });
    const supervisor = await staffActor(database.db, { role: 'supervisor' });
    const nongsaOp = await staffActor(database.db, { role: 'operator', kecamatanId: kec.nongsa });
    await expect(resetStaffPassword(database.db, admin, admin.id)).rejects.toMatchObject({ permission: 'self' });
    await expect(resetStaffPassword(database.db, localAdmin, admin.id)).rejects.toMatchObject({ permission: 'scope' });
    await expect(resetStaffPassword(database.db, localAdmin, nongsaOp.id)).rejects.toMatchObject({ permission: 'scope' });
    await expect(resetStaffPassword(database.db, supervisor, nongsaOp.id)).rejects.toBeInstanceOf(Forbidden);
    await expect(unlockStaffUser(database.db, supervisor, nongsaOp.id)).rejects.toBeInstanceOf(Forbidden);
    await expect(resetStaffPassword(database.db, admin, 999_999)).rejects.toBeInstanceOf(StaffInputError);
    // The old passwords still work: nothing was changed.
    expect(answer(await login(database.db, { email: admin.email, password: admin.password, ip: '10.52.0.1' }))).toBe('ok');
    expect(answer(await login(database.db, { email: nongsaOp.email, password: nongsaOp.password, ip: '10.52.0.1' }))).toBe('ok');
  });

  it('the system (CLI) may reset anyone, found by e-mail', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const id = await staffIdByEmail(database.db, `  ${admin.email.toUpperCase()} `);
    expect(id).toBe(admin.id);
    const { password } = await resetStaffPassword(database.db, 'system', id);
    expect(answer(await login(database.db, { email: admin.email, password, ip: '10.53.0.1' }))).toBe('ok');
    await expect(staffIdByEmail(database.db, 'nobody@dinsos.test')).rejects.toMatchObject({ code: 'not_found' });
  });
});
