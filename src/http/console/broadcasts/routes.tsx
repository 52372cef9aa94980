import { Hono } from 'hono';
import type { TFunction } from 'i18next';
import { LOCALES, type Locale } from '../../config.ts';
import type { BroadcastSegment } from '../../db/schema/index.ts';
import { formatDateTime } from '../../domain/dates.ts';
import { can, Forbidden } from '../../services/access.ts';
import {
  broadcastStats,
  cancelBroadcast,
  createBroadcast,
  getBroadcast,
  listBroadcasts,
  MAX_TEXT,
  MAX_TITLE,
  previewBroadcast,
  scheduleBroadcast,
  type BroadcastPreview,
  type BroadcastRow,
  type BroadcastStats,
} from '../../services/broadcasts/index.ts';
import { areaChoices, programChoices } from '../../services/distribution/console-options.ts';
import { localInstant } from '../../services/distribution/reminder-times.ts';
import type { AppDeps } from '../context.ts';
import { Csrf, Shell } from './layout.tsx';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from './session.ts';

// Broadcasts in the console: the list with delivery statistics, a new announcement (title, a text per
// language, segment pickers) with a count and the message as each language reads it before saving, then
// scheduling (a time ahead, or now) and cancelling. Every decision is the services'; this page shows.

const NS = 'broadcasts';
const tOf = (deps: AppDeps, c: ConsoleContext): TFunction => deps.i18n.getFixedT(c.get('locale'));
const parseId = (raw: string | undefined) => (raw && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : null);

interface Draft {
  title: string;
  texts: Record<string, string>;
  segment: BroadcastSegment;
}

/** Form fields with repeated ones (checkboxes) as lists. */
async function formOf(c: ConsoleContext): Promise<Record<string, string[]>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(body)) out[k] = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, MAX_TEXT + 100));
  return out;
}

function draftOf(f: Record<string, string[]>): Draft {
  const ids = (name: string) => (f[name] ?? []).filter((x) => /^[1-9]\d{0,9}$/.test(x)).map(Number);
  const segment: BroadcastSegment = {};
  const programIds = ids('program');
  const kecamatanIds = ids('kecamatan');
  const kelurahanIds = ids('kelurahan');
  const languages = (f.language ?? []).filter((l) => (LOCALES as readonly string[]).includes(l));
  if (programIds.length) segment.programIds = programIds;
  if (kecamatanIds.length) segment.kecamatanIds = kecamatanIds;
  if (kelurahanIds.length) segment.kelurahanIds = kelurahanIds;
  if (languages.length) segment.languages = languages;
  const texts: Record<string, string> = {};
  for (const l of LOCALES) texts[l] = f[`text_${l}`]?.[0] ?? '';
  return { title: f.title?.[0] ?? '', texts, segment };
}

export function broadcastRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const opts = () => ({ now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale });
  const may = (c: ConsoleContext) => can(c.get('session').actor, 'broadcasts.manage');
  const when = (d: Date | null, locale: Locale) => (d ? formatDateTime(d, locale, deps.timeZone) : '—');

  const shell = (c: ConsoleContext, title: string, body: unknown, status: 200 | 403 | 404 | 422 = 200) => {
    const t = tOf(deps, c);
    return c.html(
      <Shell t={t} locale={c.get('locale')} title={title} session={c.get('session')} here={c.req.method === 'GET' ? c.req.path : '/console/broadcasts'}>
        {body as never}
      </Shell>,
      status,
    );
  };
  const forbidden = (c: ConsoleContext) => {
    const t = tOf(deps, c);
    return shell(c, t(`${NS}:console.forbidden`), <p>{t(`${NS}:console.forbidden`)}</p>, 403);
  };
  const notFound = (c: ConsoleContext) => {
    const t = tOf(deps, c);
    return shell(c, t(`${NS}:console.notFound`), <p>{t(`${NS}:console.notFound`)} <a href="/console/broadcasts">{t(`${NS}:console.back`)}</a></p>, 404);
  };
  const refusal = (t: TFunction, reason: string) => t([`${NS}:refusals.${reason}`, `${NS}:refusals.invalid_segment`]);

  const StatsCells = ({ s }: { s: BroadcastStats | undefined }) => (
    <>
      <td>{s ? s.queued + s.sending : '—'}</td>
      <td>{s ? s.sent : '—'}</td>
      <td>{s ? s.delivered : '—'}</td>
      <td>{s ? s.read : '—'}</td>
      <td>{s ? s.failed : '—'}</td>
    </>
  );

  app.get('/console/broadcasts', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    const t = tOf(deps, c);
    const actor = c.get('session').actor;
    const locale = c.get('locale');
    const rows = await listBroadcasts(db, actor);
    const stats = new Map<number, BroadcastStats | undefined>();
    for (const b of rows) if (b.status === 'sent') stats.set(b.id, await broadcastStats(db, actor, b.id));
    const done = c.req.query('done');
    return shell(
      c,
      t(`${NS}:console.title`),
      <>
        <h1>{t(`${NS}:console.title`)}</h1>
        {done && ['cancelled', 'scheduled', 'sent'].includes(done) ? <p class="notice">{t(`${NS}:console.done.${done}`)}</p> : null}
        <p>
          <a href="/console/broadcasts/new">{t(`${NS}:console.create`)}</a>
        </p>
        {rows.length === 0 ? (
          <p>{t(`${NS}:console.empty`)}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t(`${NS}:console.fields.title`)}</th>
                <th scope="col">{t(`${NS}:console.fields.status`)}</th>
                <th scope="col">{t(`${NS}:console.fields.when`)}</th>
                <th scope="col">{t(`${NS}:console.fields.recipients`)}</th>
                <th scope="col">{t(`${NS}:stats.queued`)}</th>
                <th scope="col">{t(`${NS}:stats.sent`)}</th>
                <th scope="col">{t(`${NS}:stats.delivered`)}</th>
                <th scope="col">{t(`${NS}:stats.read`)}</th>
                <th scope="col">{t(`${NS}:stats.failed`)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr>
                  <td>
                    <a href={`/console/broadcasts/${b.id}`}>{b.title}</a>
                  </td>
                  <td>{t(`${NS}:status.${b.status}`)}</td>
                  <td>{when(b.scheduledAt, locale)}</td>
                  <td>{b.recipientCount ?? '—'}</td>
                  <StatsCells s={stats.get(b.id)} />
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>,
    );
  });

  const form = async (c: ConsoleContext, draft: Draft, extra: { error?: string; preview?: BroadcastPreview } = {}) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const [programs, areas] = await Promise.all([programChoices(db, session.actor), areaChoices(db, session.actor)]);
    const has = (list: number[] | undefined, id: number) => (list ?? []).includes(id);
    return shell(
      c,
      t(`${NS}:console.new`),
      <>
        <p>
          <a href="/console/broadcasts">← {t(`${NS}:console.back`)}</a>
        </p>
        <h1>{t(`${NS}:console.new`)}</h1>
        {extra.error ? (
          <p class="error" role="alert">
            {refusal(t, extra.error)}
          </p>
        ) : null}
        {extra.preview ? <PreviewCard t={t} preview={extra.preview} /> : null}
        <form method="post" action="/console/broadcasts/new" class="card">
          <Csrf session={session} />
          <div class="field">
            <label for="b-title">{t(`${NS}:console.fields.title`)}</label>
            <input id="b-title" name="title" value={draft.title} maxlength={MAX_TITLE} size={50} required />
          </div>
          {LOCALES.map((l) => (
            <div class="field">
              <label for={`b-text-${l}`}>{t(`${NS}:console.fields.text`, { language: t(`${NS}:languages.${l}`) })}</label>
              <textarea id={`b-text-${l}`} name={`text_${l}`} maxlength={MAX_TEXT}>
                {draft.texts[l] ?? ''}
              </textarea>
            </div>
          ))}
          <p class="meta">{t(`${NS}:console.textHint`, { max: MAX_TEXT })}</p>
          <h2>{t(`${NS}:console.segment`)}</h2>
          <p class="meta">{t(`${NS}:console.segmentHint`)}</p>
          <fieldset>
            <legend>{t(`${NS}:console.fields.programs`)}</legend>
            {programs.map((p) => (
              <label>
                <input type="checkbox" name="program" value={String(p.id)} checked={has(draft.segment.programIds, p.id)} /> {`${p.name} (${p.code})`}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t(`${NS}:console.fields.areas`)}</legend>
            {areas.map((k) => (
              <div>
                <label>
                  <input type="checkbox" name="kecamatan" value={String(k.kecamatanId)} checked={has(draft.segment.kecamatanIds, k.kecamatanId)} /> {k.kecamatan}
                </label>
                <div class="filters">
                  {k.kelurahan.map((kel) => (
                    <label>
                      <input type="checkbox" name="kelurahan" value={String(kel.id)} checked={has(draft.segment.kelurahanIds, kel.id)} /> {kel.name}
                    </label>
                  ))}
                </div>
              </div>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t(`${NS}:console.fields.languages`)}</legend>
            {LOCALES.map((l) => (
              <label>
                <input type="checkbox" name="language" value={l} checked={(draft.segment.languages ?? []).includes(l)} /> {t(`${NS}:languages.${l}`)}
              </label>
            ))}
          </fieldset>
          <p class="actions">
            <button class="secondary" type="submit" name="action" value="preview">
              {t(`${NS}:console.preview`)}
            </button>
            <button class="primary" type="submit" name="action" value="save">
              {t(`${NS}:console.save`)}
            </button>
          </p>
        </form>
      </>,
      extra.error ? 422 : 200,
    );
  };

  app.get('/console/broadcasts/new', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    return form(c, { title: '', texts: {}, segment: {} });
  });

  app.post('/console/broadcasts/new', guard, csrf, async (c) => {
    if (!may(c)) return forbidden(c);
    const fields = await formOf(c);
    const draft = draftOf(fields);
    const actor = c.get('session').actor;
    try {
      if (fields.action?.[0] === 'preview') {
        const p = await previewBroadcast(db, actor, draft.segment, { ...opts(), texts: nonEmpty(draft.texts) });
        return p.ok ? form(c, draft, { preview: p.preview }) : form(c, draft, { error: p.reason });
      }
      const r = await createBroadcast(db, actor, { title: draft.title, texts: draft.texts, segment: draft.segment }, opts());
      if (!r.ok) return form(c, draft, { error: r.reason });
      return c.redirect(`/console/broadcasts/${r.broadcastId}`, 303);
    } catch (err) {
      if (err instanceof Forbidden) return forbidden(c);
      throw err;
    }
  });

  app.get('/console/broadcasts/:id', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    const id = parseId(c.req.param('id'));
    const actor = c.get('session').actor;
    const b = id === null ? undefined : await getBroadcast(db, actor, id);
    if (!b) return notFound(c);
    return detail(c, b);
  });

  const detail = async (c: ConsoleContext, b: BroadcastRow, error?: string) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const locale = c.get('locale');
    const open = b.status === 'draft' || b.status === 'scheduled';
    const preview = open ? await previewBroadcast(db, session.actor, b.segment, { ...opts(), texts: b.texts }) : undefined;
    const stats = b.status === 'sent' ? await broadcastStats(db, session.actor, b.id) : undefined;
    return shell(
      c,
      b.title,
      <>
        <p>
          <a href="/console/broadcasts">← {t(`${NS}:console.back`)}</a>
        </p>
        <h1>{b.title}</h1>
        {error ? (
          <p class="error" role="alert">
            {refusal(t, error)}
          </p>
        ) : null}
        <dl class="facts card">
          <dt>{t(`${NS}:console.fields.status`)}</dt>
          <dd>{t(`${NS}:status.${b.status}`)}</dd>
          <dt>{t(`${NS}:console.fields.when`)}</dt>
          <dd>{when(b.scheduledAt, locale)}</dd>
          <dt>{t(`${NS}:console.fields.recipients`)}</dt>
          <dd>{b.recipientCount ?? '—'}</dd>
        </dl>
        {preview?.ok ? <PreviewCard t={t} preview={preview.preview} /> : null}
        {stats ? (
          <section class="card">
            <h2>{t(`${NS}:stats.title`)}</h2>
            <dl class="facts">
              {(['total', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped'] as const).map((k) => (
                <>
                  <dt>{t(`${NS}:stats.${k}`)}</dt>
                  <dd>{stats[k]}</dd>
                </>
              ))}
            </dl>
            {stats.failedByReason.length ? (
              <>
                <h3>{t(`${NS}:stats.byReason`)}</h3>
                <ul>
                  {stats.failedByReason.map((r) => (
                    <li>{`${t([`${NS}:reasons.${r.reason}`, `${NS}:reasons.other`], { reason: r.reason })}: ${r.count}`}</li>
                  ))}
                </ul>
              </>
            ) : null}
            <p class="meta">{t(`${NS}:stats.hint`)}</p>
          </section>
        ) : null}
        {open ? (
          <section class="card actions">
            <form method="post" action={`/console/broadcasts/${b.id}/schedule`}>
              <Csrf session={session} />
              <label for="b-at">{t(`${NS}:console.scheduleAt`)}</label>
              <input id="b-at" name="at" type="datetime-local" required />
              <button class="primary" type="submit">
                {t(`${NS}:console.schedule`)}
              </button>
            </form>
            <form method="post" action={`/console/broadcasts/${b.id}/schedule`}>
              <Csrf session={session} />
              <input type="hidden" name="at" value="now" />
              <button class="primary" type="submit">
                {t(`${NS}:console.sendNow`)}
              </button>
            </form>
            <form method="post" action={`/console/broadcasts/${b.id}/cancel`}>
              <Csrf session={session} />
              <button class="secondary" type="submit">
                {t(`${NS}:console.cancel`)}
              </button>
            </form>
          </section>
        ) : null}
        <p class="meta">{t(`${NS}:console.quietHours`)}</p>
      </>,
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
      let r;
      if (path === 'cancel') r = await cancelBroadcast(db, actor, b.id, opts());
      else {
        const raw = (await formOf(c)).at?.[0] ?? '';
        const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(raw);
        if (raw !== 'now' && !m) return detail(c, b, 'time_in_past');
        r = await scheduleBroadcast(db, actor, b.id, raw === 'now' ? 'now' : localInstant(m![1]!, m![2]!, deps.timeZone), opts());
      }
      if (!r.ok) return r.reason === 'not_found' ? notFound(c) : detail(c, b, r.reason);
      const done = path === 'cancel' ? 'cancelled' : 'status' in r && r.status === 'sent' ? 'sent' : 'scheduled';
      return c.redirect(`/console/broadcasts?done=${done}`, 303);
    });
  act('schedule');
  act('cancel');

  return app;
}

function nonEmpty(texts: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(texts).filter(([, v]) => v.trim() !== ''));
}

function PreviewCard({ t, preview }: { t: TFunction; preview: BroadcastPreview }) {
  return (
    <section class="card" aria-live="polite">
      <h2>{t(`${NS}:preview.title`)}</h2>
      <p>
        <strong>{t(`${NS}:preview.total`, { count: preview.total })}</strong>
      </p>
      {preview.counts.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t(`${NS}:preview.channel`)}</th>
              <th scope="col">{t(`${NS}:preview.language`)}</th>
              <th scope="col">{t(`${NS}:preview.count`)}</th>
            </tr>
          </thead>
          <tbody>
            {preview.counts.map((r) => (
              <tr>
                <td>{t(`${NS}:channels.${r.channel}`)}</td>
                <td>{t(`${NS}:languages.${r.language}`)}</td>
                <td>{r.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {preview.samples.map((s) => (
        <div>
          <h3>{t(`${NS}:preview.sample`, { language: t(`${NS}:languages.${s.language}`) })}</h3>
          <p class="text card">{s.text}</p>
        </div>
      ))}
    </section>
  );
}
