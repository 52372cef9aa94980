// A small world for the disbursement suites: the distribution fixtures' city (two kecamatan), a cash program
// paying per quarter (PKH-like, household), a person program, families enrolled for 2026-Q4 with and without
// linked chats, an office per kecamatan, staff of each kind, and result files written to a temporary folder.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/db/client.ts';
import { enrollments, households, members, offices, outbox, programs } from '../../../src/db/schema/index.ts';
import { createI18n } from '../../../src/i18n.ts';
import type { DisbursementOptions } from '../../../src/services/disbursements/shared.ts';
import { makeArea, makeHousehold, NOW, TZ, type DistributionArea, type MadeHousehold } from '../distribution/fixtures.ts';
import { staffActor } from '../staff/fixtures.ts';

export { NOW, TZ };
export const PERIOD = '2026-Q4';

export type Staff = Awaited<ReturnType<typeof staffActor>>;

export interface Family extends MadeHousehold {
  noKk: string;
  niks: string[];
}

export interface DisbursementWorld {
  area: DistributionArea;
  /** Cash, household, Rp750.000 a quarter, at most Rp3.000.000 (rules.maxAmount), bidang Linjamsos. */
  pkh: { id: number; code: string };
  /** Cash, person, Rp600.000 a quarter, bidang Rehsos. */
  lansia: { id: number; code: string };
  /** Enrolled in PKH for 2026-Q4 in kecA: siti (a chat in Indonesian), budi (a chat in English), dewi (no chat). */
  siti: Family;
  budi: Family;
  dewi: Family;
  /** Enrolled in PKH in kecB; with a chat. */
  far: Family;
  /** In kecA, enrolled in nothing. */
  none: Family;
  /** In kecA, PKH enrollment with its own amount of Rp1.200.000. */
  own: Family;
  /** The head of this family is enrolled in LANSIA. */
  elder: Family;
  admin: Staff;
  supervisorA: Staff;
  supervisorB: Staff;
  supervisorRehsos: Staff;
  operatorA: Staff;
  operatorB: Staff;
  viewer: Staff;
  opts: DisbursementOptions;
  dir: string;
  /** Writes a CSV (header first) and returns its path. */
  file(name: string, lines: string[]): Promise<string>;
  dispose(): Promise<void>;
}

let n = 0;

export async function disbursementWorld(db: Db): Promise<DisbursementWorld> {
  const area = await makeArea(db);
  const tag = `${process.pid}${++n}${Math.random().toString(36).slice(2, 6)}`;
  const [pkh, lansia] = await db
    .insert(programs)
    .values([
      { code: `PKH${tag}`, name: 'Program Keluarga Harapan Uji', nameEn: 'Family Hope Test', agency: 'Kemensos', bidang: 'Linjamsos', funder: 'APBN', benefitType: 'cash', benefitAmount: 750_000, benefitPeriod: 'quarter', unit: 'household', rules: { maxAmount: 3_000_000 } },
      { code: `LAN${tag}`, name: 'Lansia Uji', agency: 'Dinsos', bidang: 'Rehsos', funder: 'APBD', benefitType: 'cash', benefitAmount: 600_000, benefitPeriod: 'quarter', unit: 'person' },
    ])
    .returning({ id: programs.id, code: programs.code });
  await db.insert(offices).values([
    { cityId: area.cityId, kecamatanId: area.kecA, name: 'Kantor Kecamatan Sagulung', address: 'Jl. Uji 1', hours: '08.00–16.00', phone: '0778 111222' },
    { cityId: area.cityId, kecamatanId: null, name: 'Dinas Sosial Kota Uji', address: 'Jl. Uji 2', hours: '08.00–16.00', phone: null },
  ]);
  const family = async (kelurahanId: number, opts: { program?: number; unit?: 'household' | 'person'; chats?: ('id' | 'en')[] } = {}): Promise<Family> => {
    const made = await makeHousehold(db, {
      kelurahanId,
      ...(opts.program ? { enroll: { programId: opts.program, unit: opts.unit ?? 'household' } } : {}),
      chats: (opts.chats ?? []).map((language) => ({ channel: 'telegram' as const, language })),
    });
    const [hh] = await db.select({ noKk: households.noKk }).from(households).where(eq(households.id, made.householdId));
    const ms = await db.select({ nik: members.nik }).from(members).where(eq(members.householdId, made.householdId)).orderBy(members.id);
    return { ...made, noKk: hh!.noKk, niks: ms.map((m) => m.nik) };
  };
  const siti = await family(area.kelA1, { program: pkh!.id, chats: ['id'] });
  const budi = await family(area.kelA2, { program: pkh!.id, chats: ['en'] });
  const dewi = await family(area.kelA1, { program: pkh!.id });
  const far = await family(area.kelB1, { program: pkh!.id, chats: ['id'] });
  const none = await family(area.kelA1);
  const own = await family(area.kelA1, { program: pkh!.id });
  await db.update(enrollments).set({ amount: 1_200_000 }).where(eq(enrollments.householdId, own.householdId));
  const elder = await family(area.kelA1, { program: lansia!.id, unit: 'person', chats: ['id'] });
  const dir = await mkdtemp(join(tmpdir(), 'pintu-disb-test-'));
  return {
    area,
    pkh: pkh!,
    lansia: lansia!,
    siti,
    budi,
    dewi,
    far,
    none,
    own,
    elder,
    admin: await staffActor(db, { role: 'admin' }),
    supervisorA: await staffActor(db, { role: 'supervisor', kecamatanId: area.kecA }),
    supervisorB: await staffActor(db, { role: 'supervisor', kecamatanId: area.kecB }),
    supervisorRehsos: await staffActor(db, { role: 'supervisor', bidang: 'Rehsos' }),
    operatorA: await staffActor(db, { role: 'operator', kecamatanId: area.kecA }),
    operatorB: await staffActor(db, { role: 'operator', kecamatanId: area.kecB }),
    viewer: await staffActor(db, { role: 'viewer' }),
    opts: { now: NOW, timeZone: TZ, i18n: await createI18n('id'), defaultLocale: 'id' },
    dir,
    async file(name, lines) {
      const path = join(dir, name);
      await writeFile(path, `${lines.join('\n')}\n`);
      return path;
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

export const HEADER = 'nik,no_kk,rekening,nominal,status,tanggal,keterangan';

export async function queued(db: Db, contactId: number): Promise<string[]> {
  const rows = await db.select().from(outbox).where(eq(outbox.contactId, contactId)).orderBy(outbox.id);
  return rows.map((r) => String(r.payload.text));
}
