import { randomBytes } from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../../../src/channels/adapter.ts';
import { MAX_ATTACHMENT_BYTES } from '../../../../src/channels/media.ts';
import { createTelegramAdapter } from '../../../../src/channels/telegram/adapter.ts';
import type { TelegramConfig } from '../../../../src/channels/telegram/sender.ts';
import { createWhatsappCloudAdapter } from '../../../../src/channels/whatsapp-cloud/adapter.ts';
import type { WhatsappCloudConfig } from '../../../../src/channels/whatsapp-cloud/sender.ts';
import { attachmentBlobs, attachments, auditLog, complaints } from '../../../../src/db/schema/index.ts';
import { fetchDueAttachments } from '../../../../src/services/complaints/attachments.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { person, SECRET as TELEGRAM_SECRET, TelegramChat, textOf as telegramText, type TelegramHarness } from '../../../channels/telegram/harness.ts';
import { startChannelApp, type ChannelApp } from '../../../e2e/channel-app.ts';
import { Officer, textOf } from '../../../e2e/officer.ts';
import { bodiesText, CloudChat } from '../../../e2e/whatsapp-cloud-chat.ts';
import { startFakeGraph, webhook, type FakeGraph } from '../../../fakes/graph.ts';
import { FAKE_BOT, FakeTelegram, messageUpdate } from '../../../fakes/telegram.ts';
import { Browser, PASSWORD, signedIn } from '../../../helpers/console.ts';
import { kecamatanId } from '../../../services/complaints/lifecycle.fixtures.ts';

// Issues 5 and 6: a resident's complaint photo goes from the chat app to the officer's screen. The resident
// files a complaint with a photo through the real webhook (grammY / the Cloud API route), the job fetches
// the bytes from the fake provider over HTTP, and the console lists the file and serves the same bytes,
// audited, only to staff who may see the complaint.

const TRACKING = /ADU-\d{4}-\d{5}/;
const SUPERVISOR = 'spv.lampiran@pintu.test';
const OPERATOR_ELSEWHERE = 'op.nongsa.lampiran@pintu.test';
const VIEWER = 'viewer.lampiran@pintu.test';
const APP_SECRET = 'whatsapp-app-secret-attachments';
const HOUR = 3_600_000;

const jpeg = (n = 3000) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]), randomBytes(n)]);
const png = (n = 3000) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(n)]);

let app: ChannelApp;
let telegram: FakeTelegram;
let graph: FakeGraph;
let tg: ChannelAdapter;
let cloud: ChannelAdapter;
let tgConfig: TelegramConfig;
let supervisor: Officer;

beforeAll(async () => {
  telegram = await FakeTelegram.start();
  graph = await startFakeGraph();
  tgConfig = { token: telegram.token, mode: 'webhook', webhookSecret: TELEGRAM_SECRET, apiRoot: telegram.apiRoot, ratePerSecond: 30 };
  const cloudConfig: WhatsappCloudConfig = {
    accessToken: graph.token,
    phoneNumberId: graph.phoneNumberId,
    appSecret: APP_SECRET,
    verifyToken: 'verify-token-attachments',
    apiRoot: graph.apiRoot,
    ratePerSecond: 80,
    templates: { language: 'id', notice: 'pintu_pemberitahuan', invitation: 'pintu_undangan', reminder: 'pintu_pengingat', code: 'pintu_kode' },
  };
  app = await startChannelApp((ctx, clock) => [
    (tg = createTelegramAdapter(ctx, tgConfig, { botInfo: FAKE_BOT })),
    (cloud = createWhatsappCloudAdapter(ctx, cloudConfig, { clock })),
  ]);
  await tg.start();
  const db = app.database.db;
  // City-wide: a complaint filed without identity has no kecamatan, so only city-wide staff see it.
  await createStaffUser(db, 'system', { email: SUPERVISOR, name: 'Supervisor Lampiran', role: 'supervisor', password: PASSWORD });
  await createStaffUser(db, 'system', { email: OPERATOR_ELSEWHERE, name: 'Operator Nongsa', role: 'operator', kecamatanId: await kecamatanId(db, 'Nongsa'), password: PASSWORD });
  await createStaffUser(db, 'system', { email: VIEWER, name: 'Viewer', role: 'viewer', password: PASSWORD });
  supervisor = await Officer.signIn(app.base, SUPERVISOR);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await telegram?.close();
  await graph?.close();
});

/** The job's round, as the service runs it every few seconds, with the app's clock. */
const runJob = (now = app.clock()) => fetchDueAttachments(app.database.db, [tg.media!, cloud.media!], { now });

function telegramChat(name: string): TelegramChat {
  const h = { config: tgConfig, baseUrl: app.base, fake: telegram, database: app.database, adapter: tg } as unknown as TelegramHarness;
  return new TelegramChat(h, person(name));
}

/** Menu → report → "other", the text, then the files (photo or document message contents), then send. */
async function fileOnTelegram(chat: TelegramChat, text: string, files: Record<string, unknown>[]): Promise<string> {
  await chat.say('/start');
  // The language is asked on the first visit only.
  if (chat.buttons.includes('id')) await chat.press('id');
  await chat.press('complaint');
  await chat.press('other');
  await chat.say(text);
  for (const content of files) await chat.deliver(messageUpdate(chat.who, content) as Omit<Update, 'update_id'>);
  // After the third file the flow moves on by itself.
  if (files.length < 3) await chat.press(files.length === 0 ? 'skip' : 'done');
  const sent = telegramText(await chat.press('send'));
  const trackingId = TRACKING.exec(sent)?.[0];
  expect(trackingId, sent).toBeTruthy();
  return trackingId!;
}

const photoOf = (fileId: string, size: number) => ({ photo: [{ file_id: `${fileId}_thumb`, file_unique_id: 'thumb', width: 90, height: 90, file_size: 900 }, { file_id: fileId, file_unique_id: `u${fileId.slice(-6)}`, width: 1280, height: 960, file_size: size }] });

async function complaintId(trackingId: string): Promise<number> {
  const [c] = await app.database.db.select({ id: complaints.id }).from(complaints).where(eq(complaints.trackingId, trackingId));
  return c!.id;
}

async function rowsOf(id: number) {
  return app.database.db.select().from(attachments).where(eq(attachments.complaintId, id)).orderBy(asc(attachments.id));
}

async function readAudits(id: number) {
  return app.database.db
    .select({ staffId: auditLog.staffId, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'complaint.attachment_read'), eq(auditLog.entityId, String(id))));
}

/** The "Lampiran" section of a complaint page, as text, and its rows' statuses. */
function lampiran(html: string): { text: string; statuses: string[]; links: string[] } {
  const m = /<section class="card" data-testid="attachments">([\s\S]*?)<\/section>/.exec(html);
  expect(m, 'Lampiran section on the complaint page').not.toBeNull();
  return {
    text: textOf(m![1]!),
    statuses: [...m![1]!.matchAll(/data-status="([a-z]+)"/g)].map((x) => x[1]!),
    links: [...m![1]!.matchAll(/href="([^"]+)"/g)].map((x) => x[1]!),
  };
}

async function download(officer: Officer | Browser, path: string): Promise<Response> {
  return (officer instanceof Browser ? officer : officer.browser).fetch(path);
}

/** A signed-in browser for any role (a viewer lands on the dashboard, not the inbox). */

describe('a Telegram photo, from the chat to the console', () => {
  it('is fetched from the Bot API by the job and served to the supervisor with the same bytes, audited', async () => {
    const bytes = jpeg(40_000);
    const fileId = telegram.addFile(bytes);
    const chat = telegramChat('Wati');
    const trackingId = await fileOnTelegram(chat, 'Atap rumah kami bocor sejak bulan lalu.', [{ ...photoOf(fileId, bytes.byteLength), caption: 'Atap bocor' }]);
    const id = await complaintId(trackingId);

    // Filed with the complaint: one pending row with the Telegram file_id of the largest size.
    const [pending] = await rowsOf(id);
    expect(pending).toMatchObject({ channel: 'telegram', ref: fileId, status: 'pending', mimeType: 'image/jpeg', attempts: 0, sha256: null, size: null });
    let page = await supervisor.page(id);
    expect(page.status).toBe(200);
    const before = lampiran(page.html);
    expect(before.statuses).toEqual(['pending']);
    expect(before.text).toContain('Sedang diambil dari Telegram');
    expect(before.links).toEqual([]);

    expect(await runJob()).toEqual({ stored: 1, retrying: 0, failed: 0 });
    expect(telegram.callsOf('getFile').map((c) => c.params.file_id)).toContain(fileId);
    const [stored] = await rowsOf(id);
    expect(stored).toMatchObject({ status: 'stored', size: bytes.byteLength, attempts: 1, failReason: null });

    page = await supervisor.page(id);
    const after = lampiran(page.html);
    expect(after.statuses).toEqual(['stored']);
    expect(after.text).toContain('Tersimpan');
    expect(after.text).toContain('image/jpeg');
    expect(after.links).toEqual([`/console/complaints/${id}/attachments/${stored!.id}`]);

    const res = await download(supervisor, after.links[0]!);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="lampiran-${stored!.id}.jpg"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);

    const audits = await readAudits(id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toEqual({ attachmentId: stored!.id });

    // Staff who may not see the complaint get the same 404 as for a file that does not exist, and no audit row.
    for (const email of [OPERATOR_ELSEWHERE, VIEWER]) {
      const { b: other } = await signedIn(app.base, email);
      const denied = await download(other, after.links[0]!);
      expect(denied.status, email).toBe(404);
      expect(denied.headers.get('content-type')).toMatch(/^text\/html/);
      expect((await other.fetch(`/console/complaints/${id}`)).status).toBe(404);
    }
    expect((await download(supervisor, `/console/complaints/${id}/attachments/${stored!.id + 1000}`)).status).toBe(404);
    expect(await readAudits(id)).toHaveLength(1);
  }, 90_000);

  it('keeps the same picture sent twice once, and serves it under both rows', async () => {
    const bytes = jpeg(5000);
    const a = telegram.addFile(bytes);
    const b = telegram.addFile(bytes);
    const chat = telegramChat('Joko');
    const id = await complaintId(await fileOnTelegram(chat, 'Jalan ke balai warga rusak parah.', [photoOf(a, bytes.byteLength), photoOf(b, bytes.byteLength)]));
    expect((await rowsOf(id)).map((r) => r.ref)).toEqual([a, b]);
    expect(await runJob()).toEqual({ stored: 2, retrying: 0, failed: 0 });
    const rows = await rowsOf(id);
    expect(rows[0]!.sha256).toBe(rows[1]!.sha256);
    const [{ n }] = (await app.database.db.select({ n: count() }).from(attachmentBlobs).where(eq(attachmentBlobs.sha256, rows[0]!.sha256!))) as [{ n: number }];
    expect(Number(n)).toBe(1);
    for (const r of rows) {
      const res = await download(supervisor, `/console/complaints/${id}/attachments/${r.id}`);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }
  }, 90_000);

  it('tries a failing fetch five times with growing waits, then marks it failed with the reason on the page', async () => {
    const bytes = jpeg();
    const fileId = telegram.addFile(bytes);
    const chat = telegramChat('Sari');
    const id = await complaintId(await fileOnTelegram(chat, 'Bantuan sembako tidak sampai ke RT kami.', [photoOf(fileId, bytes.byteLength)]));
    telegram.failNext(5, { error_code: 502, description: 'Bad Gateway' }, { methods: ['getFile'] });

    let now = app.clock();
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await runJob(now), `attempt ${attempt}`).toEqual({ stored: 0, retrying: 1, failed: 0 });
      const [row] = await rowsOf(id);
      expect(row).toMatchObject({ status: 'pending', attempts: attempt, failReason: 'telegram 502: Bad Gateway' });
      expect(row!.nextAttemptAt!.getTime()).toBeGreaterThan(now.getTime());
      // Not again before its time.
      expect(await runJob(now)).toEqual({ stored: 0, retrying: 0, failed: 0 });
      now = new Date(row!.nextAttemptAt!.getTime() + 1000);
    }
    const page = lampiran((await supervisor.page(id)).html);
    expect(page.text).toContain('percobaan 5 dari 5');

    expect(await runJob(now)).toEqual({ stored: 0, retrying: 0, failed: 1 });
    const [failed] = await rowsOf(id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 5, failReason: 'telegram 502: Bad Gateway', sha256: null });
    expect(telegram.callsOf('getFile').filter((c) => c.params.file_id === fileId)).toHaveLength(5);
    // Failed is final: later rounds leave it alone.
    expect(await runJob(new Date(now.getTime() + 48 * HOUR))).toEqual({ stored: 0, retrying: 0, failed: 0 });

    const shown = lampiran((await supervisor.page(id)).html);
    expect(shown.statuses).toEqual(['failed']);
    expect(shown.text).toContain('Gagal diambil: telegram 502: Bad Gateway');
    expect(shown.links).toEqual([]);
    expect((await download(supervisor, `/console/complaints/${id}/attachments/${failed!.id}`)).status).toBe(404);
  }, 90_000);

  it('refuses a video or a file over 10 MB in the chat, and files that turn out too large or not what they claim in the job', async () => {
    const chat = telegramChat('Rudi');
    await chat.say('/start');
    await chat.press('id');
    await chat.press('complaint');
    await chat.press('other');
    await chat.say('Petugas meminta uang saat penyaluran.');
    // What the chat message itself says is refused at once, with the reason, and the photo is asked again.
    const video = telegram.addFile(randomBytes(100), { extension: 'mp4' });
    const saidVideo = telegramText(await chat.deliver(messageUpdate(chat.who, { document: { file_id: video, file_unique_id: 'v1', file_name: 'rekaman.mp4', mime_type: 'video/mp4', file_size: 100 } }) as Omit<Update, 'update_id'>));
    expect(saidVideo).toContain('Maaf, yang bisa kami terima hanya foto (JPG, PNG, WebP) atau berkas PDF.');
    const huge = telegram.addFile(jpeg(10));
    const saidHuge = telegramText(await chat.deliver(messageUpdate(chat.who, photoOf(huge, MAX_ATTACHMENT_BYTES + 1)) as Omit<Update, 'update_id'>));
    expect(saidHuge).toContain('Maaf, berkas ini lebih dari 10 MB.');

    // What only the provider or the bytes can tell is refused by the job, with the reason for staff.
    const big = telegram.addFile(jpeg(100), { reportedSize: MAX_ATTACHMENT_BYTES + 1 }); // the chat said 1 KB, getFile says more than 10 MB
    const liar = telegram.addFile(jpeg(MAX_ATTACHMENT_BYTES), { reportedSize: 2048 }); // getFile says 2 KB, more comes down
    const html = telegram.addFile(Buffer.from('<html><script>alert(1)</script></html>'));
    for (const content of [photoOf(big, 1024), photoOf(liar, 2048), { document: { file_id: html, file_unique_id: 'h1', file_name: 'foto.jpg', mime_type: 'image/jpeg', file_size: 40 } }]) {
      await chat.deliver(messageUpdate(chat.who, content) as Omit<Update, 'update_id'>);
    }
    const id = await complaintId(TRACKING.exec(telegramText(await chat.press('send')))![0]);
    expect((await rowsOf(id)).map((r) => [r.ref, r.status])).toEqual([
      [big, 'pending'],
      [liar, 'pending'],
      [html, 'pending'],
    ]);

    const downloadsBefore = telegram.downloads.length;
    expect(await runJob()).toEqual({ stored: 0, retrying: 0, failed: 3 });
    expect(telegram.callsOf('getFile').some((c) => c.params.file_id === video || c.params.file_id === huge)).toBe(false);
    expect((await rowsOf(id)).map((r) => r.failReason)).toEqual([
      `too_large: ${MAX_ATTACHMENT_BYTES + 1} bytes`,
      `too_large: ${jpeg(MAX_ATTACHMENT_BYTES).byteLength} bytes`,
      'type_not_allowed: content is not JPEG, PNG, WebP or PDF',
    ]);
    // The file getFile called too large was never downloaded: only the other two came down.
    expect(telegram.downloads.length - downloadsBefore).toBe(2);

    const shown = lampiran((await supervisor.page(id)).html);
    expect(shown.statuses).toEqual(['failed', 'failed', 'failed']);
    expect(shown.links).toEqual([]);
    expect(shown.text).toContain('foto.jpg');
    expect(shown.text.match(/Gagal diambil: berkas lebih dari 10 MB/g)).toHaveLength(2);
    expect(shown.text).toContain('Gagal diambil: hanya foto (JPG, PNG, WebP) dan PDF yang disimpan');
  }, 120_000);

  it('shows "no attachments" for a complaint without photos', async () => {
    const chat = telegramChat('Tono');
    const id = await complaintId(await fileOnTelegram(chat, 'Antrean di kantor kelurahan terlalu panjang.', []));
    expect(await rowsOf(id)).toEqual([]);
    expect(lampiran((await supervisor.page(id)).html).text).toContain('Warga tidak mengirim lampiran.');
  }, 90_000);
});

describe('a WhatsApp Cloud photo, from the chat to the console', () => {
  let numberSeq = 0;
  const newNumber = () => `62813${String(Date.now()).slice(-5)}${String(++numberSeq).padStart(3, '0')}`;

  async function fileOnWhatsapp(chat: CloudChat, text: string, mediaIds: string[]): Promise<string> {
    await chat.say('selamat pagi');
    await chat.choose('id');
    await chat.choose('complaint');
    await chat.choose('other');
    await chat.say(text);
    for (const mediaId of mediaIds) {
      const payload = webhook.image(chat.wa, { name: chat.name, caption: 'bukti' }) as any;
      payload.entry[0].changes[0].value.messages[0].image.id = mediaId;
      await chat.post(payload);
    }
    const sent = bodiesText(await chat.choose(mediaIds.length === 0 ? 'skip' : 'done'));
    const filed = bodiesText(await chat.choose('send'));
    const trackingId = TRACKING.exec(filed)?.[0];
    expect(trackingId, `${sent}\n${filed}`).toBeTruthy();
    return trackingId!;
  }

  it('is fetched through the Graph API (media id → url → bytes) and served with the same bytes, audited', async () => {
    const bytes = png(20_000);
    const mediaId = graph.addMedia(bytes, 'image/png');
    const chat = new CloudChat(app.base, app.database, graph, cloud.sender, APP_SECRET, newNumber(), 'Ani');
    const id = await complaintId(await fileOnWhatsapp(chat, 'Rumah tetangga kami roboh kena angin.', [mediaId]));
    const [pending] = await rowsOf(id);
    // The webhook said image/jpeg; the stored type comes from the bytes.
    expect(pending).toMatchObject({ channel: 'whatsapp_cloud', ref: mediaId, status: 'pending' });

    expect(await runJob()).toEqual({ stored: 1, retrying: 0, failed: 0 });
    const calls = graph.requests.filter((r) => r.method === 'GET' && r.path.includes(mediaId));
    expect(calls.map((r) => r.path)).toEqual([`/${mediaId}`, `/media-download/${mediaId}`]);
    expect(calls.every((r) => r.authorization === `Bearer ${graph.token}`)).toBe(true);
    const [stored] = await rowsOf(id);
    expect(stored).toMatchObject({ status: 'stored', mimeType: 'image/png', size: bytes.byteLength });

    const shown = lampiran((await supervisor.page(id)).html);
    expect(shown.statuses).toEqual(['stored']);
    const res = await download(supervisor, shown.links[0]!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect(await readAudits(id)).toHaveLength(1);

    const { b: other } = await signedIn(app.base, OPERATOR_ELSEWHERE);
    expect((await download(other, shown.links[0]!)).status).toBe(404);
    expect(await readAudits(id)).toHaveLength(1);
  }, 90_000);

  it('fails an unknown media id at once, and retries a Graph API outage', async () => {
    const bytes = png();
    const good = graph.addMedia(bytes, 'image/png');
    const chat = new CloudChat(app.base, app.database, graph, cloud.sender, APP_SECRET, newNumber(), 'Bayu');
    const id = await complaintId(await fileOnWhatsapp(chat, 'Lokasi penyaluran terlalu jauh dari rumah.', ['9999999999', good]));
    graph.failNext({ httpStatus: 500, code: 131000, message: '(#131000) Something went wrong' }, 1, 1);
    expect(await runJob()).toEqual({ stored: 0, retrying: 1, failed: 1 });
    let rows = await rowsOf(id);
    expect(rows[0]).toMatchObject({ status: 'failed', failReason: 'whatsapp: HTTP 400 code 100' });
    expect(rows[1]).toMatchObject({ status: 'pending', failReason: 'whatsapp: HTTP 500 code 131000', attempts: 1 });

    expect(await runJob(new Date(app.clock().getTime() + HOUR))).toEqual({ stored: 1, retrying: 0, failed: 0 });
    rows = await rowsOf(id);
    expect(rows[1]).toMatchObject({ status: 'stored', failReason: null, attempts: 2 });
  }, 90_000);
});
