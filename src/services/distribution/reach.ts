// How an invitation round would reach the chosen households, before anything is sent: how many by chat, by
// WhatsApp to a registry phone, and on the call-down list (with why), whether the WhatsApp template can go,
// and when Meta's daily limit of new conversations lets the last family be reached. Reads only.

import type { Db } from '../../db/client.ts';
import type { Actor } from '../actor.ts';
import { planOpenings } from '../outreach/quota.ts';
import { countPaths, reachHouseholds, type PathCounts } from '../outreach/recipients.ts';
import { templateFor } from '../outreach/template-choice.ts';
import type { TemplateRefusal } from '../outreach/templates.ts';
import { canManage, eventInScope, refuse, zoneOf, type DistributionOptions, type Outcome } from './common.ts';
import { nextSendable } from './reminder-times.ts';

export interface ReachPreview extends PathCounts {
  /** When the last first message to a registry phone would go (Cloud API, Meta's daily limit); null: today or none. */
  lastOpeningAt: Date | null;
  /** Meta's limit the estimate used, for the sentence that explains it. */
  dailyLimit: number | null;
  /** The template the round would be refused for, with why. */
  template?: { name: string; reason: TemplateRefusal };
}

export async function reachPreview(db: Db, actor: Actor, eventId: number, householdIds: readonly number[], opts: DistributionOptions): Promise<Outcome<{ reach: ReachPreview }>> {
  canManage(actor);
  const event = await eventInScope(db, actor, eventId);
  if (!event) return refuse('not_found');
  const reach = await reachHouseholds(db, householdIds, opts.outreach);
  const counts = countPaths(reach);
  let template: ReachPreview['template'];
  for (const [purpose, chosen] of [['invitation', event.invitationTemplate], ['reminder', event.reminderTemplate]] as const) {
    const r = await templateFor(db, opts.outreach, purpose, chosen, reach);
    if (!r.ok && !template) template = { name: r.name, reason: r.reason };
  }
  const cloud = opts.outreach?.phoneChannel === 'whatsapp_cloud' ? opts.outreach.cloud : undefined;
  let lastOpeningAt: Date | null = null;
  if (cloud && counts.whatsapp > 0) {
    const plan = await planOpenings(db, counts.whatsapp, cloud.dailyNewConversations, nextSendable(opts.now, zoneOf(opts)));
    if (plan.days > 1) lastOpeningAt = plan.lastAt;
  }
  return { ok: true, reach: { ...counts, lastOpeningAt, dailyLimit: cloud?.dailyNewConversations ?? null, ...(template ? { template } : {}) } };
}
