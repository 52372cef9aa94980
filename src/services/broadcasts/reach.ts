// Who a broadcast's messages go to, as households: the linked chats of the segment (segment.ts), and, when
// staff ticked "also to registry phones", the households of the same segment that have no linked chat,
// through the outreach services (one registry phone on WhatsApp per household, picked and excluded by the
// same rules as invitations: shared numbers, families that said BERHENTI, numbers not on WhatsApp). Those
// with neither are not reached, and counted with the reason.
//
// A registry phone has no language of its own until the resident writes: it reads the default one, so a
// broadcast limited to other languages does not go to registry phones at all.

import type { Db } from '../../db/client.ts';
import type { BroadcastSegment } from '../../db/schema/index.ts';
import type { OutreachEnv } from '../outreach/env.ts';
import type { PaperReason } from '../outreach/phones.ts';
import { reachHouseholds, type HouseholdRecipient, type Reach } from '../outreach/recipients.ts';
import { templateFor, type TemplateChoice } from '../outreach/template-choice.ts';
import { householdsWithoutChat, segmentRecipients, type SegmentDay } from './segment.ts';

/** Why a household of the segment gets no message: the outreach's reasons, and the broadcast's own two. */
export type NotReachedReason = PaperReason | 'not_chosen' | 'language';

export interface RegistryPart {
  /** Registry-phone recipients (path 'whatsapp'), and the households with no way (paper), with the reason. */
  reach: Reach;
  /** Households of the segment without a linked chat. */
  withoutChat: number;
  /** Why none of them is reached when the registry phones are not used at all. */
  skipped?: 'not_chosen' | 'language';
}

export interface BroadcastTarget {
  segment: BroadcastSegment;
  toRegistryPhones: boolean;
  /** The WhatsApp Cloud template chosen for the broadcast; null: the notice template of the settings. */
  template: string | null;
}

/** Whether registry phones take part: chosen, and the default language (theirs) is among the segment's. */
function usesRegistryPhones(target: BroadcastTarget, day: SegmentDay): 'yes' | 'not_chosen' | 'language' {
  if (!target.toRegistryPhones) return 'not_chosen';
  const languages = target.segment.languages ?? [];
  return languages.length === 0 || languages.includes(day.defaultLocale) ? 'yes' : 'language';
}

/** The registry-phone part of a broadcast: who gets a first message, and who is left out and why. */
export async function registryPart(db: Db, target: BroadcastTarget, day: SegmentDay, env: OutreachEnv | undefined): Promise<RegistryPart> {
  const ids = await householdsWithoutChat(db, target.segment, day.today);
  const uses = usesRegistryPhones(target, day);
  if (uses !== 'yes') {
    const paper = new Map<number, PaperReason>();
    return { reach: { recipients: new Map(), paper }, withoutChat: ids.length, skipped: uses };
  }
  const found = await reachHouseholds(db, ids, env);
  // Only the registry phones: a household counted without a chat has none by the same rule reachHouseholds reads.
  const recipients = new Map<number, HouseholdRecipient[]>();
  for (const [id, list] of found.recipients) {
    const phones = list.filter((r) => r.path === 'whatsapp');
    if (phones.length > 0) recipients.set(id, phones);
  }
  return { reach: { recipients, paper: found.paper }, withoutChat: ids.length };
}

/** The linked chats of the segment as a reach, each in its own language. */
async function chatPart(db: Db, segment: BroadcastSegment, day: SegmentDay): Promise<Reach> {
  const recipients = new Map<number, HouseholdRecipient[]>();
  for (const r of await segmentRecipients(db, segment, day)) {
    const one: HouseholdRecipient = { householdId: r.householdId, contactId: r.contactId, channel: r.channel, language: r.language, path: 'chat', firstContact: false, windowClosed: false };
    const list = recipients.get(r.householdId);
    if (list) list.push(one);
    else recipients.set(r.householdId, [one]);
  }
  return { recipients, paper: new Map() };
}

/** Everyone the broadcast writes to: its chats, then (when chosen) the registry phones of the households without one. */
export async function broadcastReach(db: Db, target: BroadcastTarget, day: SegmentDay, env: OutreachEnv | undefined): Promise<{ reach: Reach; registry: RegistryPart }> {
  const chats = await chatPart(db, target.segment, day);
  const registry = await registryPart(db, target, day, env);
  const recipients = new Map(chats.recipients);
  for (const [id, list] of registry.reach.recipients) recipients.set(id, list);
  return { reach: { recipients, paper: registry.reach.paper }, registry };
}

/**
 * The Cloud API template the broadcast goes with, checked when it writes first to a registry phone (only an
 * approved template with one parameter and a way to stop may): the lead's templateFor, for the notice kind.
 */
export function broadcastTemplate(db: Db, target: BroadcastTarget, reach: Reach, env: OutreachEnv | undefined): Promise<TemplateChoice> {
  return templateFor(db, env, 'notice', target.template, reach);
}

/** The households left out of the registry part, by reason (counts only). */
export function notReachedCounts(part: RegistryPart): { total: number; reasons: Partial<Record<NotReachedReason, number>> } {
  if (part.skipped) return { total: part.withoutChat, reasons: part.withoutChat > 0 ? { [part.skipped]: part.withoutChat } : {} };
  const reasons: Partial<Record<NotReachedReason, number>> = {};
  for (const r of part.reach.paper.values()) reasons[r] = (reasons[r] ?? 0) + 1;
  return { total: part.reach.paper.size, reasons };
}
