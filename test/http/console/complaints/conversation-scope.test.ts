import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaints, contacts, households, kelurahan, members } from '../../../../src/db/schema/index.ts';
import { seedDemoCity } from '../../../../src/services/seed/index.ts';
import { createApiToken } from '../../../../src/services/staff/api-tokens.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, postJson, type TestApp } from '../../../helpers/app.ts';
import { Browser, PASSWORD, signedIn } from '../../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { cookieFor, externalIdOf } from '../../../helpers/webchat.ts';
import { kecamatanId, staff } from '../../../services/complaints/lifecycle.fixtures.ts';

// Issue 15, measured: complaint and handover pages showed the resident's whole chat, so a Sagulung operator
// opening a resident's ordinary complaint read the same resident's anonymous sanggahan and its number. Here one
// verified resident of Sagulung files a named report and then an anonymous sanggahan on the web chat, the
// officer answers the sanggahan, and the resident asks for an officer. Each page shows its own case only.

const NAME = 'BUDI HARTONO';
const NIK = '2171111506800007';
const ORDINARY = 'Antrean di kantor kelurahan sangat lama';
const ACCUSED = 'Pak Joko di RT 03 Tembesi';
const REASON = 'Rumahnya besar dan punya dua mobil';
const HANDOVER = 'Saya mau tanya jadwal pencairan';

const conversationOf = (page: string) => /data-testid="conversation">([\s\S]*?)<\/ol><\/div>/.exec(page)?.[1];

describe('console: one case per page', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let chatId: string;
  let ordinary: { id: number; trackingId: string };
  let anonymous: { id: number; trackingId: string };
  let contactId: number;
  let apiToken: string;

  const say = async (message: { text: string } | { choice: string }) => {
    const res = await postJson(t.app, '/webchat/messages', message, { cookie: cookieFor(chatId) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 5 });
    t = await createTestApp(database);
    base = await t.listen();
    const db = database.db;
    const sagulung = await kecamatanId(db, 'Sagulung');
    await createStaffUser(db, 'system', { email: 'op.sagulung@scope.test', name: 'Operator Sagulung', role: 'operator', kecamatanId: sagulung, password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'admin@scope.test', name: 'Admin Kota', role: 'admin', password: PASSWORD });
    apiToken = (await createApiToken(db, await staff(db, 'admin'), { name: 'integrasi sagulung', role: 'supervisor', kecamatanId: sagulung })).token;

    // A registry family of Tembesi, Sagulung.
    const [tembesi] = await db.select({ id: kelurahan.id }).from(kelurahan).where(eq(kelurahan.name, 'Tembesi'));
    const [hh] = await db.insert(households).values({ noKk: '2171110101097777', address: 'Jl. Tembesi Raya 7', kelurahanId: tembesi!.id, desil: 3, source: 'test' }).returning({ id: households.id });
    const [m] = await db.insert(members).values({ householdId: hh!.id, nik: NIK, name: NAME, birthDate: '1980-06-15', sex: 'L', relationship: 'kepala' }).returning({ id: members.id });

    // The resident greets the bot, and is verified as that member.
    chatId = 'scope-chat-0001';
    await say({ text: 'halo' });
    await say({ choice: 'id' });
    const [c] = await db.select().from(contacts).where(and(eq(contacts.channel, 'webchat'), eq(contacts.externalId, externalIdOf(chatId))));
    contactId = c!.id;
    await db.update(contacts).set({ memberId: m!.id, verifiedAt: new Date() }).where(eq(contacts.id, contactId));

    // A named report about the service at the kelurahan office.
    await say({ choice: 'complaint' });
    await say({ choice: 'service' });
    await say({ text: ORDINARY });
    await say({ text: 'Kantor Kelurahan Tembesi' });
    await say({ choice: 'skip' });
    await say({ choice: 'send' });
    // Then an anonymous sanggahan about a neighbour.
    await say({ choice: 'complaint' });
    await say({ choice: 'sanggahan' });
    await say({ choice: 'yes' });
    await say({ text: ACCUSED });
    await say({ choice: 'unknown' });
    await say({ text: REASON });
    await say({ choice: 'skip' });
    const sent = await say({ choice: 'send' });
    const filed = await db.select({ id: complaints.id, trackingId: complaints.trackingId, anonymous: complaints.anonymous, kecamatanId: complaints.kecamatanId }).from(complaints).where(eq(complaints.contactId, contactId)).orderBy(asc(complaints.id));
    expect(filed.map((f) => [f.anonymous, f.kecamatanId])).toEqual([
      [false, sagulung],
      [true, sagulung],
    ]);
    ordinary = filed[0]!;
    anonymous = filed[1]!;
    expect(sent).toContain(anonymous.trackingId);

    // The officer answers the sanggahan: that answer, with its number, goes to the same chat.
    const op = new Browser(base);
    const { csrf } = await signedIn(op, 'op.sagulung@scope.test');
    expect((await op.post(`/console/complaints/${anonymous.id}/verify`, { _csrf: csrf })).status).toBe(303);
    expect((await op.post(`/console/complaints/${anonymous.id}/reply`, { _csrf: csrf, text: 'Laporan {{nomor_tiket}} sedang kami periksa.' })).status).toBe(303);

    // And the resident asks for an officer.
    await say({ text: 'petugas' });
    await say({ text: HANDOVER });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it("shows an ordinary complaint's own dialogue, never the same resident's anonymous sanggahan", async () => {
    const b = new Browser(base);
    await signedIn(b, 'op.sagulung@scope.test');
    for (const path of [`/console/complaints/${ordinary.id}`, `/console/complaints/${ordinary.id}/live`]) {
      const res = await b.fetch(path);
      expect(res.status).toBe(200);
      const page = await res.text();
      const conversation = conversationOf(page);
      expect(conversation).toContain(ORDINARY);
      expect(conversation).toContain(ordinary.trackingId); // the bot's confirmation
      for (const other of [anonymous.trackingId, ACCUSED, REASON, HANDOVER]) expect(page).not.toContain(other);
    }
  });

  it('shows the sanggahan only its own dialogue, and only to whoever may reveal its reporter', async () => {
    const op = new Browser(base);
    await signedIn(op, 'op.sagulung@scope.test');
    const hidden = await (await op.fetch(`/console/complaints/${anonymous.id}`)).text();
    expect(conversationOf(hidden)).toBeUndefined();
    expect(hidden).not.toContain(ordinary.trackingId);
    expect(hidden).not.toContain(ORDINARY);

    const admin = new Browser(base);
    await signedIn(admin, 'admin@scope.test');
    const page = await (await admin.fetch(`/console/complaints/${anonymous.id}`)).text();
    const conversation = conversationOf(page);
    expect(conversation).toContain(ACCUSED);
    expect(conversation).toContain(`Laporan ${anonymous.trackingId} sedang kami periksa.`);
    for (const other of [ordinary.trackingId, ORDINARY, HANDOVER]) expect(page).not.toContain(other);
  });

  it('shows a handover from the request on, without the reports before it', async () => {
    const b = new Browser(base);
    await signedIn(b, 'op.sagulung@scope.test');
    expect(await (await b.fetch('/console/handovers')).text()).toContain(`/console/handovers/${contactId}`);
    const res = await b.fetch(`/console/handovers/${contactId}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(HANDOVER);
    expect(page).toContain('petugas');
    for (const other of [anonymous.trackingId, ACCUSED, REASON, ordinary.trackingId, ORDINARY]) expect(page).not.toContain(other);
  });

  it('keeps the reporter out of the API answers and the export, and each case out of the other', async () => {
    const api = (path: string) => t.app.request(path, { headers: { authorization: `Bearer ${apiToken}` } });
    const anon = await api(`/api/v1/complaints/${anonymous.id}`);
    expect(anon.status).toBe(200);
    const anonBody = await anon.text();
    const view = JSON.parse(anonBody) as Record<string, unknown>;
    expect(view.reporter).toEqual({ hidden: true });
    expect(view).not.toHaveProperty('contactId');
    expect(view).not.toHaveProperty('memberId');
    for (const who of [NAME, 'B*** H******', NIK, externalIdOf(chatId), ordinary.trackingId]) expect(anonBody).not.toContain(who);

    const named = await (await api(`/api/v1/complaints/${ordinary.id}`)).text();
    for (const other of [anonymous.trackingId, ACCUSED, REASON]) expect(named).not.toContain(other);

    for (const path of ['/api/v1/complaints.csv', '/api/v1/complaints']) {
      const res = await api(path);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain(anonymous.trackingId);
      for (const who of [NAME, 'B*** H******', NIK, externalIdOf(chatId)]) expect(body).not.toContain(who);
    }
  });
});
