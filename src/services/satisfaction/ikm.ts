// The IKM (Indeks Kepuasan Masyarakat) over every service residents rate, from the one satisfaction store:
// the whole figure for a period, and the same figure by service, bidang, site or month. Only counts and
// names of places leave this module, never who rated.

import { and, eq, gte, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { satisfaction, sites } from '../../db/schema/index.ts';
import { can } from '../access.ts';
import type { Actor } from '../actor.ts';

export interface Period {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** Permenpan RB 14/2017's quality bands on the 25–100 scale. */
export type Mutu = 'A' | 'B' | 'C' | 'D';

export interface IkmFigure {
  /** 0–100 with two decimals; null when nobody rated in the period. */
  ikm: number | null;
  mutu: Mutu | null;
  count: number;
  /** Ratings per score, index 0 = score 1. */
  distribution: [number, number, number, number, number];
}

export function mutuOf(value: number): Mutu {
  if (value >= 88.31) return 'A';
  if (value >= 76.61) return 'B';
  if (value >= 65) return 'C';
  return 'D';
}

/** The ratings the actor may count: their kecamatan and bidang, and only with the dashboard or reports. */
function scopeOf(actor: Actor): SQL | undefined {
  if (!can(actor, 'reports.read') && !can(actor, 'dashboard.read')) return sql`false`;
  const parts: SQL[] = [];
  if (actor.kecamatanId !== null) parts.push(eq(satisfaction.kecamatanId, actor.kecamatanId));
  if (actor.bidang !== null) parts.push(eq(satisfaction.bidang, actor.bidang));
  return parts.length > 0 ? and(...parts) : undefined;
}

/** Ratings given in the period (by when they were given: satisfaction_answered_idx). */
function ratedIn(actor: Actor, period: Period): SQL | undefined {
  return and(scopeOf(actor), isNotNull(satisfaction.score), gte(satisfaction.answeredAt, period.from), lt(satisfaction.answeredAt, period.to));
}

/** Folds (score, count) rows into the figure. */
function figureOf(rows: readonly { score: number; n: number }[]): IkmFigure {
  const distribution: IkmFigure['distribution'] = [0, 0, 0, 0, 0];
  let sum = 0;
  let n = 0;
  for (const r of rows) {
    distribution[r.score - 1] = distribution[r.score - 1]! + r.n;
    sum += r.score * r.n;
    n += r.n;
  }
  if (n === 0) return { ikm: null, mutu: null, count: 0, distribution };
  const value = Math.round((sum / n / 5) * 100 * 100) / 100;
  return { ikm: value, mutu: mutuOf(value), count: n, distribution };
}

/**
 * IKM from the residents' 1–5 ratings of every service given in the period, in the actor's scope.
 *
 * Formula: IKM = mean score / 5 × 100 (a linear rescale of the 1–5 rating to 100). Permenpan RB 14/2017
 * computes SKM as the mean on its 1–4 scale × 25; we ask one question on a 1–5 scale, so the same idea —
 * mean over the top of the scale, times 100 — gives 20–100. The quality band uses the regulation's intervals
 * (A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99).
 */
export async function ikm(db: Db, actor: Actor, period: Period): Promise<IkmFigure> {
  const rows = await db
    .select({ score: satisfaction.score, n: sql<number>`count(*)::int` })
    .from(satisfaction)
    .where(ratedIn(actor, period))
    .groupBy(satisfaction.score);
  return figureOf(rows.map((r) => ({ score: r.score!, n: Number(r.n) })));
}

export const IKM_BREAKDOWNS = ['service', 'bidang', 'site', 'month'] as const;
export type IkmBreakdown = (typeof IKM_BREAKDOWNS)[number];

export interface IkmGroup {
  /** The service or bidang code, the site id, or the month (YYYY-MM); '' for ratings with no bidang. */
  key: string;
  /** A site's name; the view words the other keys in its own language. */
  name: string | null;
  figure: IkmFigure;
}

/**
 * The IKM of the period by service, bidang, site (collections: the only ratings with a site) or month (in
 * the office's time zone; every month of the period listed, rated or not). Groups by code, in code order.
 */
export async function ikmBreakdown(db: Db, actor: Actor, period: Period, by: IkmBreakdown, opts: { timeZone?: string } = {}): Promise<IkmGroup[]> {
  const timeZone = opts.timeZone ?? 'Asia/Jakarta';
  const key: SQL<string> =
    by === 'service'
      ? sql<string>`${satisfaction.service}`
      : by === 'bidang'
        ? sql<string>`coalesce(${satisfaction.bidang}, '')`
        : by === 'site'
          ? sql<string>`${satisfaction.siteId}::text`
          : sql<string>`to_char(${satisfaction.answeredAt} at time zone ${timeZone}, 'YYYY-MM')`;
  const rows = await db
    .select({ key, name: by === 'site' ? sql<string | null>`max(${sites.name})` : sql<string | null>`null`, score: satisfaction.score, n: sql<number>`count(*)::int` })
    .from(satisfaction)
    .leftJoin(sites, eq(sites.id, satisfaction.siteId))
    .where(and(ratedIn(actor, period), by === 'site' ? isNotNull(satisfaction.siteId) : undefined))
    .groupBy(sql`1`, satisfaction.score);
  const groups = new Map<string, { name: string | null; rows: { score: number; n: number }[] }>();
  if (by === 'month') for (const m of monthsOf(period, timeZone)) groups.set(m, { name: null, rows: [] });
  for (const r of rows) {
    const g = groups.get(r.key) ?? { name: r.name, rows: [] };
    g.rows.push({ score: r.score!, n: Number(r.n) });
    groups.set(r.key, g);
  }
  return [...groups]
    .sort(([a], [b]) => (by === 'site' ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0))
    .map(([k, g]) => ({ key: k, name: g.name, figure: figureOf(g.rows) }));
}

/** The months (YYYY-MM, in the zone) a period touches. */
function monthsOf(period: Period, timeZone: string): string[] {
  const ym = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(d).slice(0, 7);
  const last = ym(new Date(period.to.getTime() - 1));
  const out: string[] = [];
  for (let m = ym(period.from); m <= last && out.length < 240; ) {
    out.push(m);
    const [y, mm] = m.split('-').map(Number) as [number, number];
    m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
  }
  return out;
}
