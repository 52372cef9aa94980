// Tiny charts drawn on the server as inline SVG: no script, nothing loaded from elsewhere, so they pass the
// console's content security policy. Each chart is an image with a title for screen readers and is followed
// by a table with the same numbers.
//
// A chart may click through (issue 18): given links, each bar or point is an SVG link with its own label, and
// the same link sits on the figure in the table. Links inside role="img" would be hidden from screen readers
// (an image's children are presentational), so a linked chart is a labelled group instead.

export interface Series {
  key: string;
  label: string;
  color: string;
}

/** Colour-blind-friendly (Okabe–Ito) plus two greys; cycles when there are more series. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#6b6b6b', '#F0E442'];

const fmt = (n: number) => String(n);

/** A stacked bar per column (a day), one segment per series. */
export function StackedBarChart(props: {
  id: string;
  title: string;
  /** Caption of the first column of the fallback table. */
  columnLabel: string;
  totalLabel: string;
  tableLabel: string;
  columns: { key: string; label: string; values: Record<string, number> }[];
  series: Series[];
  /** Where a segment (column, series) leads; a column's total leads to `href(column, null)`. */
  href?: (columnKey: string, seriesKey: string | null) => string;
}) {
  const { id, title, columns, series, href } = props;
  const width = 720;
  const height = 220;
  const left = 32;
  const bottom = 24;
  const top = 8;
  const plotH = height - bottom - top;
  const plotW = width - left - 8;
  const totals = columns.map((c) => series.reduce((a, s) => a + (c.values[s.key] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const step = plotW / Math.max(1, columns.length);
  const barW = Math.max(1, step * 0.8);
  const labelEvery = Math.max(1, Math.ceil(columns.length / 10));
  return (
    <figure class="chart" style="margin:0">
      <svg role={href ? 'group' : 'img'} aria-labelledby={`${id}-title`} viewBox={`0 0 ${width} ${height}`} width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">
        <title id={`${id}-title`}>{title}</title>
        <line x1={left} y1={top + plotH} x2={width - 8} y2={top + plotH} stroke="#6b7f77" />
        <text x={left - 4} y={top + 10} text-anchor="end" font-size="11">
          {fmt(max)}
        </text>
        <text x={left - 4} y={top + plotH} text-anchor="end" font-size="11">
          0
        </text>
        {columns.map((c, i) => {
          let y = top + plotH;
          const x = left + i * step + (step - barW) / 2;
          return (
            <g>
              {series.map((s) => {
                const v = c.values[s.key] ?? 0;
                if (v <= 0) return null;
                const h = (v / max) * plotH;
                y -= h;
                const rect = (
                  <rect x={x.toFixed(1)} y={y.toFixed(1)} width={barW.toFixed(1)} height={h.toFixed(1)} fill={s.color}>
                    <title>{`${c.label} · ${s.label}: ${v}`}</title>
                  </rect>
                );
                return href ? (
                  <a href={href(c.key, s.key)} aria-label={`${c.label} · ${s.label}: ${v}`} data-chart-link={id}>
                    {rect}
                  </a>
                ) : (
                  rect
                );
              })}
              {i % labelEvery === 0 ? (
                <text x={(x + barW / 2).toFixed(1)} y={height - 8} text-anchor="middle" font-size="10">
                  {c.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="legend" style="list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.4rem 1rem">
          {series.map((s) => (
            <li>
              <span class="swatch" style={`display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;background:${s.color}`} aria-hidden="true" />
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <details>
        <summary>{props.tableLabel}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{props.columnLabel}</th>
              {series.map((s) => (
                <th scope="col">{s.label}</th>
              ))}
              <th scope="col">{props.totalLabel}</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c, i) => (
              <tr>
                <th scope="row">{c.label}</th>
                {series.map((s) => (
                  <td>{href && (c.values[s.key] ?? 0) > 0 ? <a href={href(c.key, s.key)}>{fmt(c.values[s.key] ?? 0)}</a> : fmt(c.values[s.key] ?? 0)}</td>
                ))}
                <td>{href && totals[i]! > 0 ? <a href={href(c.key, null)}>{fmt(totals[i]!)}</a> : fmt(totals[i]!)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** One horizontal bar per row, longest first as given. */
export function HorizontalBarChart(props: {
  id: string;
  title: string;
  rowLabel: string;
  valueLabel: string;
  tableLabel: string;
  rows: { label: string; value: number; href?: string }[];
  color?: string;
}) {
  const { id, title, rows } = props;
  const linked = rows.some((r) => r.href);
  const width = 720;
  const rowH = 28;
  const labelW = 180;
  const height = Math.max(1, rows.length) * rowH + 8;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const plotW = width - labelW - 60;
  return (
    <figure class="chart" style="margin:0">
      <svg role={linked ? 'group' : 'img'} aria-labelledby={`${id}-title`} viewBox={`0 0 ${width} ${height}`} width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">
        <title id={`${id}-title`}>{title}</title>
        {rows.map((r, i) => {
          const y = 4 + i * rowH;
          const w = (r.value / max) * plotW;
          return (
            <g>
              <text x={labelW - 8} y={y + rowH / 2 + 4} text-anchor="end" font-size="13">
                {r.label}
              </text>
              {r.href ? (
                <a href={r.href} aria-label={`${r.label}: ${fmt(r.value)}`} data-chart-link={id}>
                  <rect x={labelW} y={y + 4} width={Math.max(2, w).toFixed(1)} height={rowH - 8} fill={props.color ?? PALETTE[0]} />
                </a>
              ) : (
                <rect x={labelW} y={y + 4} width={w.toFixed(1)} height={rowH - 8} fill={props.color ?? PALETTE[0]} />
              )}
              <text x={(labelW + w + 6).toFixed(1)} y={y + rowH / 2 + 4} font-size="13">
                {fmt(r.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <details>
        <summary>{props.tableLabel}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{props.rowLabel}</th>
              <th scope="col">{props.valueLabel}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">{r.label}</th>
                <td>{r.href ? <a href={r.href}>{fmt(r.value)}</a> : fmt(r.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/**
 * A line over time (a rate per week, an index per month): one point per column, a gap where there is no
 * figure (nobody due, nobody rated). `max` fixes the top of the scale (1 for a share, 100 for IKM); an
 * optional `target` draws a dashed line. Each point may lead somewhere, like a bar.
 */
export function LineChart(props: {
  id: string;
  title: string;
  columnLabel: string;
  valueLabel: string;
  tableLabel: string;
  /** `value` null: no figure for this column; `text` is the value as the page writes it; `extra` adds table cells. */
  points: { key: string; label: string; value: number | null; text: string; href?: string; extra?: string[] }[];
  /** Headers of the `extra` table cells. */
  extraLabels?: string[];
  max: number;
  min?: number;
  target?: { value: number; label: string };
  color?: string;
}) {
  const { id, title, points, max } = props;
  const min = props.min ?? 0;
  const width = 720;
  const height = 220;
  const left = 40;
  const bottom = 24;
  const top = 10;
  const plotH = height - bottom - top;
  const plotW = width - left - 16;
  const step = plotW / Math.max(1, points.length);
  const xOf = (i: number) => left + step * i + step / 2;
  const yOf = (v: number) => top + plotH - ((Math.min(max, Math.max(min, v)) - min) / (max - min)) * plotH;
  const color = props.color ?? PALETTE[0]!;
  // Runs of consecutive points with a figure, each drawn as its own line.
  const runs: { i: number; v: number }[][] = [];
  points.forEach((p, i) => {
    if (p.value === null) return;
    const last = runs.at(-1);
    if (last && last.at(-1)!.i === i - 1) last.push({ i, v: p.value });
    else runs.push([{ i, v: p.value }]);
  });
  const linked = points.some((p) => p.href);
  const labelEvery = Math.max(1, Math.ceil(points.length / 12));
  return (
    <figure class="chart" style="margin:0">
      <svg role={linked ? 'group' : 'img'} aria-labelledby={`${id}-title`} viewBox={`0 0 ${width} ${height}`} width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">
        <title id={`${id}-title`}>{title}</title>
        <line x1={left} y1={top + plotH} x2={width - 8} y2={top + plotH} stroke="#6b7f77" />
        <text x={left - 4} y={top + 8} text-anchor="end" font-size="11">
          {fmt(max)}
        </text>
        <text x={left - 4} y={top + plotH} text-anchor="end" font-size="11">
          {fmt(min)}
        </text>
        {props.target ? (
          <g>
            <line x1={left} y1={yOf(props.target.value).toFixed(1)} x2={width - 8} y2={yOf(props.target.value).toFixed(1)} stroke="#6b6b6b" stroke-dasharray="4 4" />
            <text x={width - 10} y={(yOf(props.target.value) - 4).toFixed(1)} text-anchor="end" font-size="11">
              {props.target.label}
            </text>
          </g>
        ) : null}
        {runs.map((run) => (
          <polyline fill="none" stroke={color} stroke-width="2" points={run.map((p) => `${xOf(p.i).toFixed(1)},${yOf(p.v).toFixed(1)}`).join(' ')} />
        ))}
        {points.map((p, i) => {
          const dot =
            p.value === null ? null : (
              <circle cx={xOf(i).toFixed(1)} cy={yOf(p.value).toFixed(1)} r="6" fill={color}>
                <title>{`${p.label}: ${p.text}`}</title>
              </circle>
            );
          return (
            <g>
              {dot && p.href ? (
                <a href={p.href} aria-label={`${p.label}: ${p.text}`} data-chart-link={id}>
                  {dot}
                </a>
              ) : (
                dot
              )}
              {i % labelEvery === 0 ? (
                <text x={xOf(i).toFixed(1)} y={height - 8} text-anchor="middle" font-size="10">
                  {p.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <details>
        <summary>{props.tableLabel}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{props.columnLabel}</th>
              <th scope="col">{props.valueLabel}</th>
              {(props.extraLabels ?? []).map((l) => (
                <th scope="col">{l}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr>
                <th scope="row">{p.label}</th>
                <td>{p.href && p.value !== null ? <a href={p.href}>{p.text}</a> : p.text}</td>
                {(p.extra ?? []).map((e) => (
                  <td>{e}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
