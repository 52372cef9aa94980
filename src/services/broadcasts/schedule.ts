// Scheduling and cancelling. A broadcast is scheduled for a moment ahead, or for now: then it is queued at
// once, in the same request. Cancelling is possible until it is queued; after that its messages are the
// outbox's. A broadcast that writes first to registry phones on the WhatsApp Cloud API is refused here when
// its template cannot (not approved, missing, wrong parameters, no way to stop), with the reason.

import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { broadcasts } from '../../db/schema/index.ts';
import type { Actor } from '../actor.ts';
import { todayIn } from '../../domain/dates.ts';
import { audit } from '../audit.ts';
import { zoneOf } from '../distribution/common.ts';
import { canManageBroadcasts, refuse, type BroadcastOptions, type BroadcastOutcome } from './common.ts';
import { broadcastInScope } from './drafts.ts';
import { broadcastTemplate, registryPart } from './reach.ts';
import { sendDueBroadcasts } from './send.ts';

export async function scheduleBroadcast(
  db: Db,
  actor: Actor,
  id: number,
  when: Date | 'now',
  opts: BroadcastOptions,
): Promise<BroadcastOutcome<{ status: 'scheduled' | 'sent'; scheduledAt: Date; recipientCount: number | null }>> {
  canManageBroadcasts(actor);
  if (when !== 'now' && (Number.isNaN(when.getTime()) || when.getTime() <= opts.now.getTime())) return refuse('time_in_past');
  const at = when === 'now' ? opts.now : when;
  const scheduled = await db.transaction(async (tx) => {
    const row = await broadcastInScope(tx, actor, id, true);
    if (!row) return refuse('not_found');
    // A scheduled one may be moved; one already queued or cancelled may not.
    if (row.status !== 'draft' && row.status !== 'scheduled') return refuse('invalid_status');
    // Only the Cloud API needs a template to write first; the registry part is read only then.
    if (row.toRegistryPhones && opts.outreach?.phoneChannel === 'whatsapp_cloud') {
      const day = { defaultLocale: opts.defaultLocale ?? 'id', today: todayIn(zoneOf(opts), at) };
      const part = await registryPart(tx, row, day, opts.outreach);
      const template = await broadcastTemplate(tx, row, part.reach, opts.outreach);
      if (!template.ok) return refuse(template.reason, template.name);
    }
    await tx.update(broadcasts).set({ status: 'scheduled', scheduledAt: at, updatedAt: opts.now }).where(eq(broadcasts.id, id));
    await audit(tx, actor, { action: 'broadcast.schedule', entity: 'broadcast', entityId: id, details: { scheduledAt: at.toISOString(), now: when === 'now' }, at: opts.now });
    return { ok: true as const };
  });
  if (!scheduled.ok) return scheduled;
  if (when !== 'now') return { ok: true, status: 'scheduled', scheduledAt: at, recipientCount: null };
  await sendDueBroadcasts(db, { ...opts, onlyId: id });
  const [after] = await db.select({ status: broadcasts.status, recipientCount: broadcasts.recipientCount }).from(broadcasts).where(eq(broadcasts.id, id));
  // Another process's job may have claimed it a moment earlier: it is queued either way.
  return { ok: true, status: after?.status === 'sent' ? 'sent' : 'scheduled', scheduledAt: at, recipientCount: after?.recipientCount ?? null };
}

export async function cancelBroadcast(db: Db, actor: Actor, id: number, opts: { now: Date }): Promise<BroadcastOutcome> {
  canManageBroadcasts(actor);
  return db.transaction(async (tx) => {
    const row = await broadcastInScope(tx, actor, id, true);
    if (!row) return refuse('not_found');
    if (row.status !== 'draft' && row.status !== 'scheduled') return refuse('invalid_status');
    await tx.update(broadcasts).set({ status: 'cancelled', updatedAt: opts.now }).where(eq(broadcasts.id, id));
    await audit(tx, actor, { action: 'broadcast.cancel', entity: 'broadcast', entityId: id, details: { was: row.status }, at: opts.now });
    return { ok: true as const };
  });
}
