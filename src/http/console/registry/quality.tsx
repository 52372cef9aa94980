import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { TFunction } from 'i18next';
import type { Locale } from '../../../domain/vocabulary.ts';
import { FINDING_KINDS, FINDING_STATUSES } from '../../../domain/vocabulary.ts';
import { can } from '../../../services/access.ts';
import {
  assignFinding,
  CHANGE_PERMISSION,
  findingAreas,
  findingCounts,
  findingsCsv,
  listFindings,
  resolveFinding,
  type FindingFilter,
  type FindingRefusal,
  type FindingView,
} from '../../../services/registry/quality/findings.ts';
import type { FindingKind } from '../../../services/registry/quality/scan.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { Csrf, formatTime, Shell } from '../shell/layout.tsx';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { AreaFilters } from '../shell/area-filters.tsx';

// Data quality as work (issue 7): counts per kind and area, the findings of one's kecamatan with filters,
// "saya tangani" and "tandai selesai" with a note, and the same list as CSV. Scope, permission, masking and
// audit are all in services/quality/findings.ts; this page only reads the query and renders.

const PAGE = 50;
const idParam = (raw: string | null | undefined) => (raw && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : undefined);
const oneOf = <T extends string>(list: readonly T[], raw: string | null | undefined): T | undefined => (raw && (list as readonly string[]).includes(raw) ? (raw as T) : undefined);

type PageFilter = FindingFilter & { cursor?: number };

/** The filter from a query string; unknown values are dropped. Open findings unless asked otherwise. */
function filterOf(q: URLSearchParams): PageFilter & { query: string } {
  const kind = oneOf(FINDING_KINDS, q.get('kind'));
  const status = q.get('status') === 'all' ? undefined : (oneOf(FINDING_STATUSES, q.get('status')) ?? 'open');
  const kecamatanId = idParam(q.get('kecamatan'));
  const kelurahanId = idParam(q.get('kelurahan'));
  const cursor = idParam(q.get('cursor'));
  const out = new URLSearchParams();
  if (kind) out.set('kind', kind);
  out.set('status', status ?? 'all');
  if (kecamatanId) out.set('kecamatan', String(kecamatanId));
  if (kelurahanId) out.set('kelurahan', String(kelurahanId));
  return {
    ...(kind ? { kind } : {}),
    ...(status ? { status } : {}),
    ...(kecamatanId ? { kecamatanId } : {}),
    ...(kelurahanId ? { kelurahanId } : {}),
    ...(cursor ? { cursor } : {}),
    query: out.toString(),
  };
}

const ERROR_STATUS: Record<FindingRefusal, 400 | 403 | 404 | 409> = { not_found: 404, forbidden: 403, invalid_input: 400, invalid_status: 409, note_required: 400 };

export function qualityRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const tOf = (c: ConsoleContext) => deps.i18n.getFixedT(c.get('locale'));

  const forbidden = (c: ConsoleContext) => {
    const t = tOf(c);
    return c.html(
      <Shell t={t} locale={c.get('locale')} title={t('quality:console.title')} session={c.get('session')} here="/console/quality">
        <h1>{t('quality:console.title')}</h1>
        <p class="error">{t('quality:console.forbidden')}</p>
      </Shell>,
      403,
    );
  };

  // The services' Forbidden, wherever a quality page meets it (errors.ts).
  app.use('/console/quality/*', errorAnswers({ forbidden }));

  const page = async (c: ConsoleContext, f: PageFilter & { query: string }, note: { done?: 'assigned' | 'resolved'; error?: FindingRefusal } = {}, status: 200 | 400 | 403 | 404 | 409 = 200) => {
    const t = tOf(c);
    const locale = c.get('locale');
    const session = c.get('session');
    const areas = await findingAreas(db, session.actor);
    const counts = await findingCounts(db, session.actor, f);
    const list = await listFindings(db, session.actor, { ...f, limit: PAGE });
    const changes = can(session.actor, CHANGE_PERMISSION);
    const withKind = (kind: FindingKind) => {
      const q = new URLSearchParams(f.query);
      q.set('kind', kind);
      return `/console/quality?${q.toString()}`;
    };
    return c.html(
      <Shell t={t} locale={locale} title={t('quality:console.title')} session={session} here="/console/quality">
        <h1>{t('quality:console.title')}</h1>
        <p>{t('quality:console.intro')}</p>
        {note.done ? (
          <p class="notice" role="status">
            {t(`quality:console.${note.done}`)}
          </p>
        ) : null}
        {note.error ? (
          <p class="error" role="alert">
            {t(`quality:console.errors.${note.error}`)}
          </p>
        ) : null}
        <section class="card">
          <h2>{t('quality:console.byKind')}</h2>
          <table data-testid="by-kind">
            <tbody>
              {FINDING_KINDS.map((k) => (
                <tr>
                  <td>
                    <a href={withKind(k)}>{t(`quality:kinds.${k}`)}</a>
                  </td>
                  <td data-kind={k}>{counts.byKind[k]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('quality:console.byArea')}</h2>
          <table data-testid="by-area">
            <thead>
              <tr>
                <th>{t('quality:console.kecamatan')}</th>
                <th>{t('quality:console.kelurahan')}</th>
                <th>{t('quality:console.count')}</th>
              </tr>
            </thead>
            <tbody>
              {counts.byArea.map((a) => (
                <tr>
                  <td>{a.kecamatan ?? '—'}</td>
                  <td>{a.kelurahan ?? '—'}</td>
                  <td>{a.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <form class="filters" method="get" action="/console/quality">
          <div>
            <label for="q-kind">{t('quality:console.kind')}</label>
            <select id="q-kind" name="kind">
              <option value="">{t('quality:console.all')}</option>
              {FINDING_KINDS.map((k) => (
                <option value={k} selected={k === f.kind}>
                  {t(`quality:kinds.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="q-status">{t('quality:console.status')}</label>
            <select id="q-status" name="status">
              {FINDING_STATUSES.map((s) => (
                <option value={s} selected={s === f.status}>
                  {t(`quality:statuses.${s}`)}
                </option>
              ))}
              <option value="all" selected={!f.status}>
                {t('quality:console.all')}
              </option>
            </select>
          </div>
          <AreaFilters
            idPrefix="q"
            areas={areas}
            kecamatanId={f.kecamatanId}
            kelurahanId={f.kelurahanId}
            labels={{ kecamatan: t('quality:console.kecamatan'), kelurahan: t('quality:console.kelurahan'), all: t('quality:console.all') }}
          />
          <button type="submit">{t('quality:console.filter')}</button>
        </form>
        <p>
          <a href={`/console/quality/export.csv?${f.query}`} download>
            {t('quality:console.download')}
          </a>
        </p>
        {list.items.length === 0 ? (
          <p data-testid="none">{t('quality:console.none')}</p>
        ) : (
          <table data-testid="findings">
            <thead>
              <tr>
                <th>{t('quality:console.kind')}</th>
                <th>{t('quality:console.kelurahan')}</th>
                <th>{t('quality:console.family')}</th>
                <th>{t('quality:console.member')}</th>
                <th>{t('quality:console.details')}</th>
                <th>{t('quality:console.assignee')}</th>
                <th>{t('quality:console.seen')}</th>
                <th>{t('quality:console.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((r) => (
                <Row t={t} locale={locale} timeZone={deps.timeZone} r={r} meId={session.actor.kind === 'staff' ? session.actor.id : null} changes={changes} query={f.query} csrf={<Csrf session={session} />} />
              ))}
            </tbody>
          </table>
        )}
        <p>
          {f.cursor ? <a href={`/console/quality?${f.query}`}>{t('quality:console.first')}</a> : null}{' '}
          {list.nextCursor ? <a href={`/console/quality?${f.query}&cursor=${list.nextCursor}`}>{t('quality:console.next')}</a> : null}
        </p>
      </Shell>,
      status,
    );
  };

  app.get('/console/quality', guard, (c) => {
    const q = new URL(c.req.url).searchParams;
    const done = oneOf(['assigned', 'resolved'] as const, q.get('done'));
    return page(c, filterOf(q), done ? { done } : {});
  });

  app.get('/console/quality/export.csv', guard, async (c) => {
    const t = tOf(c);
    const f = filterOf(new URL(c.req.url).searchParams);
    const { cursor: _cursor, query: _query, ...filter } = f;
    const out = await findingsCsv(db, c.get('session').actor, filter, (k) => t(`quality:kinds.${k}`));
    const day = deps.clock().toISOString().slice(0, 10);
    return c.body(out.csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="temuan-kualitas-data-${day}.csv"` });
  });

  /** After a change: back to the same filtered list, or the page again with the reason it was refused. */
  const change = (path: 'assign' | 'resolve', run: (c: ConsoleContext, id: number) => Promise<{ ok: true } | { ok: false; reason: FindingRefusal }>) =>
    app.post(`/console/quality/:id/${path}`, guard, csrf, async (c) => {
      const f = filterOf(new URLSearchParams(await formField(c, 'q')));
      const id = idParam(c.req.param('id'));
      const result = id === undefined ? ({ ok: false, reason: 'not_found' } as const) : await run(c, id);
      if (result.ok) return c.redirect(`/console/quality?${f.query}&done=${path === 'assign' ? 'assigned' : 'resolved'}`, 303);
      return page(c, f, { error: result.reason }, ERROR_STATUS[result.reason]);
    });

  change('assign', (c, id) => {
    const actor = c.get('session').actor;
    return assignFinding(db, actor, id, actor.id, { now: deps.clock() });
  });
  change('resolve', async (c, id) => resolveFinding(db, c.get('session').actor, id, await formField(c, 'note'), { now: deps.clock() }));

  return app;
}

function detailText(t: TFunction, r: FindingView): string {
  const d = r.details;
  if (r.kind === 'duplicate_nik' && Array.isArray(d.householdIds)) return t('quality:console.detail.householdIds', { count: d.householdIds.length });
  if (r.kind === 'exclusive_programs' && Array.isArray(d.programCodes)) return t('quality:console.detail.programCodes', { codes: d.programCodes.join(', ') });
  if (r.kind === 'above_desil_ceiling') return t('quality:console.detail.desil', { desil: d.desil, maxDesil: d.maxDesil });
  if (r.kind === 'reported_moved' || r.kind === 'reported_deceased') return t('quality:console.detail.complaint', { trackingId: d.trackingId });
  return '';
}

interface RowProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  r: FindingView;
  meId: number | null;
  changes: boolean;
  query: string;
  csrf: Child;
}

function Row({ t, locale, timeZone, r, meId, changes, query, csrf }: RowProps) {
  const complaintId = typeof r.details.complaintId === 'number' ? r.details.complaintId : null;
  return (
    <tr data-finding={String(r.id)}>
      <td>
        {t(`quality:kinds.${r.kind}`)}
        <div class="meta">{t(`quality:statuses.${r.status}`)}</div>
      </td>
      <td>
        {r.kelurahan?.name ?? '—'}
        <div class="meta">{r.kecamatan?.name ?? ''}</div>
      </td>
      <td>
        {r.noKk ?? '—'}
        <div class="meta">{r.headName ?? ''}</div>
      </td>
      <td>
        {r.memberName ?? '—'}
        <div class="meta">{r.memberNik ?? ''}</div>
      </td>
      <td>
        {r.program ? <div>{r.program.code}</div> : null}
        {complaintId ? <a href={`/console/complaints/${complaintId}`}>{detailText(t, r)}</a> : detailText(t, r)}
      </td>
      <td>{r.assignee?.name ?? t('quality:console.unassigned')}</td>
      <td>
        <div class="meta">
          {t('quality:console.firstSeen')}: {formatTime(new Date(r.firstSeenAt), locale, timeZone)}
        </div>
        <div class="meta">
          {t('quality:console.lastSeen')}: {formatTime(new Date(r.lastSeenAt), locale, timeZone)}
        </div>
      </td>
      <td>
        {r.status === 'resolved' ? (
          <span class="text">{t('quality:console.resolvedBy', { at: r.resolvedAt ? formatTime(new Date(r.resolvedAt), locale, timeZone) : '', note: r.resolutionNote ?? '' })}</span>
        ) : changes ? (
          <div class="actions">
            {r.assignee?.id !== meId && meId !== null ? (
              <form method="post" action={`/console/quality/${r.id}/assign`}>
                {csrf}
                <input type="hidden" name="q" value={query} />
                <button class="secondary" type="submit">
                  {t('quality:console.assignMe')}
                </button>
              </form>
            ) : null}
            <form method="post" action={`/console/quality/${r.id}/resolve`}>
              {csrf}
              <input type="hidden" name="q" value={query} />
              <label for={`note-${r.id}`}>{t('quality:console.note')}</label>
              <textarea id={`note-${r.id}`} name="note" maxlength={2000} required></textarea>
              <button class="primary" type="submit">
                {t('quality:console.resolve')}
              </button>
            </form>
          </div>
        ) : null}
      </td>
    </tr>
  );
}
