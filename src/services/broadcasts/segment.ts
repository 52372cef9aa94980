// Who a broadcast goes to. Every part of a segment must hold: the household is enrolled (actively) in one
// of the programs, lies in one of the kecamatan and kelurahan, and the chat reads one of the languages.
// Only linked chats count: verified as a living member of the household, not unreachable, and not stopped
// (BERHENTI: replies only). One message per chat, however many programs the household is in.

import { inArray, sql, type SQL } from 'drizzle-orm';
import { LOCALES, type Locale } from '../../domain/vocabulary.ts';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { kecamatan, kelurahan, programs, type BroadcastSegment } from '../../db/schema/index.ts';
import { type Channel } from '../../domain/vocabulary.ts';
import type { Actor } from '../actor.ts';
import { refuse, segmentInScope, type BroadcastOutcome } from './common.ts';

const MAX_IDS = 200;

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

  const segment: BroadcastSegment = {};
  if (programIds.length) segment.programIds = programIds;
  if (kecamatanIds.length) segment.kecamatanIds = kecamatanIds;
  if (kelurahanIds.length) segment.kelurahanIds = kelurahanIds;
  if (languages.length) segment.languages = [...new Set(languages)].sort();
  // A kecamatan-scoped supervisor who names no area means their own kecamatan, not the whole city.
  if (actor.kecamatanId !== null && !segment.kecamatanIds && !segment.kelurahanIds) segment.kecamatanIds = [actor.kecamatanId];
  if (!(await segmentInScope(db, actor, segment))) return refuse('out_of_scope');
  return { ok: true, segment };
}

export interface Recipient {
  contactId: number;
  channel: Channel;
  /** The chat's language, or the default one when it never chose. */
  language: Locale;
}

const intArray = (ids: readonly number[]) => sql`${`{${ids.join(',')}}`}::int[]`;

/** The where-clause of a segment over contacts c, members m, households h, kelurahan k. */
function segmentFilter(segment: BroadcastSegment, defaultLocale: Locale): SQL {
  const parts: SQL[] = [sql`c.member_id is not null and c.verified_at is not null and c.unreachable_at is null and c.stopped_at is null and not m.deceased`];
  if (segment.kecamatanIds?.length) parts.push(sql`k.kecamatan_id = any(${intArray(segment.kecamatanIds)})`);
  if (segment.kelurahanIds?.length) parts.push(sql`h.kelurahan_id = any(${intArray(segment.kelurahanIds)})`);
  if (segment.languages?.length) parts.push(sql`coalesce(c.language, ${defaultLocale}) = any(${`{${segment.languages.join(',')}}`}::text[])`);
  if (segment.programIds?.length) {
    // Household programs are enrolled by household, person programs by member: either makes the household count.
    parts.push(sql`exists (
      select 1 from enrollments e
      where e.status = 'active' and e.program_id = any(${intArray(segment.programIds)})
        and (e.household_id = h.id or e.member_id in (select m2.id from members m2 where m2.household_id = h.id)))`);
  }
  return sql.join(parts, sql` and `);
}

const FROM = sql`from contacts c
  join members m on m.id = c.member_id
  join households h on h.id = m.household_id
  join kelurahan k on k.id = h.kelurahan_id`;

/** Every chat the segment reaches, in contact order. Set-based: one statement for the whole city. */
export async function segmentRecipients(db: Db, segment: BroadcastSegment, defaultLocale: Locale): Promise<Recipient[]> {
  const rows = rowsOf<{ contact_id: number | string; channel: Channel; language: string }>(
    await db.execute(sql`select c.id as contact_id, c.channel, coalesce(c.language, ${defaultLocale}) as language ${FROM}
      where ${segmentFilter(segment, defaultLocale)} order by c.id`),
  );
  return rows.map((r) => ({ contactId: Number(r.contact_id), channel: r.channel, language: localeOf(r.language, defaultLocale) }));
}

export interface SegmentCount {
  channel: Channel;
  language: Locale;
  count: number;
}

/** How many chats the segment reaches, by channel and language; names nobody. */
export async function countSegment(db: Db, segment: BroadcastSegment, defaultLocale: Locale): Promise<SegmentCount[]> {
  const rows = rowsOf<{ channel: Channel; language: string; n: number | string }>(
    await db.execute(sql`select c.channel, coalesce(c.language, ${defaultLocale}) as language, count(*) as n ${FROM}
      where ${segmentFilter(segment, defaultLocale)} group by 1, 2 order by 1, 2`),
  );
  const out = new Map<string, SegmentCount>();
  // A stored language outside the app's (an old value) is read in the default one, like at sending.
  for (const r of rows) {
    const language = localeOf(r.language, defaultLocale);
    const key = `${r.channel}/${language}`;
    const had = out.get(key);
    if (had) had.count += Number(r.n);
    else out.set(key, { channel: r.channel, language, count: Number(r.n) });
  }
  return [...out.values()];
}

export function localeOf(language: string | null, defaultLocale: Locale): Locale {
  return (LOCALES as readonly string[]).includes(language ?? '') ? (language as Locale) : defaultLocale;
}
