import { and, asc, eq, isNull, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { LOCALES } from '../../domain/vocabulary.ts';
import { unknownVariables } from '../../domain/reply-variables.ts';
import { cannedResponses } from '../../db/schema/index.ts';
import { BIDANG } from '../../domain/vocabulary.ts';
import { can, Forbidden, requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';

// Ready-made replies staff pick on the complaint page. Admins keep them per language and, optionally, per
// bidang. A body may hold {{variables}} that are filled in when the reply is sent; an unknown one would
// reach the resident as raw braces, so it is refused when the text is saved.

export interface CannedResponse {
  id: number;
  title: string;
  language: string;
  body: string;
  bidang: string | null;
}

/**
 * The variables a canned body may use, e.g. {{nama}}; filled in when the reply is sent, never shown to staff.
 * The same list as REPLY_VARIABLES in domain/reply-variables.ts, which fills them (a test keeps them equal).
 */
export const CANNED_VARIABLES = ['nama', 'nomor_tiket', 'kecamatan', 'petugas'] as const;

export const CANNED_TITLE_MAX = 100;
export const CANNED_BODY_MAX = 4000;

export type CannedProblem =
  | { field: 'title'; problem: 'empty' | 'too_long' }
  | { field: 'body'; problem: 'empty' | 'too_long' }
  | { field: 'body'; problem: 'unknown_variable'; variables: string[] }
  | { field: 'language'; problem: 'invalid' }
  | { field: 'bidang'; problem: 'invalid' };

/** What is wrong with a canned response, empty when nothing; pure, so the console can explain a refusal. */
export function cannedProblems(input: { title: string; language: string; body: string; bidang: string | null }): CannedProblem[] {
  const problems: CannedProblem[] = [];
  const title = input.title.trim();
  const body = input.body.trim();
  if (!title) problems.push({ field: 'title', problem: 'empty' });
  else if ([...title].length > CANNED_TITLE_MAX) problems.push({ field: 'title', problem: 'too_long' });
  if (!body) problems.push({ field: 'body', problem: 'empty' });
  else if ([...body].length > CANNED_BODY_MAX) problems.push({ field: 'body', problem: 'too_long' });
  const unknown = unknownVariables(body);
  if (unknown.length > 0) problems.push({ field: 'body', problem: 'unknown_variable', variables: unknown });
  if (!(LOCALES as readonly string[]).includes(input.language)) problems.push({ field: 'language', problem: 'invalid' });
  if (input.bidang !== null && !(BIDANG as readonly string[]).includes(input.bidang)) problems.push({ field: 'bidang', problem: 'invalid' });
  return problems;
}

const COLUMNS = {
  id: cannedResponses.id,
  title: cannedResponses.title,
  language: cannedResponses.language,
  body: cannedResponses.body,
  bidang: cannedResponses.bidang,
};

/**
 * Those an actor may use: in the given language, general (bidang null) or of the actor's bidang; sorted by
 * title. An actor without a bidang covers every bidang and gets them all. Someone who cannot reply to
 * residents gets none (an empty list, so a read-only complaint page simply shows no picker).
 */
export async function cannedFor(db: Db, actor: Actor, language: string): Promise<CannedResponse[]> {
  if (!can(actor, 'complaints.work')) return [];
  return db
    .select(COLUMNS)
    .from(cannedResponses)
    .where(and(eq(cannedResponses.language, language), actor.bidang === null ? undefined : or(isNull(cannedResponses.bidang), eq(cannedResponses.bidang, actor.bidang))))
    .orderBy(asc(cannedResponses.title), asc(cannedResponses.id));
}

/** Every canned response the admin may manage, by language then title. settings.manage. */
export async function listCanned(db: Db, actor: Actor): Promise<CannedResponse[]> {
  requirePermission(actor, 'settings.manage');
  const rows = await db.select(COLUMNS).from(cannedResponses).orderBy(asc(cannedResponses.language), asc(cannedResponses.title), asc(cannedResponses.id));
  return rows.filter((r) => manages(actor, r.bidang));
}

/** Creates (no id) or changes one. Bad input changes nothing; the caller shows `cannedProblems()` for why. */
export async function saveCanned(
  db: Db,
  actor: Actor,
  input: { id?: number; title: string; language: string; body: string; bidang: string | null },
): Promise<{ ok: true; id: number } | { ok: false; reason: 'invalid_input' | 'not_found' }> {
  requirePermission(actor, 'settings.manage');
  if (cannedProblems(input).length > 0) return { ok: false, reason: 'invalid_input' };
  // A bidang-scoped admin keeps their own bidang's replies; general ones speak for the whole office.
  if (!manages(actor, input.bidang) || (actor.bidang !== null && input.bidang === null)) {
    throw new Forbidden('scope', 'a canned response outside your bidang');
  }
  const values = { title: input.title.trim(), language: input.language, body: input.body.trim(), bidang: input.bidang as (typeof BIDANG)[number] | null };

  return db.transaction(async (tx) => {
    let id: number;
    if (input.id !== undefined) {
      const [current] = await tx.select({ id: cannedResponses.id, bidang: cannedResponses.bidang }).from(cannedResponses).where(eq(cannedResponses.id, input.id)).for('update');
      if (!current || !manages(actor, current.bidang)) return { ok: false as const, reason: 'not_found' as const };
      await tx.update(cannedResponses).set(values).where(eq(cannedResponses.id, current.id));
      id = current.id;
    } else {
      const [row] = await tx
        .insert(cannedResponses)
        .values({ ...values, createdBy: actor.kind === 'staff' ? actor.id : null })
        .returning({ id: cannedResponses.id });
      id = row!.id;
    }
    await audit(tx, actor, {
      action: input.id !== undefined ? 'canned_response.update' : 'canned_response.create',
      entity: 'canned_response',
      entityId: id,
      details: { language: values.language, bidang: values.bidang, bodyLength: values.body.length },
    });
    return { ok: true as const, id };
  });
}

/** True when it existed (within the admin's bidang) and is gone. */
export async function deleteCanned(db: Db, actor: Actor, id: number): Promise<boolean> {
  requirePermission(actor, 'settings.manage');
  return db.transaction(async (tx) => {
    const [current] = await tx.select({ id: cannedResponses.id, bidang: cannedResponses.bidang }).from(cannedResponses).where(eq(cannedResponses.id, id)).for('update');
    if (!current || !manages(actor, current.bidang) || (actor.bidang !== null && current.bidang === null)) return false;
    await tx.delete(cannedResponses).where(eq(cannedResponses.id, id));
    await audit(tx, actor, { action: 'canned_response.delete', entity: 'canned_response', entityId: id, details: { bidang: current.bidang } });
    return true;
  });
}

/** An admin without a bidang manages all; one with a bidang sees general replies and manages their own. */
function manages(actor: Actor, bidang: string | null): boolean {
  return actor.bidang === null || bidang === null || bidang === actor.bidang;
}
