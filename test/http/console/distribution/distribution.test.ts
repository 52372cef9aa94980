import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distributionEvents, invitations, outbox, proxies, sites } from '../../../../src/db/schema/index.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { Browser, csrfIn, PASSWORD, signedIn } from '../../../helpers/console.ts';
import { at, distributionWorld, EVENT_DATE, makeEvent, makeHousehold, makeInvitation, NOW, type DistributionWorld } from '../../../services/distribution/fixtures.ts';

// The distribution pages of the console through the real app over HTTP: who may open them, creating an
// event (and a refused one that leaves nothing behind), the invite count matching what is sent, CSRF,
// hostile text, areas, proxies and the live progress fragment.

const XSS = '<script>alert(1)</script> "><img src=x onerror=alert(1)>';

/** The form of a new event with one slot at `siteId`; fields can be overridden. */
function eventForm(csrf: string, siteId: number, programId: number, over: Record<string, string> = {}) {
  return { _csrf: csrf, program: String(programId), tranche: '2026 Tahap IV', title: 'Penyaluran Sembako Desember', date: EVENT_DATE, site0: String(siteId), start0: '08:00', end0: '12:00', capacity0: '100', ...over };
}

describe('console distribution pages', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let base: string;
  let spv: Browser;
  let admin: Browser;
  let operator: Browser;
  let spvB: Browser;
  let eventId: number;
  let now = NOW;

  beforeAll(async () => {
    w = await distributionWorld();
    const db = w.db;
    t = await createTestApp(w.database, { clock: () => now });
    base = await t.listen();
    await createStaffUser(db, 'system', { email: 'spv@dist.test', name: 'Supervisor Kota', role: 'supervisor', password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'admin@dist.test', name: 'Admin Kota', role: 'admin', password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'op@dist.test', name: 'Operator', role: 'operator', password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'viewer@dist.test', name: 'Pemantau', role: 'viewer', password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'spv.b@dist.test', name: 'Supervisor Nongsa', role: 'supervisor', kecamatanId: w.area.kecB, password: PASSWORD });
    const enroll = { programId: w.householdProgramId };
    // kelA1: 4 enrolled (one without a chat), 1 not enrolled; kelA2: 2 enrolled; kelB1: 2 enrolled.
    for (let i = 0; i < 3; i++) await makeHousehold(db, { kelurahanId: w.area.kelA1, enroll, chats: [{}] });
    await makeHousehold(db, { kelurahanId: w.area.kelA1, enroll });
    await makeHousehold(db, { kelurahanId: w.area.kelA1, chats: [{}] });
    for (let i = 0; i < 2; i++) await makeHousehold(db, { kelurahanId: w.area.kelA2, enroll, chats: [{}] });
    for (let i = 0; i < 2; i++) await makeHousehold(db, { kelurahanId: w.area.kelB1, enroll, chats: [{}] });
    ({ eventId } = await makeEvent(db, { programId: w.householdProgramId, title: 'Penyaluran Uji Sagulung', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 50 }] }));
    ({ b: spv } = await signedIn(base, 'spv@dist.test'));
    ({ b: admin } = await signedIn(base, 'admin@dist.test'));
    ({ b: operator } = await signedIn(base, 'op@dist.test'));
    ({ b: spvB } = await signedIn(base, 'spv.b@dist.test'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await w?.dispose();
  });

  const eventCount = async () => (await w.db.select({ n: count() }).from(distributionEvents))[0]!.n;

  it('renders every page for a supervisor and an admin, and answers 403 to an operator', async () => {
    const pages = ['/console/distribution', '/console/distribution/new', `/console/distribution/${eventId}`, `/console/distribution/${eventId}/progress`, `/console/distribution/${eventId}/progress/live`];
    for (const who of [spv, admin]) {
      for (const path of pages) {
        const res = await who.fetch(path);
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
        const html = await res.text();
        if (!path.endsWith('/live')) expect(html).toContain('href="/console/distribution"'); // the nav link "Penyaluran"
      }
      const list = await (await who.fetch('/console/distribution')).text();
      expect(list).toContain('Penyaluran Uji Sagulung');
      expect(list).toContain('Kantor Kelurahan Sungai Binti');
      expect(list).toContain('0 / 50');
    }
    for (const path of pages) expect((await operator.fetch(path)).status, path).toBe(403);
    const home = await (await operator.fetch('/console/distribution')).text();
    expect(home).not.toContain('href="/console/distribution"');
    const csrf = csrfIn(home);
    const before = await eventCount();
    expect((await operator.post('/console/distribution/new', eventForm(csrf, w.siteA, w.householdProgramId))).status).toBe(403);
    expect((await operator.post('/console/distribution/sites', { _csrf: csrf, kecamatanId: String(w.area.kecA), name: 'Aula Operator', address: 'Jl. Operator 1' })).status).toBe(403);
    expect(await eventCount()).toBe(before);
  });

  it('lets a viewer read the pages but not act', async () => {
    const { b: viewer } = await signedIn(base, 'viewer@dist.test');
    const list = await viewer.fetch('/console/distribution');
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('Penyaluran Uji Sagulung');
    expect(html).not.toContain('href="/console/distribution/new"');
    expect(html).not.toContain('action="/console/distribution/sites"');
    const event = await (await viewer.fetch(`/console/distribution/${eventId}`)).text();
    expect(event).toContain('Penyaluran Uji Sagulung');
    expect(event).not.toContain('/invite"');
    expect(event).not.toContain('/cancel"');
    expect((await viewer.fetch(`/console/distribution/${eventId}/progress`)).status).toBe(200);
    expect((await viewer.fetch('/console/distribution/new')).status).toBe(403);
    expect((await viewer.post(`/console/distribution/${eventId}/cancel`, { _csrf: csrfIn(event), reason: 'Pemantau mencoba' })).status).toBe(403);
    expect((await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, eventId)))[0]!.status).toBe('open');
  });

  it('creates a site; a bad one is refused with the form kept', async () => {
    const csrf = csrfIn(await (await admin.fetch('/console/distribution')).text());
    const bad = await admin.post('/console/distribution/sites', { _csrf: csrf, kecamatanId: String(w.area.kecA), name: 'Aula Serbaguna Tembesi', address: 'Jl. Tembesi Raya 2', latitude: '1.05', longitude: '' });
    expect(bad.status).toBe(422);
    const page = await bad.text();
    expect(page).toContain('Lintang dan bujur harus diisi keduanya');
    expect(page).toContain('value="Aula Serbaguna Tembesi"');
    expect((await w.db.select().from(sites).where(eq(sites.name, 'Aula Serbaguna Tembesi'))).length).toBe(0);
    const ok = await admin.post('/console/distribution/sites', { _csrf: csrf, kecamatanId: String(w.area.kecA), kelurahanId: String(w.area.kelA2), name: 'Aula Serbaguna Tembesi', address: 'Jl. Tembesi Raya 2', latitude: '1.05', longitude: '104.01' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/console/distribution?done=site');
    expect((await w.db.select().from(sites).where(eq(sites.name, 'Aula Serbaguna Tembesi'))).length).toBe(1);
  });

  it('refuses an event in the past with the form kept and nothing created; a good one is created', async () => {
    const csrf = csrfIn(await (await spv.fetch('/console/distribution/new')).text());
    const before = await eventCount();
    const past = await spv.post('/console/distribution/new', eventForm(csrf, w.siteA, w.householdProgramId, { date: '2026-11-20', title: 'Penyaluran Terlambat' }));
    expect(past.status).toBe(422);
    const page = await past.text();
    expect(page).toContain('Tanggal atau jam sudah lewat');
    expect(page).toContain('value="Penyaluran Terlambat"');
    expect(page).toContain('value="2026-11-20"');
    expect(page).toMatch(new RegExp(`<option value="${w.siteA}" selected`));
    const noSlot = await spv.post('/console/distribution/new', eventForm(csrf, w.siteA, w.householdProgramId, { site0: '', start0: '', end0: '', capacity0: '' }));
    expect(noSlot.status).toBe(422);
    expect(await noSlot.text()).toContain('paling sedikit satu baris jadwal');
    const badTime = await spv.post('/console/distribution/new', eventForm(csrf, w.siteA, w.householdProgramId, { start0: '12:00', end0: '08:00' }));
    expect(badTime.status).toBe(422);
    expect(await badTime.text()).toContain('Jam selesai harus sesudah jam mulai');
    expect(await eventCount()).toBe(before);

    const ok = await spv.post('/console/distribution/new', eventForm(csrf, w.siteA, w.householdProgramId, { title: 'Penyaluran Baru Konsol', site1: String(w.siteA), start1: '13:00', end1: '15:00', capacity1: '20' }));
    expect(ok.status).toBe(303);
    const id = Number(/\/console\/distribution\/(\d+)\?done=created$/.exec(ok.headers.get('location') ?? '')?.[1]);
    expect(id).toBeGreaterThan(0);
    const shown = await (await spv.fetch(`/console/distribution/${id}?done=created`)).text();
    expect(shown).toContain('Kegiatan penyaluran sudah dibuat');
    expect(shown).toContain('Kamis, 10 Desember 2026');
    expect(shown).toContain('08.00 WIB – 12.00 WIB');
    expect(shown).toContain('0 / 120');
    expect(await eventCount()).toBe(before + 1);
  });

  it('invites exactly as many households as the count showed', async () => {
    const { eventId: id } = await makeEvent(w.db, { programId: w.householdProgramId, title: 'Penyaluran Hitung', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 30 }] });
    const preview = await spv.fetch(`/console/distribution/${id}?preview=1&area=kel:${w.area.kelA1}`);
    expect(preview.status).toBe(200);
    const page = await preview.text();
    const shown = Number(/data-count="(\d+)"/.exec(page)?.[1]);
    expect(shown).toBe(4); // the enrolled households of kelA1, with or without a chat
    expect(page).toContain('4 keluarga akan diundang');
    expect(await w.db.select().from(invitations).where(eq(invitations.eventId, id))).toHaveLength(0); // counting sends nothing

    // The send button carries confirm=1 (the count above is the confirmation).
    expect(page).toMatch(/name="confirm" value="1"/);
    // Posted without it (a replayed or hand-made form): the count is shown again and nobody is invited.
    const unconfirmed = await spv.post(`/console/distribution/${id}/invite`, { _csrf: csrfIn(page), area: `kel:${w.area.kelA1}` });
    expect(unconfirmed.status).toBe(200);
    expect(await unconfirmed.text()).toContain('4 keluarga akan diundang');
    expect(await w.db.select().from(invitations).where(eq(invitations.eventId, id))).toHaveLength(0);

    const sent = await spv.post(`/console/distribution/${id}/invite`, { _csrf: csrfIn(page), area: `kel:${w.area.kelA1}`, confirm: '1' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`/console/distribution/${id}?done=invited&invited=4&withoutChat=1&full=0&chat=3&whatsapp=0&paper=1`);
    expect(await w.db.select().from(invitations).where(eq(invitations.eventId, id))).toHaveLength(shown);
    const done = await (await spv.fetch(sent.headers.get('location')!)).text();
    expect(done).toContain('Undangan dibuat untuk 4 keluarga: 0 lewat WhatsApp, 3 lewat chat, 1 daftar kertas.');

    // Counting again finds nobody left; sending is refused and changes nothing.
    const again = await (await spv.fetch(`/console/distribution/${id}?preview=1&area=kel:${w.area.kelA1}`)).text();
    expect(/data-count="(\d+)"/.exec(again)?.[1]).toBe('0');
    const none = await spv.post(`/console/distribution/${id}/invite`, { _csrf: csrfIn(again), area: `kel:${w.area.kelA1}`, confirm: '1' });
    expect(none.status).toBe(422);
    expect(await w.db.select().from(invitations).where(eq(invitations.eventId, id))).toHaveLength(4);

    // The paper list holds the household without a chat.
    const csv = await spv.fetch(`/console/distribution/${id}/paper.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('kode,alamat');
    // And every invitation, from the link on the event page.
    expect(await (await spv.fetch(`/console/distribution/${id}`)).text()).toContain(`href="/console/distribution/${id}/invitations.csv"`);
    const all = (await (await spv.fetch(`/console/distribution/${id}/invitations.csv`)).text()).trim().split('\r\n');
    expect(all).toHaveLength(5);
    expect(all[0]).toMatch(/^kode,undangan_ke,status/);

    // Progress counts them, per kelurahan.
    const progress = await (await spv.fetch(`/console/distribution/${id}/progress`)).text();
    expect(progress).toMatch(/data-testid="total-invited">4</);
    expect(progress).toMatch(/data-testid="total-reachable">3</);
    expect(progress).toContain('Sungai Binti');
    expect(progress).toContain('<svg');
    expect(progress).toContain(`sse-connect="/console/distribution/${id}/progress/events"`);
  });

  it('requires the CSRF token on every form', async () => {
    const before = await eventCount();
    const noToken = await spv.post('/console/distribution/new', eventForm('', w.siteA, w.householdProgramId));
    expect(noToken.status).toBe(403);
    const wrong = await spv.post('/console/distribution/new', eventForm('not-the-token', w.siteA, w.householdProgramId));
    expect(wrong.status).toBe(403);
    expect(await eventCount()).toBe(before);
    const { eventId: id } = await makeEvent(w.db, { programId: w.householdProgramId, title: 'Penyaluran CSRF', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 30 }] });
    for (const [path, form] of [
      ['invite', { area: '' }],
      ['cancel', { reason: 'Hujan deras sekali' }],
      ['close', {}],
      ['change', { date: '2026-12-11' }],
    ] as const) {
      expect((await spv.post(`/console/distribution/${id}/${path}`, form)).status, path).toBe(403);
    }
    expect((await spv.post('/console/distribution/sites', { kecamatanId: String(w.area.kecA), name: 'Aula Tanpa Token', address: 'Jl. Tanpa Token 1' })).status).toBe(403);
    expect(await w.db.select().from(invitations).where(eq(invitations.eventId, id))).toHaveLength(0);
    const [ev] = await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, id));
    expect(ev!.status).toBe('open');
    expect(ev!.eventDate).toBe(EVENT_DATE);
  });

  it('shows a hostile event title as text', async () => {
    const csrf = csrfIn(await (await spv.fetch('/console/distribution/new')).text());
    const res = await spv.post('/console/distribution/new', eventForm(csrf, w.siteA, w.householdProgramId, { title: XSS }));
    expect(res.status).toBe(303);
    for (const path of [res.headers.get('location')!, '/console/distribution', `${res.headers.get('location')!.split('?')[0]}/progress`]) {
      const html = await (await spv.fetch(path)).text();
      expect(html, path).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html, path).not.toContain('<script>alert(1)');
      expect(html, path).not.toContain('<img src=x');
    }
  });

  it('answers 404 for an event outside the person’s area and changes nothing', async () => {
    for (const path of [`/console/distribution/${eventId}`, `/console/distribution/${eventId}/progress`, `/console/distribution/${eventId}/progress/live`, `/console/distribution/${eventId}/progress/events`, `/console/distribution/${eventId}/paper.csv`, `/console/distribution/${eventId}/invitations.csv`, '/console/distribution/999999']) {
      const res = await spvB.fetch(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('Penyaluran Uji Sagulung');
    }
    const csrf = csrfIn(await (await spvB.fetch('/console/distribution')).text());
    expect((await spvB.post(`/console/distribution/${eventId}/cancel`, { _csrf: csrf, reason: 'Bukan wilayah saya' })).status).toBe(404);
    expect((await spvB.post(`/console/distribution/${eventId}/invite`, { _csrf: csrf, area: '' })).status).toBe(404);
    const [ev] = await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, eventId));
    expect(ev!.status).toBe('open');
    // Nor is it in their list.
    expect(await (await spvB.fetch('/console/distribution')).text()).not.toContain('Penyaluran Uji Sagulung');
  });

  it('decides a kuasa: a rejection needs a note, an approval is recorded', async () => {
    const { eventId: id, slotIds } = await makeEvent(w.db, { programId: w.householdProgramId, title: 'Penyaluran Kuasa', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 30 }] });
    const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId: w.householdProgramId }, chats: [{}] });
    const inv = await makeInvitation(w.db, { eventId: id, householdId: hh.householdId, slotId: slotIds[0]! });
    const [p1] = await w.db.insert(proxies).values({ invitationId: inv.invitationId, name: 'Rahmawati Binti Usman', nik: '2171015203850004', relation: 'spouse', reason: 'at_sea' }).returning({ id: proxies.id });
    const page = await (await spv.fetch(`/console/distribution/${id}`)).text();
    expect(page).toContain('data-testid="proxies"');
    expect(page).not.toContain('Rahmawati Binti Usman'); // masked
    expect(page).not.toContain('2171015203850004');
    expect(page).toContain('Sedang melaut');
    const csrf = csrfIn(page);
    const noNote = await spv.post(`/console/distribution/${id}/proxies/${p1!.id}`, { _csrf: csrf, decision: 'reject', note: '  ' });
    expect(noNote.status).toBe(422);
    expect(await noNote.text()).toContain('Mohon tulis alasan penolakan');
    expect((await w.db.select().from(proxies).where(eq(proxies.id, p1!.id)))[0]!.status).toBe('pending');
    const ok = await spv.post(`/console/distribution/${id}/proxies/${p1!.id}`, { _csrf: csrf, decision: 'approve' });
    expect(ok.status).toBe(303);
    expect((await w.db.select().from(proxies).where(eq(proxies.id, p1!.id)))[0]!.status).toBe('approved');
    const progress = await (await spv.fetch(`/console/distribution/${id}/progress/live`)).text();
    expect(progress).toMatch(/data-testid="total-proxies">1</);
    expect(progress).not.toContain('<html');
  });

  it('cancels with a reason and refuses one without', async () => {
    const { eventId: id, slotIds } = await makeEvent(w.db, { programId: w.householdProgramId, title: 'Penyaluran Batal', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 30 }] });
    const csrf = csrfIn(await (await spv.fetch(`/console/distribution/${id}`)).text());
    const bad = await spv.post(`/console/distribution/${id}/cancel`, { _csrf: csrf, reason: 'x' });
    expect(bad.status).toBe(422);
    expect((await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, id)))[0]!.status).toBe('open');
    await makeInvitation(w.db, { eventId: id, householdId: (await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: [{ language: 'id' }] })).householdId, slotId: slotIds[0]!, status: 'confirmed' });
    await makeInvitation(w.db, { eventId: id, householdId: (await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: [] })).householdId, slotId: slotIds[0]!, status: 'invited' });
    // Without confirm=1: the confirmation with the counts, the reason kept, nothing cancelled or sent.
    const outboxBefore = (await w.db.select().from(outbox)).length;
    const asked = await spv.post(`/console/distribution/${id}/cancel`, { _csrf: csrf, reason: 'Gudang banjir, barang belum siap' });
    expect(asked.status).toBe(200);
    const confirmPage = await asked.text();
    expect(confirmPage).toContain('data-kind="cancel"');
    expect(confirmPage).toContain('2 undangan yang masih berlaku akan dibatalkan.');
    expect(confirmPage).toContain('1 keluarga akan diberi tahu lewat chat atau WhatsApp.');
    expect(confirmPage).toContain('1 keluarga tidak bisa dihubungi');
    expect(confirmPage).toContain('name="reason" value="Gudang banjir, barang belum siap"');
    expect((await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, id)))[0]!.status).toBe('open');
    expect((await w.db.select().from(invitations).where(and(eq(invitations.eventId, id), eq(invitations.status, 'cancelled')))).length).toBe(0);
    expect((await w.db.select().from(outbox)).length).toBe(outboxBefore);
    const ok = await spv.post(`/console/distribution/${id}/cancel`, { _csrf: csrf, reason: 'Gudang banjir, barang belum siap', confirm: '1' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toContain('done=cancelled&cancelled=2&notified=1');
    expect((await w.db.select().from(distributionEvents).where(and(eq(distributionEvents.id, id), eq(distributionEvents.status, 'cancelled')))).length).toBe(1);
  });

  it('moves an event, closes it on its day and summons the no-shows to a later event', async () => {
    const { eventId: first } = await makeEvent(w.db, { programId: w.householdProgramId, title: 'Penyaluran Putaran Satu', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 30 }] });
    const { eventId: later } = await makeEvent(w.db, { programId: w.householdProgramId, title: 'Penyaluran Putaran Dua', date: '2026-12-17', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 30 }] });
    let page = await (await spv.fetch(`/console/distribution/${first}`)).text();
    const csrf = csrfIn(page);
    expect((await spv.post(`/console/distribution/${first}/invite`, { _csrf: csrf, area: `kel:${w.area.kelA2}`, confirm: '1' })).status).toBe(303);

    // Moving: the same date and times change nothing; a new date moves it.
    const same = await spv.post(`/console/distribution/${first}/change`, { _csrf: csrf, date: EVENT_DATE });
    expect(same.status).toBe(422);
    expect(await same.text()).toContain('Tidak ada yang diubah');
    const moved = await spv.post(`/console/distribution/${first}/change`, { _csrf: csrf, date: '2026-12-11' });
    expect(moved.status).toBe(303);
    expect(moved.headers.get('location')).toBe(`/console/distribution/${first}?done=changed&notified=2`);
    const [ev] = await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, first));
    expect(ev!.eventDate).toBe('2026-12-11');
    expect(ev!.status).toBe('moved');

    // Closing before the day is refused; on the day the two households become no-shows.
    const early = await spv.post(`/console/distribution/${first}/close`, { _csrf: csrf });
    expect(early.status).toBe(422);
    expect(await early.text()).toContain('Kegiatan baru bisa ditutup pada atau setelah hari penyaluran');
    now = at('2026-12-11', '17:00');
    try {
      // Asked first: invited, collected, not yet collected; nothing changes until confirmed.
      const asked = await spv.post(`/console/distribution/${first}/close`, { _csrf: csrf });
      expect(asked.status).toBe(200);
      const confirmPage = await asked.text();
      expect(confirmPage).toContain('data-kind="close"');
      expect(confirmPage).toContain('Diundang: 2 keluarga');
      expect(confirmPage).toContain('Sudah mengambil: 0');
      expect(confirmPage).toContain('Belum mengambil: 2');
      expect((await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, first)))[0]!.status).toBe('moved');
      const closed = await spv.post(`/console/distribution/${first}/close`, { _csrf: csrf, confirm: '1' });
      expect(closed.status).toBe(303);
      expect(closed.headers.get('location')).toBe(`/console/distribution/${first}?done=closed&noShows=2`);
      page = await (await spv.fetch(`/console/distribution/${first}`)).text();
      expect(page).toContain('Penyaluran Putaran Dua'); // offered as the next round's event
      expect(page).toContain(`/console/distribution/${first}/follow-up`);
      const askedNext = await spv.post(`/console/distribution/${first}/next-round`, { _csrf: csrf, to: String(later) });
      expect(askedNext.status).toBe(200);
      expect(await askedNext.text()).toContain('2 keluarga akan diundang dan diberi tahu.');
      expect(await w.db.select().from(invitations).where(eq(invitations.eventId, later))).toHaveLength(0);
      const next = await spv.post(`/console/distribution/${first}/next-round`, { _csrf: csrf, to: String(later), confirm: '1' });
      expect(next.status).toBe(303);
      expect(next.headers.get('location')).toContain('done=next_round&invited=2');
      const summoned = await w.db.select().from(invitations).where(eq(invitations.eventId, later));
      expect(summoned.map((i) => i.round)).toEqual([2, 2]);
      const followUp = await spv.fetch(`/console/distribution/${first}/follow-up`);
      expect(followUp.status).toBe(200);
      expect(await followUp.text()).toContain('Tidak ada keluarga yang perlu dikunjungi');
    } finally {
      now = NOW;
    }
  });

  it('streams progress changes to a signed-in reader and speaks English when asked', async () => {
    const ctl = new AbortController();
    const res = await spv.fetch(`/console/distribution/${eventId}/progress/events`, { signal: ctl.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: ready');
    ctl.abort();
    await reader.cancel().catch(() => undefined);

    const en = await (await spv.fetch(`/console/distribution/${eventId}?lang=en`)).text();
    expect(en).toContain('Send invitations');
    expect(en).toContain('Thursday, 10 December 2026');
    await spv.fetch('/console/distribution?lang=id');
  });
});
