import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, cannedResponses, complaintEvents, contacts, households, members, messages, outbox, staffUsers } from '../../../../src/db/schema/index.ts';
import { seedDemoCity } from '../../../../src/services/seed/index.ts';
import { assignComplaint, residentReplied } from '../../../../src/services/complaints/lifecycle.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import type { Actor } from '../../../../src/services/actor.ts';
import { createTestApp, postJson, type TestApp } from '../../../helpers/app.ts';
import { cookieFor, externalIdOf } from '../../../helpers/webchat.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { Browser, PASSWORD, signedIn } from '../../../helpers/console.ts';
import { EventReader } from '../../../helpers/sse.ts';
import { complaintRow, contact, file, kecamatanId } from '../../../services/complaints/lifecycle.fixtures.ts';

// The complaint page's newer parts through the real app over HTTP: the SSE stream that tells an open page
// to refresh, the live fragment, canned replies filled on send, the resident's conversation, the audited
// reveal of the reporter and the SP4N-LAPOR! export.

const MEMBER_NAME = 'SITI AMINAH';
const MEMBER_NIK = '2171109912850001';
const OFFICER = 'Rina Wulandari';

/** What hono/jsx makes of text inside an element. */
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const textareaOf = (page: string) => /<textarea id="reply-text"[^>]*>([\s\S]*?)<\/textarea>/.exec(page)?.[1];

describe('console: the live complaint page', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let sagulung: number;
  let opId: number;
  let adminId: number;
  let memberId: number;
  let status: (s: string) => string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 20 });
    t = await createTestApp(database);
    base = await t.listen();
    const db = database.db;
    const tr = t.deps.i18n.getFixedT('id');
    status = (s) => tr(`console:status.${s}`);
    sagulung = await kecamatanId(db, 'Sagulung');
    const nongsa = await kecamatanId(db, 'Nongsa');
    opId = (await createStaffUser(db, 'system', { email: 'op.sagulung@pintu.test', name: OFFICER, role: 'operator', kecamatanId: sagulung, password: PASSWORD })).id;
    await createStaffUser(db, 'system', { email: 'op2.sagulung@pintu.test', name: 'Operator Dua', role: 'operator', kecamatanId: sagulung, password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'op.nongsa@pintu.test', name: 'Operator Nongsa', role: 'operator', kecamatanId: nongsa, password: PASSWORD });
    adminId = (await createStaffUser(db, 'system', { email: 'admin@pintu.test', name: 'Admin Kota', role: 'admin', password: PASSWORD })).id;
    const [hh] = await db.select({ id: households.id }).from(households).orderBy(asc(households.id)).limit(1);
    const [m] = await db
      .insert(members)
      .values({ householdId: hh!.id, nik: MEMBER_NIK, name: MEMBER_NAME, birthDate: '1985-12-12', sex: 'P', relationship: 'istri' })
      .returning({ id: members.id });
    memberId = m!.id;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  const say = async (chatId: string, message: { text: string } | { choice: string }) => {
    const res = await postJson(t.app, '/webchat/messages', message, { cookie: cookieFor(chatId) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { replies: { text: string }[] }).replies;
  };
  /** A resident on the web chat who greeted the bot and chose Bahasa Indonesia: the bot now waits at its menu. */
  const webchatResident = async (chatId: string, greeting = 'halo') => {
    await say(chatId, { text: greeting });
    await say(chatId, { choice: 'id' });
    const [c] = await database.db.select().from(contacts).where(and(eq(contacts.channel, 'webchat'), eq(contacts.externalId, externalIdOf(chatId))));
    expect(c!.language).toBe('id');
    return c!;
  };
  /** Verifies (and optionally answers) through the console, as the operator would. */
  const work = async (b: Browser, csrf: string, id: number, reply?: string) => {
    expect((await b.post(`/console/complaints/${id}/verify`, { _csrf: csrf })).status).toBe(303);
    if (reply !== undefined) expect((await b.post(`/console/complaints/${id}/reply`, { _csrf: csrf, text: reply })).status).toBe(303);
  };
  const audits = (action: string, complaintId: number) =>
    database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entity, 'complaint'), eq(auditLog.entityId, String(complaintId))));
  const openEvents = async (b: Browser, id: number, controller: AbortController) => {
    const res = await b.fetch(`/console/complaints/${id}/events`, { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    return new EventReader(res);
  };

  describe('live updates', () => {
    it('says `ready`, then `changed` when the resident writes on the web chat; the fragment shows the new message', async () => {
      const db = database.db;
      const chatId = 'live-chat-0001';
      const resident = await webchatResident(chatId);
      const filed = await file(db, { contactId: resident.id, kecamatanId: sagulung, now: new Date(), summary: 'Bantuan PKH bulan ini belum masuk' });
      const b = new Browser(base);
      const { csrf } = await signedIn(b, 'op.sagulung@pintu.test');
      await work(b, csrf, filed.id, 'Mohon kirim foto kartu keluarga.');
      expect((await complaintRow(db, filed.id)).status).toBe('answered');

      const page = await (await b.fetch(`/console/complaints/${filed.id}`)).text();
      expect(page).toContain(`sse-connect="/console/complaints/${filed.id}/events"`);
      expect(page).toContain(`hx-get="/console/complaints/${filed.id}/live"`);

      const controller = new AbortController();
      try {
        const events = await openEvents(b, filed.id, controller);
        expect(await events.until('ready')).toEqual(['ready']);

        const replies = await say(chatId, { text: 'Foto sudah saya titipkan ke kelurahan kemarin sore' });
        expect(replies.map((r) => r.text).join('\n')).toContain(filed.trackingId); // the bot says it went to the officer
        expect(await events.until('changed')).toContain('changed');
      } finally {
        controller.abort();
      }
      expect((await complaintRow(db, filed.id)).status).toBe('reopened');

      const live = await b.fetch(`/console/complaints/${filed.id}/live`);
      expect(live.status).toBe(200);
      const fragment = await live.text();
      expect(fragment.startsWith('<div id="flash"')).toBe(true);
      expect(fragment).toContain('id="live-thread"');
      expect(fragment).not.toContain('<html');
      expect(fragment).toContain(`<dd data-testid="status">${status('reopened')}</dd>`);
      const conversation = /data-testid="conversation">([\s\S]*?)<\/ol><\/div>/.exec(fragment)?.[1] ?? '';
      expect(conversation).toContain('Foto sudah saya titipkan ke kelurahan kemarin sore');
      expect(conversation).toContain('Mohon kirim foto kartu keluarga.');
      const history = /data-testid="events">([\s\S]*?)<\/ol>/.exec(fragment)?.[1] ?? '';
      expect(history).toContain('Foto sudah saya titipkan ke kelurahan kemarin sore');
    });

    it('says `changed` when another process records the resident\'s answer', async () => {
      const db = database.db;
      const contactId = await contact(db, { channel: 'telegram', language: 'id' });
      const filed = await file(db, { contactId, kecamatanId: sagulung, now: new Date() });
      const b = new Browser(base);
      const { csrf } = await signedIn(b, 'op.sagulung@pintu.test');
      await work(b, csrf, filed.id, 'Data Bapak/Ibu sedang kami periksa.');
      const controller = new AbortController();
      try {
        const events = await openEvents(b, filed.id, controller);
        expect(await events.until('ready')).toEqual(['ready']);
        const joined = await residentReplied(db, { contactId, text: 'Baik, tapi dananya belum masuk', now: new Date() });
        expect(joined).toMatchObject({ complaintId: filed.id, reopened: true });
        expect(await events.until('changed')).toContain('changed');
      } finally {
        controller.abort();
      }
      const fragment = await (await b.fetch(`/console/complaints/${filed.id}/live`)).text();
      expect(fragment).toContain('Baik, tapi dananya belum masuk');
    });

    it('ends the stream once the complaint goes to another officer and leaves the operator\'s view', async () => {
      const db = database.db;
      const contactId = await contact(db, { channel: 'webchat' });
      const filed = await file(db, { contactId, kecamatanId: sagulung, now: new Date() });
      const b = new Browser(base);
      await signedIn(b, 'op.sagulung@pintu.test');
      const controller = new AbortController();
      try {
        const events = await openEvents(b, filed.id, controller);
        expect(await events.until('ready')).toEqual(['ready']);
        expect((await complaintRow(db, filed.id)).assigneeId).toBeNull();
        const admin: Actor = { kind: 'staff', id: adminId, role: 'admin', kecamatanId: null, bidang: null, ip: '10.0.0.1' };
        const [op2] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, 'op2.sagulung@pintu.test'));
        expect(await assignComplaint(db, admin, filed.id, op2!.id)).toMatchObject({ ok: true });
        await events.until('never', 10_000);
        expect(events.closed).toBe(true);
      } finally {
        controller.abort();
      }
      expect((await b.fetch(`/console/complaints/${filed.id}/live`)).status).toBe(404);
    });

    it('answers 404 for the stream and the fragment of a complaint out of scope or that does not exist', async () => {
      const db = database.db;
      const contactId = await contact(db, { channel: 'webchat' });
      const filed = await file(db, { contactId, kecamatanId: sagulung, now: new Date(), summary: 'Rahasia Sagulung' });
      const nongsa = new Browser(base);
      await signedIn(nongsa, 'op.nongsa@pintu.test');
      for (const path of [`/console/complaints/${filed.id}/events`, `/console/complaints/${filed.id}/live`]) {
        const res = await nongsa.fetch(path);
        expect(res.status, path).toBe(404);
        expect(res.headers.get('content-type') ?? '', path).not.toContain('text/event-stream');
        expect(await res.text(), path).not.toContain('Rahasia Sagulung');
      }
      const sagulungOp = new Browser(base);
      await signedIn(sagulungOp, 'op.sagulung@pintu.test');
      for (const path of ['/console/complaints/999999999/events', '/console/complaints/999999999/live', '/console/complaints/abc/events', '/console/complaints/0/live']) {
        const res = await sagulungOp.fetch(path);
        expect(res.status, path).toBe(404);
        expect(res.headers.get('content-type') ?? '', path).not.toContain('text/event-stream');
      }
      // In scope, the same paths answer.
      expect((await sagulungOp.fetch(`/console/complaints/${filed.id}/live`)).status).toBe(200);
      // Without a session: the login page, not a stream.
      const stranger = await new Browser(base).fetch(`/console/complaints/${filed.id}/events`);
      expect(stranger.status).toBe(303);
      expect(stranger.headers.get('location')).toBe('/console/login');
    });
  });

  describe('canned responses and the conversation', () => {
    const ID_BODY = 'Yth. Bapak/Ibu {{nama}}, laporan {{nomor_tiket}} di Kecamatan {{kecamatan}} sedang kami proses. <Salam> & hormat, {{petugas}}';
    const EN_BODY = 'Dear Sir/Madam {{nama}}, report {{nomor_tiket}} in {{kecamatan}} is being handled. Regards, {{petugas}}';
    let idCanned: number;
    let enCanned: number;
    let named: { id: number; trackingId: string; contactId: number };
    let english: { id: number; trackingId: string; contactId: number };

    beforeAll(async () => {
      const db = database.db;
      const rows = await db
        .insert(cannedResponses)
        .values([
          { title: 'Sapaan laporan diproses', language: 'id', body: ID_BODY },
          { title: 'Greeting report in progress', language: 'en', body: EN_BODY },
        ])
        .returning({ id: cannedResponses.id });
      idCanned = rows[0]!.id;
      enCanned = rows[1]!.id;
      const resident = await webchatResident('canned-chat-0001', 'halo selamat pagi');
      const a = await file(db, { contactId: resident.id, kecamatanId: sagulung, now: new Date(), memberId });
      named = { id: a.id, trackingId: a.trackingId, contactId: resident.id };
      const enContact = await contact(db, { channel: 'webchat', language: 'en' });
      const b = await file(db, { contactId: enContact, kecamatanId: sagulung, now: new Date() });
      english = { id: b.id, trackingId: b.trackingId, contactId: enContact };
      const op = new Browser(base);
      const { csrf } = await signedIn(op, 'op.sagulung@pintu.test');
      await work(op, csrf, named.id);
      await work(op, csrf, english.id);
    });

    it('offers only the canned responses in the resident\'s language and puts the picked one, escaped, in the reply box', async () => {
      const b = new Browser(base);
      await signedIn(b, 'op.sagulung@pintu.test');
      const idPage = await (await b.fetch(`/console/complaints/${named.id}`)).text();
      expect(idPage).toContain('Sapaan laporan diproses');
      expect(idPage).not.toContain('Greeting report in progress');
      expect(textareaOf(idPage)).toBe('');

      const picked = await b.fetch(`/console/complaints/${named.id}?canned=${idCanned}`);
      expect(picked.status).toBe(200);
      const pickedPage = await picked.text();
      expect(textareaOf(pickedPage)).toBe(html(ID_BODY));
      expect(pickedPage).toContain('&lt;Salam&gt; &amp; hormat');
      expect(pickedPage).toMatch(new RegExp(`<option value="${idCanned}" selected(="")?>`));
      // The English one is not offered to this resident, even by its id.
      expect(textareaOf(await (await b.fetch(`/console/complaints/${named.id}?canned=${enCanned}`)).text())).toBe('');

      const enPage = await (await b.fetch(`/console/complaints/${english.id}`)).text();
      expect(enPage).toContain('Greeting report in progress');
      expect(enPage).not.toContain('Sapaan laporan diproses');
      expect(textareaOf(await (await b.fetch(`/console/complaints/${english.id}?canned=${enCanned}`)).text())).toBe(html(EN_BODY));
      expect(textareaOf(await (await b.fetch(`/console/complaints/${english.id}?canned=${idCanned}`)).text())).toBe('');
    });

    it('refuses a reply with an unknown placeholder, keeps the draft, queues nothing and changes no status', async () => {
      const db = database.db;
      const b = new Browser(base);
      const { csrf } = await signedIn(b, 'op.sagulung@pintu.test');
      const draft = 'Yth. Bapak/Ibu {{nmaa}}, laporan Anda kami proses.';
      const res = await b.post(`/console/complaints/${named.id}/reply`, { _csrf: csrf, text: draft });
      expect(res.status).toBe(422);
      const page = await res.text();
      expect(page).toContain('Balasan memuat isian yang tidak dikenal. Perbaiki dulu sebelum dikirim.');
      expect(page).toContain('{{nama}}, {{nomor_tiket}}, {{kecamatan}}, {{petugas}}');
      expect(textareaOf(page)).toBe(html(draft));
      expect(await db.select().from(outbox).where(eq(outbox.contactId, named.contactId))).toEqual([]);
      expect((await complaintRow(db, named.id)).status).toBe('verified');
      const out = await db.select().from(complaintEvents).where(and(eq(complaintEvents.complaintId, named.id), eq(complaintEvents.kind, 'message_out')));
      expect(out).toEqual([]);
    });

    it('fills the placeholders in what the resident receives; the history keeps the template', async () => {
      const db = database.db;
      const b = new Browser(base);
      const { csrf } = await signedIn(b, 'op.sagulung@pintu.test');
      const res = await b.post(`/console/complaints/${named.id}/reply`, { _csrf: csrf, text: ID_BODY });
      expect(res.status).toBe(303);
      const queued = await db.select().from(outbox).where(eq(outbox.contactId, named.contactId));
      expect(queued.map((r) => (r.payload as { text: string }).text)).toEqual([
        `Yth. Bapak/Ibu Siti Aminah, laporan ${named.trackingId} di Kecamatan Sagulung sedang kami proses. <Salam> & hormat, ${OFFICER}`,
      ]);
      const out = await db.select().from(complaintEvents).where(and(eq(complaintEvents.complaintId, named.id), eq(complaintEvents.kind, 'message_out')));
      expect(out.map((e) => e.body)).toEqual([ID_BODY]);
      expect((await complaintRow(db, named.id)).status).toBe('answered');
    });

    it('leaves an unknown name out cleanly: "Sir/Madam {{nama}}," becomes "Sir/Madam,"', async () => {
      const db = database.db;
      const b = new Browser(base);
      const { csrf } = await signedIn(b, 'op.sagulung@pintu.test');
      expect((await b.post(`/console/complaints/${english.id}/reply`, { _csrf: csrf, text: EN_BODY })).status).toBe(303);
      const queued = await db.select().from(outbox).where(eq(outbox.contactId, english.contactId));
      expect(queued.map((r) => (r.payload as { text: string }).text)).toEqual([
        `Dear Sir/Madam, report ${english.trackingId} in Sagulung is being handled. Regards, ${OFFICER}`,
      ]);
    });

    it('shows the complaint\'s own messages, with the registry name in an officer\'s reply masked', async () => {
      const b = new Browser(base);
      await signedIn(b, 'op.sagulung@pintu.test');
      const res = await b.fetch(`/console/complaints/${named.id}`);
      expect(res.status).toBe(200);
      const page = await res.text();
      const conversation = /data-testid="conversation">([\s\S]*?)<\/ol><\/div>/.exec(page)?.[1];
      expect(conversation).toBeDefined();
      // The chat before the report is not part of it (issue 15): only this case's messages are.
      expect(conversation).not.toContain('halo selamat pagi');
      expect(conversation).toContain(`Yth. Bapak/Ibu S*** A****, laporan ${named.trackingId} di Kecamatan Sagulung`);
      expect(conversation).toContain(OFFICER);
      expect(page).not.toMatch(/siti\s+aminah/i);
      expect(page).not.toContain(MEMBER_NIK);
      // Another resident's chat is not part of it.
      expect(conversation).not.toContain(english.trackingId);
    });
  });

  describe('names filled into a reply', () => {
    it('writes a registry name with an apostrophe the Indonesian way, and masks it in the conversation', async () => {
      const db = database.db;
      const [hh] = await db.select({ id: households.id }).from(households).orderBy(asc(households.id)).limit(1);
      const [m] = await db
        .insert(members)
        .values({ householdId: hh!.id, nik: '2171101507800002', name: "MUHAMMAD SYAFI'I", birthDate: '1980-07-15', sex: 'L', relationship: 'kepala' })
        .returning({ id: members.id });
      const contactId = await contact(db, { channel: 'webchat', language: 'id' });
      const filed = await file(db, { contactId, kecamatanId: sagulung, now: new Date(), memberId: m!.id });
      const b = new Browser(base);
      const { csrf } = await signedIn(b, 'op.sagulung@pintu.test');
      await work(b, csrf, filed.id, 'Yth. Bapak/Ibu {{nama}}, data Bapak/Ibu sudah kami cek.');
      const [queued] = await db.select().from(outbox).where(eq(outbox.contactId, contactId));
      expect((queued!.payload as { text: string }).text).toBe("Rina Wulandari, petugas Dinas Sosial:\nYth. Bapak/Ibu Muhammad Syafi'i, data Bapak/Ibu sudah kami cek."); // signed: the resident sees who answers
      const page = await (await b.fetch(`/console/complaints/${filed.id}`)).text();
      expect(/data-testid="conversation">([\s\S]*?)<\/ol><\/div>/.exec(page)?.[1]).toContain('Yth. Bapak/Ibu M**** S****, data');
      expect(page).not.toMatch(/syafi/i);
    });

    // {{nama}} falls back to the chat's display name before verification; the conversation masks that too.
    it('masks a chat display name filled in for {{nama}} when the reporter is not in the registry', async () => {
      const db = database.db;
      const contactId = await contact(db, { channel: 'telegram', language: 'id', displayName: 'Budi Santoso' });
      const filed = await file(db, { contactId, kecamatanId: sagulung, now: new Date() });
      const b = new Browser(base);
      const { csrf } = await signedIn(b, 'op.sagulung@pintu.test');
      await work(b, csrf, filed.id, 'Yth. Bapak/Ibu {{nama}}, laporan Anda kami proses.');
      const [queued] = await db.select().from(outbox).where(eq(outbox.contactId, contactId));
      expect((queued!.payload as { text: string }).text).toBe('Rina Wulandari, petugas Dinas Sosial:\nYth. Bapak/Ibu Budi Santoso, laporan Anda kami proses.');
      const page = await (await b.fetch(`/console/complaints/${filed.id}`)).text();
      expect(page).toContain('B*** S****'); // the reporter, as the facts show it
      expect(page).not.toContain('Budi Santoso');
    });
  });

  describe('the reporter: audited reveal and the SP4N-LAPOR! export', () => {
    let namedId: number;
    let namedTracking: string;
    let anonymousId: number;

    beforeAll(async () => {
      const db = database.db;
      const a = await file(db, { contactId: await contact(db, { channel: 'webchat', displayName: 'Siti di WA' }), kecamatanId: sagulung, now: new Date(), memberId, summary: 'Nama saya tidak ada di daftar' });
      namedId = a.id;
      namedTracking = a.trackingId;
      const resident = await webchatResident('anon-chat-0001', 'halo, ini soal tetangga saya');
      // The report began with the resident's first message, as if the complaint flow had filed it from there.
      const [first] = await db.select({ id: messages.id }).from(messages).where(eq(messages.contactId, resident.id)).orderBy(asc(messages.id)).limit(1);
      const b = await file(db, { contactId: resident.id, kecamatanId: sagulung, now: new Date(), memberId, anonymous: true, summary: 'Penerima tidak layak di RT 03', conversationFrom: first!.id });
      anonymousId = b.id;
    });

    it('shows an operator the full name and NIK after a reveal with the form token, and audits it', async () => {
      const b = new Browser(base);
      const { csrf } = await signedIn(b, 'op.sagulung@pintu.test');
      const page = await (await b.fetch(`/console/complaints/${namedId}`)).text();
      expect(page).toContain(`action="/console/complaints/${namedId}/reveal"`);
      expect(page).not.toContain('data-testid="revealed"');
      expect(page).not.toContain(MEMBER_NAME);

      const forged = await b.post(`/console/complaints/${namedId}/reveal`, {});
      expect(forged.status).toBe(403);
      expect(await forged.text()).not.toContain(MEMBER_NIK);
      expect(await audits('complaint.reveal_reporter', namedId)).toEqual([]);

      const res = await b.post(`/console/complaints/${namedId}/reveal`, { _csrf: csrf });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const revealed = /data-testid="revealed">([\s\S]*?)<\/dl>/.exec(await res.text())?.[1] ?? '';
      expect(revealed).toContain(MEMBER_NAME);
      expect(revealed).toContain(MEMBER_NIK);
      const rows = await audits('complaint.reveal_reporter', namedId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actorKind: 'staff', staffId: opId });
      expect(JSON.stringify(rows[0]!.details)).not.toContain(MEMBER_NIK);

      // Shown on that response only: the page read afterwards is masked again.
      const after = await (await b.fetch(`/console/complaints/${namedId}`)).text();
      expect(after).not.toContain('data-testid="revealed"');
      expect(after).not.toContain(MEMBER_NIK);
    });

    it('hides an anonymous reporter and their chat from an operator, and refuses the reveal', async () => {
      const b = new Browser(base);
      const { csrf } = await signedIn(b, 'op.sagulung@pintu.test');
      const res = await b.fetch(`/console/complaints/${anonymousId}`);
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page).toContain('Penerima tidak layak di RT 03');
      expect(page).not.toContain(`/console/complaints/${anonymousId}/reveal`);
      expect(page).toContain('Percakapan tidak ditampilkan: pengaduan ini anonim.');
      expect(page).not.toContain('data-testid="conversation"');
      expect(page).not.toContain('ini soal tetangga saya');
      expect(page).not.toContain('S*** A****');

      const refused = await b.post(`/console/complaints/${anonymousId}/reveal`, { _csrf: csrf });
      expect(refused.status).toBe(422);
      const body = await refused.text();
      expect(body).toContain('Anda tidak berwenang melakukan ini.');
      expect(body).not.toContain('data-testid="revealed"');
      expect(body).not.toContain(MEMBER_NIK);
      expect(body).not.toContain(MEMBER_NAME);
      expect(await audits('complaint.reveal_reporter', anonymousId)).toEqual([]);
    });

    it('lets a city-wide admin see the chat of an anonymous complaint and reveal its reporter', async () => {
      const b = new Browser(base);
      const { csrf } = await signedIn(b, 'admin@pintu.test');
      const page = await (await b.fetch(`/console/complaints/${anonymousId}`)).text();
      expect(page).toContain(`action="/console/complaints/${anonymousId}/reveal"`);
      expect(/data-testid="conversation">([\s\S]*?)<\/ol><\/div>/.exec(page)?.[1]).toContain('ini soal tetangga saya');

      const res = await b.post(`/console/complaints/${anonymousId}/reveal`, { _csrf: csrf });
      expect(res.status).toBe(200);
      const revealed = /data-testid="revealed">([\s\S]*?)<\/dl>/.exec(await res.text())?.[1] ?? '';
      expect(revealed).toContain(MEMBER_NAME);
      expect(revealed).toContain(MEMBER_NIK);
      const rows = await audits('complaint.reveal_reporter', anonymousId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ staffId: adminId, details: { anonymous: true } });
    });

    it('exports a complaint for SP4N-LAPOR! as an audited, secret attachment; out of scope it does not exist', async () => {
      const b = new Browser(base);
      await signedIn(b, 'op.sagulung@pintu.test');
      const res = await b.fetch(`/console/complaints/${namedId}/lapor.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="lapor-${namedTracking}.json"`);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toContain('application/json');
      const json = (await res.json()) as Record<string, unknown>;
      expect(json).toMatchObject({ trackingId: namedTracking, secret: true, anonymous: false, title: 'Nama saya tidak ada di daftar', location: { kecamatan: 'Sagulung' } });
      expect(json.reporter).toMatchObject({ name: MEMBER_NAME, nik: MEMBER_NIK });
      const rows = await audits('complaint.export_lapor', namedId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ staffId: opId });

      // An anonymous one goes without anything that tells who filed it.
      const anon = await b.fetch(`/console/complaints/${anonymousId}/lapor.json`);
      expect(anon.status).toBe(200);
      const anonText = await anon.text();
      expect(JSON.parse(anonText)).toMatchObject({ anonymous: true, secret: true, channel: null });
      expect(JSON.parse(anonText)).not.toHaveProperty('reporter');
      expect(anonText).not.toContain(MEMBER_NIK);
      expect(anonText).not.toMatch(/siti/i);

      const nongsa = new Browser(base);
      await signedIn(nongsa, 'op.nongsa@pintu.test');
      const outside = await nongsa.fetch(`/console/complaints/${namedId}/lapor.json`);
      expect(outside.status).toBe(404);
      expect(outside.headers.get('content-disposition')).toBeNull();
      expect(await outside.text()).not.toContain(namedTracking);
      expect((await nongsa.fetch('/console/complaints/999999999/lapor.json')).status).toBe(404);
      expect(await audits('complaint.export_lapor', namedId)).toHaveLength(1);
    });
  });
});
