import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollments, households, kecamatan, kelurahan, offices, programs } from '../../src/db/schema/index.ts';
import { createI18n } from '../../src/i18n.ts';
import { importDisbursements } from '../../src/services/disbursements/import.ts';
import { staffActor } from '../services/staff/fixtures.ts';
import { driver, flowHarness, type FlowHarness } from '../helpers/chat.ts';

// The aid check after a bank's result file (issue 20 part 3): Siti hears that her PKH for the quarter was
// transferred and when, in the short answer and in the details; after a later file says it failed, she hears
// that instead, with the office of her kecamatan to contact. Texts from locales, in both languages.

const SITI = { nik: '2171105203850001', birth: '12-03-1985', kk: '2171100207180005' };

describe('cek bansos with a transfer', () => {
  let h: FlowHarness;
  let dir: string;
  let period: string;
  let office: { name: string; phone: string | null };

  beforeAll(async () => {
    h = await flowHarness();
    dir = await mkdtemp(join(tmpdir(), 'pintu-aid-transfer-'));
    const db = h.database.db;
    const [pkh] = await db
      .select({ period: enrollments.period, kecamatanId: kecamatan.id })
      .from(enrollments)
      .innerJoin(programs, eq(programs.id, enrollments.programId))
      .innerJoin(households, eq(households.id, enrollments.householdId))
      .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
      .innerJoin(kecamatan, eq(kecamatan.id, kelurahan.kecamatanId))
      .where(and(eq(programs.code, 'PKH'), eq(households.noKk, SITI.kk)));
    period = pkh!.period;
    const [o] = await db.select({ name: offices.name, phone: offices.phone }).from(offices).where(eq(offices.kecamatanId, pkh!.kecamatanId));
    office = o ?? (await db.select({ name: offices.name, phone: offices.phone }).from(offices))[0]!;
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await h.dispose();
  });

  const importLine = async (status: string, date: string, name: string) => {
    const db = h.database.db;
    const admin = await staffActor(db, { role: 'admin' });
    const [pkh] = await db.select({ id: programs.id }).from(programs).where(eq(programs.code, 'PKH'));
    const path = join(dir, name);
    await writeFile(path, `no_kk,nominal,status,tanggal\n${SITI.kk},750000,${status},${date}\n`);
    const r = await importDisbursements(h.database, admin, { programId: pkh!.id, period, source: 'BNI', filePath: path, fileName: name }, { now: h.clock(), timeZone: 'Asia/Jakarta', i18n: await createI18n('id'), defaultLocale: 'id' });
    expect(r.ok).toBe(true);
  };

  it('says the money arrived, with the day, first in the answer and again in the details', async () => {
    await importLine('transferred', '2026-11-12', 'bni.csv');
    const c = driver(h.engine);
    await c.start('id');
    await c.verify(SITI.nik, SITI.birth);
    expect(c.last.text).toContain('Dana PKH triwulan IV 2026 sudah ditransfer 12 November 2026.');
    await c.choose('details');
    expect(c.text).toContain('Dana PKH triwulan IV 2026 sudah ditransfer 12 November 2026.');

    const e = driver(h.engine);
    await e.start('en');
    await e.verify(SITI.nik, SITI.birth);
    expect(e.last.text).toContain('The PKH money for Q4 2026 was transferred on 12 November 2026.');
  });

  it('says a later failure instead, and where to go', async () => {
    await importLine('gagal', '2026-11-20', 'bni-2.csv');
    const c = driver(h.engine);
    await c.start('id');
    await c.verify(SITI.nik, SITI.birth);
    expect(c.last.text).toContain(`Transfer PKH triwulan IV 2026 gagal. Mohon hubungi ${office.name}${office.phone ? ` (${office.phone})` : ''}.`);
    expect(c.last.text).not.toContain('sudah ditransfer');
  });
});
