// The WhatsApp message templates of the office's Business Account, as Meta last reported them. The office may
// write first to a registry phone on the Cloud API only with an approved template; staff choose one per event
// (services/distribution/templates.ts), and whoever queues a template message asks checkTemplate() first, so a
// template Meta would refuse is refused here, with the reason staff can act on, before anything is queued.
// The list comes from the Graph API (channels/whatsapp-cloud/templates.ts) through the sync in app/.

import { and, asc, eq, inArray, max, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { whatsappTemplates } from '../../db/schema/index.ts';
import { placeholders, hasPlaceholder, tellsHowToStop } from '../../domain/template-text.ts';
import { parameterCountOf, type TemplatePurpose } from '../../messages/notices/template-parameters.ts';
import { can, Forbidden } from '../access.ts';
import type { Actor } from '../actor.ts';

export type { TemplatePurpose } from '../../messages/notices/template-parameters.ts';

/** One template as Meta's message_templates lists it (read by channels/whatsapp-cloud/templates.ts). */
export interface MetaTemplate {
  name: string;
  language: string;
  /** APPROVED, PENDING, REJECTED, PAUSED, DISABLED… as Meta says it. */
  status: string;
  category: string | null;
  metaId: string | null;
  /** The BODY text with its {{1}}… placeholders. */
  body: string | null;
  /** Numbered: the highest {{n}}; named: how many distinct names. */
  parameterCount: number;
  components: unknown[];
  /** Meta's rejected_reason, when there is one. */
  reason: string | null;
}

export type TemplateRow = typeof whatsappTemplates.$inferSelect;

/** What a row says when Meta no longer lists the template: kept, because an event may still name it. */
export const DELETED = 'DELETED';
export const APPROVED = 'APPROVED';

/**
 * Stores Meta's list: each (name, language) inserted or updated, and every stored template Meta did not list
 * any more marked DELETED (kept: staff may have chosen it, and the page should say why it no longer sends).
 * One transaction, so a page never shows half a sync.
 */
export async function saveTemplates(db: Db, list: readonly MetaTemplate[], now: Date): Promise<{ saved: number; deleted: number }> {
  // Meta lists each (name, language) once; should it not, the first wins (one INSERT may not touch a row twice).
  const unique = new Map<string, MetaTemplate>();
  for (const t of list) if (!unique.has(keyOf(t))) unique.set(keyOf(t), t);
  return db.transaction(async (tx) => {
    for (const chunk of chunks([...unique.values()], 500)) {
      const rows = chunk.map((t) => ({
        name: t.name,
        language: t.language,
        status: t.status,
        category: t.category,
        metaId: t.metaId,
        body: t.body,
        parameterCount: Math.min(t.parameterCount, 32_767),
        components: t.components,
        reason: t.reason,
        syncedAt: now,
      }));
      await tx
        .insert(whatsappTemplates)
        .values(rows)
        .onConflictDoUpdate({
          target: [whatsappTemplates.name, whatsappTemplates.language],
          set: {
            status: sqlExcluded('status'),
            category: sqlExcluded('category'),
            metaId: sqlExcluded('meta_id'),
            body: sqlExcluded('body'),
            parameterCount: sqlExcluded('parameter_count'),
            components: sqlExcluded('components'),
            reason: sqlExcluded('reason'),
            syncedAt: now,
          },
        });
    }
    // Told apart in memory: the WABA holds at most a few thousand templates.
    const stored = await tx.select({ id: whatsappTemplates.id, name: whatsappTemplates.name, language: whatsappTemplates.language, status: whatsappTemplates.status }).from(whatsappTemplates);
    const gone = stored.filter((r) => r.status !== DELETED && !unique.has(keyOf(r))).map((r) => r.id);
    for (const ids of chunks(gone, 1000)) {
      await tx.update(whatsappTemplates).set({ status: DELETED, syncedAt: now }).where(inArray(whatsappTemplates.id, ids));
    }
    return { saved: unique.size, deleted: gone.length };
  });
}

/** Whether the actor may read and choose templates: whoever manages distributions or broadcasts. */
export function mayUseTemplates(actor: Pick<Actor, 'role'>): boolean {
  return can(actor, 'distribution.manage') || can(actor, 'broadcasts.manage');
}

/**
 * Every stored template, for staff choosing one and for the templates page, with when the list was last
 * stored. Templates are the office's own texts, no resident's data: nothing to audit or mask.
 */
export async function listTemplates(db: Db, actor: Actor): Promise<{ templates: TemplateRow[]; syncedAt: Date | null }> {
  if (!mayUseTemplates(actor)) throw new Forbidden('distribution.manage');
  const templates = await db.select().from(whatsappTemplates).orderBy(asc(whatsappTemplates.name), asc(whatsappTemplates.language));
  const [last] = await db.select({ at: max(whatsappTemplates.syncedAt) }).from(whatsappTemplates);
  return { templates, syncedAt: last?.at ?? null };
}

export type TemplateRefusal = 'template_missing' | 'template_not_approved' | 'template_parameters' | 'template_no_stop';
export const TEMPLATE_REFUSALS: readonly TemplateRefusal[] = ['template_missing', 'template_not_approved', 'template_parameters', 'template_no_stop'];

export type TemplateCheck = { ok: true; template: TemplateRow } | { ok: false; reason: TemplateRefusal };

/**
 * Whether a template may carry a message of `purpose`, as far as Pintu can tell before Meta does: it exists
 * (Meta still lists it), Meta approved it, it takes exactly the body parameters Pintu fills (numbered, nothing
 * in a header or button to fill besides), and its text tells how to stop — it goes to numbers that never wrote.
 */
export async function checkTemplate(db: Db, want: { name: string; language: string; purpose: TemplatePurpose }): Promise<TemplateCheck> {
  const [template] = await db
    .select()
    .from(whatsappTemplates)
    .where(and(eq(whatsappTemplates.name, want.name), eq(whatsappTemplates.language, want.language)));
  if (!template || template.status === DELETED) return { ok: false, reason: 'template_missing' };
  if (template.status !== APPROVED) return { ok: false, reason: 'template_not_approved' };
  const body = placeholders(template.body);
  if (body.named || template.parameterCount !== parameterCountOf(want.purpose) || body.count !== template.parameterCount || needsMoreParameters(template.components)) {
    return { ok: false, reason: 'template_parameters' };
  }
  if (!tellsHowToStop(template.body) && !tellsHowToStop(footerOf(template.components))) return { ok: false, reason: 'template_no_stop' };
  return { ok: true, template };
}

type Component = { type?: unknown; format?: unknown; text?: unknown; buttons?: unknown };

/**
 * Pintu fills body parameters only (channels/whatsapp-cloud/render.ts): a header with a placeholder or media, or
 * a button that takes a value (a URL with a placeholder, a copy-code or one-time-password button), would make
 * Meta refuse every message.
 */
function needsMoreParameters(components: unknown[] | null): boolean {
  for (const c of (components ?? []) as Component[]) {
    const type = String(c?.type ?? '').toUpperCase();
    if (type === 'HEADER') {
      const format = String(c.format ?? 'TEXT').toUpperCase();
      if (format !== 'TEXT' || hasPlaceholder(typeof c.text === 'string' ? c.text : null)) return true;
    }
    if (type === 'BUTTONS' && Array.isArray(c.buttons)) {
      for (const b of c.buttons as { type?: unknown; url?: unknown }[]) {
        const kind = String(b?.type ?? '').toUpperCase();
        if (kind === 'COPY_CODE' || kind === 'OTP') return true;
        if (kind === 'URL' && hasPlaceholder(typeof b.url === 'string' ? b.url : null)) return true;
      }
    }
  }
  return false;
}

function footerOf(components: unknown[] | null): string | null {
  const footer = ((components ?? []) as Component[]).find((c) => String(c?.type ?? '').toUpperCase() === 'FOOTER');
  return typeof footer?.text === 'string' ? footer.text : null;
}

/** The value the conflicting INSERT offered for `column`. */
const sqlExcluded = (column: string) => sql.raw(`excluded."${column}"`);

const keyOf = (t: { name: string; language: string }) => `${t.name}\u0000${t.language}`;

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
