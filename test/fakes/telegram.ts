import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update, UserFromGetMe } from 'grammy/types';

/**
 * A Telegram Bot API server for tests: real HTTP on 127.0.0.1, `/bot<token>/<method>`, JSON and multipart
 * bodies (grammY sends multipart when a file is attached). It records every call, answers as Telegram does,
 * checks the limits Telegram checks (text 4,096, caption 1,024, callback data 64 bytes), holds getUpdates
 * open for long polling, and can be told to fail: 429 with retry_after, 5xx, a blocked or unknown chat.
 */

export const FAKE_TOKEN = '123456789:AAFakeTokenForTestsOnly_abcdefghijk';

export interface FakeFile {
  field: string;
  fileName: string;
  size: number;
}

export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
  files: FakeFile[];
  /** Date.now() when the request arrived. */
  at: number;
  /** HTTP status answered. */
  status: number;
}

/** A message the bot sent (successful sendMessage / sendPhoto / sendDocument). */
export interface FakeSent {
  method: 'sendMessage' | 'sendPhoto' | 'sendDocument';
  chatId: string;
  messageId: number;
  text?: string;
  caption?: string;
  /** Inline buttons, a reply keyboard (`keyboard`), or `remove_keyboard`: one of the three, as Telegram takes it. */
  replyMarkup?: {
    inline_keyboard?: { text: string; callback_data?: string }[][];
    keyboard?: { text: string; request_contact?: boolean }[][];
    one_time_keyboard?: boolean;
    resize_keyboard?: boolean;
    remove_keyboard?: true;
  };
  files: FakeFile[];
  at: number;
}

export interface FakeError {
  error_code: number;
  description: string;
  retry_after?: number;
}

interface Scripted extends FakeError {
  remaining: number;
  /** Matching calls to let through before this script starts failing them. */
  skip: number;
  methods?: string[];
}

const SEND_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument']);

export const FAKE_BOT: UserFromGetMe = {
  id: 123456789,
  is_bot: true,
  first_name: 'Pintu Dinsos',
  username: 'PintuDinsosBot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
} as UserFromGetMe;

export class FakeTelegram {
  readonly calls: FakeCall[] = [];
  readonly sentMessages: FakeSent[] = [];
  webhook: { url: string; secretToken?: string; allowedUpdates?: string[] } | undefined;
  /** allowed_updates of the last getUpdates that gave them. */
  allowedUpdates: string[] | undefined;

  private nextMessageId = 1000;
  private nextFileId = 1;
  private lastUpdateId = 500_000;
  private queue: Update[] = [];
  private confirmedBelow = 0;
  private waiters = new Set<() => void>();
  private scripted: Scripted[] = [];
  private blocked = new Map<string, string>();
  private unknownChats = new Set<string>();
  private connections = new Set<import('node:net').Socket>();
  /** Files residents "sent": file_id → where getFile says it is and its bytes (served under /file/bot<token>/). */
  private files = new Map<string, { path: string; bytes: Buffer; reportedSize: number }>();

  private constructor(
    private readonly server: Server,
    readonly token: string,
    readonly botInfo: UserFromGetMe,
    /** Each Bot API method is answered this long after its request arrived (recorded on arrival). */
    private readonly responseDelayMs = 0,
  ) {
    server.on('connection', (s) => {
      this.connections.add(s);
      s.on('close', () => this.connections.delete(s));
    });
  }

  /**
   * `responseDelayMs` answers every method that long after its request arrived, like a Bot API ~30 ms away:
   * a send is recorded (it "reached Telegram") before its answer is back, so a client that dies in between
   * has delivered a message it never heard about. Default 0: answered at once.
   */
  static async start(opts: { token?: string; botInfo?: UserFromGetMe; responseDelayMs?: number } = {}): Promise<FakeTelegram> {
    let fake!: FakeTelegram;
    const server = createServer((req, res) => {
      fake.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) reply(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
      });
    });
    fake = new FakeTelegram(server, opts.token ?? FAKE_TOKEN, opts.botInfo ?? FAKE_BOT, opts.responseDelayMs ?? 0);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** What TELEGRAM_API_ROOT / grammY's `client.apiRoot` should be. */
  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Successful sends, to one chat or all, in order. */
  sent(chatId?: string | number): FakeSent[] {
    return chatId === undefined ? [...this.sentMessages] : this.sentMessages.filter((m) => m.chatId === String(chatId));
  }

  /** When each successful send arrived (ms), for rate checks. */
  sendTimes(chatId?: string | number): number[] {
    return this.sent(chatId).map((m) => m.at);
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * The next `times` calls (send methods unless `methods` says otherwise) answer with this error; with
   * `after`, that many matching calls succeed first (a failure on the second part of a split message).
   */
  failNext(times: number, error: FakeError, opts: { methods?: string[]; after?: number } = {}): void {
    this.scripted.push({ ...error, remaining: times, skip: opts.after ?? 0, methods: opts.methods ?? [...SEND_METHODS] });
  }

  /** The next `times` sends answer 429 Too Many Requests with `retry_after` seconds. */
  rateLimitNext(times: number, retryAfterSeconds: number): void {
    this.failNext(times, { error_code: 429, description: `Too Many Requests: retry after ${retryAfterSeconds}`, retry_after: retryAfterSeconds });
  }

  /** Sends to this chat answer 403 as when the resident blocked the bot. */
  blockChat(chatId: string | number, description = 'Forbidden: bot was blocked by the user'): void {
    this.blocked.set(String(chatId), description);
  }

  unblockChat(chatId: string | number): void {
    this.blocked.delete(String(chatId));
  }

  /** Sends to this chat answer 400 "chat not found". */
  unknownChat(chatId: string | number): void {
    this.unknownChats.add(String(chatId));
  }

  /**
   * A file a resident sent, as Telegram keeps it: returns its file_id, which getFile resolves and
   * `/file/bot<token>/<file_path>` serves. `reportedSize` is what getFile says (default: the real size).
   */
  addFile(bytes: Buffer, opts: { extension?: string; reportedSize?: number } = {}): string {
    const n = this.nextFileId++;
    const fileId = `AgACAgUAAxkBAAI${String(n).padStart(6, '0')}`;
    this.files.set(fileId, { path: `photos/file_${n}.${opts.extension ?? 'jpg'}`, bytes, reportedSize: opts.reportedSize ?? bytes.byteLength });
    return fileId;
  }

  /** Downloads of files (GET /file/bot<token>/...) with the status answered. */
  readonly downloads: { path: string; status: number }[] = [];

  /** Queues an update for getUpdates under the next update_id (Telegram numbers them, not the sender); returns it. */
  pushUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    const u = { ...update, update_id: ++this.lastUpdateId } as Update;
    this.queue.push(u);
    for (const w of [...this.waiters]) w();
    return u;
  }

  /** Updates queued and not yet confirmed by a later offset. */
  pendingUpdates(): Update[] {
    return this.queue.filter((u) => u.update_id >= this.confirmedBelow);
  }

  /** Resolves when `predicate` holds, polling every 10 ms; rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const started = Date.now();
    while (!predicate()) {
      if (Date.now() - started > timeoutMs) throw new Error(`fake Telegram: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Forgets calls and scripts (not queued updates). */
  reset(): void {
    this.calls.length = 0;
    this.sentMessages.length = 0;
    this.scripted = [];
    this.blocked.clear();
    this.unknownChats.clear();
  }

  async close(): Promise<void> {
    for (const w of [...this.waiters]) w();
    for (const s of this.connections) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- the Bot API ---

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.serveFile(file[1]!, file[2]!, res);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = match as unknown as [string, string, string];
    const { params, files } = await readParams(req, url);
    const call: FakeCall = { method, params, files, at: Date.now(), status: 200 };
    this.calls.push(call);
    const answer = (status: number, body: Record<string, unknown>) => {
      call.status = status;
      if (this.responseDelayMs > 0) setTimeout(() => reply(res, status, body), this.responseDelayMs);
      else reply(res, status, body);
    };
    const fail = (e: FakeError) =>
      answer(e.error_code, { ok: false, error_code: e.error_code, description: e.description, ...(e.retry_after !== undefined ? { parameters: { retry_after: e.retry_after } } : {}) });

    if (token !== this.token) return fail({ error_code: 401, description: 'Unauthorized' });

    const script = this.scripted.find((s) => s.remaining > 0 && (!s.methods || s.methods.includes(method)));
    if (script && script.skip > 0) script.skip--;
    else if (script) {
      script.remaining--;
      return fail(script);
    }

    switch (method) {
      case 'getMe':
        return answer(200, { ok: true, result: this.botInfo });
      case 'setWebhook':
        this.webhook = { url: String(params.url ?? ''), secretToken: params.secret_token as string | undefined, allowedUpdates: params.allowed_updates as string[] | undefined };
        return answer(200, { ok: true, result: true, description: 'Webhook was set' });
      case 'deleteWebhook':
        this.webhook = undefined;
        if (params.drop_pending_updates === true || params.drop_pending_updates === 'true') this.queue = [];
        return answer(200, { ok: true, result: true, description: 'Webhook was deleted' });
      case 'getUpdates':
        if (this.webhook) return fail({ error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
        return this.getUpdates(params, res, answer);
      case 'answerCallbackQuery':
        if (!params.callback_query_id) return fail({ error_code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' });
        return answer(200, { ok: true, result: true });
      case 'getFile': {
        const known = this.files.get(String(params.file_id ?? ''));
        if (!known) return fail({ error_code: 400, description: 'Bad Request: invalid file_id' });
        return answer(200, {
          ok: true,
          result: { file_id: String(params.file_id), file_unique_id: `u${String(params.file_id).slice(-8)}`, file_size: known.reportedSize, file_path: known.path },
        });
      }
      case 'sendMessage':
      case 'sendPhoto':
      case 'sendDocument':
        return this.send(method, params, files, call.at, answer, fail);
      default:
        return fail({ error_code: 404, description: 'Not Found: method not found' });
    }
  }

  private serveFile(token: string, path: string, res: ServerResponse): void {
    const known = token === this.token ? [...this.files.values()].find((f) => f.path === path) : undefined;
    this.downloads.push({ path, status: known ? 200 : 404 });
    if (!known) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': known.bytes.byteLength });
    res.end(known.bytes);
  }

  private send(
    method: 'sendMessage' | 'sendPhoto' | 'sendDocument',
    params: Record<string, unknown>,
    files: FakeFile[],
    at: number,
    answer: (status: number, body: Record<string, unknown>) => void,
    fail: (e: FakeError) => void,
  ): void {
    const chatId = params.chat_id === undefined ? '' : String(params.chat_id);
    if (!chatId) return fail({ error_code: 400, description: 'Bad Request: chat_id is empty' });
    const blocked = this.blocked.get(chatId);
    if (blocked) return fail({ error_code: 403, description: blocked });
    if (this.unknownChats.has(chatId)) return fail({ error_code: 400, description: 'Bad Request: chat not found' });

    const markup = params.reply_markup as FakeSent['replyMarkup'] | undefined;
    const kinds = markup ? (['inline_keyboard', 'keyboard', 'remove_keyboard'] as const).filter((k) => markup[k] !== undefined) : [];
    if (markup && kinds.length !== 1) return fail({ error_code: 400, description: "Bad Request: can't parse reply keyboard markup JSON object" });
    for (const row of markup?.keyboard ?? []) {
      for (const b of row) if (!b.text) return fail({ error_code: 400, description: 'Bad Request: keyboard button text is empty' });
    }
    for (const row of markup?.inline_keyboard ?? []) {
      for (const b of row) {
        if (!b.text) return fail({ error_code: 400, description: 'Bad Request: text buttons are unallowed in the inline keyboard' });
        if (b.callback_data !== undefined && (Buffer.byteLength(b.callback_data) > 64 || b.callback_data === '')) {
          return fail({ error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
        }
      }
    }

    const text = params.text === undefined ? undefined : String(params.text);
    const caption = params.caption === undefined ? undefined : String(params.caption);
    if (method === 'sendMessage') {
      if (!text || !text.trim()) return fail({ error_code: 400, description: 'Bad Request: message text is empty' });
      if (text.length > 4096) return fail({ error_code: 400, description: 'Bad Request: message is too long' });
    } else {
      if (caption !== undefined && caption.length > 1024) return fail({ error_code: 400, description: 'Bad Request: message caption is too long' });
      const field = method === 'sendPhoto' ? 'photo' : 'document';
      const ref = params[field];
      const attached = typeof ref === 'string' && ref.startsWith('attach://') ? files.find((f) => f.field === ref.slice(9)) : undefined;
      if (!attached && !(typeof ref === 'string' && ref.length > 0)) return fail({ error_code: 400, description: `Bad Request: there is no ${field} in the request` });
    }

    const messageId = ++this.nextMessageId;
    this.sentMessages.push({ method, chatId, messageId, text, caption, replyMarkup: markup, files, at });
    const fileId = `AgAC${String(this.nextFileId++).padStart(6, '0')}`;
    const result: Record<string, unknown> = {
      message_id: messageId,
      from: { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username },
      chat: { id: Number(chatId), first_name: 'Warga', type: 'private' },
      date: Math.floor(at / 1000),
      ...(text !== undefined ? { text } : {}),
      ...(caption !== undefined ? { caption } : {}),
      ...(markup ? { reply_markup: markup } : {}),
    };
    if (method === 'sendPhoto') {
      result.photo = [90, 320, 800].map((w) => ({ file_id: `${fileId}_${w}`, file_unique_id: `AQAD${w}`, width: w, height: w, file_size: w * 40 }));
    }
    if (method === 'sendDocument') {
      result.document = { file_id: fileId, file_unique_id: `AgAD${fileId}`, file_name: files[0]?.fileName ?? 'document', mime_type: 'application/pdf', file_size: files[0]?.size ?? 0 };
    }
    answer(200, { ok: true, result });
  }

  private getUpdates(params: Record<string, unknown>, res: ServerResponse, answer: (status: number, body: Record<string, unknown>) => void): void {
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(Math.max(Number(params.limit ?? 100), 1), 100);
    const timeoutS = Math.min(Math.max(Number(params.timeout ?? 0), 0), 50);
    if (Array.isArray(params.allowed_updates)) this.allowedUpdates = params.allowed_updates as string[];
    // An offset confirms every update below it: Telegram forgets them.
    if (offset > 0) {
      this.confirmedBelow = Math.max(this.confirmedBelow, offset);
      this.queue = this.queue.filter((u) => u.update_id >= this.confirmedBelow);
    }
    const ready = () => this.queue.filter((u) => u.update_id >= this.confirmedBelow).slice(0, limit);
    const now = ready();
    if (now.length > 0 || timeoutS === 0) return answer(200, { ok: true, result: now });

    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      this.waiters.delete(wake);
      res.off('close', onClose);
    };
    const wake = () => {
      finish();
      answer(200, { ok: true, result: ready() });
    };
    const onClose = () => finish(); // grammY aborted the request (bot.stop())
    const timer = setTimeout(wake, timeoutS * 1000);
    this.waiters.add(wake);
    res.on('close', onClose);
  }
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>) {
  if (res.writableEnded || res.destroyed) return;
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

async function readParams(req: IncomingMessage, url: URL): Promise<{ params: Record<string, unknown>; files: FakeFile[] }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json') && body.length > 0) {
    Object.assign(params, JSON.parse(body.toString('utf8')));
    return { params, files: [] };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = jsonish(v);
    return { params, files: [] };
  }
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
  if (type.startsWith('multipart/form-data') && boundary) return parseMultipart(body, boundary[1] ?? boundary[2]!, params);
  return { params, files: [] };
}

/** Enough multipart/form-data for grammY: fields (objects JSON-encoded) and files referenced as attach://<name>. */
function parseMultipart(body: Buffer, boundary: string, params: Record<string, unknown>): { params: Record<string, unknown>; files: FakeFile[] } {
  const files: FakeFile[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    let part = body.subarray(start, next);
    if (part.subarray(part.length - 2).toString() === '\r\n') part = part.subarray(0, part.length - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const fileName = /filename="?([^";\r\n]*)"?/i.exec(headers)?.[1];
    if (name !== undefined) {
      if (fileName !== undefined) files.push({ field: name, fileName, size: content.length });
      else params[name] = jsonish(content.toString('utf8'));
    }
    pos = next;
  }
  return { params, files };
}

function jsonish(v: string): unknown {
  if (/^[[{]/.test(v)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

// --- realistic updates, as Telegram sends them to a bot in a private chat ---

export interface Person {
  id: number;
  firstName: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
}

let messageSeq = 100;
let updateSeq = 700_000;

function user(p: Person) {
  return {
    id: p.id,
    is_bot: false,
    first_name: p.firstName,
    ...(p.lastName ? { last_name: p.lastName } : {}),
    ...(p.username ? { username: p.username } : {}),
    ...(p.languageCode ? { language_code: p.languageCode } : {}),
  };
}

function privateChat(p: Person) {
  return { id: p.id, first_name: p.firstName, ...(p.lastName ? { last_name: p.lastName } : {}), ...(p.username ? { username: p.username } : {}), type: 'private' as const };
}

/** A message update; `content` holds text, photo, voice, ... as the Bot API names them. */
export function messageUpdate(p: Person, content: Record<string, unknown>, opts: { updateId?: number; messageId?: number } = {}): Update {
  const text = content.text;
  const entities = typeof text === 'string' && /^\/\w+/.test(text) ? { entities: [{ offset: 0, length: /^\/\w+(@\w+)?/.exec(text)![0].length, type: 'bot_command' }] } : {};
  return {
    update_id: opts.updateId ?? ++updateSeq,
    message: {
      message_id: opts.messageId ?? ++messageSeq,
      from: user(p),
      chat: privateChat(p),
      date: Math.floor(Date.now() / 1000),
      ...content,
      ...entities,
    },
  } as unknown as Update;
}

export function textUpdate(p: Person, text: string, opts: { updateId?: number; messageId?: number } = {}): Update {
  return messageUpdate(p, { text }, opts);
}

/**
 * A contact card sent in the chat: what the request_contact button sends (the sender's own account, `userId`
 * = the sender's id), or any other card (someone else's id, or none for a card typed by hand).
 */
export function contactUpdate(p: Person, phone: string, userId: number | undefined, opts: { updateId?: number; messageId?: number } = {}): Update {
  return messageUpdate(p, { contact: { phone_number: phone, first_name: p.firstName, ...(userId !== undefined ? { user_id: userId } : {}) } }, opts);
}

/** A pressed inline button under `message` (one the bot sent, as the fake recorded it). */
export function callbackUpdate(p: Person, data: string, message: Pick<FakeSent, 'messageId' | 'text' | 'replyMarkup'> | undefined, opts: { updateId?: number } = {}): Update {
  return {
    update_id: opts.updateId ?? ++updateSeq,
    callback_query: {
      id: String(BigInt(p.id) * 1_000_000n + BigInt(++messageSeq)),
      from: user(p),
      chat_instance: String(-7_000_000_000_000_000_000n + BigInt(p.id)),
      data,
      ...(message
        ? {
            message: {
              message_id: message.messageId,
              from: { id: FAKE_BOT.id, is_bot: true, first_name: FAKE_BOT.first_name, username: FAKE_BOT.username },
              chat: privateChat(p),
              date: Math.floor(Date.now() / 1000) - 5,
              text: message.text ?? '',
              ...(message.replyMarkup ? { reply_markup: message.replyMarkup } : {}),
            },
          }
        : {}),
    },
  } as unknown as Update;
}
