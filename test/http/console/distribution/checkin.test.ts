import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, invitations } from '../../../../src/db/schema/index.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { Browser, csrfIn, PASSWORD, signedIn } from '../../../helpers/console.ts';
import { at, distributionWorld, EVENT_DATE, makeEvent, makeHousehold, makeInvitation, type DistributionWorld } from '../../../services/distribution/fixtures.ts';

// The field officer's check-in page over HTTP: where a field officer lands, who may use it, a code looked up
// and confirmed, and each refusal (unknown code, a second check-in, another event's code, no CSRF) told
// plainly with nothing changed.

const unescape = (html: string) => html.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('console check-in page', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let base: string;
  let officer: Browser;
  let eventId: number;
  let otherEventId: number;
  let codes: { invitationId: number; code: string }[];
  let otherCode: string;
  const now = at(EVENT_DATE, '08:30');

  beforeAll(async () => {
    w = await distributionWorld();
    t = await createTestApp(w.database, { clock: () => now });
    base = await t.listen();
    await createStaffUser(w.db, 'system', { email: 'lapangan@ci.test', name: 'Petugas Lapangan', role: 'field_officer', kecamatanId: w.area.kecA, password: PASSWORD });
    await createStaffUser(w.db, 'system', { email: 'op@ci.test', name: 'Operator', role: 'operator', password: PASSWORD });
    const ev = await makeEvent(w.db, { programId: w.householdProgramId, title: 'Penyaluran Sungai Binti', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 10 }] });
    eventId = ev.eventId;
    const other = await makeEvent(w.db, { programId: w.householdProgramId, title: 'Penyaluran Tembesi', slots: [{ siteId: w.siteA, start: '13:00', end: '15:00', capacity: 10 }] });
    otherEventId = other.eventId;
    codes = [];
    for (let i = 0; i < 2; i++) {
      const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId: w.householdProgramId }, chats: [{}] });
      codes.push(await makeInvitation(w.db, { eventId, householdId: hh.householdId, slotId: ev.slotIds[0]!, status: 'confirmed' }));
    }
    const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId: w.householdProgramId } });
    otherCode = (await makeInvitation(w.db, { eventId: otherEventId, householdId: hh.householdId, slotId: other.slotIds[0]! })).code;
    const signed = await signedIn(base, 'lapangan@ci.test');
    officer = signed.b;
    expect(signed.location).toBe('/console/checkin'); // a field officer lands on check-in, not on the complaint inbox
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await w?.dispose();
  });

  const page = async (path = `/console/checkin?event=${eventId}&site=${w.siteA}`) => {
    const res = await officer.fetch(path);
    expect(res.status).toBe(200);
    return res.text();
  };
  const statusOf = async (invitationId: number) => (await w.db.select().from(invitations).where(eq(invitations.id, invitationId)))[0]!.status;

  it('is the field officer\'s page; an operator gets 403 and no menu link', async () => {
    const html = await page('/console/checkin');
    expect(html).toContain('Penyaluran Sungai Binti'); // today's event is offered
    expect(html).toContain('href="/console/checkin"');
    expect(html).not.toContain('href="/console/complaints"');
    const op = (await signedIn(base, 'op@ci.test')).b;
    expect((await op.fetch('/console/checkin')).status).toBe(403);
    expect(await (await op.fetch('/console/complaints')).text()).not.toContain('href="/console/checkin"');
  });

  it('looks a code up (typed in lower case with spaces), shows the masked identity, and records the collection', async () => {
    const html = await page();
    const typed = ` ${codes[0]!.code.toLowerCase().slice(0, 4)} ${codes[0]!.code.toLowerCase().slice(4)} `;
    const found = await officer.post('/console/checkin/lookup', { _csrf: csrfIn(html), event: String(eventId), site: String(w.siteA), code: typed });
    expect(found.status).toBe(200);
    const shown = unescape(await found.text());
    expect(shown).toMatch(/data-testid="lookup"/);
    expect(shown).toMatch(/\*/); // the head's name and NIK are masked
    expect(await statusOf(codes[0]!.invitationId)).toBe('confirmed'); // looking changes nothing
    const [read] = await w.db.select().from(auditLog).where(eq(auditLog.action, 'invitation.lookup'));
    expect(read).toBeDefined();

    const done = await officer.post('/console/checkin/confirm', { _csrf: csrfIn(shown), event: String(eventId), site: String(w.siteA), code: codes[0]!.code });
    expect(done.status).toBe(200);
    const doneText = unescape(await done.text());
    expect(doneText.match(/Tercatat[^<]*/)?.[0]).toMatch(/Tercatat: kode [A-Z0-9-]+ diambil pukul 08\.30/);
    expect(await statusOf(codes[0]!.invitationId)).toBe('collected');
  });

  it('refuses a second check-in with when, where and by whom, and changes nothing', async () => {
    const html = await page();
    const again = await officer.post('/console/checkin/confirm', { _csrf: csrfIn(html), event: String(eventId), site: String(w.siteA), code: codes[0]!.code });
    expect(again.status).toBe(409);
    const text = unescape(await again.text());
    expect(text).toContain('Sudah diambil pada');
    expect(text).toContain('Petugas Lapangan');
    expect(text).toMatch(/Jangan serahkan bantuan lagi/);
  });

  it('refuses an unknown code and another event\'s code clearly, and a post without CSRF', async () => {
    const html = await page();
    const unknown = await officer.post('/console/checkin/lookup', { _csrf: csrfIn(html), event: String(eventId), site: String(w.siteA), code: 'ZZZZ-ZZZZ' });
    expect(unknown.status).toBe(404);
    expect(unescape(await unknown.text())).toContain('Kode tidak ditemukan');

    const other = await officer.post('/console/checkin/confirm', { _csrf: csrfIn(html), event: String(eventId), site: String(w.siteA), code: otherCode });
    expect(other.status).toBe(422);
    expect(unescape(await other.text())).toContain('untuk kegiatan penyaluran lain');

    const forged = await officer.post('/console/checkin/confirm', { event: String(eventId), site: String(w.siteA), code: codes[1]!.code });
    expect(forged.status).toBe(403);
    expect(await statusOf(codes[1]!.invitationId)).toBe('confirmed');
  });
});
