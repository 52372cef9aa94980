import { randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../../../src/channels/adapter.ts';
import { MAX_ATTACHMENT_BYTES } from '../../../../src/channels/media.ts';
import { createTelegramAdapter } from '../../../../src/channels/telegram/adapter.ts';
import type { TelegramConfig } from '../../../../src/channels/telegram/sender.ts';
import { attachments, auditLog, contacts, proxies } from '../../../../src/db/schema/index.ts';
import { fetchDueAttachments } from '../../../../src/services/complaints/attachments.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { person, SECRET as TELEGRAM_SECRET, TelegramChat, textOf as telegramText, type TelegramHarness } from '../../../channels/telegram/harness.ts';
import { startChannelApp, type ChannelApp } from '../../../e2e/channel-app.ts';
import { textOf } from '../../../e2e/officer.ts';
import { FAKE_BOT, FakeTelegram, messageUpdate } from '../../../fakes/telegram.ts';
import { Browser, PASSWORD, signedIn } from '../../../helpers/console.ts';
import { makeArea, makeEvent, makeHousehold, makeInvitation, makeProgram, makeSite, type DistributionArea } from '../../../services/distribution/fixtures.ts';

// Issue 6: a resident naming a kuasa may send a photo of the surat kuasa. Over the real Telegram webhook
// the resident names the kuasa with a photo; the attachments job fetches it from the fake Bot API; the
// supervisor of the household's kecamatan sees it in the pending kuasa list on the event page and opens the
// same bytes (audited); staff of another kecamatan, or without the right to decide kuasa, get a 404.

const SUPERVISOR = 'spv.kuasa@pintu.test';
const SUPERVISOR_ELSEWHERE = 'spv.kuasa.lain@pintu.test';
const VIEWER = 'viewer.kuasa@pintu.test';
const DAY = 86_400_000;
const KUASA_NIK = '2171015207900003';

const jpeg = (n = 3000) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]), randomBytes(n)]);
const photoOf = (fileId: string, size: number) => ({
  photo: [
    { file_id: `${fileId}_thumb`, file_unique_id: 'thumb', width: 90, height: 90, file_size: 900 },
    { file_id: fileId, file_unique_id: `u${fileId.slice(-6)}`, width: 1280, height: 960, file_size: size },
  ],
});

let app: ChannelApp;
let telegram: FakeTelegram;
let tg: ChannelAdapter;
let tgConfig: TelegramConfig;
let area: DistributionArea;
let eventId: number;
let slotId: number;
let supervisor: Browser;

beforeAll(async () => {
  telegram = await FakeTelegram.start();
  tgConfig = { token: telegram.token, mode: 'webhook', webhookSecret: TELEGRAM_SECRET, apiRoot: telegram.apiRoot, ratePerSecond: 30 };
  app = await startChannelApp((ctx) => [(tg = createTelegramAdapter(ctx, tgConfig, { botInfo: FAKE_BOT }))]);
  await tg.start();
  const db = app.database.db;
  area = await makeArea(db);
  const programId = await makeProgram(db);
  const siteId = await makeSite(db, { kecamatanId: area.kecA, kelurahanId: area.kelA1, name: 'Kantor Kelurahan Sungai Binti' });
  // Two weeks after the app's clock (real time), so the invitation is still open whenever this runs.
  const date = new Date(app.clock().getTime() + 14 * DAY).toISOString().slice(0, 10);
  const ev = await makeEvent(db, { programId, date, slots: [{ siteId, start: '08:00', end: '12:00', capacity: 50 }] });
  eventId = ev.eventId;
  slotId = ev.slotIds[0]!;
  await createStaffUser(db, 'system', { email: SUPERVISOR, name: 'Supervisor Sagulung', role: 'supervisor', kecamatanId: area.kecA, password: PASSWORD });
  await createStaffUser(db, 'system', { email: SUPERVISOR_ELSEWHERE, name: 'Supervisor Nongsa', role: 'supervisor', kecamatanId: area.kecB, password: PASSWORD });
  await createStaffUser(db, 'system', { email: VIEWER, name: 'Viewer Kuasa', role: 'viewer', password: PASSWORD });
  ({ b: supervisor } = await signedIn(app.base, SUPERVISOR));
}, 120_000);

afterAll(async () => {
  await app?.close();
  await telegram?.close();
});

/** A signed-in console browser for any role. */

/** The job's round, as the service runs it every few seconds. */
const runJob = () => fetchDueAttachments(app.database.db, [tg.media!], { now: app.clock() });

/** A household in kecamatan A with an open invitation, and its head's Telegram chat, verified and linked. */
async function resident(name: string) {
  const db = app.database.db;
  const hh = await makeHousehold(db, { kelurahanId: area.kelA1 });
  const inv = await makeInvitation(db, { eventId, householdId: hh.householdId, slotId });
  const who = person(name);
  const now = app.clock();
  await db.insert(contacts).values({ channel: 'telegram', externalId: String(who.id), language: 'id', memberId: hh.memberIds[0]!, verifiedAt: now, consentAt: now, lastInboundAt: now });
  const h = { config: tgConfig, baseUrl: app.base, fake: telegram, database: app.database, adapter: tg } as unknown as TelegramHarness;
  return { ...hh, ...inv, chat: new TelegramChat(h, who) };
}

const deliver = (chat: TelegramChat, content: Record<string, unknown>) => chat.deliver(messageUpdate(chat.who, content) as Omit<Update, 'update_id'>);

/**
 * Menu → "Undangan saya" → "Diwakilkan (kuasa)", and the questions; leaves the chat on the read-back, where a
 * photo of the surat kuasa may be sent (there is no question of its own).
 */
async function upToReadBack(chat: TelegramChat): Promise<string> {
  await chat.say('/start');
  if (chat.buttons.includes('id')) await chat.press('id');
  await chat.press('invitations');
  await chat.press('proxy');
  await chat.say('Rahmawati');
  await chat.say(KUASA_NIK);
  await chat.press('spouse');
  return telegramText(await chat.press('at_sea'));
}

async function proxyOf(invitationId: number) {
  const [p] = await app.database.db.select().from(proxies).where(and(eq(proxies.invitationId, invitationId), eq(proxies.status, 'pending')));
  return p;
}

async function filesOf(proxyId: number) {
  return app.database.db.select().from(attachments).where(eq(attachments.proxyId, proxyId)).orderBy(asc(attachments.id));
}

async function readAudits(proxyId: number) {
  return app.database.db
    .select({ staffId: auditLog.staffId, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'proxy.attachment_read'), eq(auditLog.entityId, String(proxyId))));
}

/** The kuasa's row in the pending list on the event page, as text, and its links. */
async function rowOnEventPage(browser: Browser, proxyId: number): Promise<{ text: string; links: string[]; html: string }> {
  const res = await browser.fetch(`/console/distribution/${eventId}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  const m = new RegExp(`<tr data-proxy="${proxyId}">([\\s\\S]*?)</tr>`).exec(html);
  expect(m, `kuasa ${proxyId} in the pending list`).not.toBeNull();
  return { text: textOf(m![1]!), links: [...m![1]!.matchAll(/href="([^"]+)"/g)].map((x) => x[1]!), html };
}

describe('the photo of a surat kuasa, from the chat to the console', () => {
  it('is refused when not a photo or too large, kept when it is one, fetched by the job and served to the supervisor, audited', async () => {
    const r = await resident('Suryani');
    const asked = await upToReadBack(r.chat);
    expect(asked).toContain('• Foto surat kuasa: belum ada (bila ada, mohon kirim fotonya sekarang)');
    expect(r.chat.buttons).toEqual(['send', 'change', 'cancel']);

    // A video or a file over 10 MB is refused at once with the reason, and the read-back is shown again.
    const video = telegram.addFile(randomBytes(100), { extension: 'mp4' });
    const saidVideo = telegramText(await deliver(r.chat, { document: { file_id: video, file_unique_id: 'v1', file_name: 'rekaman.mp4', mime_type: 'video/mp4', file_size: 100 } }));
    expect(saidVideo).toContain('Maaf, yang bisa kami terima hanya foto (JPG, PNG, WebP) atau berkas PDF.');
    expect(saidVideo).toContain('Kirim permohonan kuasa ini?');
    const saidHuge = telegramText(await deliver(r.chat, photoOf(telegram.addFile(jpeg(10)), MAX_ATTACHMENT_BYTES + 1)));
    expect(saidHuge).toContain('Maaf, berkas ini lebih dari 10 MB.');

    // One photo is enough: the read-back follows and says it is attached.
    const bytes = jpeg(30_000);
    const fileId = telegram.addFile(bytes);
    const readBack = telegramText(await deliver(r.chat, { ...photoOf(fileId, bytes.byteLength), caption: 'surat kuasa' }));
    expect(readBack).toContain('Foto surat kuasa sudah kami terima.');
    expect(readBack).toContain('• Foto surat kuasa: terlampir');
    expect(readBack).toContain('217101******0003');
    expect(r.chat.buttons).toEqual(['send', 'change', 'cancel']);
    expect(telegramText(await r.chat.press('send'))).toContain('Permohonan kuasa sudah kami terima.');

    // Saved with the kuasa: one pending row with the Telegram file_id of the largest size.
    const proxy = await proxyOf(r.invitationId);
    expect(proxy).toMatchObject({ name: 'Rahmawati', nik: KUASA_NIK, relation: 'spouse', reason: 'at_sea' });
    const [pending] = await filesOf(proxy!.id);
    expect(pending).toMatchObject({ channel: 'telegram', ref: fileId, status: 'pending', mimeType: 'image/jpeg', complaintId: null });
    expect(await filesOf(proxy!.id)).toHaveLength(1);

    let row = await rowOnEventPage(supervisor, proxy!.id);
    expect(row.text).toContain('Foto surat kuasa: sedang diambil');
    expect(row.links).toEqual([]);

    expect(await runJob()).toEqual({ stored: 1, retrying: 0, failed: 0 });
    const [stored] = await filesOf(proxy!.id);
    expect(stored).toMatchObject({ status: 'stored', size: bytes.byteLength });

    row = await rowOnEventPage(supervisor, proxy!.id);
    expect(row.text).toContain('Foto surat kuasa: lihat');
    const link = `/console/distribution/proxies/${proxy!.id}/attachments/${stored!.id}`;
    expect(row.links).toEqual([link]);
    expect(row.html).toContain('Setiap pembukaan foto dicatat di log audit.');
    // Listing the files reads no photo.
    expect(await readAudits(proxy!.id)).toEqual([]);

    const res = await supervisor.fetch(link);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="surat-kuasa-${stored!.id}.jpg"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    const audits = await readAudits(proxy!.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toEqual({ attachmentId: stored!.id, invitationId: r.invitationId });

    // Staff of another kecamatan, or without the right to decide kuasa, get the 404 of a file that does not
    // exist, and nothing is audited; so does a file id under another kuasa or one that is not there.
    for (const email of [SUPERVISOR_ELSEWHERE, VIEWER]) {
      const { b: other } = await signedIn(app.base, email);
      const denied = await other.fetch(link);
      expect(denied.status, email).toBe(404);
      expect(denied.headers.get('content-type')).toMatch(/^text\/html/);
    }
    expect((await supervisor.fetch(`/console/distribution/proxies/${proxy!.id + 1000}/attachments/${stored!.id}`)).status).toBe(404);
    expect((await supervisor.fetch(`/console/distribution/proxies/${proxy!.id}/attachments/${stored!.id + 1000}`)).status).toBe(404);
    expect((await supervisor.fetch(`/console/distribution/proxies/${proxy!.id}/attachments/abc`)).status).toBe(404);
    expect(await readAudits(proxy!.id)).toHaveLength(1);
  }, 120_000);

  it('shows why a photo could not be kept, with no link', async () => {
    const r = await resident('Joko');
    await upToReadBack(r.chat);
    // Dressed as a JPEG, but the bytes are a web page: the job refuses it for good.
    const html = telegram.addFile(Buffer.from('<html><script>alert(1)</script></html>'));
    await deliver(r.chat, { document: { file_id: html, file_unique_id: 'h1', file_name: 'surat.jpg', mime_type: 'image/jpeg', file_size: 40 } });
    await r.chat.press('send');
    const proxy = await proxyOf(r.invitationId);
    expect(await runJob()).toEqual({ stored: 0, retrying: 0, failed: 1 });
    const [failed] = await filesOf(proxy!.id);
    expect(failed).toMatchObject({ status: 'failed', failReason: 'type_not_allowed: content is not JPEG, PNG, WebP or PDF' });

    const row = await rowOnEventPage(supervisor, proxy!.id);
    expect(row.text).toContain('Foto surat kuasa: gagal diambil (hanya foto (JPG, PNG, WebP) dan PDF yang disimpan)');
    expect(row.links).toEqual([]);
    expect((await supervisor.fetch(`/console/distribution/proxies/${proxy!.id}/attachments/${failed!.id}`)).status).toBe(404);
  }, 120_000);

  it('still names the kuasa when no photo is sent, with no photo line', async () => {
    const r = await resident('Tono');
    const readBack = await upToReadBack(r.chat);
    expect(readBack).toContain('• Foto surat kuasa: belum ada');
    expect(telegramText(await r.chat.press('send'))).toContain('Permohonan kuasa sudah kami terima.');
    const proxy = await proxyOf(r.invitationId);
    expect(proxy).toMatchObject({ name: 'Rahmawati', status: 'pending' });
    expect(await filesOf(proxy!.id)).toEqual([]);
    const row = await rowOnEventPage(supervisor, proxy!.id);
    expect(row.text).toContain('217101******0003');
    expect(row.text).not.toContain('Foto surat kuasa');
  }, 120_000);
});
