// Who a broadcast goes to. Every part of a segment must hold: the household is enrolled (actively) in one
// of the programs, lies in one of the kecamatan and kelurahan, is ranked within the desil range, has a
// living member within the age range (today, in the office's zone) and, when asked, a living member with a
// disability; and the chat reads one of the languages. Each part is about the household, not one member:
// "age 60+ and disability" is a household with an elderly member and a member with a disability, who may be
// two people.
// Linked chats: verified as a living member of the household, not unreachable, and not stopped (BERHENTI:
// replies only). One message per chat, however many programs the household is in. Households the same
// filter holds without a linked chat are what a broadcast to registry phones adds (reach.ts).

import { inArray, sql, type SQL } from 'drizzle-orm';
import { LOCALES, type Locale } from '../../domain/vocabulary.ts';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { kecamatan, kelurahan, programs, type BroadcastSegment } from '../../db/schema/index.ts';
import { type Channel } from '../../domain/vocabulary.ts';
import type { Actor } from '../actor.ts';
import { refuse, segmentInScope, type BroadcastOutcome } from './common.ts';

const MAX_IDS = 200;
const MAX_AGE = 120;

type Range = { min?: number; max?: number } | 'out_of_range' | 'min_above_max';

/** An inclusive range with either end open; each end a whole number within [lo, hi]. */
function range(min: unknown, max: unknown, lo: number, hi: number): Range {
  const end = (v: unknown): number | undefined | null => {
    if (v === undefined || v === null) return undefined;
    return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? v : null;
  };
  const a = end(min);
  const b = end(max);
  if (a === null || b === null) return 'out_of_range';
  if (a !== undefined && b !== undefined && a > b) return 'min_above_max';
  return { ...(a !== undefined ? { min: a } : {}), ...(b !== undefined ? { max: b } : {}) };
}

/** Ids sorted and unique, empty parts dropped; unknown ids, languages or an area outside the actor's scope refused. */
export async function checkSegment(db: Db, actor: Actor, raw: BroadcastSegment): Promise<BroadcastOutcome<{ segment: BroadcastSegment }>> {
  const ids = (list: unknown): number[] | null => {
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list) || list.length > MAX_IDS || !list.every((n) => Number.isSafeInteger(n) && n >= 1 && n <= 2_147_483_647)) return null;
    return [...new Set(list as number[])].sort((a, b) => a - b);
  };
  const programIds = ids(raw.programIds);
  const kecamatanIds = ids(raw.kecamatanIds);
  const kelurahanIds = ids(raw.kelurahanIds);
  const languages = raw.languages ?? [];
  if (!programIds || !kecamatanIds || !kelurahanIds || !Array.isArray(languages)) return refuse('invalid_segment');
  if (!languages.every((l) => (LOCALES as readonly string[]).includes(l))) return refuse('invalid_segment');

  if (programIds.length > 0 && (await db.select({ id: programs.id }).from(programs).where(inArray(programs.id, programIds))).length !== programIds.length) {
    return refuse('unknown_program');
  }
  if (kecamatanIds.length > 0 && (await db.select({ id: kecamatan.id }).from(kecamatan).where(inArray(kecamatan.id, kecamatanIds))).length !== kecamatanIds.length) {
    return refuse('unknown_area');
  }
  if (kelurahanIds.length > 0 && (await db.select({ id: kelurahan.id }).from(kelurahan).where(inArray(kelurahan.id, kelurahanIds))).length !== kelurahanIds.length) {
    return refuse('unknown_area');
  }

  const desil = range(raw.desilMin, raw.desilMax, 1, 10);
  if (desil === 'out_of_range') return refuse('desil_out_of_range');
  if (desil === 'min_above_max') return refuse('desil_min_above_max');
  const age = range(raw.ageMin, raw.ageMax, 0, MAX_AGE);
  if (age === 'out_of_range') return refuse('age_out_of_range');
  if (age === 'min_above_max') return refuse('age_min_above_max');
  if (raw.disability !== undefined && raw.disability !== null && typeof raw.disability !== 'boolean') return refuse('invalid_segment');

  const segment: BroadcastSegment = {};
  if (programIds.length) segment.programIds = programIds;
  if (kecamatanIds.length) segment.kecamatanIds = kecamatanIds;
  if (kelurahanIds.length) segment.kelurahanIds = kelurahanIds;
  if (languages.length) segment.languages = [...new Set(languages)].sort();
  if (desil.min !== undefined) segment.desilMin = desil.min;
  if (desil.max !== undefined) segment.desilMax = desil.max;
  if (age.min !== undefined) segment.ageMin = age.min;
  if (age.max !== undefined) segment.ageMax = age.max;
  // Unticked means "whoever", not "without a disability": only true narrows.
  if (raw.disability === true) segment.disability = true;
  // A kecamatan-scoped supervisor who names no area means their own kecamatan, not the whole city.
  if (actor.kecamatanId !== null && !segment.kecamatanIds && !segment.kelurahanIds) segment.kecamatanIds = [actor.kecamatanId];
  if (!(await segmentInScope(db, actor, segment))) return refuse('out_of_scope');
  return { ok: true, segment };
}

/** What a segment is read against: the language of a chat that never chose one, and today's date (ages). */
export interface SegmentDay {
  defaultLocale: Locale;
  /** Today in the office's zone, YYYY-MM-DD: a member's age is counted on this date. */
  today: string;
}

export interface Recipient {
  contactId: number;
  householdId: number;
  channel: Channel;
  /** The chat's language, or the default one when it never chose. */
  language: Locale;
}

const intArray = (ids: readonly number[]) => sql`${`{${ids.join(',')}}`}::int[]`;

// A member who counts for the age and disability parts: alive and still listed in the registry.
const LIVING = sql`not mm.deceased and mm.missing_since is null`;

/** The household parts of a segment, over households h and kelurahan k. */
export function householdFilter(segment: BroadcastSegment, today: string): SQL {
  const parts: SQL[] = [sql`true`];
  if (segment.kecamatanIds?.length) parts.push(sql`k.kecamatan_id = any(${intArray(segment.kecamatanIds)})`);
  if (segment.kelurahanIds?.length) parts.push(sql`h.kelurahan_id = any(${intArray(segment.kelurahanIds)})`);
  if (segment.programIds?.length) {
    // Household programs are enrolled by household, person programs by member: either makes the household count.
    parts.push(sql`exists (
      select 1 from enrollments e
      where e.status = 'active' and e.program_id = any(${intArray(segment.programIds)})
        and (e.household_id = h.id or e.member_id in (select m2.id from members m2 where m2.household_id = h.id)))`);
  }
  // A household the registry has not ranked is in no desil range.
  if (segment.desilMin !== undefined) parts.push(sql`h.desil >= ${segment.desilMin}`);
  if (segment.desilMax !== undefined) parts.push(sql`h.desil <= ${segment.desilMax}`);
  if (segment.ageMin !== undefined || segment.ageMax !== undefined) {
    // Age N or more today: born on or before today minus N years (29 February counts as the registry does:
    // 28 February minus a year is the bound, so the birthday comes on 1 March). At most N: born after today
    // minus N + 1 years. Bounds on the column, so the comparison reads the birth dates as they are stored.
    const bounds: SQL[] = [];
    if (segment.ageMin !== undefined) bounds.push(sql`mm.birth_date <= (${today}::date - make_interval(years => ${segment.ageMin}::int))::date`);
    if (segment.ageMax !== undefined) bounds.push(sql`mm.birth_date > (${today}::date - make_interval(years => ${segment.ageMax + 1}::int))::date`);
    parts.push(sql`exists (select 1 from members mm where mm.household_id = h.id and ${LIVING} and ${sql.join(bounds, sql` and `)})`);
  }
  if (segment.disability) parts.push(sql`exists (select 1 from members mm where mm.household_id = h.id and ${LIVING} and mm.disability)`);
  return sql.join(parts, sql` and `);
}

/** The chat parts of a segment, over contacts c and members m: a linked, live chat in one of the languages. */
function chatFilter(segment: BroadcastSegment, defaultLocale: Locale): SQL {
  const parts: SQL[] = [sql`c.member_id is not null and c.verified_at is not null and c.unreachable_at is null and c.stopped_at is null and not m.deceased`];
  if (segment.languages?.length) parts.push(sql`coalesce(c.language, ${defaultLocale}) = any(${`{${segment.languages.join(',')}}`}::text[])`);
  return sql.join(parts, sql` and `);
}

/** The where-clause of a segment over contacts c, members m, households h, kelurahan k. */
export function segmentFilter(segment: BroadcastSegment, day: SegmentDay): SQL {
  return sql`${chatFilter(segment, day.defaultLocale)} and ${householdFilter(segment, day.today)}`;
}

const FROM = sql`from contacts c
  join members m on m.id = c.member_id
  join households h on h.id = m.household_id
  join kelurahan k on k.id = h.kelurahan_id`;

/** Every chat the segment reaches, in contact order. Set-based: one statement for the whole city. */
export async function segmentRecipients(db: Db, segment: BroadcastSegment, day: SegmentDay): Promise<Recipient[]> {
  const rows = rowsOf<{ contact_id: number | string; household_id: number | string; channel: Channel; language: string }>(
    await db.execute(sql`select c.id as contact_id, h.id as household_id, c.channel, coalesce(c.language, ${day.defaultLocale}) as language ${FROM}
      where ${segmentFilter(segment, day)} order by c.id`),
  );
  return rows.map((r) => ({ contactId: Number(r.contact_id), householdId: Number(r.household_id), channel: r.channel, language: localeOf(r.language, day.defaultLocale) }));
}

export interface SegmentCount {
  channel: Channel;
  language: Locale;
  count: number;
}

/** How many chats the segment reaches, by channel and language; names nobody. */
export async function countSegment(db: Db, segment: BroadcastSegment, day: SegmentDay): Promise<SegmentCount[]> {
  const rows = rowsOf<{ channel: Channel; language: string; n: number | string }>(
    await db.execute(sql`select c.channel, coalesce(c.language, ${day.defaultLocale}) as language, count(*) as n ${FROM}
      where ${segmentFilter(segment, day)} group by 1, 2 order by 1, 2`),
  );
  const out = new Map<string, SegmentCount>();
  // A stored language outside the app's (an old value) is read in the default one, like at sending.
  for (const r of rows) {
    const language = localeOf(r.language, day.defaultLocale);
    const key = `${r.channel}/${language}`;
    const had = out.get(key);
    if (had) had.count += Number(r.n);
    else out.set(key, { channel: r.channel, language, count: Number(r.n) });
  }
  return [...out.values()];
}

/** How many households the segment's chats belong to. */
export async function countChatHouseholds(db: Db, segment: BroadcastSegment, day: SegmentDay): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(await db.execute(sql`select count(distinct h.id) as n ${FROM} where ${segmentFilter(segment, day)}`));
  return Number(row?.n ?? 0);
}

/**
 * The households of the segment with no linked chat to write to, by household id: no chat of a member that is
 * reachable and did not say BERHENTI (the rule of distribution/chats.ts linkedChats, so the outreach services
 * see them the same way), and at least one living member to write to. A household whose chats all said
 * BERHENTI is among them: recipients.ts keeps its registry phone quiet too, and counts it.
 */
export async function householdsWithoutChat(db: Db, segment: BroadcastSegment, today: string): Promise<number[]> {
  const rows = rowsOf<{ id: number | string }>(
    await db.execute(sql`select h.id from households h join kelurahan k on k.id = h.kelurahan_id
      where ${householdFilter(segment, today)}
        and exists (select 1 from members mm where mm.household_id = h.id and ${LIVING})
        and not exists (
          select 1 from contacts c join members m on m.id = c.member_id
          where m.household_id = h.id and c.unreachable_at is null and c.stopped_at is null)
      order by h.id`),
  );
  return rows.map((r) => Number(r.id));
}

export function localeOf(language: string | null, defaultLocale: Locale): Locale {
  return (LOCALES as readonly string[]).includes(language ?? '') ? (language as Locale) : defaultLocale;
}
