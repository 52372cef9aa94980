import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/rows.ts';
import { normalizeMobile, registrySqlNormalForm } from '../../src/domain/phone.ts';
import { cities, households, kecamatan, kelurahan, members } from '../../src/db/schema/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

// members.phone_norm is a generated column (SQL, so every import, seed and edit fills it); normalizeMobile is
// libphonenumber's reading of the same number. The office writes first only to what phone_norm holds, so the
// two must agree on what a registry really contains: national and international forms, separators, landlines,
// unassigned prefixes, too short and too long, junk.
const TABLE = [
  '081277001001', '0812-7700-1001', '0812 7700 1001', '+62 812 7700 1001', '6281277001001', '+6281277001001',
  '0811234567', '08112345678', '0812345678901', '08123456789012', '081234567', '0821234567', '0831234567',
  '0851234567', '0877123456789', '0881234567', '0895123456789', '0841234567', '0801234567',
  '0778321654', '0778-321654', '(0778) 321654', '021-5551234', '62778321654',
  '-', '0', 'tidak ada', '12345', '+65 9123 4567', '6591234567',
];

describe('registry phone normal form', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('the generated column agrees with libphonenumber on every input of the table', async () => {
    const sqlForm = rowsOf<{ phone: string; norm: string | null }>(
      await database.db.execute(sql`select phone,
        (${sql.raw(registrySqlNormalForm)}) as norm
        from unnest(${`{${TABLE.map((p) => `"${p}"`).join(',')}}`}::text[]) as t(phone)`),
    );
    expect(sqlForm).toHaveLength(TABLE.length);
    const disagree = sqlForm.filter((r) => r.norm !== normalizeMobile(r.phone)).map((r) => `${r.phone}: sql ${r.norm}, lib ${normalizeMobile(r.phone)}`);
    expect(disagree).toEqual([]);
    // And the table means something: both accept and both refuse.
    expect(sqlForm.filter((r) => r.norm !== null).length).toBeGreaterThan(10);
    expect(normalizeMobile('0778-321654')).toBeNull();
    expect(normalizeMobile('+62 812 7700 1001')).toBe('6281277001001');
  });

  it('is what the members table stores', async () => {
    const [city] = await database.db.insert(cities).values({ code: '96.01', name: 'Kota Uji Telepon', province: 'Uji' }).returning();
    const [kec] = await database.db.insert(kecamatan).values({ cityId: city!.id, code: '96.01.01', name: 'Uji' }).returning();
    const [kel] = await database.db.insert(kelurahan).values({ kecamatanId: kec!.id, code: '96.01.01.1001', name: 'Uji' }).returning();
    const [hh] = await database.db.insert(households).values({ noKk: '9601010101010001', address: 'Jl. Uji', kelurahanId: kel!.id, source: 'test' }).returning();
    const [m] = await database.db
      .insert(members)
      .values({ householdId: hh!.id, nik: '9601010101010001', name: 'Uji', birthDate: '1970-01-01', sex: 'L', relationship: 'kepala', phone: '0812-7700-9999' })
      .returning({ id: members.id });
    const [row] = await database.db.select({ norm: members.phoneNorm }).from(members).where(eq(members.id, m!.id));
    expect(row!.norm).toBe('6281277009999');
    await database.db.update(members).set({ phone: '0778-321654' }).where(eq(members.id, m!.id));
    const [landline] = await database.db.select({ norm: members.phoneNorm }).from(members).where(eq(members.id, m!.id));
    expect(landline!.norm).toBeNull();
  });
});
