import type { TFunction } from 'i18next';
import type { EventProgress, ProgressCounts } from '../../../../services/distribution/progress.ts';
import { PALETTE } from '../../shell/charts.tsx';
import { DeliveryCard } from './delivery.tsx';
import { Shell } from '../../shell/layout.tsx';
import { dayText, NS, type PageContext } from './page.tsx';

// The progress page of one event: totals, a chart and a table per kelurahan, in a part that updates itself
// (rendered in the page and alone, as the fragment the page fetches when its stream says "changed").

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
export function ProgressLive({ t, p, updatedAt }: { t: TFunction; p: EventProgress; updatedAt: string }) {
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
            {/* On a phone the table scrolls sideways inside its own box (style-phone.ts): a keyboard reaches it by Tab. */}
            <table data-testid="per-kelurahan" tabindex={0}>
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

export function ProgressPage({ page, p, updatedAt }: { page: PageContext; p: EventProgress; updatedAt: string }) {
  const { t, locale } = page;
  const id = p.eventId;
  return (
    <Shell t={t} locale={locale} title={t(`${NS}:progress.title`, { title: p.title })} session={page.session} here={`/console/distribution/${id}/progress`} live>
      <p>
        <a href={`/console/distribution/${id}`}>← {p.title}</a>
      </p>
      <h1>{t(`${NS}:progress.title`, { title: p.title })}</h1>
      <p>
        {dayText(p.eventDate, locale)} · {t(`${NS}:status.${p.status}`)}
      </p>
      {/* The stream only signals; the fragment comes from the scope-checked /live route. */}
      <div hx-ext="sse" sse-connect={`/console/distribution/${id}/progress/events`}>
        <ProgressLive t={t} p={p} updatedAt={updatedAt} />
      </div>
      {p.delivery ? <DeliveryCard t={t} eventId={id} d={p.delivery} /> : null}
      <p class="meta">{t(`${NS}:progress.liveNote`)}</p>
    </Shell>
  );
}
