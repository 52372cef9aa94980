import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentProblem, declaredProblem, download, MAX_ATTACHMENT_BYTES, sniffType } from '../../src/channels/media.ts';
import type { MediaFetcher } from '../../src/services/complaints/media-fetcher.ts';
import { createTelegramMediaFetcher } from '../../src/channels/telegram/media.ts';
import { createWhatsappCloudMediaFetcher } from '../../src/channels/whatsapp-cloud/media.ts';
import { createWhatsappWebMediaFetcher, type MediaClientLike } from '../../src/channels/whatsapp-web/media.ts';
import { attachmentBlobs, attachments, complaints } from '../../src/db/schema/index.ts';
import { fetchDueAttachments, listAttachments, readAttachment } from '../../src/services/complaints/attachments.ts';
import { fileComplaint } from '../../src/services/complaints/file.ts';
import { startFakeGraph, type FakeGraph } from '../fakes/graph.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { contact, kecamatanId, staff } from '../services/complaints/lifecycle.fixtures.ts';

// The pieces of issue 6 one by one: what is kept (types, size, real content), each channel's fetcher against
// its fake provider over HTTP, and the job's bookkeeping over a real database (rows written with the
// complaint, claimed once across concurrent runs, deduplicated blobs, scope on reading).

const jpeg = (n = 1000) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xdb]), randomBytes(n)]);
const pdf = () => Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const webp = () => Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 '), randomBytes(32)]);

describe('what is kept', () => {
  it('knows JPEG, PNG, WebP and PDF by their first bytes, and nothing else', () => {
    expect(sniffType(jpeg())).toBe('image/jpeg');
    expect(sniffType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffType(webp())).toBe('image/webp');
    expect(sniffType(pdf())).toBe('application/pdf');
    expect(sniffType(Buffer.from('<!doctype html><script>alert(1)</script>'))).toBeNull();
    expect(sniffType(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffType(Buffer.from('RIFF0000WAVE'))).toBeNull();
    expect(sniffType(new Uint8Array())).toBeNull();
  });

  it('refuses other declared types and sizes over 10 MB before downloading, with the reason', () => {
    expect(declaredProblem('image/jpeg', 5000)).toBeNull();
    expect(declaredProblem('IMAGE/PNG; charset=binary', undefined)).toBeNull();
    expect(declaredProblem('application/pdf', MAX_ATTACHMENT_BYTES)).toBeNull();
    expect(declaredProblem('application/pdf', MAX_ATTACHMENT_BYTES + 1)).toBe(`too_large: ${MAX_ATTACHMENT_BYTES + 1} bytes`);
    expect(declaredProblem('video/mp4', 10)).toBe('type_not_allowed: video/mp4');
    expect(declaredProblem('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 10)).toMatch(/^type_not_allowed: /);
    expect(declaredProblem('', 10)).toBe('type_not_allowed: unknown');
  });

  it('checks the downloaded bytes too', () => {
    expect(contentProblem(jpeg())).toBeNull();
    expect(contentProblem(Buffer.alloc(0))).toBe('type_not_allowed: empty file');
    expect(contentProblem(Buffer.from('MZ\x90\x00'))).toBe('type_not_allowed: content is not JPEG, PNG, WebP or PDF');
    expect(contentProblem(Buffer.concat([jpeg(10), Buffer.alloc(MAX_ATTACHMENT_BYTES)]))).toMatch(/^too_large: /);
  });
});

describe('download', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    // Chunked, with no Content-Length: only counting while reading can stop it.
    server = createServer((req, res) => {
      if (req.url === '/endless') {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        const chunk = Buffer.alloc(1024 * 1024, 0xff);
        let sent = 0;
        const more = () => {
          while (sent < 12 && res.write(chunk)) sent++;
          if (sent < 12) res.once('drain', more);
          else res.end();
        };
        more();
        res.on('error', () => {});
        return;
      }
      if (req.url === '/gone') return res.writeHead(404).end();
      if (req.url === '/busy') return res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('stops reading a file that grows past the limit without saying its size', async () => {
    expect(await download(`${base}/endless`)).toEqual({ ok: false, reason: `too_large: more than ${MAX_ATTACHMENT_BYTES} bytes`, permanent: true });
  });

  it('tells a lost file (final) from a busy server (passing)', async () => {
    expect(await download(`${base}/gone`)).toEqual({ ok: false, reason: 'download: HTTP 404', permanent: true });
    expect(await download(`${base}/busy`)).toEqual({ ok: false, reason: 'download: HTTP 503', permanent: false });
    const ok = await download(`${base}/file.pdf`);
    expect(ok.ok && ok.bytes.equals(pdf())).toBe(true);
  });
});

describe('the Telegram fetcher, against the fake Bot API', () => {
  let fake: FakeTelegram;
  let fetcher: MediaFetcher;
  beforeAll(async () => {
    fake = await FakeTelegram.start();
    fetcher = createTelegramMediaFetcher({ token: fake.token, apiRoot: fake.apiRoot });
  });
  afterAll(() => fake.close());

  it('gets the bytes through getFile and the file URL', async () => {
    const bytes = jpeg(5000);
    const id = fake.addFile(bytes);
    const got = await fetcher.fetch(id);
    expect(got.ok && got.bytes.equals(bytes)).toBe(true);
    expect(fake.callsOf('getFile').at(-1)?.params.file_id).toBe(id);
    expect(fake.downloads.at(-1)?.status).toBe(200);
  });

  it('gives up on an unknown file_id at once, retries a server error, refuses more than 10 MB before downloading', async () => {
    expect(await fetcher.fetch('AgACunknown')).toEqual({ ok: false, reason: 'telegram 400: Bad Request: invalid file_id', permanent: true });
    const id = fake.addFile(jpeg());
    fake.failNext(1, { error_code: 500, description: 'Internal Server Error' }, { methods: ['getFile'] });
    expect(await fetcher.fetch(id)).toEqual({ ok: false, reason: 'telegram 500: Internal Server Error', permanent: false });
    expect((await fetcher.fetch(id)).ok).toBe(true);

    const downloads = fake.downloads.length;
    const big = fake.addFile(jpeg(10), { reportedSize: 20 * 1024 * 1024 });
    expect(await fetcher.fetch(big)).toEqual({ ok: false, reason: `too_large: ${20 * 1024 * 1024} bytes`, permanent: true });
    expect(fake.downloads.length).toBe(downloads);
  });

  it('with a wrong token, says so and keeps trying later (the token is the channel\'s trouble, not the file\'s)', async () => {
    const wrong = createTelegramMediaFetcher({ token: '1:wrong', apiRoot: fake.apiRoot });
    expect(await wrong.fetch(fake.addFile(jpeg()))).toEqual({ ok: false, reason: 'telegram 401: Unauthorized', permanent: false });
  });
});

describe('the WhatsApp Cloud fetcher, against the fake Graph API', () => {
  let graph: FakeGraph;
  let fetcher: MediaFetcher;
  beforeAll(async () => {
    graph = await startFakeGraph();
    fetcher = createWhatsappCloudMediaFetcher({ accessToken: graph.token, apiRoot: graph.apiRoot });
  });
  afterAll(() => graph.close());

  it('asks for the media URL, then downloads it with the bearer token', async () => {
    const bytes = pdf();
    const id = graph.addMedia(bytes, 'application/pdf');
    const got = await fetcher.fetch(id);
    expect(got).toMatchObject({ ok: true, mimeType: 'application/pdf' });
    expect(got.ok && got.bytes.equals(bytes)).toBe(true);
    const gets = graph.requests.filter((r) => r.method === 'GET');
    expect(gets.map((r) => [r.path, r.authorization])).toEqual([
      [`/${id}`, `Bearer ${graph.token}`],
      [`/media-download/${id}`, `Bearer ${graph.token}`],
    ]);
  });

  it('refuses an expired id for good, a large file before downloading, and waits out a refused token', async () => {
    expect(await fetcher.fetch('1234567')).toEqual({ ok: false, reason: 'whatsapp: HTTP 400 code 100', permanent: true });
    expect(await fetcher.fetch('../../messages')).toEqual({ ok: false, reason: 'whatsapp: not a media id', permanent: true });
    graph.reset();
    const big = graph.addMedia(jpeg(10), 'image/jpeg', { reportedSize: MAX_ATTACHMENT_BYTES + 1 });
    expect(await fetcher.fetch(big)).toEqual({ ok: false, reason: `too_large: ${MAX_ATTACHMENT_BYTES + 1} bytes`, permanent: true });
    expect(graph.requests.some((r) => r.path.startsWith('/media-download/'))).toBe(false);
    const wrong = createWhatsappCloudMediaFetcher({ accessToken: 'expired', apiRoot: graph.apiRoot });
    expect(await wrong.fetch(graph.addMedia(jpeg(), 'image/jpeg'))).toEqual({ ok: false, reason: 'whatsapp: HTTP 401 code 190', permanent: false });
  });
});

describe('the WhatsApp Web fetcher', () => {
  it('is ready only where the session is, and downloads through the client', async () => {
    const bytes = webp();
    let client: MediaClientLike | undefined;
    const fetcher = createWhatsappWebMediaFetcher(() => client);
    expect(fetcher.ready!()).toBe(false);
    expect(await fetcher.fetch('false_62812@c.us_ABC')).toEqual({ ok: false, reason: 'whatsapp web: not connected', permanent: false });

    const media = new Map([['false_62812@c.us_ABC', bytes]]);
    client = {
      getMessageById: async (id) => {
        const b = media.get(id);
        return b ? { hasMedia: true, downloadMedia: async () => ({ mimetype: 'image/webp', data: b.toString('base64'), filename: null }) } : null;
      },
    };
    expect(fetcher.ready!()).toBe(true);
    const got = await fetcher.fetch('false_62812@c.us_ABC');
    expect(got.ok && got.bytes.equals(bytes)).toBe(true);
    expect(await fetcher.fetch('false_62812@c.us_GONE')).toEqual({ ok: false, reason: 'whatsapp web: message no longer on the phone', permanent: true });
  });
});

describe('the attachments job over the database', () => {
  let database: TestDatabase;
  const now = new Date('2026-11-24T03:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    const { seedDemoCity } = await import('../../src/services/seed/index.ts');
    await seedDemoCity(database, { households: 5 });
  }, 120_000);
  afterAll(() => database?.dispose());

  const photo = (ref: string, extra: Record<string, unknown> = {}) => ({ kind: 'photo', mimeType: 'image/jpeg', ref, ...extra });

  async function fileWith(channel: 'telegram' | 'webchat', photos: unknown[], kecamatan: number | null = null) {
    const contactId = await contact(database.db, { channel });
    return fileComplaint(database.db, { contactId, category: 'other', summary: 'Ada yang perlu dilaporkan', details: { what: 'x', photos }, anonymous: false, kecamatanId: kecamatan, now });
  }

  const rows = (complaintId: number) => database.db.select().from(attachments).where(eq(attachments.complaintId, complaintId)).orderBy(asc(attachments.id));

  it('writes one row per file with the complaint, refusing at once what can never be kept', async () => {
    const { id } = await fileWith('telegram', [photo('A1'), photo('A2', { mimeType: 'video/mp4' }), photo('A3', { size: MAX_ATTACHMENT_BYTES + 5 }), { kind: 'photo', mimeType: 'image/png' }, 'junk']);
    expect((await rows(id)).map((r) => [r.channel, r.ref, r.status, r.failReason])).toEqual([
      ['telegram', 'A1', 'pending', null],
      ['telegram', 'A2', 'failed', 'type_not_allowed: video/mp4'],
      ['telegram', 'A3', 'failed', `too_large: ${MAX_ATTACHMENT_BYTES + 5} bytes`],
      ['telegram', null, 'failed', 'no_source: the channel gave no file to fetch'],
    ]);
    // The web chat has no provider to fetch from.
    const web = await fileWith('webchat', [photo('W1')]);
    expect((await rows(web.id)).map((r) => r.status)).toEqual(['failed']);
    // Nothing is left pending for the next test's counts.
    await database.db.update(attachments).set({ status: 'failed' }).where(eq(attachments.status, 'pending'));
  });

  it('lets concurrent runs share the work: each file fetched once, the same bytes stored once', async () => {
    const same = jpeg(2000);
    const refs = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6'];
    const { id } = await fileWith('telegram', refs.map((r) => photo(r)));
    const calls: string[] = [];
    const fetcher: MediaFetcher = {
      channel: 'telegram',
      async fetch(ref) {
        calls.push(ref);
        await new Promise((r) => setTimeout(r, 20));
        return { ok: true, bytes: ref === 'C6' ? jpeg(100) : same };
      },
    };
    // A process without a Telegram fetcher (or one not ready) leaves Telegram's rows alone.
    expect(await fetchDueAttachments(database.db, [{ channel: 'whatsapp_web', ready: () => false, fetch: fetcher.fetch }], { now })).toEqual({ stored: 0, retrying: 0, failed: 0 });

    const runs = await Promise.all([1, 2, 3].map(() => fetchDueAttachments(database.db, [fetcher], { now, limit: 2 })));
    expect(runs.reduce((n, r) => n + r.stored, 0)).toBe(6);
    expect([...calls].sort()).toEqual(refs);
    const stored = await rows(id);
    expect(stored.every((r) => r.status === 'stored' && r.attempts === 1)).toBe(true);
    const hashes = new Set(stored.map((r) => r.sha256!));
    expect(hashes.size).toBe(2);
    expect(await database.db.select({ sha256: attachmentBlobs.sha256 }).from(attachmentBlobs).where(inArray(attachmentBlobs.sha256, [...hashes]))).toHaveLength(2);
  });

  it('serves a file only through a complaint the actor may see, and audits each read', async () => {
    const batuAji = await kecamatanId(database.db, 'Batu Aji');
    const { id } = await fileWith('telegram', [photo('S1')], batuAji);
    const bytes = jpeg(300);
    await fetchDueAttachments(database.db, [{ channel: 'telegram', fetch: async () => ({ ok: true, bytes }) }], { now });
    const [row] = await rows(id);
    const [c] = await database.db.select().from(complaints).where(eq(complaints.id, id));

    const inScope = await staff(database.db, 'supervisor', { kecamatanId: batuAji });
    const elsewhere = await staff(database.db, 'supervisor', { kecamatanId: await kecamatanId(database.db, 'Nongsa') });
    const otherBidang = await staff(database.db, 'supervisor', { bidang: c!.bidang === 'Rehsos' ? 'Linjamsos' : 'Rehsos' });
    const file = await readAttachment(database.db, inScope, id, row!.id);
    expect(file?.bytes.equals(bytes)).toBe(true);
    expect(file?.mimeType).toBe('image/jpeg');
    expect((await listAttachments(database.db, inScope, id))?.map((a) => a.status)).toEqual(['stored']);
    for (const actor of [elsewhere, otherBidang]) {
      expect(await readAttachment(database.db, actor, id, row!.id)).toBeNull();
      expect(await listAttachments(database.db, actor, id)).toBeNull();
    }
    // A file of another complaint is not reachable through this one.
    const other = await fileWith('telegram', [photo('S2')], batuAji);
    await fetchDueAttachments(database.db, [{ channel: 'telegram', fetch: async () => ({ ok: true, bytes }) }], { now });
    expect(await readAttachment(database.db, inScope, id, (await rows(other.id))[0]!.id)).toBeNull();
  });
});
