import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Forbidden } from '../../src/services/access.ts';
import { createApiToken } from '../../src/services/staff/api-tokens.ts';
import { audit, listAudit, REDACTED, scrubDetails } from '../../src/services/audit.ts';
import { changePassword, login, logout } from '../../src/services/staff/sessions.ts';
import { createStaffUser, updateStaffAccess } from '../../src/services/staff/users.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { staffActor } from './staff/fixtures.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.dispose();
});

const NIK = '2171010101900001';
const PHONE = '+6281234567890';

describe('audit', () => {
  it('records who did what, when and from where, for staff, API, resident and system', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const me = { ...admin, ip: '10.0.0.9' };
    const { id: tokenId } = await createApiToken(database.db, admin, { name: 'dashboard', role: 'viewer' });
    await audit(database.db, me, { action: 'member.read', entity: 'member', entityId: 42, details: { householdId: 7 } });
    await audit(database.db, { kind: 'api', id: tokenId, role: 'viewer', kecamatanId: null, bidang: null }, { action: 'report.read', entity: 'report' });
    await audit(database.db, { kind: 'resident', contactId: 11 }, { action: 'identity.lookup', entity: 'member', ip: 'not-an-ip' });
    await audit(database.db, { kind: 'system' }, { action: 'complaint.autoclose', entity: 'complaint', entityId: 'LPR-1' });

    const rows = await listAudit(database.db, admin, { limit: 4 });
    expect(rows.map((r) => [r.actorKind, r.action])).toEqual([
      ['system', 'complaint.autoclose'],
      ['resident', 'identity.lookup'],
      ['api', 'report.read'],
      ['staff', 'member.read'],
    ]);
    expect(rows[3]).toMatchObject({ staffId: admin.id, entity: 'member', entityId: '42', ip: '10.0.0.9', details: { householdId: 7 } });
    expect(rows[3]!.createdAt).toBeInstanceOf(Date);
    expect(rows[2]).toMatchObject({ apiTokenId: tokenId });
    expect(rows[1]).toMatchObject({ contactId: 11, ip: null });

    const page2 = await listAudit(database.db, admin, { limit: 2, before: rows[1]!.id });
    expect(page2.map((r) => r.id)).toEqual([rows[2]!.id, rows[3]!.id]);
  });

  it('never stores NIK, KK, phone numbers, message text or secrets in details', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    await audit(database.db, admin, {
      action: 'member.read',
      entity: 'member',
      details: { nik: NIK, noKk: NIK, phone: PHONE, text: 'tolong bantu saya', messageBody: 'x', note: `NIK ${NIK}`, contact: '081234567890', password: 'hunter2hunter2', nested: { nik: NIK }, messageId: 9, textLength: 17, status: 'verified' },
    });
    const [row] = await listAudit(database.db, admin, { limit: 1 });
    const stored = JSON.stringify(row);
    for (const secret of [NIK, PHONE, '081234567890', 'tolong bantu', 'hunter2']) expect(stored).not.toContain(secret);
    expect(row!.details).toMatchObject({ nik: REDACTED, noKk: REDACTED, phone: REDACTED, text: REDACTED, note: REDACTED, contact: REDACTED, nested: REDACTED, messageId: 9, textLength: 17, status: 'verified' });
  });

  it('scrubs by key and by value shape', () => {
    expect(scrubDetails({ kecamatanId: 3, bidang: 'Rehsos', ids: [1, 2], reason: 'duplicate', wa_id: '6281234567890' })).toEqual({
      kecamatanId: 3,
      bidang: 'Rehsos',
      ids: [1, 2],
      reason: 'duplicate',
      wa_id: REDACTED,
    });
  });

  it('is read by admins only', async () => {
    for (const role of ['supervisor', 'operator', 'field_officer', 'viewer'] as const) {
      await expect(listAudit(database.db, await staffActor(database.db, { role }), { limit: 10 })).rejects.toBeInstanceOf(Forbidden);
    }
  });

  it('is written by the staff services, with neither passwords nor tokens', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const { id, password } = await createStaffUser(database.db, admin, { email: 'audit-me@dinsos.test', name: 'Audit Me', role: 'operator' });
    const s = await login(database.db, { email: 'audit-me@dinsos.test', password, ip: '10.9.8.7' });
    if (!s.ok) throw new Error('login failed');
    const me = { kind: 'staff' as const, id, role: 'operator' as const, kecamatanId: null, bidang: null };
    await changePassword(database.db, me, { current: password, next: 'a-brand-new-password', sessionToken: s.sessionToken });
    await logout(database.db, s.sessionToken);
    await updateStaffAccess(database.db, admin, id, { role: 'viewer' });
    const { token } = await createApiToken(database.db, admin, { name: 'integrasi', role: 'viewer' });

    const rows = await listAudit(database.db, admin, { limit: 20 });
    const mine = rows.filter((r) => r.entityId === String(id));
    expect(mine.map((r) => r.action).reverse()).toEqual(['staff.create', 'staff.login', 'staff.password_change', 'staff.logout', 'staff.update']);
    expect(mine.find((r) => r.action === 'staff.login')).toMatchObject({ actorKind: 'staff', staffId: id, ip: '10.9.8.7' });
    expect(rows[0]).toMatchObject({ action: 'api_token.create', staffId: admin.id });
    const stored = JSON.stringify(rows);
    for (const secret of [password, 'a-brand-new-password', s.sessionToken, s.csrfToken, token, 'audit-me@']) expect(stored).not.toContain(secret);
  });
});
