import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from '../../../src/services/staff/api-tokens.ts';
import { sha256 } from '../../../src/services/staff/secrets.ts';
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

const T0 = new Date('2026-11-24T01:00:00Z');

describe('API tokens', () => {
  it('is shown once with the pintu_ prefix, stored only as a hash, and authenticates to its role and scope', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const { id, token } = await createApiToken(database.db, admin, { name: 'Dashboard kota', role: 'viewer', kecamatanId: kec.sagulung, bidang: 'Linjamsos' });
    expect(token).toMatch(/^pintu_[A-Za-z0-9_-]{43}$/);
    const [row] = await database.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row!.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(6));
    expect(row!.createdBy).toBe(admin.id);
    expect(JSON.stringify(await listApiTokens(database.db, admin))).not.toContain(row!.tokenHash);

    expect(await authenticateApiToken(database.db, `Bearer ${token}`, T0, '192.0.2.1')).toEqual({
      kind: 'api',
      id,
      role: 'viewer',
      kecamatanId: kec.sagulung,
      bidang: 'Linjamsos',
      ip: '192.0.2.1',
    });
    expect(await authenticateApiToken(database.db, token, T0)).not.toBeNull();
  });

  it('records lastUsedAt', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const { id, token } = await createApiToken(database.db, admin, { name: 'SIKS-NG sync', role: 'supervisor' });
    const lastUsed = async () => (await database.db.select().from(apiTokens).where(eq(apiTokens.id, id)))[0]!.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await authenticateApiToken(database.db, token, T0);
    expect(await lastUsed()).toEqual(T0);
    const later = new Date(T0.getTime() + 3_600_000);
    await authenticateApiToken(database.db, token, later);
    expect(await lastUsed()).toEqual(later);
  });

  it('refuses a revoked, unknown or malformed token', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const { id, token } = await createApiToken(database.db, admin, { name: 'Old integration', role: 'viewer' });
    expect(await revokeApiToken(database.db, admin, id, T0)).toBe(true);
    expect(await revokeApiToken(database.db, admin, id, T0)).toBe(false);
    expect(await authenticateApiToken(database.db, `Bearer ${token}`, T0)).toBeNull();
    expect(await authenticateApiToken(database.db, 'Bearer pintu_guess', T0)).toBeNull();
    expect(await authenticateApiToken(database.db, token.slice(6), T0)).toBeNull();
    expect(await authenticateApiToken(database.db, '', T0)).toBeNull();
    expect(await authenticateApiToken(database.db, null, T0)).toBeNull();
  });

  it('ends a year after creation unless a shorter lifetime is picked, and is refused from its expiry on', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const DAY = 86_400_000;
    const year = await createApiToken(database.db, admin, { name: 'Setahun', role: 'viewer', now: T0 });
    expect(year.expiresAt).toEqual(new Date(T0.getTime() + 365 * DAY));
    expect(await authenticateApiToken(database.db, year.token, new Date(T0.getTime() + 365 * DAY - 1))).not.toBeNull();
    expect(await authenticateApiToken(database.db, year.token, new Date(T0.getTime() + 365 * DAY))).toBeNull();

    const month = await createApiToken(database.db, admin, { name: 'Sebulan', role: 'viewer', days: 30, now: T0 });
    expect(await authenticateApiToken(database.db, month.token, new Date(T0.getTime() + 30 * DAY + 1))).toBeNull();
    expect((await listApiTokens(database.db, admin)).find((k) => k.id === month.id)?.expiresAt).toEqual(new Date(T0.getTime() + 30 * DAY));
    // Only the lifetimes on offer: no token for ever through a hand-made form.
    await expect(createApiToken(database.db, admin, { name: 'x', role: 'viewer', days: 36_500 as 365 })).rejects.toMatchObject({ code: 'lifetime_invalid' });
  });

  it('is made and revoked by admins only, never with the admin role or a wider scope', async () => {
    const sup = await staffActor(database.db, { role: 'supervisor' });
    const admin = await staffActor(database.db, { role: 'admin' });
    const scopedAdmin = await staffActor(database.db, { role: 'admin', kecamatanId: kec.sagulung });
    await expect(createApiToken(database.db, sup, { name: 'x', role: 'viewer' })).rejects.toBeInstanceOf(Forbidden);
    await expect(createApiToken(database.db, admin, { name: 'x', role: 'admin' })).rejects.toMatchObject({ permission: 'rank' });
    await expect(createApiToken(database.db, scopedAdmin, { name: 'x', role: 'viewer' })).rejects.toMatchObject({ permission: 'scope' });
    const { id } = await createApiToken(database.db, admin, { name: 'x', role: 'viewer' });
    await expect(revokeApiToken(database.db, sup, id)).rejects.toBeInstanceOf(Forbidden);
    // Out of the scoped admin's reach: not revoked, and not confirmed to exist either.
    expect(await revokeApiToken(database.db, scopedAdmin, id)).toBe(false);
  });
});
