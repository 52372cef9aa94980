import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { TFunction } from 'i18next';
import { todayIn } from '../../../domain/dates.ts';
import { can } from '../../../services/access.ts';
import { importProposalOutcomes, proposalAreas, proposalCount, proposalsCsv, type OutcomeReport, type ProposalFilter } from '../../../services/registry/proposals.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { Csrf, Shell } from '../shell/layout.tsx';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { AreaFilters } from '../shell/area-filters.tsx';

// Proposals out to verification (issue 7): filter the usulan, sanggahan and data corrections of one's
// scope, download them as the kelurahan meeting's sheet, and upload the meeting's answers, which tells each
// resident the result. Scope, permission and audit are all in services/proposals.ts.

/** The meeting's answer sheet is a few thousand short lines at most; 2 MB leaves room without inviting abuse. */
export const OUTCOME_UPLOAD_LIMIT = 2 * 1024 * 1024;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const idParam = (raw: string | undefined) => (raw && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : undefined);
const dayParam = (raw: string | undefined) => (raw && ISO_DAY.test(raw) ? raw : undefined);

function filterOf(c: ConsoleContext, timeZone: string): ProposalFilter & { query: string } {
  const kecamatanId = idParam(c.req.query('kecamatan'));
  const kelurahanId = idParam(c.req.query('kelurahan'));
  const from = dayParam(c.req.query('from'));
  const to = dayParam(c.req.query('to'));
  const q = new URLSearchParams();
  if (kecamatanId) q.set('kecamatan', String(kecamatanId));
  if (kelurahanId) q.set('kelurahan', String(kelurahanId));
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  return {
    timeZone,
    ...(kecamatanId ? { kecamatanId } : {}),
    ...(kelurahanId ? { kelurahanId } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    query: q.toString(),
  };
}

export function proposalRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const tOf = (c: ConsoleContext) => deps.i18n.getFixedT(c.get('locale'));
  const actorOf = (c: ConsoleContext) => c.get('session').actor;

  const forbidden = (c: ConsoleContext) => {
    const t = tOf(c);
    return c.html(
      <Shell t={t} locale={c.get('locale')} title={t('proposals:console.title')} session={c.get('session')} here="/console/proposals">
        <h1>{t('proposals:console.title')}</h1>
        <p class="error">{t('proposals:console.forbidden')}</p>
      </Shell>,
      403,
    );
  };

  // The services' Forbidden, wherever a proposals page meets it (errors.ts).
  app.use('/console/proposals/*', errorAnswers({ forbidden }));

  const page = async (c: ConsoleContext, opts: { report?: OutcomeReport; error?: 'noFile' | 'tooLarge' } = {}, status: 200 | 400 | 413 = 200) => {
    const t = tOf(c);
    const session = c.get('session');
    const f = filterOf(c, deps.timeZone);
    const areas = await proposalAreas(db, session.actor);
    const total = await proposalCount(db, session.actor, f);
    return c.html(
      <Shell t={t} locale={c.get('locale')} title={t('proposals:console.title')} session={session} here="/console/proposals">
        <h1>{t('proposals:console.title')}</h1>
        <p class="warn">{t('proposals:console.intro')}</p>
        {opts.error ? (
          <p class="error" role="alert">
            {t(`proposals:console.${opts.error}`)}
          </p>
        ) : null}
        {opts.report ? <Report t={t} report={opts.report} /> : null}
        <form class="filters" method="get" action="/console/proposals">
          <AreaFilters
            idPrefix="p"
            areas={areas}
            kecamatanId={f.kecamatanId}
            kelurahanId={f.kelurahanId}
            labels={{ kecamatan: t('proposals:console.kecamatan'), kelurahan: t('proposals:console.kelurahan'), all: t('proposals:console.all') }}
          />
          <div>
            <label for="p-from">{t('proposals:console.from')}</label>
            <input id="p-from" type="date" name="from" value={f.from ?? ''} />
          </div>
          <div>
            <label for="p-to">{t('proposals:console.to')}</label>
            <input id="p-to" type="date" name="to" value={f.to ?? ''} />
          </div>
          <button type="submit">{t('proposals:console.filter')}</button>
        </form>
        <section class="card">
          <p data-testid="count">{t('proposals:console.count', { count: total })}</p>
          <p>
            <a href={`/console/proposals/export.csv${f.query ? `?${f.query}` : ''}`} download>
              {t('proposals:console.download')}
            </a>
          </p>
        </section>
        {can(session.actor, 'complaints.work') ? (
          <section class="card">
            <h2>{t('proposals:console.uploadTitle')}</h2>
            <p>{t('proposals:console.uploadHelp')}</p>
            <form method="post" action="/console/proposals/outcomes" enctype="multipart/form-data">
              <Csrf session={session} />
              <div class="field">
                <label for="p-file">{t('proposals:console.file')}</label>
                <input id="p-file" type="file" name="file" accept=".csv,text/csv" required />
              </div>
              <button class="primary" type="submit">
                {t('proposals:console.upload')}
              </button>
            </form>
          </section>
        ) : null}
      </Shell>,
      status,
    );
  };

  app.get('/console/proposals', guard, (c) => page(c));

  app.get('/console/proposals/export.csv', guard, async (c) => {
    const f = filterOf(c, deps.timeZone);
    const out = await proposalsCsv(db, actorOf(c), { ...f, baseUrl: new URL(c.req.url).origin });
    const day = todayIn(deps.timeZone, deps.clock());
    return c.body(out.csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="usulan-verifikasi-${day}.csv"`,
    });
  });

  app.post(
    '/console/proposals/outcomes',
    guard,
    bodyLimit({ maxSize: OUTCOME_UPLOAD_LIMIT, onError: (c) => page(c as ConsoleContext, { error: 'tooLarge' }, 413) }),
    csrf,
    async (c) => {
      const body = await c.req.parseBody();
      const file = body.file;
      if (!(file instanceof File) || file.size === 0) return page(c, { error: 'noFile' }, 400);
      const report = await importProposalOutcomes(db, actorOf(c), await file.text(), { now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale });
      return page(c, { report });
    },
  );

  return app;
}

function Report({ t, report }: { t: TFunction; report: OutcomeReport }) {
  return (
    <section class="card" data-testid="report">
      <h2>{t('proposals:console.reportTitle')}</h2>
      <p class="notice" role="status">
        {t('proposals:console.applied', { count: report.applied.length })} · {t('proposals:console.unchanged', { count: report.unchanged.length })} ·{' '}
        {t('proposals:console.skipped', { count: report.skipped.length })}
      </p>
      {report.applied.length > 0 ? (
        <table data-testid="applied">
          <thead>
            <tr>
              <th>{t('proposals:console.line')}</th>
              <th>{t('proposals:console.trackingId')}</th>
              <th>{t('proposals:console.outcome')}</th>
              <th>{t('proposals:console.notified')}</th>
            </tr>
          </thead>
          <tbody>
            {report.applied.map((r) => (
              <tr>
                <td>{r.line}</td>
                <td>{r.trackingId}</td>
                <td>{t(`proposals:outcomes.${r.outcome}`)}</td>
                <td>{r.notified ? t('proposals:console.yes') : t('proposals:console.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {report.skipped.length > 0 ? (
        <table data-testid="skipped">
          <thead>
            <tr>
              <th>{t('proposals:console.line')}</th>
              <th>{t('proposals:console.trackingId')}</th>
              <th>{t('proposals:console.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {report.skipped.map((r) => (
              <tr>
                <td>{r.line}</td>
                <td>{r.trackingId ?? '—'}</td>
                <td>{t(`proposals:console.reasons.${r.reason}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
