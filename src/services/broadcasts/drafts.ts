// Writing a broadcast: a draft with its title, texts and segment (and whether it also goes to registry
// phones, with which WhatsApp Cloud template), changed freely until it is scheduled. Every write is checked
// whole before anything is stored, and audited (ids and counts, never the text). Whether the template may
// write first is asked when it is scheduled (schedule.ts): a draft may name one Meta has yet to approve.

import { desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { broadcasts, type BroadcastSegment } from '../../db/schema/index.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { canManageBroadcasts, refuse, segmentInScope, type BroadcastOutcome, type BroadcastRow } from './common.ts';
import { checkSegment } from './segment.ts';
import { checkTexts, MAX_TITLE } from './texts.ts';

export interface BroadcastInput {
  title: string;
  texts: Record<string, string>;
  segment: BroadcastSegment;
  /** Also to the registry phone of each household of the segment without a linked chat (WhatsApp only). */
  toRegistryPhones?: boolean;
  /** The WhatsApp Cloud template; null or absent: the notice template of the settings. */
  template?: string | null;
}

type CheckedInput = Required<BroadcastInput>;

// Meta's template names: lowercase letters, digits and underscores, at most 512 characters.
const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;

async function checkInput(db: Db, actor: Actor, input: BroadcastInput): Promise<BroadcastOutcome<CheckedInput>> {
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (title === '' || title.length > MAX_TITLE) return refuse('invalid_title');
  const seg = await checkSegment(db, actor, input.segment ?? {});
  if (!seg.ok) return seg;
  const texts = checkTexts(input.texts ?? {}, seg.segment);
  if (!texts.ok) return texts;
  if (input.toRegistryPhones !== undefined && typeof input.toRegistryPhones !== 'boolean') return refuse('invalid_segment');
  const raw = input.template;
  if (raw !== undefined && raw !== null && typeof raw !== 'string') return refuse('invalid_template');
  const template = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null;
  if (template !== null && !TEMPLATE_NAME.test(template)) return refuse('invalid_template');
  return { ok: true, title, texts: texts.texts, segment: seg.segment, toRegistryPhones: input.toRegistryPhones === true, template };
}

export async function createBroadcast(db: Db, actor: Actor, input: BroadcastInput, opts: { now: Date }): Promise<BroadcastOutcome<{ broadcastId: number }>> {
  canManageBroadcasts(actor);
  const checked = await checkInput(db, actor, input);
  if (!checked.ok) return checked;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(broadcasts)
      .values({
        title: checked.title,
        texts: checked.texts,
        segment: checked.segment,
        toRegistryPhones: checked.toRegistryPhones,
        template: checked.template,
        createdBy: actor.kind === 'staff' ? actor.id : null,
        createdAt: opts.now,
        updatedAt: opts.now,
      })
      .returning({ id: broadcasts.id });
    await audit(tx, actor, { action: 'broadcast.create', entity: 'broadcast', entityId: row!.id, details: inputDetails(checked), at: opts.now });
    return { ok: true as const, broadcastId: row!.id };
  });
}

export async function updateDraft(db: Db, actor: Actor, id: number, input: BroadcastInput, opts: { now: Date }): Promise<BroadcastOutcome> {
  canManageBroadcasts(actor);
  const checked = await checkInput(db, actor, input);
  if (!checked.ok) return checked;
  return db.transaction(async (tx) => {
    const row = await broadcastInScope(tx, actor, id, true);
    if (!row) return refuse('not_found');
    if (row.status !== 'draft') return refuse('invalid_status');
    await tx
      .update(broadcasts)
      .set({ title: checked.title, texts: checked.texts, segment: checked.segment, toRegistryPhones: checked.toRegistryPhones, template: checked.template, updatedAt: opts.now })
      .where(eq(broadcasts.id, id));
    await audit(tx, actor, { action: 'broadcast.update', entity: 'broadcast', entityId: id, details: inputDetails(checked), at: opts.now });
    return { ok: true as const };
  });
}

/** The broadcast, or undefined when unknown or reaching outside the actor's kecamatan (told apart from neither). */
export async function broadcastInScope(db: Db, actor: Actor, id: number, lock = false): Promise<BroadcastRow | undefined> {
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return undefined;
  const q = db.select().from(broadcasts).where(eq(broadcasts.id, id));
  const [row] = lock ? await q.for('update') : await q;
  if (!row || !(await segmentInScope(db, actor, row.segment))) return undefined;
  return row;
}

export async function getBroadcast(db: Db, actor: Actor, id: number): Promise<BroadcastRow | undefined> {
  canManageBroadcasts(actor);
  return broadcastInScope(db, actor, id);
}

/** The newest broadcasts the actor may handle. */
export async function listBroadcasts(db: Db, actor: Actor, limit = 100, opts: { /** Cursor: only ids below this one (newest first). */ before?: number } = {}): Promise<BroadcastRow[]> {
  canManageBroadcasts(actor);
  const rows = await db
    .select()
    .from(broadcasts)
    .where(opts.before === undefined ? undefined : lt(broadcasts.id, opts.before))
    .orderBy(desc(broadcasts.id))
    .limit(actor.kecamatanId === null ? limit : limit * 10);
  if (actor.kecamatanId === null) return rows;
  const out: BroadcastRow[] = [];
  for (const r of rows) if (out.length < limit && (await segmentInScope(db, actor, r.segment))) out.push(r);
  return out;
}

export function segmentDetails(segment: BroadcastSegment): Record<string, unknown> {
  return {
    programIds: segment.programIds ?? [],
    kecamatanIds: segment.kecamatanIds ?? [],
    kelurahanIds: segment.kelurahanIds ?? [],
    languages: segment.languages ?? [],
    // Flat values: the audit keeps no nested ones.
    desilMin: segment.desilMin ?? null,
    desilMax: segment.desilMax ?? null,
    ageMin: segment.ageMin ?? null,
    ageMax: segment.ageMax ?? null,
    disability: segment.disability === true,
  };
}

function inputDetails(input: CheckedInput): Record<string, unknown> {
  return { ...segmentDetails(input.segment), toRegistryPhones: input.toRegistryPhones, template: input.template };
}
