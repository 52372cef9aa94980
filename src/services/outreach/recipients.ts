import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import type { Channel } from '../../domain/vocabulary.ts';
import type { LinkedChat } from '../distribution/chats.ts';
import { phoneChats } from './contacts.ts';
import type { OutreachEnv } from './env.ts';
import { registryPhoneTargets, type PaperReason } from './phones.ts';

// Who a household's bulk messages (invitation, reminders, a change of date) go to, in this order:
//   1. its linked chats (verified as a member, reachable, not stopped) — every one of them;
//   2. else one registry phone on WhatsApp (phones.ts picks it), when a phone channel is on;
//   3. else nobody: the household is on the call-down list (paper), with the reason.
// A household where a linked chat wrote BERHENTI and no other chat is live said stop: its registry phone is
// not written to either (opted_out).

export type Path = 'chat' | 'whatsapp' | 'paper';

export interface HouseholdRecipient {
  householdId: number;
  contactId: number;
  channel: Channel;
  language: string | null;
  path: 'chat' | 'whatsapp';
  /** The office writes first: the number never wrote to us (the first message says who, why and how to stop). */
  firstContact: boolean;
  /** WhatsApp Cloud's 24-hour window is closed: only a template goes, and it opens a new conversation. */
  windowClosed: boolean;
  /** The registry phone (normal form) of a 'whatsapp' recipient. */
  phone?: string;
}

export interface Reach {
  recipients: Map<number, HouseholdRecipient[]>;
  paper: Map<number, PaperReason>;
}

const WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Who each household's messages go to. Registry-phone recipients come back with contactId 0 until
 * openPhoneChats gives them their chat: the console's count before sending, and a check before queuing
 * (a template not approved), create nothing.
 */
export async function reachHouseholds(db: Db, householdIds: readonly number[], env: OutreachEnv | undefined): Promise<Reach> {
  const ids = [...new Set(householdIds)];
  const { chats, stoppedAll } = await linkedChatsOf(db, ids);
  const recipients = new Map<number, HouseholdRecipient[]>();
  const paper = new Map<number, PaperReason>();
  const rest: number[] = [];
  for (const id of ids) {
    const list = chats.get(id);
    if (list && list.length > 0) {
      recipients.set(
        id,
        list.map((c) => ({ householdId: id, contactId: c.contactId, channel: c.channel, language: c.language, path: 'chat', firstContact: false, windowClosed: false })),
      );
    } else if (stoppedAll.has(id)) paper.set(id, 'opted_out');
    else rest.push(id);
  }
  const channel = env?.phoneChannel ?? null;
  if (!channel) {
    for (const id of rest) paper.set(id, 'no_channel');
    return { recipients, paper };
  }
  const targets = await registryPhoneTargets(db, rest, channel);
  for (const id of rest) {
    const t = targets.get(id)!;
    if (!('phone' in t)) paper.set(id, t.paper);
    else recipients.set(id, [{ householdId: id, contactId: 0, channel, language: null, path: 'whatsapp', phone: t.phone, firstContact: true, windowClosed: true }]);
  }
  return { recipients, paper };
}

/** Gives the registry-phone recipients their chat on the phone channel, created where the office never wrote. */
export async function openPhoneChats(db: Db, reach: Reach, env: OutreachEnv | undefined, now: Date): Promise<void> {
  const channel = env?.phoneChannel;
  if (!channel) return;
  const phones: string[] = [];
  for (const list of reach.recipients.values()) for (const r of list) if (r.path === 'whatsapp' && r.phone) phones.push(r.phone);
  if (phones.length === 0) return;
  const found = await phoneChats(db, channel, phones);
  for (const list of reach.recipients.values()) {
    for (const r of list) {
      if (r.path !== 'whatsapp' || !r.phone) continue;
      const chat = found.get(r.phone)!;
      r.contactId = chat.contactId;
      r.language = chat.language;
      r.firstContact = chat.lastInboundAt === null;
      r.windowClosed = chat.lastInboundAt === null || now.getTime() - chat.lastInboundAt.getTime() >= WINDOW_MS;
    }
  }
}

/**
 * The household's linked chats that may get bulk messages, and the households whose only linked chats wrote
 * BERHENTI. One statement per 20,000 households, the ids as one array parameter.
 */
async function linkedChatsOf(db: Db, householdIds: readonly number[]): Promise<{ chats: Map<number, LinkedChat[]>; stoppedAll: Set<number> }> {
  const chats = new Map<number, LinkedChat[]>();
  const stopped = new Set<number>();
  for (let i = 0; i < householdIds.length; i += 20_000) {
    const rows = rowsOf<{ household_id: number | string; id: number | string; channel: Channel; language: string | null; stopped: boolean }>(
      await db.execute(sql`
        select m.household_id, c.id, c.channel, c.language, c.stopped_at is not null as stopped
        from contacts c join members m on m.id = c.member_id
        where m.household_id = any(${`{${householdIds.slice(i, i + 20_000).join(',')}}`}::bigint[]) and c.unreachable_at is null
        order by c.id`),
    );
    for (const r of rows) {
      const householdId = Number(r.household_id);
      if (r.stopped) {
        stopped.add(householdId);
        continue;
      }
      const list = chats.get(householdId) ?? [];
      list.push({ householdId, contactId: Number(r.id), channel: r.channel, language: r.language });
      chats.set(householdId, list);
    }
  }
  const stoppedAll = new Set([...stopped].filter((id) => !chats.has(id)));
  return { chats, stoppedAll };
}

/** The part of a reach that concerns these households (those actually invited, say). */
export function onlyHouseholds(reach: Reach, householdIds: Iterable<number>): Reach {
  const out: Reach = { recipients: new Map(), paper: new Map() };
  for (const id of householdIds) {
    const list = reach.recipients.get(id);
    if (list) out.recipients.set(id, list);
    const why = reach.paper.get(id);
    if (why) out.paper.set(id, why);
  }
  return out;
}

/** The reach without its registry phones: those households counted as on paper (the template cannot go). */
export function onlyChats(reach: Reach): Reach {
  const out: Reach = { recipients: new Map(), paper: new Map(reach.paper) };
  for (const [id, list] of reach.recipients) {
    if (list[0]?.path === 'chat') out.recipients.set(id, list);
    else out.paper.set(id, 'no_channel');
  }
  return out;
}

/** How many households each path reaches: the console's "64 lewat WhatsApp, 9 lewat chat, 6 daftar kertas". */
export interface PathCounts {
  chat: number;
  whatsapp: number;
  paper: number;
  paperReasons: Partial<Record<PaperReason, number>>;
}

export function countPaths(reach: Reach): PathCounts {
  let chat = 0;
  let whatsapp = 0;
  for (const list of reach.recipients.values()) {
    if (list[0]?.path === 'chat') chat++;
    else whatsapp++;
  }
  const paperReasons: Partial<Record<PaperReason, number>> = {};
  for (const r of reach.paper.values()) paperReasons[r] = (paperReasons[r] ?? 0) + 1;
  return { chat, whatsapp, paper: reach.paper.size, paperReasons };
}
