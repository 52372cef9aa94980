import { Hono } from 'hono';
import type { TFunction } from 'i18next';
import { getEvent } from '../../../services/distribution/events.ts';
import { eventProgress, progressVersion, type EventProgress, type ProgressCounts } from '../../../services/distribution/progress.ts';
import type { AppDeps } from '../../context.ts';
import { PALETTE } from '../shell/charts.tsx';
import { formatTime, Shell } from '../shell/layout.tsx';
import { liveStream } from '../shell/live.ts';
import { requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { dayText, forbidden, mayRead, notFound, NS, parseId, tOf } from './shared.tsx';

// Live progress of one event, per kelurahan: invited, reachable by chat, confirmed, kuasa, collected,
// no-show. The page keeps an SSE stream open that only says "changed" when progressVersion moves; the page
// then fetches the /live fragment (same guard and scope) and swaps it in, so no count is ever pushed past
// a check. Only figures and area names are shown, never a resident.

const COLUMNS = ['invited', 'reachable', 'confirmed', 'proxies', 'collected', 'noShow'] as const satisfies readonly (keyof ProgressCounts)[];

/** Per row, three bars against the same scale: invited (light), confirmed and collected. */
function ProgressChart({ t, rows }: { t: TFunction; rows: { label: string; counts: ProgressCounts }[] }) {
  const width = 720;
  const labelW = 180;
  const rowH = 44;
  const barH = 10;
  const height = Math.max(1, rows.length) * rowH + 8;
  const plotW = width - labelW - 60;
  const max = Math.max(1, ...rows.map((r) => r.counts.invited));
  const bars = [
    { key: 'invited', color: '#b9c7c0' },
    { key: 'confirmed', color: PALETTE[0]! },
    { key: 'collected', color: PALETTE[2]! },
  ] as const;
  return (
    <figure class="chart" style="margin:0">
      <svg role="img" aria-labelledby="progress-chart-title" viewBox={`0 0 ${width} ${height}`} width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">
        <title id="progress-chart-title">{t(`${NS}:progress.chartTitle`)}</title>
        {rows.map((r, i) => {
          const y = 4 + i * rowH;
          return (
            <g>
              <text x={labelW - 8} y={y + rowH / 2 + 4} text-anchor="end" font-size="13">
                {r.label}
              </text>
              {bars.map((b, j) => {
                const v = r.counts[b.key];
                const w = (v / max) * plotW;
                const by = y + 4 + j * (barH + 3);
                return (
                  <g>
                    <rect x={labelW} y={by} width={w.toFixed(1)} height={barH} fill={b.color}>
                      <title>{`${r.label} · ${t(`${NS}:progress.columns.${b.key}`)}: ${v}`}</title>
                    </rect>
                    <text x={(labelW + w + 4).toFixed(1)} y={by + barH - 1} font-size="10">
                      {String(v)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="legend" style="list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.4rem 1rem">
          {bars.map((b) => (
            <li>
              <span style={`display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;background:${b.color}`} aria-hidden="true" />
              {t(`${NS}:progress.columns.${b.key}`)}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** The part that updates itself: totals, chart and table. */
function ProgressLive({ t, p, updatedAt }: { t: TFunction; p: EventProgress; updatedAt: string }) {
  return (
    <div id="progress-live" hx-get={`/console/distribution/${p.eventId}/progress/live`} hx-trigger="sse:changed" hx-swap="outerHTML">
      <section class="card" aria-labelledby="h-totals">
        <h2 id="h-totals">{t(`${NS}:progress.totals`)}</h2>
        <dl class="facts">
          {COLUMNS.map((k) => (
            <>
              <dt>{t(`${NS}:progress.columns.${k}`)}</dt>
              <dd data-testid={`total-${k}`}>{String(p.totals[k])}</dd>
            </>
          ))}
        </dl>
        <p class="meta">{t(`${NS}:progress.updated`, { time: updatedAt })}</p>
      </section>
      <section class="card" aria-labelledby="h-per-kel">
        <h2 id="h-per-kel">{t(`${NS}:progress.perKelurahan`)}</h2>
        {p.kelurahan.length === 0 ? (
          <p class="meta">{t(`${NS}:progress.none`)}</p>
        ) : (
          <>
            <ProgressChart t={t} rows={p.kelurahan.map((k) => ({ label: k.kelurahan, counts: k }))} />
            <table data-testid="per-kelurahan">
              <thead>
                <tr>
                  <th scope="col">{t(`${NS}:progress.kelurahan`)}</th>
                  {COLUMNS.map((k) => (
                    <th scope="col">{t(`${NS}:progress.columns.${k}`)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {p.kelurahan.map((k) => (
                  <tr>
                    <th scope="row">
                      {k.kelurahan}
                      <div class="meta">{k.kecamatan}</div>
                    </th>
                    {COLUMNS.map((col) => (
                      <td>{String(k[col])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}

export function progressRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);

  /** The counts, or null when the event is unknown or outside the person's area. */
  const load = async (c: ConsoleContext, id: number): Promise<EventProgress | null> => {
    const actor = c.get('session').actor;
    if (!(await getEvent(db, actor, id))) return null;
    return eventProgress(db, actor, id);
  };

  const guarded = async (c: ConsoleContext, run: (id: number) => Promise<Response>) => {
    if (!mayRead(c)) return forbidden(deps, c);
    const id = parseId(c.req.param('id'));
    if (id === null) return notFound(deps, c);
    return await run(id);
  };

  const stamp = (c: ConsoleContext) => formatTime(deps.clock(), c.get('locale'), deps.timeZone);

  app.get('/console/distribution/:id/progress', guard, (c) =>
    guarded(c, async (id) => {
      const p = await load(c, id);
      if (!p) return notFound(deps, c);
      const t = tOf(deps, c);
      const locale = c.get('locale');
      return c.html(
        <Shell t={t} locale={locale} title={t(`${NS}:progress.title`, { title: p.title })} session={c.get('session')} here={`/console/distribution/${id}/progress`} live>
          <p>
            <a href={`/console/distribution/${id}`}>← {p.title}</a>
          </p>
          <h1>{t(`${NS}:progress.title`, { title: p.title })}</h1>
          <p>
            {dayText(p.eventDate, locale)} · {t(`${NS}:status.${p.status}`)}
          </p>
          {/* The stream only signals; the fragment comes from the scope-checked /live route. */}
          <div hx-ext="sse" sse-connect={`/console/distribution/${id}/progress/events`}>
            <ProgressLive t={t} p={p} updatedAt={stamp(c)} />
          </div>
          <p class="meta">{t(`${NS}:progress.liveNote`)}</p>
        </Shell>,
      );
    }),
  );

  app.get('/console/distribution/:id/progress/live', guard, (c) =>
    guarded(c, async (id) => {
      const p = await load(c, id);
      if (!p) return c.text('', 404);
      return c.html(<ProgressLive t={tOf(deps, c)} p={p} updatedAt={stamp(c)} />);
    }),
  );

  app.get('/console/distribution/:id/progress/events', guard, (c) =>
    guarded(c, async (id) => {
      const actor = c.get('session').actor;
      // Visibility is checked before the stream starts; the stream ends (and reconnects, re-checking the
      // session) after its maximum life.
      if (!(await getEvent(db, actor, id))) return c.text('', 404);
      return liveStream(c, async () => String(await progressVersion(db, id)));
    }),
  );

  return app;
}
