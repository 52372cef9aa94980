import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalOutcomesCommand, proposalsExportCommand } from '../../src/cli/proposals.ts';
import { auditLog, outbox } from '../../src/db/schema/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { cellTexts, openXlsx } from '../helpers/spreadsheet.ts';
import { wib } from '../services/complaints/lifecycle.fixtures.ts';
import { FAMILY, fileProposal, proposalCity, residentContact } from '../services/registry/proposals.fixtures.ts';

// The two proposal commands in-process against the test database, as `npm run cli --` runs them.

let database: TestDatabase;
let dir: string;
let filed: { id: number; trackingId: string };
let contactId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'pintu-proposals-'));
  const city = await proposalCity(database.db);
  contactId = await residentContact(database.db, { memberId: city.memberId });
  filed = await fileProposal(database.db, { contactId, category: 'usulan', memberId: city.memberId, details: { forWhom: 'self', situation: 'Butuh bantuan' }, now: wib('2026-11-10T09:00:00') });
});
afterAll(async () => {
  await database?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function run(command: typeof proposalsExportCommand, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  // The command closes what it opened; the test database must outlive it.
  const open = async () => Object.assign(Object.create(database) as TestDatabase, { close: async () => {} });
  const code = await command(argv, { env: {}, out: (l) => out.push(l), err: (l) => err.push(l), open });
  return { code, out, err };
}

describe('proposal commands', () => {
  it('exports the sheet to a file only its owner can read, audited as the system', async () => {
    const file = join(dir, 'usulan.csv');
    const r = await run(proposalsExportCommand, ['--out', file, '--kecamatan', '99.71.01']);
    expect(r).toMatchObject({ code: 0, err: [] });
    expect(r.out.join('\n')).not.toContain(FAMILY.nik);
    const csv = readFileSync(file, 'utf8');
    expect(csv).toContain(`${filed.trackingId},usulan,${FAMILY.nik},${FAMILY.noKk}`);
    expect(statSync(file).mode & 0o077).toBe(0);
    const [a] = await database.db.select().from(auditLog).where(eq(auditLog.action, 'proposal.export'));
    expect(a).toMatchObject({ actorKind: 'system', details: expect.objectContaining({ rowCount: 1 }) });

    expect((await run(proposalsExportCommand, ['--out', file, '--kecamatan', '00.00.00'])).code).toBe(1);
    expect((await run(proposalsExportCommand, [])).code).toBe(2);
  });

  it('writes an Excel workbook when --out names an .xlsx file', async () => {
    const file = join(dir, 'usulan.xlsx');
    expect(await run(proposalsExportCommand, ['--out', file])).toMatchObject({ code: 0, err: [] });
    expect(statSync(file).mode & 0o077).toBe(0);
    const ws = await openXlsx(readFileSync(file));
    expect(ws.getRow(1).getCell(1).value).toBe('nomor_laporan');
    expect(cellTexts(ws).flat()).toContain(FAMILY.nik); // a text cell: all 16 digits
  });

  it('imports the outcomes, reports bad lines, and tells the resident once', async () => {
    const file = join(dir, 'hasil.csv');
    writeFileSync(file, `nomor_laporan,hasil,catatan\n${filed.trackingId},ditolak,Sudah menerima PKH\nADU-2611-99999,ditolak,\n`);
    const first = await run(proposalOutcomesCommand, [file]);
    expect(first.code).toBe(1); // a skipped line is worth a non-zero exit
    expect(first.out.join('\n')).toContain(`line 2: ${filed.trackingId} ditolak`);
    expect(first.err).toEqual(['line 3: ADU-2611-99999 skipped: not_found']);
    const second = await run(proposalOutcomesCommand, [file]);
    expect(second.out.join('\n')).toContain('already recorded');
    expect(await database.db.select().from(outbox).where(eq(outbox.contactId, contactId))).toHaveLength(1);
    expect((await run(proposalOutcomesCommand, [join(dir, 'missing.csv')])).code).toBe(1);
  });
});
