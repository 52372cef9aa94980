import { placeholders } from '../../domain/template-text.ts';
import type { MetaTemplate } from '../../services/outreach/templates.ts';
import type { WhatsappCloudConfig } from './sender.ts';
import { graphHeaders } from './user-agent.ts';

// Every message template of the office's WhatsApp Business Account, read from the Graph API:
// GET /{waba-id}/message_templates, a page of at most 100 at a time, following `paging.next` to the end. What
// Meta answers is read defensively: an entry without a name, language or status is skipped (and counted), never
// thrown over, so one odd template cannot keep staff from seeing the others. A failure (token, network, an
// answer that is not Meta's) comes back as a sentence for the templates page, never as an exception.

const FIELDS = 'id,name,status,language,category,components,rejected_reason';
const PAGE_SIZE = 100;
// Meta allows a few thousand templates per account (6,000 at the most): 100 pages is more than any can hold,
// so reaching it means the paging goes round in a circle.
const MAX_PAGES = 100;
const TIMEOUT_MS = 20_000;

export type TemplateListing =
  | { ok: true; templates: MetaTemplate[]; skipped: number }
  | { ok: false; error: string; kind: 'not_configured' | 'token' | 'network' | 'answer' | 'refused' };

export const TEMPLATE_TOKEN_INVALID = 'access_token_invalid: the WhatsApp Cloud access token was refused (expired or revoked); set a new WHATSAPP_CLOUD_ACCESS_TOKEN';

export async function listMetaTemplates(
  config: Pick<WhatsappCloudConfig, 'accessToken' | 'apiRoot' | 'businessAccountId'>,
  opts: { timeoutMs?: number; maxPages?: number } = {},
): Promise<TemplateListing> {
  if (!config.businessAccountId) return { ok: false, kind: 'not_configured', error: 'WHATSAPP_CLOUD_BUSINESS_ACCOUNT_ID is not set' };
  const first = new URL(`${config.apiRoot}/${config.businessAccountId}/message_templates`);
  first.searchParams.set('fields', FIELDS);
  first.searchParams.set('limit', String(PAGE_SIZE));
  const origin = first.origin;
  const templates: MetaTemplate[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  let url: string | undefined = first.toString();
  for (let page = 0; url; page++) {
    if (page >= (opts.maxPages ?? MAX_PAGES)) return { ok: false, kind: 'answer', error: `the template list did not end after ${page} pages` };
    const got = await getPage(url, config.accessToken, opts.timeoutMs ?? TIMEOUT_MS);
    if (!got.ok) return got;
    for (const entry of got.data) {
      const t = readTemplate(entry);
      const key = t && `${t.name}\u0000${t.language}`;
      if (!t || seen.has(key!)) {
        skipped++;
        continue;
      }
      seen.add(key!);
      templates.push(t);
    }
    url = got.next;
    // Meta's next page is on its own host; the bearer token goes nowhere else.
    if (url && !sameOrigin(url, origin)) return { ok: false, kind: 'answer', error: 'the next page of templates is on another host' };
  }
  return { ok: true, templates, skipped };
}

type Page = { ok: true; data: unknown[]; next?: string } | Extract<TemplateListing, { ok: false }>;

async function getPage(url: string, accessToken: string, timeoutMs: number): Promise<Page> {
  let res: Response;
  try {
    res = await fetch(url, { headers: graphHeaders(accessToken), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const why = err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'network error';
    return { ok: false, kind: 'network', error: `network: ${why} reaching the Graph API` };
  }
  const json = (await res.json().catch(() => undefined)) as { data?: unknown; paging?: { next?: unknown }; error?: { code?: unknown; message?: unknown } } | undefined;
  if (!res.ok) {
    const code = typeof json?.error?.code === 'number' ? json.error.code : undefined;
    if (res.status === 401 || code === 190) return { ok: false, kind: 'token', error: TEMPLATE_TOKEN_INVALID };
    const message = typeof json?.error?.message === 'string' ? `: ${json.error.message.slice(0, 160)}` : '';
    return { ok: false, kind: 'refused', error: `Graph API answered HTTP ${res.status}${code !== undefined ? ` code ${code}` : ''}${message}` };
  }
  if (!json || typeof json !== 'object' || !Array.isArray(json.data)) return { ok: false, kind: 'answer', error: 'the Graph API answer is not a template list' };
  const next = typeof json.paging?.next === 'string' && json.paging.next ? json.paging.next : undefined;
  return { ok: true, data: json.data, ...(next ? { next } : {}) };
}

/** One entry of the list, or undefined when it lacks what a template must have. */
function readTemplate(entry: unknown): MetaTemplate | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  const e = entry as Record<string, unknown>;
  const name = text(e.name, 512);
  const language = text(e.language, 20);
  const status = text(e.status, 40);
  if (!name || !language || !status) return undefined;
  const components = Array.isArray(e.components) ? e.components.filter((c) => c !== null && typeof c === 'object') : [];
  const bodyPart = components.find((c) => String((c as { type?: unknown }).type ?? '').toUpperCase() === 'BODY') as { text?: unknown } | undefined;
  const body = text(bodyPart?.text, 4096) ?? null;
  const reason = text(e.rejected_reason, 200);
  return {
    name,
    language,
    status: status.toUpperCase(),
    category: text(e.category, 40)?.toUpperCase() ?? null,
    metaId: typeof e.id === 'string' || typeof e.id === 'number' ? String(e.id).slice(0, 64) : null,
    body,
    parameterCount: placeholders(body).count,
    components,
    // Meta answers "NONE" for a template nothing is wrong with.
    reason: reason && reason.toUpperCase() !== 'NONE' ? reason : null,
  };
}

function text(v: unknown, maxLength: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return s ? s.slice(0, maxLength) : undefined;
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}
