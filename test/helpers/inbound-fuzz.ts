import fc from 'fast-check';
import { BODY_LIMITS } from '../../src/http/limits/body.ts';

// Generators for issue 8's inbound fuzz: what Telegram, Meta, a browser and whatsapp-web.js could hand us,
// from well-formed messages with odd text to bodies that are not even JSON. Shared by the fast fuzz in
// `npm test` and the 100,000-input run of `npm run test:reliability`, so both attack the same shapes.
//
// A case says what must come back:
// - reply:        a valid message (odd text is still text): 200, and the resident gets an answer;
// - reject:       not something the channel could ever send: 4xx with a reason in the body;
// - either:       a mutated message: accepted (200) or refused (4xx with a reason), never 5xx;
// - unauthorized: a badly signed or unsigned webhook: 401, nothing read.

export type Expect = 'reply' | 'reject' | 'either' | 'unauthorized';

/** A body as sent: an object to JSON-encode, raw text, raw bytes, or `huge` (built when sent: > 1 MB). */
export type FuzzBody = { json: unknown } | { raw: string } | { bytes: number[] } | { huge: number };

export type FuzzCase =
  | { channel: 'telegram'; expect: Expect; chatId: string; body: FuzzBody; secret: 'good' | 'bad' | 'none' }
  | { channel: 'whatsapp_cloud'; expect: Expect; chatId: string; body: FuzzBody; sign: 'good' | 'bad' | 'none' }
  | { channel: 'webchat'; expect: Expect; chatId: string; body: FuzzBody; contentType: string }
  /** GET /webchat/events with a session cookie that is not one (`chatId` holds its value): refused before any stream opens. */
  | { channel: 'webchat_events'; expect: 'reject'; chatId: string }
  | { channel: 'whatsapp_web'; expect: 'reply' | 'either'; chatId: string; message: unknown };

export type FuzzChannel = FuzzCase['channel'];

// ---- text -----------------------------------------------------------------------------------------------

/** Texts that broke chat bots before: NUL, lone surrogates, bidi overrides, zero-width joiners, huge. */
export const EDGE_TEXTS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  'emoji terpotong \ud83d',
  '\u202eredro ni ton\u202c',
  'مرحبا، أريد التحقق من المساعدة',
  'שלום',
  '\u200b\u200c\u200d\u2060\ufeff',
  'me\u200bnu',
  '👨‍👩‍👧‍👦🇮🇩🏳️‍🌈',
  'e\u0301'.repeat(3000),
  'Z̸̢͉̀a̴l̷g̵o̷ t̶e̸x̵t̴',
  '\r\n\t\v\f',
  '\u0085\u2028\u2029',
  '\uFFFE\uFFFF\u{10FFFF}',
  '３１７１２３４５６７８９０１２３',
  '٣١٧١٢٣٤٥٦٧٨٩٠١٢٣',
  '<script>alert(1)</script>',
  "'; drop table contacts; --",
  '{{nama}} {{nomor_tiket}}',
  '$t(menu:title) $t(aid:verified)',
  '%s%n%x',
  '../../../../etc/passwd',
  'a'.repeat(5001),
  'Ｂansos 🙏 mohon bantu',
  '1'.repeat(4096),
];

/** What a resident types on an ordinary day: menu numbers, commands, NIK-shaped digits, dates. */
export const EVERYDAY_TEXTS: readonly string[] = [
  'menu',
  '1',
  '2',
  '3',
  '4',
  '5',
  '9',
  'batal',
  'bantuan',
  'cek bansos',
  'bahasa',
  'english',
  'ya',
  'tidak',
  '/start',
  '/menu',
  '/menu@PintuBot',
  'lapor',
  'halo',
  '2171105203850001',
  '2171 1052 0385 0001',
  '12-03-1985',
  '31 Februari 1990',
  'kapan BLT cair?',
];

// The handover word hands the chat to staff and the bot goes quiet: a valid case could not expect a reply.
// The run still sends it now and then through `either` cases.
const HANDOVER_WORDS = ['petugas', 'operator', 'officer'];

export const oddText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_TEXTS) },
  { weight: 3, arbitrary: fc.constantFrom(...EVERYDAY_TEXTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...EDGE_TEXTS, ...EVERYDAY_TEXTS), { minLength: 2, maxLength: 4 }).map((parts) => parts.join(' ')) },
);

/** Any JSON value, for wrong types and bodies that are not objects. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 63), 1e308),
  oddText,
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
);

/** Bodies no channel sends: not JSON, JSON that is not an object, bytes that are not UTF-8, huge. */
const garbageBody: fc.Arbitrary<FuzzBody> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((raw) => ({ raw })) },
  { weight: 2, arbitrary: fc.constantFrom('', '{', '{"update_id":', '[1,2', 'null', 'true', '"text"', '{"a":1}}', '\u0000', '{"object":"whatsapp_business_account"').map((raw) => ({ raw })) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })) },
  { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }).map((bytes) => ({ bytes: [0xff, 0xfe, ...bytes] })) },
);

/** Rare (they cost a megabyte each): bodies just over and well over 1 MB. */
const hugeBody: fc.Arbitrary<FuzzBody> = fc.constantFrom(1024 * 1024 + 1, 3 * 1024 * 1024).map((huge) => ({ huge }));

// ---- mutation -------------------------------------------------------------------------------------------

type Path = (string | number)[];

/** The message with one field at `path` deleted or given a wrong type; a path that is not there is skipped. */
function mutate(value: unknown, path: Path, replacement: { delete: true } | { set: unknown }): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> | undefined = copy;
  for (const key of path.slice(0, -1)) {
    const next: unknown = parent?.[key];
    parent = typeof next === 'object' && next !== null ? (next as Record<string | number, unknown>) : undefined;
  }
  if (!parent) return copy;
  const last = path[path.length - 1]!;
  if ('delete' in replacement) delete parent[last];
  else parent[last] = replacement.set;
  return copy;
}

/** One to three mutations at the given paths. */
function mutated(valid: fc.Arbitrary<unknown>, paths: Path[]): fc.Arbitrary<unknown> {
  const one = fc.record({
    path: fc.constantFrom(...paths),
    change: fc.oneof(fc.constant({ delete: true } as const), wrongValue.map((set) => ({ set }))),
  });
  return fc.tuple(valid, fc.array(one, { minLength: 1, maxLength: 3 })).map(([v, changes]) => changes.reduce((acc, c) => mutate(acc, c.path, c.change), v));
}

// ---- Telegram -------------------------------------------------------------------------------------------

export interface Pools {
  telegram: string[];
  whatsappCloud: string[];
  webchat: string[];
  whatsappWeb: string[];
}

/** A few chats per channel, so fuzz lands on the same sessions again and again, mid-flow. */
export function chatPools(size = 40, tag = String(Date.now() % 100_000)): Pools {
  const n = Array.from({ length: size }, (_, i) => i);
  return {
    telegram: n.map((i) => String(700_000_000 + Number(tag) * 100 + i)),
    whatsappCloud: n.map((i) => `6281${tag.padStart(5, '0')}${String(i).padStart(3, '0')}`),
    webchat: n.map((i) => `fuzz-${tag}-${String(i).padStart(3, '0')}`),
    whatsappWeb: n.map((i) => `6285${tag.padStart(5, '0')}${String(i).padStart(3, '0')}@c.us`),
  };
}

const notHandover = (t: string) => !HANDOVER_WORDS.some((w) => t.toLowerCase().includes(w));

function telegramUser(id: number, name: string, language?: string) {
  return { id, is_bot: false, first_name: name, ...(language === undefined ? {} : { language_code: language }) };
}

/** update_id and message_id are placeholders: the runner stamps unique ones, or a redelivery would be skipped. */
function telegramText(chatId: string) {
  return fc.record({ text: oddText.filter(notHandover), name: oddText, language: fc.option(fc.constantFrom('id', 'en', 'ar', 'zh-hans', ''), { nil: undefined }) }).map(({ text, name, language }) => {
    const id = Number(chatId);
    return {
      update_id: 0,
      message: { message_id: 0, date: 1_700_000_000, from: telegramUser(id, name, language), chat: { id, type: 'private', first_name: name }, text },
    };
  });
}

function telegramOther(chatId: string) {
  const id = Number(chatId);
  const content = fc.oneof(
    fc.record({ photo: fc.constant([{ file_id: 'AgAC-small', file_unique_id: 's', width: 90, height: 90, file_size: 1200 }, { file_id: 'AgAC-big', file_unique_id: 'b', width: 1280, height: 960 }]), caption: oddText }),
    fc.record({ document: fc.record({ file_id: fc.constant('BQAC'), file_unique_id: fc.constant('d'), file_name: oddText, mime_type: fc.constantFrom('application/pdf', 'image/png', 'x/\u0000') }) }),
    fc.record({ location: fc.record({ latitude: fc.double({ min: -90, max: 90, noNaN: true }), longitude: fc.double({ min: -180, max: 180, noNaN: true }) }) }),
    fc.constant({ sticker: { file_id: 'CAAC', file_unique_id: 'st', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } }),
    fc.constant({ voice: { file_id: 'AwAC', file_unique_id: 'v', duration: 3 } }),
    fc.constant({ contact: { phone_number: '+6281200000000', first_name: 'Ibu' } }),
    fc.constant({ dice: { emoji: '🎲', value: 4 } }),
  );
  return content.map((c) => ({ update_id: 0, message: { message_id: 0, date: 1_700_000_000, from: telegramUser(id, 'Warga'), chat: { id, type: 'private', first_name: 'Warga' }, ...c } }));
}

function telegramCallback(chatId: string) {
  const id = Number(chatId);
  return fc.record({ data: fc.oneof(fc.constantFrom('menu', 'aid', 'complaint', 'id', 'en', 'csat:5', 'h:0000'), oddText.filter((s) => s.length > 0 && s.length <= 64)) }).map(({ data }) => ({
    update_id: 0,
    callback_query: {
      id: '0',
      from: telegramUser(id, 'Warga'),
      chat_instance: '-1',
      data,
      message: { message_id: 1, date: 1_700_000_000, chat: { id, type: 'private', first_name: 'Warga' }, text: 'Menu', reply_markup: { inline_keyboard: [[{ text: 'Menu', callback_data: 'menu' }]] } },
    },
  }));
}

const TELEGRAM_PATHS: Path[] = [
  ['update_id'],
  ['message'],
  ['message', 'message_id'],
  ['message', 'chat'],
  ['message', 'chat', 'id'],
  ['message', 'chat', 'type'],
  ['message', 'from'],
  ['message', 'from', 'id'],
  ['message', 'from', 'is_bot'],
  ['message', 'from', 'first_name'],
  ['message', 'from', 'language_code'],
  ['message', 'text'],
  ['message', 'caption'],
  ['message', 'photo'],
  ['message', 'photo', 0],
  ['message', 'photo', 1, 'file_id'],
  ['message', 'document'],
  ['message', 'document', 'mime_type'],
  ['message', 'document', 'file_name'],
  ['message', 'location'],
  ['message', 'location', 'latitude'],
  ['message', 'venue'],
  ['message', 'sender_chat'],
  ['message', 'contact'],
  ['callback_query'],
  ['callback_query', 'id'],
  ['callback_query', 'from'],
  ['callback_query', 'from', 'is_bot'],
  ['callback_query', 'from', 'language_code'],
  ['callback_query', 'data'],
  ['callback_query', 'message'],
  ['callback_query', 'message', 'chat'],
  ['callback_query', 'message', 'chat', 'type'],
  ['callback_query', 'message', 'reply_markup'],
  ['callback_query', 'message', 'reply_markup', 'inline_keyboard'],
  ['callback_query', 'message', 'reply_markup', 'inline_keyboard', 0],
  ['edited_message'],
  ['my_chat_member'],
];

function telegramCases(pool: string[]): fc.Arbitrary<FuzzCase> {
  const chat = fc.constantFrom(...pool);
  const valid = (c: string) => fc.oneof({ weight: 80, arbitrary: telegramText(c) }, { weight: 40, arbitrary: telegramOther(c) }, { weight: 20, arbitrary: telegramCallback(c) });
  const tg = (expect: Expect, body: fc.Arbitrary<FuzzBody>, secret: 'good' | 'bad' | 'none' = 'good') =>
    chat.chain((chatId) => body.map((b): FuzzCase => ({ channel: 'telegram', expect, chatId, body: b, secret })));
  return fc.oneof(
    { weight: 160, arbitrary: chat.chain((chatId) => valid(chatId).map((json): FuzzCase => ({ channel: 'telegram', expect: 'reply', chatId, body: { json }, secret: 'good' }))) },
    { weight: 160, arbitrary: chat.chain((chatId) => mutated(valid(chatId), TELEGRAM_PATHS).map((json): FuzzCase => ({ channel: 'telegram', expect: 'either', chatId, body: { json }, secret: 'good' }))) },
    { weight: 60, arbitrary: tg('reject', garbageBody.filter((b) => !isObjectBodyWithUpdateId(b))) },
    { weight: 20, arbitrary: tg('unauthorized', garbageBody, 'bad') },
    { weight: 20, arbitrary: tg('unauthorized', fc.constant({ json: {} }), 'none') },
    { weight: 1, arbitrary: tg('reject', hugeBody) },
  );
}

function isObjectBodyWithUpdateId(b: FuzzBody): boolean {
  if (!('json' in b)) return false;
  const v = b.json;
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Number.isSafeInteger((v as Record<string, unknown>).update_id);
}

// ---- WhatsApp Cloud API ---------------------------------------------------------------------------------

const PHONE_NUMBER_ID = '106540352242922';

function cloudEnvelope(from: string, message: Record<string, unknown>, name: string) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '628110000000', phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name }, wa_id: from }],
              messages: [{ from, id: 'wamid.placeholder', timestamp: '1700000000', ...message }],
            },
          },
        ],
      },
    ],
  };
}

function cloudValid(from: string) {
  const content = fc.oneof(
    { weight: 100, arbitrary: oddText.filter(notHandover).map((body) => ({ type: 'text', text: { body } })) },
    { weight: 20, arbitrary: fc.record({ id: fc.oneof(fc.constantFrom('menu', 'aid', 'id', 'en'), oddText), title: oddText }).map((r) => ({ type: 'interactive', interactive: { type: 'button_reply', button_reply: r } })) },
    { weight: 20, arbitrary: fc.record({ id: oddText, title: oddText }).map((r) => ({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { ...r, description: '' } } })) },
    { weight: 20, arbitrary: fc.record({ latitude: fc.double({ min: -90, max: 90, noNaN: true }), longitude: fc.double({ min: -180, max: 180, noNaN: true }) }).map((location) => ({ type: 'location', location })) },
    { weight: 20, arbitrary: oddText.map((caption) => ({ type: 'image', image: { id: '1479537139650973', mime_type: 'image/jpeg', sha256: 'c2hh', caption } })) },
    { weight: 20, arbitrary: fc.constantFrom('sticker', 'audio', 'unsupported', 'order', 'contacts').map((type) => ({ type, [type]: type === 'contacts' ? [{ name: { formatted_name: 'X' } }] : { id: '2479537139650973', mime_type: 'audio/ogg' } })) },
  );
  return fc.tuple(content, oddText).map(([c, name]) => cloudEnvelope(from, c, name));
}

const V = ['entry', 0, 'changes', 0, 'value'];
const M = [...V, 'messages', 0];
const CLOUD_PATHS: Path[] = [
  ['object'],
  ['entry'],
  ['entry', 0],
  ['entry', 0, 'changes'],
  ['entry', 0, 'changes', 0, 'field'],
  V,
  [...V, 'metadata'],
  [...V, 'metadata', 'phone_number_id'],
  [...V, 'contacts'],
  [...V, 'contacts', 0, 'profile'],
  [...V, 'contacts', 0, 'profile', 'name'],
  [...V, 'messages'],
  [...V, 'statuses'],
  [...V, 'errors'],
  M,
  [...M, 'from'],
  [...M, 'id'],
  [...M, 'type'],
  [...M, 'timestamp'],
  [...M, 'text'],
  [...M, 'text', 'body'],
  [...M, 'interactive'],
  [...M, 'interactive', 'button_reply'],
  [...M, 'interactive', 'button_reply', 'id'],
  [...M, 'location', 'latitude'],
  [...M, 'image'],
  [...M, 'image', 'id'],
  [...M, 'image', 'caption'],
];

function cloudCases(pool: string[]): fc.Arbitrary<FuzzCase> {
  const chat = fc.constantFrom(...pool);
  const cloud = (expect: Expect, body: fc.Arbitrary<FuzzBody>, sign: 'good' | 'bad' | 'none' = 'good') =>
    chat.chain((chatId) => body.map((b): FuzzCase => ({ channel: 'whatsapp_cloud', expect, chatId, body: b, sign })));
  return fc.oneof(
    { weight: 160, arbitrary: chat.chain((chatId) => cloudValid(chatId).map((json): FuzzCase => ({ channel: 'whatsapp_cloud', expect: 'reply', chatId, body: { json }, sign: 'good' }))) },
    { weight: 160, arbitrary: chat.chain((chatId) => mutated(cloudValid(chatId), CLOUD_PATHS).map((json): FuzzCase => ({ channel: 'whatsapp_cloud', expect: 'either', chatId, body: { json }, sign: 'good' }))) },
    { weight: 60, arbitrary: cloud('reject', garbageBody) },
    { weight: 20, arbitrary: chat.chain((chatId) => cloudValid(chatId).map((json): FuzzCase => ({ channel: 'whatsapp_cloud', expect: 'unauthorized', chatId, body: { json }, sign: 'bad' }))) },
    { weight: 20, arbitrary: cloud('unauthorized', garbageBody, 'none') },
    { weight: 1, arbitrary: cloud('reject', hugeBody) },
  );
}

// ---- web chat -------------------------------------------------------------------------------------------

/** Whether a message's JSON, with the page's clientMessageId, is within the web chat's body limit. */
const fitsWebchat = (m: Record<string, unknown>) => Buffer.byteLength(JSON.stringify({ ...m, clientMessageId: 'x'.repeat(100) })) <= BODY_LIMITS.webchat;

// A web chat case's chatId names the simulated browser: the runner sends that chat's session cookie
// (helpers/webchat.ts). Bodies never name a chat.
function webchatCases(pool: string[]): fc.Arbitrary<FuzzCase> {
  const chat = fc.constantFrom(...pool);
  const web = (expect: Expect, body: fc.Arbitrary<FuzzBody>, contentType: fc.Arbitrary<string> = fc.constant('application/json')) =>
    fc.tuple(chat, contentType, body).map(([chatId, ct, b]): FuzzCase => ({ channel: 'webchat', expect, chatId, body: b, contentType: ct }));
  const validMessage = fc.oneof(
    { weight: 80, arbitrary: oddText.filter(notHandover).map((text): Record<string, unknown> => ({ text })) },
    { weight: 20, arbitrary: fc.oneof(fc.constantFrom('menu', 'aid', 'complaint', 'id', 'en'), oddText.filter((s) => s.length > 0 && s.length <= 100)).map((choice): Record<string, unknown> => ({ choice })) },
    { weight: 5, arbitrary: fc.constant<Record<string, unknown>>({ start: true }) },
  );
  const PATHS: Path[] = [['text'], ['choice'], ['start'], ['clientMessageId'], ['extra']];
  return fc.oneof(
    // A valid message the page could send fits the web chat's 16 KB body limit (src/http/limits/body.ts); several
    // long edge texts joined may not, and are answered 413 like the 20,001 characters below.
    { weight: 160, arbitrary: web('reply', validMessage.filter(fitsWebchat).map((json) => ({ json }))) },
    { weight: 120, arbitrary: web('either', mutated(validMessage, PATHS).map((json) => ({ json }))) },
    { weight: 60, arbitrary: web('reject', garbageBody.filter((b) => !mayBeWebchatMessage(b))) },
    {
      weight: 20,
      arbitrary: web(
        'reject',
        fc.constantFrom({ json: { text: 'x'.repeat(20_001) } }, { json: { text: 'a', choice: 'b' } }, { json: { chatId: 'fuzz-000-000', text: 'halo' } }, { json: {} }, { json: { start: false } }),
      ),
    },
    { weight: 20, arbitrary: web('either', validMessage.map((json) => ({ json })), fc.constantFrom('text/plain', '', 'application/x-www-form-urlencoded', 'application/json; charset=latin1')) },
    { weight: 1, arbitrary: web('reject', hugeBody) },
    {
      weight: 10,
      arbitrary: fc
        .oneof(oddText, fc.constantFrom('short', 'a'.repeat(65), 'fuzz 000 000', '../etc', 'fuzz-000%00'))
        .filter((id) => !/^[A-Za-z0-9_-]{43}$/.test(id))
        .map((chatId): FuzzCase => ({ channel: 'webchat_events', expect: 'reject', chatId })),
    },
  );
}

/** A JSON object that names a web chat field: random JSON of that shape could be a valid message. */
function mayBeWebchatMessage(b: FuzzBody): boolean {
  if (!('json' in b)) return false;
  const v = b.json;
  return typeof v === 'object' && v !== null && !Array.isArray(v) && ['text', 'choice', 'start'].some((k) => k in v);
}

// ---- whatsapp-web.js ------------------------------------------------------------------------------------

function wwebValid(from: string) {
  return fc.record({ body: oddText.filter(notHandover), name: oddText, type: fc.constantFrom('chat', 'chat', 'chat', 'image', 'ptt', 'sticker', 'video', 'vcard', 'poll_creation', 'location') }).map(({ body, name, type }) => ({
    id: { _serialized: 'placeholder', fromMe: false, remote: from, id: 'placeholder' },
    from,
    to: 'me@c.us',
    fromMe: false,
    isStatus: false,
    type,
    body,
    hasMedia: ['image', 'ptt', 'sticker', 'video'].includes(type),
    timestamp: 1_700_000_000,
    ...(type === 'location' ? { location: { latitude: '1.13', longitude: '104.05' } } : {}),
    _data: { notifyName: name, ...(type === 'image' ? { mimetype: 'image/jpeg', size: 1234 } : {}) },
  }));
}

const WWEB_PATHS: Path[] = [['id'], ['id', '_serialized'], ['from'], ['fromMe'], ['isStatus'], ['type'], ['body'], ['hasMedia'], ['timestamp'], ['location'], ['location', 'latitude'], ['_data'], ['_data', 'notifyName'], ['_data', 'mimetype'], ['_data', 'size'], ['_data', 'filename']];

function wwebCases(pool: string[]): fc.Arbitrary<FuzzCase> {
  const chat = fc.constantFrom(...pool);
  return fc.oneof(
    { weight: 1, arbitrary: chat.chain((chatId) => wwebValid(chatId).map((message): FuzzCase => ({ channel: 'whatsapp_web', expect: 'reply', chatId, message }))) },
    { weight: 1, arbitrary: chat.chain((chatId) => mutated(wwebValid(chatId), WWEB_PATHS).map((message): FuzzCase => ({ channel: 'whatsapp_web', expect: 'either', chatId, message }))) },
  );
}

// ---- all ------------------------------------------------------------------------------------------------

export function inboundCases(pools: Pools): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { weight: 3, arbitrary: telegramCases(pools.telegram) },
    { weight: 3, arbitrary: cloudCases(pools.whatsappCloud) },
    { weight: 3, arbitrary: webchatCases(pools.webchat) },
    { weight: 1, arbitrary: wwebCases(pools.whatsappWeb) },
  );
}

/** `count` cases, reproducible from `seed`, in batches so 100,000 of them never sit in memory at once. */
export function* fuzzBatches(pools: Pools, count: number, seed: number, batchSize = 500): Generator<FuzzCase[]> {
  const arb = inboundCases(pools);
  for (let done = 0, batch = 0; done < count; batch++) {
    const n = Math.min(batchSize, count - done);
    yield fc.sample(arb, { numRuns: n, seed: seed + batch });
    done += n;
  }
}
