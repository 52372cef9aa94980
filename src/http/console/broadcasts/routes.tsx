import { Hono } from 'hono';
import type { TFunction } from 'i18next';
import { LOCALES } from '../../../domain/vocabulary.ts';
import { can } from '../../../services/access.ts';
import {
  broadcastStats,
  cancelBroadcast,
  createBroadcast,
  getBroadcast,
  interruptedCount,
  listBroadcasts,
  MAX_TEXT,
  previewBroadcast,
  resendInterrupted,
  scheduleBroadcast,
  type BroadcastPreview,
  type BroadcastRow,
  type BroadcastSegment,
  type BroadcastStats,
} from '../../../services/broadcasts/index.ts';
import { areaChoices, programChoices } from '../../../services/distribution/console-options.ts';
import { DELETED, listTemplates } from '../../../services/outreach/templates.ts';
import { localInstant } from '../../../services/distribution/reminder-times.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { BroadcastDetail, type BroadcastConfirm } from './views/detail.tsx';
import { BroadcastForm, type Draft, type TemplateChoices } from './views/form.tsx';
import { BroadcastList } from './views/list.tsx';
import { ForbiddenPage, NotFoundPage, type PageContext } from './views/page.tsx';

// Broadcasts in the console: the list with delivery statistics, a new announcement (title, a text per
// language, segment pickers, "also to registry phones" and the WhatsApp Cloud template) with a count by path
// and the message as each language reads it before saving, then scheduling (a time ahead, or now) and
// cancelling. Every decision is the services'; this file reads the
// form, asks them, and picks the page (views/).
//
// Sending, scheduling and cancelling cannot be taken back once the messages are queued, and a blank area
// means the whole city; so each acts only on a POST carrying confirm=1. A POST without it changes nothing
// and answers the broadcast's page with a confirmation: the area by name ("seluruh kota" when none), the
// chats per channel and the registry phones, from the same preview the service counts, scope-checked as the
// action is. Its button posts again with confirm=1; no script is needed.

const tOf = (deps: AppDeps, c: ConsoleContext): TFunction => deps.i18n.getFixedT(c.get('locale'));
const parseId = (raw: string | undefined) => (raw && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : null);

/** Form fields with repeated ones (checkboxes) as lists. */
async function formOf(c: ConsoleContext): Promise<Record<string, string[]>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(body)) out[k] = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, MAX_TEXT + 100));
  return out;
}

function draftOf(f: Record<string, string[]>): Draft {
  const ids = (name: string) => (f[name] ?? []).filter((x) => /^[1-9]\d{0,9}$/.test(x)).map(Number);
  // A number as typed; anything else is NaN, which the service refuses as out of range (and names which).
  const num = (name: string): number | undefined => {
    const raw = (f[name]?.[0] ?? '').trim();
    if (raw === '') return undefined;
    return /^-?\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  };
  const segment: BroadcastSegment = {};
  const programIds = ids('program');
  const kecamatanIds = ids('kecamatan');
  const kelurahanIds = ids('kelurahan');
  const languages = (f.language ?? []).filter((l) => (LOCALES as readonly string[]).includes(l));
  if (programIds.length) segment.programIds = programIds;
  if (kecamatanIds.length) segment.kecamatanIds = kecamatanIds;
  if (kelurahanIds.length) segment.kelurahanIds = kelurahanIds;
  if (languages.length) segment.languages = languages;
  for (const [field, key] of [
    ['desil_min', 'desilMin'],
    ['desil_max', 'desilMax'],
    ['age_min', 'ageMin'],
    ['age_max', 'ageMax'],
  ] as const) {
    const n = num(field);
    if (n !== undefined) segment[key] = n;
  }
  if (f.disability?.[0] === '1') segment.disability = true;
  const texts: Record<string, string> = {};
  for (const l of LOCALES) texts[l] = f[`text_${l}`]?.[0] ?? '';
  const template = (f.template?.[0] ?? '').trim();
  return { title: f.title?.[0] ?? '', texts, segment, toRegistryPhones: f.to_registry_phones?.[0] === '1', template: template === '' ? null : template };
}

export function broadcastRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const opts = () => ({ now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale, outreach: deps.outreach });
  const may = (c: ConsoleContext) => can(c.get('session').actor, 'broadcasts.manage');

  // The language link of a page answering a POST leads to the list, which answers GET.
  const pageOf = (c: ConsoleContext): PageContext => ({
    t: tOf(deps, c),
    locale: c.get('locale'),
    timeZone: deps.timeZone,
    session: c.get('session'),
    here: c.req.method === 'GET' ? c.req.path : '/console/broadcasts',
  });
  const forbidden = (c: ConsoleContext) => c.html(<ForbiddenPage page={pageOf(c)} />, 403);
  const notFound = (c: ConsoleContext) => c.html(<NotFoundPage page={pageOf(c)} />, 404);
  // The services' Forbidden, wherever a broadcast page meets it (errors.ts).
  app.use('/console/broadcasts/*', errorAnswers({ forbidden }));

  app.get('/console/broadcasts', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    const actor = c.get('session').actor;
    const rows = await listBroadcasts(db, actor);
    const stats = new Map<number, BroadcastStats | undefined>();
    for (const b of rows) if (b.status === 'sent') stats.set(b.id, await broadcastStats(db, actor, b.id));
    return c.html(<BroadcastList page={pageOf(c)} rows={rows} stats={stats} done={c.req.query('done')} />);
  });

  /** The synced templates of the configured language, when the Cloud API is on; a chosen one Meta dropped stays listed. */
  const templateChoices = async (c: ConsoleContext, chosen: string | null): Promise<TemplateChoices | undefined> => {
    const sync = deps.templates;
    if (!sync) return undefined;
    const { templates } = await listTemplates(db, c.get('session').actor);
    const list = templates.filter((x) => x.language === sync.language && x.status !== DELETED).map((x) => ({ name: x.name, status: x.status }));
    if (chosen && !list.some((x) => x.name === chosen)) list.push({ name: chosen, status: DELETED });
    return { fallback: sync.defaults.notice, list };
  };

  const form = async (c: ConsoleContext, draft: Draft, extra: { error?: string; errorDetail?: string; preview?: BroadcastPreview } = {}) => {
    const actor = c.get('session').actor;
    const [programs, areas, templates] = await Promise.all([programChoices(db, actor), areaChoices(db, actor), templateChoices(c, draft.template)]);
    return c.html(<BroadcastForm page={pageOf(c)} draft={draft} programs={programs} areas={areas} {...(templates ? { templates } : {})} {...extra} />, extra.error ? 422 : 200);
  };

  app.get('/console/broadcasts/new', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    return form(c, { title: '', texts: {}, segment: {}, toRegistryPhones: false, template: null });
  });

  app.post('/console/broadcasts/new', guard, csrf, async (c) => {
    if (!may(c)) return forbidden(c);
    const fields = await formOf(c);
    const draft = draftOf(fields);
    const actor = c.get('session').actor;
    if (fields.action?.[0] === 'preview') {
      const p = await previewBroadcast(db, actor, draft.segment, { ...opts(), texts: nonEmpty(draft.texts), toRegistryPhones: draft.toRegistryPhones, template: draft.template });
      return p.ok ? form(c, draft, { preview: p.preview }) : form(c, draft, { error: p.reason });
    }
    const r = await createBroadcast(db, actor, draft, opts());
    if (!r.ok) return form(c, draft, { error: r.reason });
    return c.redirect(`/console/broadcasts/${r.broadcastId}`, 303);
  });

  app.get('/console/broadcasts/:id', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    const id = parseId(c.req.param('id'));
    const actor = c.get('session').actor;
    const b = id === null ? undefined : await getBroadcast(db, actor, id);
    if (!b) return notFound(c);
    return detail(c, b);
  });

  /** While it can still change: who it reaches. Once sent: what became of it. */
  const detail = async (c: ConsoleContext, b: BroadcastRow, error?: string, errorDetail?: string, confirm?: BroadcastConfirm, confirmResend = false) => {
    const actor = c.get('session').actor;
    const open = b.status === 'draft' || b.status === 'scheduled';
    const preview = open
      ? await previewBroadcast(db, actor, b.segment, { ...opts(), texts: b.texts, toRegistryPhones: b.toRegistryPhones, template: b.template, scheduledAt: b.scheduledAt })
      : undefined;
    const stats = b.status === 'sent' ? await broadcastStats(db, actor, b.id) : undefined;
    const interrupted = b.status === 'sent' ? await interruptedCount(db, b.id) : 0;
    // No confirmation without the counts it states: a segment the preview refuses is refused when acted on too.
    if (confirm && !preview?.ok) return detail(c, b, preview?.reason ?? 'invalid_status');
    // Nor for sending with a WhatsApp template that may not write first: scheduling would be refused for it.
    const refusedTemplate = confirm && confirm.kind !== 'cancel' && preview?.ok ? preview.preview.template : null;
    if (refusedTemplate?.refused) return detail(c, b, refusedTemplate.refused, refusedTemplate.name);
    return c.html(
      <BroadcastDetail
        page={pageOf(c)}
        broadcast={b}
        {...(preview?.ok ? { preview: preview.preview } : {})}
        {...(stats ? { stats } : {})}
        {...(error ? { error } : {})}
        {...(errorDetail ? { errorDetail } : {})}
        {...(confirm && preview?.ok ? { confirm } : {})}
        interrupted={interrupted}
        confirmResend={confirmResend}
      />,
      error ? 422 : 200,
    );
  };

  const act = (path: 'schedule' | 'cancel') =>
    app.post(`/console/broadcasts/:id/${path}`, guard, csrf, async (c) => {
      if (!may(c)) return forbidden(c);
      const id = parseId(c.req.param('id'));
      const actor = c.get('session').actor;
      const b = id === null ? undefined : await getBroadcast(db, actor, id);
      if (!b) return notFound(c);
      const fields = await formOf(c);
      const confirmed = fields.confirm?.[0] === '1';
      let r;
      if (path === 'cancel') {
        if (!confirmed) return b.status === 'draft' || b.status === 'scheduled' ? detail(c, b, undefined, undefined, { kind: 'cancel' }) : detail(c, b, 'invalid_status');
        r = await cancelBroadcast(db, actor, b.id, opts());
      } else {
        const raw = fields.at?.[0] ?? '';
        const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(raw);
        if (raw !== 'now' && !m) return detail(c, b, 'time_in_past');
        const when = raw === 'now' ? 'now' : localInstant(m![1]!, m![2]!, deps.timeZone);
        if (!confirmed) {
          // The same refusals the service gives, before asking: a time past, a broadcast already queued.
          if (when !== 'now' && (Number.isNaN(when.getTime()) || when.getTime() <= deps.clock().getTime())) return detail(c, b, 'time_in_past');
          if (b.status !== 'draft' && b.status !== 'scheduled') return detail(c, b, 'invalid_status');
          return detail(c, b, undefined, undefined, when === 'now' ? { kind: 'now' } : { kind: 'at', at: when, raw });
        }
        r = await scheduleBroadcast(db, actor, b.id, when, opts());
      }
      if (!r.ok) return r.reason === 'not_found' ? notFound(c) : detail(c, b, r.reason, r.detail);
      const done = path === 'cancel' ? 'cancelled' : 'status' in r && r.status === 'sent' ? 'sent' : 'scheduled';
      return c.redirect(`/console/broadcasts?done=${done}`, 303);
    });
  act('schedule');
  act('cancel');

  // Messages a stopped process left "terputus" (services/broadcasts/resend.ts): asks first, then queues them.
  app.post('/console/broadcasts/:id/resend', guard, csrf, async (c) => {
    if (!may(c)) return forbidden(c);
    const id = parseId(c.req.param('id'));
    const actor = c.get('session').actor;
    const b = id === null ? undefined : await getBroadcast(db, actor, id);
    if (!b) return notFound(c);
    const fields = await formOf(c);
    if (fields.confirm?.[0] !== '1') {
      const n = b.status === 'sent' ? await interruptedCount(db, b.id) : 0;
      return n > 0 ? detail(c, b, undefined, undefined, undefined, true) : detail(c, b, b.status === 'sent' ? 'nothing_to_resend' : 'invalid_status');
    }
    const r = await resendInterrupted(db, actor, b.id, opts());
    if (!r.ok) return r.reason === 'not_found' ? notFound(c) : detail(c, b, r.reason);
    return c.redirect('/console/broadcasts?done=resent', 303);
  });

  return app;
}

function nonEmpty(texts: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(texts).filter(([, v]) => v.trim() !== ''));
}
