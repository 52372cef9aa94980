import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { signBody } from '../../src/channels/whatsapp-cloud/signature.ts';

// A stand-in for Meta's Graph API (WhatsApp Cloud), on a real port: it takes `POST /{phone-number-id}/messages`
// and `/{phone-number-id}/media` (multipart), checks the bearer token and the message limits the way Meta
// does, records every request, and answers as scripted.

export const GRAPH_VERSION = 'v21.0';

export interface GraphRequest {
  at: number;
  method: string;
  /** Path without the version prefix, e.g. `/1234567890/messages`. */
  path: string;
  authorization?: string;
  /** The User-Agent it carried: Pintu names itself `Pintu/x.y.z` on every request. */
  userAgent?: string;
  /** JSON body of a messages call. */
  json?: Record<string, any>;
  /** Fields and file of a media upload. */
  form?: { fields: Record<string, string>; file?: { name: string; type: string; size: number; bytes: Buffer } };
  /** What the fake answered. */
  status: number;
  response: unknown;
}

/** A Graph API error as Meta answers it. */
export interface GraphError {
  httpStatus: number;
  code: number;
  message: string;
  details?: string;
  /** Sent as a Retry-After header (seconds). */
  retryAfter?: number;
}

export const graphErrors = {
  rateLimit: { httpStatus: 429, code: 130429, message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.' },
  pairRateLimit: { httpStatus: 400, code: 131056, message: '(#131056) (Business Account, Consumer Account) pair rate limit hit' },
  notOnWhatsapp: { httpStatus: 400, code: 131026, message: '(#131026) Message undeliverable' },
  reEngagement: { httpStatus: 400, code: 131047, message: '(#131047) Re-engagement message', details: 'More than 24 hours have passed since the recipient last replied to the sender number.' },
  server: { httpStatus: 500, code: 131000, message: '(#131000) Something went wrong' },
  token: { httpStatus: 401, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' },
  invalidParameter: { httpStatus: 400, code: 131009, message: '(#131009) Parameter value is not valid' },
} satisfies Record<string, GraphError>;

export interface FakeGraph {
  /** What to set as WHATSAPP_CLOUD_API_ROOT. */
  apiRoot: string;
  token: string;
  phoneNumberId: string;
  requests: GraphRequest[];
  /** The JSON bodies of accepted messages calls, in order. */
  sent(): Record<string, any>[];
  /** Answers the next `times` calls (any path) with `error`, after letting `skip` calls through. */
  failNext(error: GraphError, times?: number, skip?: number): void;
  /** Answers messages calls to `to` with `error` (`times` calls, or always). */
  failFor(to: string, error: GraphError, times?: number): void;
  /**
   * Media a resident sent: returns its media id. `GET /{media-id}` answers its download URL (on this server,
   * as Meta's lookaside URL), `GET` of that URL with the bearer token the bytes. `reportedSize` is what the
   * media answer says (default: the real size).
   */
  addMedia(bytes: Buffer, mimeType: string, opts?: { reportedSize?: number }): string;
  /** The WhatsApp Business Account whose templates `GET /{wabaId}/message_templates` lists. */
  wabaId: string;
  /**
   * The templates the account holds, as Meta lists them (`metaTemplate()` makes one; anything else is served as
   * given, to test odd entries). Served `limit` at a time (Meta's default 25) with an `after` cursor and an
   * absolute `paging.next`, and only the `fields` asked for.
   */
  setTemplates(list: unknown[]): void;
  reset(): void;
  close(): Promise<void>;
}

const LIMITS = { text: 4096, caption: 1024, body: 1024, buttons: 3, buttonTitle: 20, rows: 10, rowTitle: 24, rowDescription: 72, listButton: 20 };

export async function startFakeGraph(opts: { token?: string; phoneNumberId?: string; wabaId?: string } = {}): Promise<FakeGraph> {
  const token = opts.token ?? 'EAAG-fake-token-0123456789';
  const phoneNumberId = opts.phoneNumberId ?? '106540352242922';
  const wabaId = opts.wabaId ?? '102290129340398';
  let templates: unknown[] = [];
  const requests: GraphRequest[] = [];
  let next: { error: GraphError; left: number; skip: number }[] = [];
  let perRecipient = new Map<string, { error: GraphError; left: number }>();
  let seq = 0;
  const media = new Set<string>();
  const inbound = new Map<string, { bytes: Buffer; mimeType: string; reportedSize: number }>();

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(err), type: 'FakeGraph', code: 1 } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const path = (req.url ?? '/').split('?')[0]!.replace(`/${GRAPH_VERSION}`, '');
    const record: GraphRequest = { at, method: req.method ?? 'GET', path, authorization: req.headers.authorization, userAgent: req.headers['user-agent'], status: 0, response: undefined };
    requests.push(record);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      record.response = body;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const fail = (e: GraphError) =>
      answer(
        e.httpStatus,
        { error: { message: e.message, type: 'OAuthException', code: e.code, error_data: { messaging_product: 'whatsapp', details: e.details ?? e.message }, fbtrace_id: `A${++seq}` } },
        e.retryAfter !== undefined ? { 'retry-after': String(e.retryAfter) } : {},
      );

    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('application/json')) {
      try {
        record.json = JSON.parse(raw.toString('utf8'));
      } catch {
        return fail({ httpStatus: 400, code: 100, message: 'Invalid JSON' });
      }
    } else if (type.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      const fields: Record<string, string> = {};
      let file: NonNullable<GraphRequest['form']>['file'];
      for (const [k, v] of form.entries()) {
        if (typeof v === 'string') fields[k] = v;
        else file = { name: (v as File).name, type: v.type, size: v.size, bytes: Buffer.from(await v.arrayBuffer()) };
      }
      record.form = { fields, file };
    }

    if (req.headers.authorization !== `Bearer ${token}`) return fail(graphErrors.token);
    const scripted = next[0];
    if (scripted && scripted.skip > 0) scripted.skip--;
    else if (scripted) {
      if (--scripted.left <= 0) next.shift();
      return fail(scripted.error);
    }
    if (req.method === 'GET' && path === `/${wabaId}/message_templates`) {
      return answer(200, templatePage(templates, new URL(req.url ?? '/', `http://127.0.0.1:${port}`)));
    }
    if (req.method === 'GET') {
      const download = /^\/media-download\/([^/]+)$/.exec(path);
      const file = inbound.get(download?.[1] ?? path.slice(1));
      if (download && file) {
        record.status = 200;
        res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.bytes.byteLength) });
        return res.end(file.bytes);
      }
      if (!download && file) {
        const id = path.slice(1);
        return answer(200, {
          messaging_product: 'whatsapp',
          url: `http://127.0.0.1:${port}/media-download/${id}`,
          mime_type: file.mimeType,
          sha256: createHash('sha256').update(file.bytes).digest('hex'),
          file_size: file.reportedSize,
          id,
        });
      }
      return fail({ httpStatus: 400, code: 100, message: `Unsupported get request. Object with ID '${path.slice(1)}' does not exist` });
    }
    if (req.method !== 'POST') return fail({ httpStatus: 400, code: 100, message: 'Unsupported get request' });

    if (path === `/${phoneNumberId}/media`) {
      const f = record.form;
      if (!f || f.fields.messaging_product !== 'whatsapp' || !f.file || f.file.size === 0 || !f.fields.type) {
        return fail({ httpStatus: 400, code: 100, message: 'Invalid parameter: messaging_product, type and file are required' });
      }
      const id = String(1_000_000_000_000 + ++seq);
      media.add(id);
      return answer(200, { id });
    }

    if (path === `/${phoneNumberId}/messages`) {
      const m = record.json;
      const problem = m ? check(m, media) : 'body must be JSON';
      if (problem) return fail({ ...graphErrors.invalidParameter, details: problem });
      const to = String(m!.to);
      const script = perRecipient.get(to);
      if (script && script.left > 0) {
        script.left--;
        return fail(script.error);
      }
      const id = `wamid.${Buffer.from(`fake-${++seq}-${at}`).toString('base64')}`;
      return answer(200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id }] });
    }
    return fail({ httpStatus: 400, code: 100, message: `Unknown path components: ${path}` });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    apiRoot: `http://127.0.0.1:${port}/${GRAPH_VERSION}`,
    token,
    phoneNumberId,
    requests,
    sent: () => requests.filter((r) => r.path.endsWith('/messages') && r.status === 200).map((r) => r.json!),
    failNext(error, times = 1, skip = 0) {
      next.push({ error, left: times, skip });
    },
    failFor(to, error, times = Number.POSITIVE_INFINITY) {
      perRecipient.set(to, { error, left: times });
    },
    addMedia(bytes, mimeType, o = {}) {
      const id = String(2_000_000_000_000 + ++seq);
      inbound.set(id, { bytes, mimeType, reportedSize: o.reportedSize ?? bytes.byteLength });
      return id;
    },
    wabaId,
    setTemplates(list) {
      templates = [...list];
    },
    reset() {
      requests.length = 0;
      templates = [];
      next = [];
      perRecipient = new Map();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One page of `GET /{waba-id}/message_templates`, as Meta pages it: cursors, and `next` while more remain. */
function templatePage(all: unknown[], url: URL) {
  const limit = Math.min(Math.max(Number(url.searchParams.get('limit')) || 25, 1), 1000);
  const after = url.searchParams.get('after');
  const start = after ? Number(Buffer.from(after, 'base64url').toString('utf8')) : 0;
  const fields = url.searchParams.get('fields')?.split(',').map((f) => f.trim()).filter(Boolean);
  const data = all.slice(start, start + limit).map((t) => (fields && t && typeof t === 'object' ? Object.fromEntries(Object.entries(t).filter(([k]) => fields.includes(k))) : t));
  const cursor = (i: number) => Buffer.from(String(i)).toString('base64url');
  const end = start + data.length;
  const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(end) } };
  if (end < all.length) {
    const next = new URL(url);
    next.searchParams.set('after', cursor(end));
    paging.next = next.toString();
  }
  return { data, paging };
}

/** A template as Meta lists it: a BODY with `body`, and a FOOTER when given. */
export function metaTemplate(
  name: string,
  body: string,
  o: { language?: string; status?: string; category?: string; footer?: string; rejectedReason?: string; id?: string; extra?: Record<string, unknown>[] } = {},
) {
  return {
    name,
    language: o.language ?? 'id',
    status: o.status ?? 'APPROVED',
    category: o.category ?? 'UTILITY',
    id: o.id ?? String(Math.floor(Math.random() * 1e15)),
    rejected_reason: o.rejectedReason ?? 'NONE',
    parameter_format: 'POSITIONAL',
    components: [{ type: 'BODY', text: body }, ...(o.footer ? [{ type: 'FOOTER', text: o.footer }] : []), ...(o.extra ?? [])],
  };
}

/** Meta's checks on a message object, the ones our renderer must respect; a message that breaks one is refused. */
function check(m: Record<string, any>, media: Set<string>): string | undefined {
  if (m.messaging_product !== 'whatsapp') return 'messaging_product must be whatsapp';
  if (typeof m.to !== 'string' || !/^\d{6,15}$/.test(m.to)) return 'to must be a phone number';
  switch (m.type) {
    case 'text':
      if (typeof m.text?.body !== 'string' || !m.text.body.trim()) return 'text.body is required';
      if (m.text.body.length > LIMITS.text) return `text.body is longer than ${LIMITS.text}`;
      return undefined;
    case 'image':
    case 'document': {
      const o = m[m.type];
      if (!o?.id && !o?.link) return `${m.type}.id or link is required`;
      if (o.id && !media.has(o.id)) return `${m.type}.id is not an uploaded media id`;
      if (o.caption && o.caption.length > LIMITS.caption) return 'caption too long';
      return undefined;
    }
    case 'interactive': {
      const i = m.interactive;
      const body = i?.body?.text;
      if (typeof body !== 'string' || !body.trim() || body.length > LIMITS.body) return 'interactive.body.text must be 1-1024 characters';
      if (i.type === 'button') {
        const buttons = i.action?.buttons ?? [];
        if (buttons.length < 1 || buttons.length > LIMITS.buttons) return 'interactive buttons: 1 to 3';
        const titles = buttons.map((b: any) => b.reply?.title);
        if (titles.some((t: unknown) => typeof t !== 'string' || !t || t.length > LIMITS.buttonTitle)) return 'button title must be 1-20 characters';
        if (new Set(titles).size !== titles.length) return 'button titles must be unique';
        if (buttons.some((b: any) => b.type !== 'reply' || !b.reply?.id)) return 'button reply id is required';
        return undefined;
      }
      if (i.type === 'list') {
        const button = i.action?.button;
        if (typeof button !== 'string' || !button || button.length > LIMITS.listButton) return 'list button must be 1-20 characters';
        const sections = i.action?.sections ?? [];
        const rows = sections.flatMap((s: any) => s.rows ?? []);
        if (rows.length < 1 || rows.length > LIMITS.rows) return 'list rows: 1 to 10';
        if (sections.length > 1 && sections.some((s: any) => !s.title)) return 'section title required with several sections';
        for (const r of rows) {
          if (!r.id || typeof r.title !== 'string' || !r.title || r.title.length > LIMITS.rowTitle) return 'row title must be 1-24 characters';
          if (r.description !== undefined && (typeof r.description !== 'string' || r.description.length > LIMITS.rowDescription)) return 'row description must be at most 72 characters';
        }
        if (new Set(rows.map((r: any) => r.id)).size !== rows.length) return 'row ids must be unique';
        return undefined;
      }
      return 'interactive.type must be button or list';
    }
    case 'template': {
      const t = m.template;
      if (!t?.name || !t.language?.code) return 'template name and language are required';
      for (const c of t.components ?? []) {
        if (!['header', 'body', 'button'].includes(c.type)) return `template component type ${c.type} is not valid`;
        // A button's parameter says which button (index 0-9, a string in Meta's examples) and what fills it.
        if (c.type === 'button') {
          if (!['quick_reply', 'url', 'copy_code'].includes(c.sub_type)) return 'button component needs a sub_type';
          if (!/^\d$/.test(String(c.index ?? ''))) return 'button component needs an index 0-9';
          if (c.sub_type === 'url' && (c.parameters?.length !== 1 || c.parameters[0].type !== 'text' || !c.parameters[0].text)) return 'Button at index 0 of type Url requires a parameter';
        }
        for (const p of c.parameters ?? []) if (typeof p.text === 'string' && /[\n\t]| {5,}/.test(p.text)) return 'template parameter has new line, tab or more than 4 spaces';
      }
      return undefined;
    }
    default:
      return `unsupported type ${m.type}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Webhook payloads shaped as in Meta's `messages` webhook reference.

export interface WebhookOptions {
  phoneNumberId?: string;
  name?: string;
  id?: string;
  timestamp?: number;
}

let wamidSeq = 0;
const newWamid = () => `wamid.HBgNNjI4${Date.now().toString(36)}${(++wamidSeq).toString(36)}AAA=`;

/** The envelope Meta wraps around one change's `value`. */
export function envelope(value: Record<string, unknown>, phoneNumberId = '106540352242922') {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '628110000000', phone_number_id: phoneNumberId }, ...value },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

function incoming(from: string, content: Record<string, unknown>, o: WebhookOptions = {}) {
  return envelope(
    {
      contacts: [{ profile: { name: o.name ?? 'Warga' }, wa_id: from }],
      messages: [{ from, id: o.id ?? newWamid(), timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)), ...content }],
    },
    o.phoneNumberId,
  );
}

export const webhook = {
  text: (from: string, body: string, o?: WebhookOptions) => incoming(from, { type: 'text', text: { body } }, o),
  buttonReply: (from: string, id: string, title: string, o?: WebhookOptions) =>
    incoming(from, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } }, o),
  /** A tap on a template's quick-reply button: its text, and the payload the business sent with it. */
  templateButton: (from: string, text: string, payload: string, o?: WebhookOptions) => incoming(from, { type: 'button', button: { text, payload } }, o),
  listReply: (from: string, id: string, title: string, o?: WebhookOptions) =>
    incoming(from, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id, title, description: '' } } }, o),
  image: (from: string, o?: WebhookOptions & { caption?: string }) =>
    incoming(from, { type: 'image', image: { ...(o?.caption ? { caption: o.caption } : {}), mime_type: 'image/jpeg', sha256: 'c2hhMjU2', id: '1479537139650973' } }, o),
  location: (from: string, latitude: number, longitude: number, o?: WebhookOptions) =>
    incoming(from, { type: 'location', location: { latitude, longitude, name: 'Kantor Lurah', address: 'Jl. Engku Putri' } }, o),
  voice: (from: string, o?: WebhookOptions) => incoming(from, { type: 'audio', audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'c2hh', id: '2479537139650973', voice: true } }, o),
  sticker: (from: string, o?: WebhookOptions) => incoming(from, { type: 'sticker', sticker: { mime_type: 'image/webp', sha256: 'c2hh', id: '3479537139650973', animated: false } }, o),
  status: (
    messageId: string,
    status: 'sent' | 'delivered' | 'read' | 'failed',
    recipientId: string,
    o: { errors?: { code: number; title: string; details?: string }[]; timestamp?: number; phoneNumberId?: string } = {},
  ) =>
    envelope(
      {
        statuses: [
          {
            id: messageId,
            status,
            timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)),
            recipient_id: recipientId,
            ...(status === 'failed'
              ? {
                  errors: (o.errors ?? []).map((e) => ({
                    code: e.code,
                    title: e.title,
                    message: e.title,
                    error_data: { details: e.details ?? e.title },
                    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
                  })),
                }
              : {
                  conversation: { id: 'CONVERSATION_ID', origin: { type: 'service' } },
                  pricing: { billable: true, pricing_model: 'PMP', category: 'service' },
                }),
          },
        ],
      },
      o.phoneNumberId,
    ),
};

/** A webhook body and the headers Meta would send with it, signed with the app secret. */
export function signedWebhook(payload: unknown, appSecret: string): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(payload);
  return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, appSecret) } };
}

/** The `errors` of a failed delivery status, as Meta reports them for the codes Pintu must explain to staff. */
export const statusErrors = {
  notOnWhatsapp: { code: 131026, title: 'Message undeliverable', details: 'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number.' },
  reEngagement: { code: 131047, title: 'Re-engagement message', details: 'More than 24 hours have passed since the recipient last replied to the sender number.' },
  rateLimit: { code: 130429, title: 'Rate limit hit', details: 'Cloud API message throughput has been reached.' },
} satisfies Record<string, { code: number; title: string; details?: string }>;

/**
 * Meta telling the service how a sent message fared: a signed `statuses` webhook (sent, delivered, read, or
 * failed with `errors`) POSTed to `{base}/webhooks/whatsapp`, as Meta does after each step.
 */
export function pushStatus(
  service: { base: string; appSecret: string },
  messageId: string,
  status: 'sent' | 'delivered' | 'read' | 'failed',
  recipientId: string,
  o: { errors?: { code: number; title: string; details?: string }[]; timestamp?: number; phoneNumberId?: string } = {},
): Promise<Response> {
  const { body, headers } = signedWebhook(webhook.status(messageId, status, recipientId, o), service.appSecret);
  return fetch(`${service.base}/webhooks/whatsapp`, { method: 'POST', headers, body });
}
