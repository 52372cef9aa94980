import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { households, kelurahan, members } from '../../db/schema/index.ts';
import { nearly } from '../../domain/fuzzy.ts';
import { maskIdNumber, maskName } from '../../domain/mask.ts';
import type { RELATIONSHIPS } from '../../domain/vocabulary.ts';
import { requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { takeLookup } from '../identity/limits.ts';
import { householdInScope, RESIDENTS_PERMISSION } from './scope.ts';

// The resident lookup's search (issue 18): a walk-in resident found by the NIK or KK number on the card in
// their hand, or by name when they have no card with them. Sixteen digits are tried as both NIK and KK (an
// officer should not have to know which card they were handed). A name matches when every typed word is the
// start of a word of the name, or that word give or take a typo (domain/fuzzy.ts): the registry has no
// trigram index, so the database narrows by each word's first three letters (a slip is rarely there) and the
// typo rule runs on what it returns.
//
// Results are masked (name, NIK, KK): the list is for recognising the right person with the card or the
// resident in front of the officer; the household page, opened with a reason, shows more. Only the officer's
// kecamatan is searched (city-wide staff: the whole city); a match elsewhere is simply not there.
// Each search is audited with how it searched and how many it found, never what was typed.

/**
 * Searches per officer per hour. A counter serving a walk-in needs two or three, and a busy desk sees
 * perhaps fifteen residents an hour; 60 leaves room for all of that while walking through the registry (NIKs
 * one by one, names letter by letter) would take thousands. Counted before the registry is read, whatever
 * the outcome, in the shared lookup counters (services/identity/limits.ts), so every process agrees.
 */
export const SEARCHES_PER_HOUR = 60;
/** Rows shown: enough for a common name in one kecamatan; more asks the officer to type more of it. */
export const MAX_RESULTS = 50;
/** Rows a name's first letters may bring back for the typo rule to sift. */
const MAX_CANDIDATES = 500;
const MIN_NAME_LETTERS = 3;

export const searchKey = (actor: Pick<Actor, 'kind' | 'id'>) => `residents:${actor.kind}:${actor.id}`;

export type SearchBy = 'number' | 'name';

export interface ResidentHit {
  memberId: number;
  householdId: number;
  maskedName: string;
  maskedNik: string;
  maskedKk: string;
  kelurahan: string;
  relationship: (typeof RELATIONSHIPS)[number];
  deceased: boolean;
}

export type SearchRefusal =
  /** Neither sixteen digits nor a name of at least three letters. */
  | 'invalid_query'
  /** This officer's searches of the hour are used up; `until` is when the next one is allowed. */
  | 'rate_limited';

export type SearchResult = { ok: true; by: SearchBy; hits: ResidentHit[]; more: boolean } | { ok: false; reason: SearchRefusal; until?: Date };

/** What was typed, read as a card number or as a name; undefined when it is neither. */
export function readQuery(raw: string): { by: 'number'; number: string } | { by: 'name'; words: string[] } | undefined {
  const digits = raw.replace(/[\s.-]/g, '');
  if (/^\d+$/.test(digits)) return digits.length === 16 ? { by: 'number', number: digits } : undefined;
  // Letters of any script (names carry accents and apostrophes); everything else separates words.
  const words = raw
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 5);
  return words.join('').length >= MIN_NAME_LETTERS ? { by: 'name', words } : undefined;
}

/** Whether every typed word starts a word of the name, or nearly does. */
export function nameMatches(name: string, typed: readonly string[]): { match: boolean; exact: boolean } {
  const parts = name.normalize('NFC').toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);
  let exact = true;
  for (const w of typed) {
    if (parts.some((p) => p.startsWith(w))) continue;
    // A typo in the word, or in the part of a longer name word that was typed ("Aminh" for "Aminah").
    if (parts.some((p) => nearly(w, p) || (w.length >= 5 && p.length > w.length && nearly(w, p.slice(0, w.length))))) {
      exact = false;
      continue;
    }
    return { match: false, exact: false };
  }
  return { match: true, exact };
}

const HIT_COLUMNS = {
  memberId: members.id,
  householdId: members.householdId,
  name: members.name,
  nik: members.nik,
  noKk: households.noKk,
  kelurahan: kelurahan.name,
  relationship: members.relationship,
  deceased: members.deceased,
};

type Row = { memberId: number; householdId: number; name: string; nik: string; noKk: string; kelurahan: string; relationship: ResidentHit['relationship']; deceased: boolean };

async function rows(db: Db, actor: Actor, where: SQL | undefined, limit: number): Promise<Row[]> {
  return db
    .select(HIT_COLUMNS)
    .from(members)
    .innerJoin(households, eq(households.id, members.householdId))
    .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .where(and(where, householdInScope(actor)))
    .orderBy(asc(members.householdId), asc(members.id))
    .limit(limit);
}

// The head of the family first, then as the card lists them.
const RANK: Record<ResidentHit['relationship'], number> = { kepala: 0, istri: 1, suami: 1, anak: 2, lainnya: 3 };

async function byNumber(db: Db, actor: Actor, number: string): Promise<Row[]> {
  // Two indexed look-ups rather than one OR across the join: the person with this NIK, and the family
  // with this KK (all of it: the one at the counter may be any of them).
  const [person, family] = await Promise.all([rows(db, actor, eq(members.nik, number), MAX_RESULTS + 1), rows(db, actor, eq(households.noKk, number), MAX_RESULTS + 1)]);
  const seen = new Set<number>();
  return [...person, ...family.sort((a, b) => RANK[a.relationship] - RANK[b.relationship])].filter((r) => !seen.has(r.memberId) && seen.add(r.memberId));
}

async function byName(db: Db, actor: Actor, words: string[]): Promise<Row[]> {
  // Each typed word must have a name word starting with its first three letters (all of it when shorter).
  const prefixOf = (w: string) => Array.from(w).slice(0, MIN_NAME_LETTERS).join('');
  const lowered = sql`lower(${members.name})`;
  const conditions = words.map((w) => or(sql`${lowered} like ${prefixOf(w) + '%'}`, sql`${lowered} like ${'% ' + prefixOf(w) + '%'}`));
  const candidates = await rows(db, actor, and(...conditions), MAX_CANDIDATES);
  const scored = candidates.map((r) => ({ r, m: nameMatches(r.name, words) })).filter((x) => x.m.match);
  // Exact starts before typo matches; then by name, as a list on paper would be.
  scored.sort((a, b) => Number(b.m.exact) - Number(a.m.exact) || a.r.name.localeCompare(b.r.name, 'id'));
  return scored.map((x) => x.r);
}

/** Finds residents in the actor's scope by NIK, KK number or name; masked, counted, audited. */
export async function searchResidents(db: Db, actor: Actor, input: { query: string; now: Date }): Promise<SearchResult> {
  requirePermission(actor, RESIDENTS_PERMISSION);
  const q = readQuery(input.query.slice(0, 100));
  // Bad input changes nothing: no count, no audit row.
  if (!q) return { ok: false, reason: 'invalid_query' };
  const taken = await takeLookup(db, searchKey(actor), SEARCHES_PER_HOUR, input.now);
  if (!taken.ok) {
    await audit(db, actor, { action: 'resident.search_limited', entity: 'resident', details: { limitPerHour: SEARCHES_PER_HOUR }, at: input.now });
    return { ok: false, reason: 'rate_limited', until: taken.until };
  }
  const found = q.by === 'number' ? await byNumber(db, actor, q.number) : await byName(db, actor, q.words);
  const hits = found.slice(0, MAX_RESULTS).map(
    (r): ResidentHit => ({
      memberId: r.memberId,
      householdId: r.householdId,
      maskedName: maskName(r.name),
      maskedNik: maskIdNumber(r.nik),
      maskedKk: maskIdNumber(r.noKk),
      kelurahan: r.kelurahan,
      relationship: r.relationship,
      deceased: r.deceased,
    }),
  );
  const families = new Set(hits.map((h) => h.householdId));
  await audit(db, actor, {
    action: 'resident.search',
    entity: 'resident',
    details: { by: q.by, resultCount: found.length, householdCount: families.size, householdIds: [...families].slice(0, 20) },
    at: input.now,
  });
  return { ok: true, by: q.by, hits, more: found.length > MAX_RESULTS };
}
