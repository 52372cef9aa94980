import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, complaints, outbox } from '../../../../src/db/schema/index.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { Browser, csrfIn, PASSWORD, signedIn } from '../../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { wib } from '../../../services/complaints/lifecycle.fixtures.ts';
import { FAMILY, fileProposal, proposalCity, residentContact, type ProposalCity } from '../../../services/registry/proposals.fixtures.ts';

// The proposals page through the real app over real HTTP: filters and count, the CSV download, and the
// meeting's answers uploaded as a file (multipart, CSRF) with the report of what was done.

const now = wib('2026-11-20T10:00:00');

describe('console: proposals out to verification', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let city: ProposalCity;
  let selfCase: { id: number; trackingId: string; contactId: number };
  let anonCase: { id: number; trackingId: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database, { clock: () => now });
    base = await t.listen();
    const db = database.db;
    city = await proposalCity(db);
    await createStaffUser(db, 'system', { email: 'spv.sagulung@pintu.test', name: 'Supervisor Sagulung', role: 'supervisor', kecamatanId: city.sagulung, password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'spv.nongsa@pintu.test', name: 'Supervisor Nongsa', role: 'supervisor', kecamatanId: city.nongsa, password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'op.sagulung@pintu.test', name: 'Operator Sagulung', role: 'operator', kecamatanId: city.sagulung, password: PASSWORD });
    const contactId = await residentContact(db, { memberId: city.memberId, language: 'en' });
    const filed = await fileProposal(db, { contactId, category: 'usulan', memberId: city.memberId, details: { forWhom: 'self', situation: 'Suami sakit' }, now: wib('2026-11-10T09:00:00') });
    selfCase = { ...filed, contactId };
    anonCase = await fileProposal(db, {
      contactId: await residentContact(db, { displayName: 'Tetangga' }),
      category: 'sanggahan',
      kecamatanId: city.sagulung,
      anonymous: true,
      details: { anonymous: 'yes', who: 'Pak Joko', program: 'unknown', reason: 'Punya mobil' },
      now: wib('2026-11-11T09:00:00'),
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  const upload = (b: Browser, csv: string, csrf: string | null) => {
    const form = new FormData();
    if (csrf !== null) form.set('_csrf', csrf);
    form.set('file', new File([csv], 'hasil.csv', { type: 'text/csv' }));
    return b.fetch('/console/proposals/outcomes', { method: 'POST', body: form });
  };

  it('shows the count with filters and downloads the sheet, audited', async () => {
    const { b: b } = await signedIn(base, 'spv.sagulung@pintu.test');
    const res = await b.fetch('/console/proposals');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('href="/console/proposals"'); // the nav link
    expect(page).toMatch(/data-testid="count">[^<]*2</);
    expect(page).toContain('/console/proposals/export.csv');
    expect(page).not.toContain(FAMILY.nik); // the page itself shows no personal data

    const filtered = await (await b.fetch(`/console/proposals?kelurahan=${city.kelurahanId}&from=2026-11-10&to=2026-11-10`)).text();
    expect(filtered).toMatch(/data-testid="count">[^<]*1</);

    const csv = await b.fetch('/console/proposals/export.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith(selfCase.trackingId))).toContain(`,${FAMILY.nik},${FAMILY.noKk},`);
    expect(lines.find((l) => l.startsWith(anonCase.trackingId))).toContain(',anonim,');
    const audited = await database.db.select().from(auditLog).where(eq(auditLog.action, 'proposal.export'));
    expect(audited.at(-1)!.details).toMatchObject({ rowCount: 2 });
  });

  it('gives another kecamatan an empty sheet and an operator no page', async () => {
    const { b: nongsa } = await signedIn(base, 'spv.nongsa@pintu.test');
    const text = await (await nongsa.fetch('/console/proposals/export.csv')).text();
    expect(text.trim().split('\r\n')).toHaveLength(1);
    expect(text).not.toContain(FAMILY.nik);

    const { b: operator } = await signedIn(base, 'op.sagulung@pintu.test');
    const page = await operator.fetch('/console/proposals');
    expect(page.status).toBe(403);
    expect(await page.text()).not.toContain('href="/console/proposals/export.csv');
    expect((await operator.fetch('/console/proposals/export.csv')).status).toBe(403);
    const home = await (await operator.fetch('/console/password')).text();
    expect(home).not.toContain('href="/console/proposals"');
  });

  it('needs the CSRF token to upload outcomes', async () => {
    const { b: b } = await signedIn(base, 'spv.sagulung@pintu.test');
    const res = await upload(b, `nomor_laporan,hasil,catatan\n${selfCase.trackingId},diterima,\n`, 'not-the-token');
    expect(res.status).toBe(403);
    const missing = await upload(b, `nomor_laporan,hasil,catatan\n${selfCase.trackingId},diterima,\n`, null);
    expect(missing.status).toBe(403);
    expect(await database.db.select().from(outbox).where(eq(outbox.contactId, selfCase.contactId))).toEqual([]);
    const [c] = await database.db.select().from(complaints).where(eq(complaints.id, selfCase.id));
    expect(c!.details.verificationOutcome).toBeUndefined();
  });

  it('records the outcomes, reports bad lines, and tells the resident once', async () => {
    const { b: b } = await signedIn(base, 'spv.sagulung@pintu.test');
    const csrf = csrfIn(await (await b.fetch('/console/proposals')).text());
    const sheet = `nomor_laporan;hasil;catatan\r\n${selfCase.trackingId};DITERIMA;\r\nADU-2611-99999;diterima;\r\n${anonCase.trackingId};barangkali;\r\n`;
    const res = await upload(b, sheet, csrf);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('data-testid="report"');
    expect(page).toMatch(/<td>3<\/td><td>ADU-2611-99999<\/td><td>[^<]*tidak ditemukan/);
    expect(page).toMatch(new RegExp(`<td>4</td><td>${anonCase.trackingId}</td><td>[^<]*diterima, ditolak`));

    const sent = await database.db.select().from(outbox).where(eq(outbox.contactId, selfCase.contactId));
    expect(sent).toHaveLength(1);
    expect((sent[0]!.payload as { text: string }).text).toContain('ACCEPTED');
    const [anon] = await database.db.select().from(complaints).where(eq(complaints.id, anonCase.id));
    expect(anon!.details.verificationOutcome).toBeUndefined();

    const again = await (await upload(b, sheet, csrf)).text();
    expect(again).toMatch(/Sudah tercatat sebelumnya[^<]*1/);
    expect(await database.db.select().from(outbox).where(eq(outbox.contactId, selfCase.contactId))).toHaveLength(1);
    const imports = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'proposal.outcome'), eq(auditLog.entityId, String(selfCase.id))));
    expect(imports).toHaveLength(1);
  });

  it('takes a sheet larger than the usual 256 KB console form limit', async () => {
    const { b: b } = await signedIn(base, 'spv.sagulung@pintu.test');
    const csrf = csrfIn(await (await b.fetch('/console/proposals')).text());
    const sheet = `nomor_laporan,hasil,catatan\r\n${anonCase.trackingId},ditolak,\r\n${'\r\n'.repeat(150_000)}`;
    const res = await upload(b, sheet, csrf);
    expect(res.status).toBe(200);
    const [c] = await database.db.select().from(complaints).where(eq(complaints.id, anonCase.id));
    expect((c!.details.verificationOutcome as { outcome: string }).outcome).toBe('ditolak');
  });

  it('refuses a file over 2 MB', async () => {
    const { b: b } = await signedIn(base, 'spv.sagulung@pintu.test');
    const csrf = csrfIn(await (await b.fetch('/console/proposals')).text());
    const big = `nomor_laporan,hasil,catatan\n${`${selfCase.trackingId},ditolak,${'x'.repeat(200)}\n`.repeat(11_000)}`;
    const res = await upload(b, big, csrf);
    expect(res.status).toBe(413);
    const [c] = await database.db.select().from(complaints).where(eq(complaints.id, selfCase.id));
    expect((c!.details.verificationOutcome as { outcome: string }).outcome).toBe('diterima');
  });
});
