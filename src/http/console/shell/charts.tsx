// Tiny charts drawn on the server as inline SVG: no script, nothing loaded from elsewhere, so they pass the
// console's content security policy. Each chart is an image with a title for screen readers and is followed
// by a table with the same numbers.

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
}) {
  const { id, title, columns, series } = props;
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
      <svg role="img" aria-labelledby={`${id}-title`} viewBox={`0 0 ${width} ${height}`} width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">
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
                return (
                  <rect x={x.toFixed(1)} y={y.toFixed(1)} width={barW.toFixed(1)} height={h.toFixed(1)} fill={s.color}>
                    <title>{`${c.label} · ${s.label}: ${v}`}</title>
                  </rect>
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
                  <td>{fmt(c.values[s.key] ?? 0)}</td>
                ))}
                <td>{fmt(totals[i]!)}</td>
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
  rows: { label: string; value: number }[];
  color?: string;
}) {
  const { id, title, rows } = props;
  const width = 720;
  const rowH = 28;
  const labelW = 180;
  const height = Math.max(1, rows.length) * rowH + 8;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const plotW = width - labelW - 60;
  return (
    <figure class="chart" style="margin:0">
      <svg role="img" aria-labelledby={`${id}-title`} viewBox={`0 0 ${width} ${height}`} width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">
        <title id={`${id}-title`}>{title}</title>
        {rows.map((r, i) => {
          const y = 4 + i * rowH;
          const w = (r.value / max) * plotW;
          return (
            <g>
              <text x={labelW - 8} y={y + rowH / 2 + 4} text-anchor="end" font-size="13">
                {r.label}
              </text>
              <rect x={labelW} y={y + 4} width={w.toFixed(1)} height={rowH - 8} fill={props.color ?? PALETTE[0]} />
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
                <td>{fmt(r.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
