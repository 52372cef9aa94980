import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referrals } from '../../../../src/db/schema/index.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { signedIn, type SignedIn } from '../../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { contact, NOW, ppksReport, queuedTexts, referralWorld, type ReferralWorld } from '../../../services/referrals/world.ts';

// Referrals through the real app: an operator refers a PPKS report from /console/referrals/new?source=complaint,
// changes its status, and the reporter's messages are in the outbox; a refused form keeps what was typed; an
// operator of another kecamatan meets 404 and a viewer 403.

describe('/console/referrals', () => {
  let database: TestDatabase;
  let t: TestApp;
  let w: ReferralWorld;
  let opA: SignedIn;
  let opB: SignedIn;
  let viewer: SignedIn;
  let report: { id: number; trackingId: string };
  let chat: number;
  let referralId: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    w = await referralWorld(database.db);
    t = await createTestApp(database, { clock: () => NOW });
    const base = await t.listen();
    opA = await signedIn(base, w.operatorA.email, w.operatorA.password);
    opB = await signedIn(base, w.operatorB.email, w.operatorB.password);
    viewer = await signedIn(base, w.viewer.email, w.viewer.password);
    chat = await contact(database.db, { language: 'id' });
    report = await ppksReport(database.db, chat, w.area.kecA, { anonymous: true });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('shows the form for a complaint with the case named and the agencies grouped by kind', async () => {
    // The complaint's page leads there.
    const page = await (await opA.b.fetch(`/console/complaints/${report.id}`)).text();
    expect(page).toContain(`href="/console/referrals/new?source=complaint&amp;id=${report.id}"`);
    const res = await opA.b.fetch(`/console/referrals/new?source=complaint&id=${report.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`Laporan ${report.trackingId}`);
    expect(html).toContain('<optgroup label="Lembaga Kesejahteraan Sosial (LKS)">');
    expect(html).toContain('Panti Werdha Kasih');
    expect(html).not.toContain('Yayasan Lama'); // deactivated
    expect(html).toContain('value="2026-12-01"'); // a week from today, suggested
    expect(html).toContain('href="/console/referrals"'); // the nav link
  });

  it('keeps what was typed when the due date is in the past, and writes nothing', async () => {
    const res = await opA.b.post('/console/referrals', { _csrf: opA.csrf, source: 'complaint', id: String(report.id), agency: String(w.panti), dueOn: '2026-11-01', note: 'Mohon asesmen lansia' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Tenggat tidak boleh sebelum hari ini.');
    expect(html).toContain('Mohon asesmen lansia');
    expect(html).toMatch(new RegExp(`<option value="${w.panti}" selected`));
    expect(await database.db.select().from(referrals).where(eq(referrals.sourceId, report.id))).toEqual([]);
  });

  it('refers the complaint, shows it in the list, and the reporter is told', async () => {
    const res = await opA.b.post('/console/referrals', { _csrf: opA.csrf, source: 'complaint', id: String(report.id), agency: String(w.panti), dueOn: '2026-11-30', note: 'Mohon asesmen lansia' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/console\/referrals\/\d+\?done=createdTold$/);
    referralId = Number(/referrals\/(\d+)/.exec(location)![1]);
    const page = await (await opA.b.fetch(location)).text();
    expect(page).toContain('pelapor sudah diberi tahu');
    expect(page).toContain('<caption>Riwayat rujukan</caption>');
    expect(page).toContain('data-status="sent"');
    const list = await (await opA.b.fetch('/console/referrals')).text();
    expect(list).toContain('<caption>Daftar rujukan</caption>');
    expect(list).toContain(`data-referral="${referralId}"`);
    expect(list).toContain(report.trackingId);
    expect((await queuedTexts(database.db, chat)).map((q) => q.text)).toEqual([
      `Laporan ${report.trackingId} sudah kami teruskan ke Panti Werdha Kasih (Lembaga Kesejahteraan Sosial (LKS)). Mereka akan menindaklanjutinya, dan kami akan mengabari Bapak/Ibu bila ada perkembangan.`,
    ]);
  });

  it('changes the status; the change reaches the resident; a move the status does not allow is refused with the note kept', async () => {
    const bad = await opA.b.post(`/console/referrals/${referralId}/status`, { _csrf: opA.csrf, status: 'done', note: 'Catatan yang diketik' });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('Status ini tidak dapat dipilih dari status sekarang.');
    expect(badHtml).toContain('Catatan yang diketik');

    const res = await opA.b.post(`/console/referrals/${referralId}/status`, { _csrf: opA.csrf, status: 'accepted', note: '' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/console/referrals/${referralId}?done=statusTold`);
    const [r] = await database.db.select().from(referrals).where(eq(referrals.id, referralId));
    expect(r?.status).toBe('accepted');
    const texts = (await queuedTexts(database.db, chat)).map((q) => q.text);
    expect(texts.at(-1)).toBe(`Laporan ${report.trackingId} sudah diterima oleh Panti Werdha Kasih (Lembaga Kesejahteraan Sosial (LKS)) dan sedang ditangani.`);
    const filtered = await (await opA.b.fetch('/console/referrals?status=accepted')).text();
    expect(filtered).toContain(`data-referral="${referralId}"`);
    expect(await (await opA.b.fetch('/console/referrals?status=done')).text()).not.toContain(`data-referral="${referralId}"`);
  });

  it('answers an operator of another kecamatan with 404, and a viewer with 403', async () => {
    expect((await opB.b.fetch(`/console/referrals/${referralId}`)).status).toBe(404);
    expect((await opB.b.fetch(`/console/referrals/new?source=complaint&id=${report.id}`)).status).toBe(404);
    expect((await opB.b.post(`/console/referrals/${referralId}/status`, { _csrf: opB.csrf, status: 'refused', note: '' })).status).toBe(404);
    expect((await opB.b.post('/console/referrals', { _csrf: opB.csrf, source: 'complaint', id: String(report.id), agency: String(w.dukcapil), dueOn: '2026-11-30', note: '' })).status).toBe(404);
    expect(await (await opB.b.fetch('/console/referrals')).text()).not.toContain(`data-referral="${referralId}"`);

    expect((await viewer.b.fetch('/console/referrals')).status).toBe(403);
    expect((await viewer.b.fetch(`/console/referrals/${referralId}`)).status).toBe(403);
    expect((await viewer.b.fetch(`/console/referrals/new?source=complaint&id=${report.id}`)).status).toBe(403);
    expect(await (await viewer.b.fetch('/console/dashboard')).text()).not.toContain('href="/console/referrals"');
    // An operator may refer complaints, not field tasks: that is their role, not a missing page.
    expect((await opA.b.fetch('/console/referrals/new?source=field_task&id=1')).status).toBe(403);
    const [r] = await database.db.select().from(referrals).where(eq(referrals.id, referralId));
    expect(r?.status).toBe('accepted');
  });
});
