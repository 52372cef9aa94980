import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, complaints, findings, households } from '../../../src/db/schema/index.ts';
import { neutralise } from '../../../src/domain/csv.ts';
import { resolveFinding } from '../../../src/services/registry/quality/findings.ts';
import { scanFindings } from '../../../src/services/registry/quality/scan.ts';
import { createApiToken } from '../../../src/services/staff/api-tokens.ts';
import { createStaffUser } from '../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { PASSWORD, signedIn, type Browser } from '../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { cellTexts, formulaCells, formulaCellsInAnyReading, openCsvAsSpreadsheet, openXlsx, resavedAsCsv } from '../../helpers/spreadsheet.ts';
import { contact, file, wib } from '../../services/complaints/lifecycle.fixtures.ts';
import { makeArea, makeEvent, makeHousehold, makeInvitation, makeProgram, makeSite } from '../../services/distribution/fixtures.ts';
import { fileProposal, proposalCity, residentContact, type ProposalCity } from '../../services/registry/proposals.fixtures.ts';
import { qualityWorld } from '../../services/registry/quality.fixtures.ts';
import { staffActor } from '../../services/staff/fixtures.ts';

// Issue 15's measured hole, end to end: hostile text typed by a resident (a complaint, a proposal), held in
// the registry (an address) or written by staff (a site, a finding's note) reaches every export through the
// real app over HTTP, and the file is read as a spreadsheet reads it — exceljs's CSV reader with `,` and with
// `;` (the Indonesian list separator), quotes honoured and ignored, every cell typed as a spreadsheet types
// it — and as XLSX read back with exceljs. No cell may be a formula, and the text must still be there.

const HOSTILE = [
  ';=HYPERLINK("http://evil","x")',
  ',=1+1',
  "=cmd|' /C calc'!A0",
  '@SUM(1)',
  '+1',
  '-1',
  'Mohon dicek;\t=1+1', // a tab-started cell once a spreadsheet splits on `;`
];

const now = wib('2026-11-20T10:00:00');

/** No reading of the CSV a spreadsheet may make holds a formula. */
async function expectNoFormulaInCsv(csv: string): Promise<void> {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(formulaCellsInAnyReading(csv)).toEqual([]);
  for (const [delimiter, quotes] of [[',', true], [',', false], [';', false]] as const) {
    expect(formulaCells(await openCsvAsSpreadsheet(csv, delimiter, quotes)), `${delimiter} quotes=${quotes}`).toEqual([]);
  }
}

/** The XLSX holds no formula, keeps every hostile text (with the writer's apostrophes) and stays safe re-saved. */
async function expectSafeXlsx(res: Response, expectedTexts: string[], fileName: RegExp): Promise<void> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(res.headers.get('content-disposition')).toMatch(fileName);
  expect(res.headers.get('cache-control')).toContain('no-store');
  const ws = await openXlsx(new Uint8Array(await res.arrayBuffer()));
  expect(formulaCells(ws)).toEqual([]);
  expect(ws.getRow(1).font?.bold).toBe(true);
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  const cells = cellTexts(ws).flat();
  for (const text of expectedTexts) expect(cells).toContain(neutralise(text));
  expect(formulaCellsInAnyReading(await resavedAsCsv(ws))).toEqual([]);
}

async function csvOf(res: Response, fileName: RegExp): Promise<string> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('content-disposition')).toMatch(fileName);
  expect(res.headers.get('cache-control')).toContain('no-store');
  // ignoreBOM: keep the byte-order mark in the text, to check it is there.
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
}

describe('exports: the reader of these tests', () => {
  it('sees the measured formula when a comma file is split on `;`', async () => {
    // The complaints export's last column before issue 15, as it was measured.
    const before = '\uFEFFnomor,isi\r\nLPR-1,";=HYPERLINK(""http://evil"",""x"")"\r\n';
    expect((await openCsvAsSpreadsheet(before, ';', false)).getCell('B2').formula).toBe('HYPERLINK(""http://evil"",""x"")"');
    expect(formulaCells(await openCsvAsSpreadsheet(before, ',', true))).toEqual([]); // quotes hid it from a comma reader
  });
});

describe('exports: complaints, proposals and distribution lists with hostile text', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let city: ProposalCity;
  let b: Browser;
  let sagulungOnly: Browser;
  let stored: string[];
  let paperEventId: number;
  let hostileAddress: string;
  let hostileSite: string;
  let nongsaTrackingId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database, { clock: () => now });
    base = await t.listen();
    const db = database.db;
    city = await proposalCity(db);
    await createStaffUser(db, 'system', { email: 'spv.kota@exports.test', name: 'Supervisor Kota', role: 'supervisor', password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'spv.sagulung@exports.test', name: 'Supervisor Sagulung', role: 'supervisor', kecamatanId: city.sagulung, password: PASSWORD });

    // Complaints as residents file them (the service trims; the stored text is what must come out).
    const ids: number[] = [];
    for (const summary of HOSTILE) ids.push((await file(db, { contactId: await contact(db), kecamatanId: city.sagulung, now, summary })).id);
    nongsaTrackingId = (await file(db, { contactId: await contact(db), kecamatanId: city.nongsa, now, summary: '=1+1 di Nongsa' })).trackingId;
    stored = [];
    for (const id of ids) stored.push((await db.select({ s: complaints.summary }).from(complaints).where(eq(complaints.id, id)))[0]!.s);

    // A proposal for someone else: name, address and situation are the resident's own words.
    await fileProposal(db, {
      contactId: await residentContact(db),
      category: 'usulan',
      kecamatanId: city.sagulung,
      details: { forWhom: 'other', name: HOSTILE[2], address: HOSTILE[0], nik: '2171015203850009', situation: HOSTILE[6] },
      now,
    });

    // A distribution: a household without a chat whose registry address is hostile, invited to a site whose
    // name is (staff type site names).
    const area = await makeArea(db);
    const programId = await makeProgram(db);
    hostileSite = HOSTILE[3]!;
    const siteId = await makeSite(db, { kecamatanId: area.kecA, kelurahanId: area.kelA1, name: hostileSite });
    const hh = await makeHousehold(db, { kelurahanId: area.kelA1, enroll: { programId } });
    hostileAddress = `Blok C, ${HOSTILE[1]}`;
    await db.update(households).set({ address: hostileAddress }).where(eq(households.id, hh.householdId));
    const ev = await makeEvent(db, { programId, slots: [{ siteId, start: '08:00', end: '12:00', capacity: 10 }] });
    paperEventId = ev.eventId;
    await makeInvitation(db, { eventId: ev.eventId, householdId: hh.householdId, slotId: ev.slotIds[0]! });

    ({ b } = await signedIn(base, 'spv.kota@exports.test'));
    ({ b: sagulungOnly } = await signedIn(base, 'spv.sagulung@exports.test'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('the complaints export, CSV and XLSX, holds every text and no formula in any reading', async () => {
    const page = await (await b.fetch('/console/complaints?queue=all')).text();
    expect(page).toContain('href="/console/complaints.csv?queue=all"');
    expect(page).toContain('href="/console/complaints.xlsx?queue=all"');
    expect(page).toContain('Unduh Excel (.xlsx)');

    const csv = await csvOf(await b.fetch('/console/complaints.csv?queue=all'), /attachment; filename="pengaduan\.csv"/);
    await expectNoFormulaInCsv(csv);
    // The measured cell, written so that a `;` reader sees `'=HYPERLINK…` and a `,` reader the whole text.
    expect(csv).toContain('";\'=HYPERLINK(""http://evil"",""x"")"');
    const commaCells = (await openCsvAsSpreadsheet(csv, ',', true)).getColumn(11).values;
    for (const s of stored) expect(commaCells).toContain(neutralise(s));

    await expectSafeXlsx(await b.fetch('/console/complaints.xlsx?queue=all'), stored, /attachment; filename="pengaduan\.xlsx"/);
  });

  it('the XLSX export keeps the scope and the audit of the CSV', async () => {
    const audits = async () => (await database.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'complaint.export_csv')))[0]!.n;
    const before = await audits();
    const res = await sagulungOnly.fetch('/console/complaints.xlsx?queue=all');
    const ws = await openXlsx(new Uint8Array(await res.arrayBuffer()));
    const cells = cellTexts(ws).flat();
    expect(cells).toContain(neutralise(stored[0]!));
    expect(cells.some((c) => c.includes('di Nongsa'))).toBe(false);
    expect(cells).not.toContain(nongsaTrackingId);
    expect(await audits()).toBe(before + 1);
  });

  it('the proposals export (full NIK and KK) holds the resident’s words and no formula', async () => {
    const page = await (await b.fetch('/console/proposals')).text();
    expect(page).toContain('/console/proposals/export.xlsx');
    const csv = await csvOf(await b.fetch('/console/proposals/export.csv'), /attachment; filename="usulan-verifikasi-2026-11-20\.csv"/);
    await expectNoFormulaInCsv(csv);
    expect(csv).toContain('2171015203850009');
    await expectSafeXlsx(await b.fetch('/console/proposals/export.xlsx'), [HOSTILE[2]!, HOSTILE[0]!, HOSTILE[6]!], /usulan-verifikasi-2026-11-20\.xlsx/);
    // The NIK is a text cell in the workbook, all 16 digits.
    const ws = await openXlsx(new Uint8Array(await (await b.fetch('/console/proposals/export.xlsx')).arrayBuffer()));
    expect(cellTexts(ws).flat()).toContain('2171015203850009');
  });

  it('the paper list and the invitation list hold the address and site name and no formula', async () => {
    const event = await (await b.fetch(`/console/distribution/${paperEventId}`)).text();
    expect(event).toContain(`href="/console/distribution/${paperEventId}/paper.xlsx"`);
    expect(event).toContain(`href="/console/distribution/${paperEventId}/invitations.xlsx"`);

    const paper = await csvOf(await b.fetch(`/console/distribution/${paperEventId}/paper.csv`), new RegExp(`undangan-kertas-${paperEventId}\\.csv`));
    await expectNoFormulaInCsv(paper);
    await expectSafeXlsx(await b.fetch(`/console/distribution/${paperEventId}/paper.xlsx`), [hostileAddress], new RegExp(`undangan-kertas-${paperEventId}\\.xlsx`));

    const list = await csvOf(await b.fetch(`/console/distribution/${paperEventId}/invitations.csv`), new RegExp(`undangan-${paperEventId}\\.csv`));
    await expectNoFormulaInCsv(list);
    await expectSafeXlsx(await b.fetch(`/console/distribution/${paperEventId}/invitations.xlsx`), [hostileSite], new RegExp(`undangan-${paperEventId}\\.xlsx`));
  });

  it('the API answers the same files', async () => {
    const admin = await staffActor(database.db, { role: 'admin', name: 'Admin Uji' });
    const { token } = await createApiToken(database.db, admin, { name: 'Rekap', role: 'supervisor' });
    const get = (path: string) => t.app.request(path, { headers: { authorization: `Bearer ${token}` } });
    await expectNoFormulaInCsv(await csvOf(await get('/api/v1/complaints.csv'), /pengaduan\.csv/));
    await expectSafeXlsx(await get('/api/v1/complaints.xlsx'), stored, /pengaduan\.xlsx/);
    await expectSafeXlsx(await get(`/api/v1/events/${paperEventId}/unreachable.xlsx`), [hostileAddress], /undangan-kertas/);
    await expectSafeXlsx(await get(`/api/v1/events/${paperEventId}/invitations.xlsx`), [hostileSite], /undangan-/);
    const openapi = (await (await t.app.request('/api/openapi.json')).json()) as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, unknown> }> } }> };
    expect(Object.keys(openapi.paths['/api/v1/complaints.xlsx']!.get.responses['200']!.content)).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
  });
});

describe('exports: data-quality findings with a hostile note', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  const at = new Date('2026-11-20T09:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    const w = await qualityWorld(database.db, new Date('2026-11-19T09:00:00Z'));
    await scanFindings(database.db, { now: at });
    t = await createTestApp(database, { clock: () => at });
    base = await t.listen();
    await createStaffUser(database.db, 'system', { email: 'spv@q-exports.test', name: 'Supervisor Nongsa', role: 'supervisor', kecamatanId: w.nongsa, password: PASSWORD });
    const supervisor = await staffActor(database.db, { role: 'supervisor', kecamatanId: w.nongsa, name: 'Supervisor Uji' });
    // A note staff write when they close a finding: free text, as hostile as a resident's.
    const [f] = await database.db.select({ id: findings.id }).from(findings).where(and(eq(findings.kind, 'deceased_enrolled')));
    const resolved = await resolveFinding(database.db, supervisor, f!.id, HOSTILE[0]!, { now: at });
    expect(resolved.ok).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('the findings export, CSV and XLSX, holds the note and no formula', async () => {
    const { b } = await signedIn(base, 'spv@q-exports.test');
    const page = await (await b.fetch('/console/quality?status=all')).text();
    expect(page).toContain('/console/quality/export.xlsx?status=all');
    const csv = await csvOf(await b.fetch('/console/quality/export.csv?status=all'), /temuan-kualitas-data-2026-11-20\.csv/);
    await expectNoFormulaInCsv(csv);
    expect(csv).toContain('";\'=HYPERLINK(""http://evil"",""x"")"');
    await expectSafeXlsx(await b.fetch('/console/quality/export.xlsx?status=all'), [HOSTILE[0]!], /temuan-kualitas-data-2026-11-20\.xlsx/);
  });
});
