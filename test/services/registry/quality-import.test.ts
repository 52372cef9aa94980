import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findings, members } from '../../../src/db/schema/index.ts';
import { importFile } from '../../../src/services/registry/import/run.ts';
import { seedDemoCity } from '../../../src/services/seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { KK1, KK2, NOW, person, registryCsv, tempFiles } from './import/fixtures.ts';

// A successful registry import rescans data quality at once (services/registry/import/run.ts), so a NIK the new file
// lists in two families is a finding before the six-hourly job comes round.

let database: TestDatabase;
const files = tempFiles();

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoCity(database, { households: 0, today: NOW });
}, 120_000);
afterAll(async () => {
  files.cleanup();
  await database?.dispose();
});

it('finds a NIK listed in two families right after the import', async () => {
  const shared = person(901, KK1);
  const path = files.write(registryCsv([shared, { ...shared, noKk: KK2, alamat: 'Jl. Lain No. 2' }]));
  const report = await importFile(database, { kind: 'registry', filePath: path, now: NOW, actor: { kind: 'system' } });
  expect(report.counts.inserted).toBeGreaterThan(0);
  const ids = (await database.db.select({ id: members.id }).from(members).where(eq(members.nik, shared.nik))).map((m) => m.id);
  expect(ids).toHaveLength(2);
  const found = await database.db.select().from(findings).where(and(eq(findings.kind, 'duplicate_nik'), inArray(findings.memberId, ids)));
  expect(found).toHaveLength(2);
  for (const f of found) expect(f).toMatchObject({ status: 'open', lastSeenAt: NOW });
});
