import type { Child } from 'hono/jsx';
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

/** A mark of the chart that leads somewhere when given a link: an SVG link with its own label, else the mark. */
function Linked({ href, label, id, children }: { href: string | undefined; label: string; id: string; children: Child }) {
  return href ? (
    <a href={href} aria-label={label} data-chart-link={id}>
      {children}
    </a>
  ) : (
    <>{children}</>
  );
}

/** A figure in the chart's table, a link to the same place as its mark when there is one. */
function Cell({ href, text }: { href: string | undefined; text: string }) {
  return <td>{href ? <a href={href}>{text}</a> : text}</td>;
}

/** The chart's numbers as a table, folded under it: what a screen reader or a printout reads. */
function ChartTable({ label, headers, rows }: { label: string; headers: string[]; rows: { label: string; cells: Child }[] }) {
  return (
    <details>
      <summary>{label}</summary>
      <table>
        <thead>
          <tr>
            {headers.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              {r.cells}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

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
                return (
                  <Linked href={href?.(c.key, s.key)} label={`${c.label} · ${s.label}: ${v}`} id={id}>
                    {rect}
                  </Linked>
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
      <ChartTable
        label={props.tableLabel}
        headers={[props.columnLabel, ...series.map((s) => s.label), props.totalLabel]}
        rows={columns.map((c, i) => ({
          label: c.label,
          cells: (
            <>
              {series.map((s) => (
                <Cell href={(c.values[s.key] ?? 0) > 0 ? href?.(c.key, s.key) : undefined} text={fmt(c.values[s.key] ?? 0)} />
              ))}
              <Cell href={totals[i]! > 0 ? href?.(c.key, null) : undefined} text={fmt(totals[i]!)} />
            </>
          ),
        }))}
      />
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
              {/* A linked bar keeps at least 2 px, so a zero still has something to click. */}
              <Linked href={r.href} label={`${r.label}: ${fmt(r.value)}`} id={id}>
                <rect x={labelW} y={y + 4} width={(r.href ? Math.max(2, w) : w).toFixed(1)} height={rowH - 8} fill={props.color ?? PALETTE[0]} />
              </Linked>
              <text x={(labelW + w + 6).toFixed(1)} y={y + rowH / 2 + 4} font-size="13">
                {fmt(r.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <ChartTable label={props.tableLabel} headers={[props.rowLabel, props.valueLabel]} rows={rows.map((r) => ({ label: r.label, cells: <Cell href={r.href} text={fmt(r.value)} /> }))} />
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
              {dot ? (
                <Linked href={p.href} label={`${p.label}: ${p.text}`} id={id}>
                  {dot}
                </Linked>
              ) : null}
              {i % labelEvery === 0 ? (
                <text x={xOf(i).toFixed(1)} y={height - 8} text-anchor="middle" font-size="10">
                  {p.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <ChartTable
        label={props.tableLabel}
        headers={[props.columnLabel, props.valueLabel, ...(props.extraLabels ?? [])]}
        rows={points.map((p) => ({
          label: p.label,
          cells: (
            <>
              <Cell href={p.value !== null ? p.href : undefined} text={p.text} />
              {(p.extra ?? []).map((e) => (
                <td>{e}</td>
              ))}
            </>
          ),
        }))}
      />
    </figure>
  );
}
