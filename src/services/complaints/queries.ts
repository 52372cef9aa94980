// Reading one complaint for staff: its facts and events, its conversation, the reporter behind it (audited),
// and the SP4N-LAPOR! export (the inbox's list is list.ts). Scope is checked here; what the actor may not see does not exist for them.

import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { agents, complaintEvents, contacts, kecamatan, kelurahan, members, messages, programs } from '../../db/schema/index.ts';
import { type Channel } from '../../domain/vocabulary.ts';
import { rowsOf } from '../../db/rows.ts';
import { maskName } from '../../domain/mask.ts';
import { chosenOptions } from '../../domain/chosen-option.ts';
import { WHATSAPP_WINDOW_MS } from '../../messages/window.ts';
import { can } from '../access.ts';
import type { Actor } from '../actor.ts';
import type { ComplaintCategory, ComplaintStatus } from './file.ts';
import { slaState, type SlaState } from './list.ts';
import {
  audit,
  canWrite,
  contactOf,
  loadVisible,
  refuse,
  replyBlocked,
  type ComplaintRow,
  type Result,
} from './shared.ts';

export type ReporterView =
  /** Anonymous and the actor is not an admin: nothing about who filed it. */
  | { hidden: true }
  | { hidden: false; channel: Channel | null; displayName: string | null; memberName: string | null; verified: boolean };

export interface ComplaintView extends Omit<ComplaintRow, 'contactId' | 'memberId'> {
  kecamatanName: string | null;
  sla: SlaState | null;
  /** Where a reply would go, and whether free text can go there now (WhatsApp Cloud's 24 hours). */
  channel: Channel | null;
  replyWindowOpen: boolean;
  /** WhatsApp Cloud only: when the 24-hour window for free text closes (null on other channels). */
  windowClosesAt: Date | null;
  /** The resident's chat language (null: the default), so replies and canned texts match it. */
  language: string | null;
  reporter: ReporterView;
  events: (typeof complaintEvents.$inferSelect)[];
  /** The program and e-warong/agent the report names (issue 20), for the facts beside it. */
  programName: string | null;
  agent: { name: string; kelurahanName: string } | null;
}

/** One complaint with its history; the reporter masked, or hidden when anonymous (except with 'identity.reveal': admins). */
export async function getComplaint(db: Db, actor: Actor, id: number, opts: { now?: Date; audit?: boolean } = {}): Promise<ComplaintView | null> {
  const now = opts.now ?? new Date();
  const c = await loadVisible(db, actor, id, false);
  if (!c) return null;
  const { contactId, memberId, ...rest } = c;
  const contact = await contactOf(db, contactId);
  const [k] = c.kecamatanId === null ? [] : await db.select({ name: kecamatan.name }).from(kecamatan).where(eq(kecamatan.id, c.kecamatanId));
  const events = await db.select().from(complaintEvents).where(eq(complaintEvents.complaintId, c.id)).orderBy(asc(complaintEvents.createdAt), asc(complaintEvents.id));
  const [program] = c.programId === null ? [] : await db.select({ name: programs.name }).from(programs).where(eq(programs.id, c.programId));
  const [agent] =
    c.agentId === null
      ? []
      : await db.select({ name: agents.name, kelurahanName: kelurahan.name }).from(agents).innerJoin(kelurahan, eq(kelurahan.id, agents.kelurahanId)).where(eq(agents.id, c.agentId));
  let reporter: ReporterView = { hidden: true };
  if (!c.anonymous || can(actor, 'identity.reveal')) {
    const member = memberId === null ? null : (await db.select({ name: members.name }).from(members).where(eq(members.id, memberId)))[0];
    reporter = {
      hidden: false,
      channel: contact?.channel ?? null,
      displayName: contact?.displayName ? maskName(contact.displayName) : null,
      memberName: member ? maskName(member.name) : null,
      verified: memberId !== null,
    };
  }
  // A person opening the complaint is a read; its page refreshing itself while open is not another one
  // (a day of live refreshes would bury the reveals and exports an auditor looks for).
  if (opts.audit !== false) await audit(db, actor, 'complaint.read', c.id);
  return {
    ...rest,
    // An invitation belongs to one household: beside a hidden reporter it would name them.
    invitationId: reporter.hidden ? null : rest.invitationId,
    kecamatanName: k?.name ?? null,
    sla: slaState(c, now),
    channel: contact?.channel ?? null,
    replyWindowOpen: replyBlocked(contact, now) === null,
    windowClosesAt: contact?.channel === 'whatsapp_cloud' && contact.lastInboundAt ? new Date(contact.lastInboundAt.getTime() + WHATSAPP_WINDOW_MS) : null,
    language: contact?.language ?? null,
    reporter,
    events,
    programName: program?.name ?? null,
    agent: agent ?? null,
  };
}

export interface RevealedReporter {
  contactId: number | null;
  channel: Channel | null;
  externalId: string | null;
  displayName: string | null;
  member: { id: number; name: string; nik: string } | null;
}

/**
 * The reporter in full, one audited click away. An anonymous reporter only with 'identity.reveal' (admins);
 * otherwise staff who work the complaint.
 */
export async function revealReporter(db: Db, actor: Actor, id: number): Promise<Result<{ reporter: RevealedReporter }>> {
  return db.transaction(async (tx) => {
    const c = await loadVisible(tx, actor, id, false);
    if (!c) return refuse('not_found');
    if (c.anonymous ? !can(actor, 'identity.reveal') : !canWrite(actor)) return refuse('forbidden');
    const reporter = await reporterOf(tx, c);
    await audit(tx, actor, 'complaint.reveal_reporter', c.id, { anonymous: c.anonymous });
    return { ok: true, reporter };
  });
}

async function reporterOf(tx: Db, c: Pick<ComplaintRow, 'contactId' | 'memberId'>): Promise<RevealedReporter> {
  const [contact] = c.contactId === null ? [] : await tx.select().from(contacts).where(eq(contacts.id, c.contactId));
  const [member] = c.memberId === null ? [] : await tx.select({ id: members.id, name: members.name, nik: members.nik }).from(members).where(eq(members.id, c.memberId));
  return {
    contactId: contact?.id ?? null,
    channel: contact?.channel ?? null,
    externalId: contact?.externalId ?? null,
    displayName: contact?.displayName ?? null,
    member: member ?? null,
  };
}

/** The fields SP4N-LAPOR! asks for when a report is forwarded there. */
export interface LaporExport {
  trackingId: string;
  title: string;
  description: string;
  category: ComplaintCategory;
  /** ISO 8601 instant the resident filed it. */
  date: string;
  location: { kecamatan: string | null };
  status: ComplaintStatus;
  /** LAPOR!'s "Anonim": the reporter's identity is withheld. */
  anonymous: boolean;
  /** LAPOR!'s "Rahasia": the report is not public. Always set: bansos reports carry personal data of families. */
  secret: true;
  channel: Channel | null;
  bidang: string | null;
  /** Only for a named report and staff who may see the reporter. */
  reporter?: { name: string | null; nik: string | null; channel: Channel | null };
}

export async function laporExport(db: Db, actor: Actor, id: number): Promise<LaporExport | null> {
  return db.transaction(async (tx) => {
    const c = await loadVisible(tx, actor, id, false);
    if (!c) return null;
    const contact = await contactOf(tx, c.contactId);
    const [k] = c.kecamatanId === null ? [] : await tx.select({ name: kecamatan.name }).from(kecamatan).where(eq(kecamatan.id, c.kecamatanId));
    const details = Object.entries(c.details)
      .filter(([key, v]) => key !== 'photos' && key !== 'language' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
      .map(([key, v]) => `${key}: ${String(v)}`);
    const out: LaporExport = {
      trackingId: c.trackingId,
      title: c.summary.length > 100 ? `${c.summary.slice(0, 97)}...` : c.summary,
      description: [c.summary, ...details].join('\n'),
      category: c.category,
      date: c.createdAt.toISOString(),
      location: { kecamatan: k?.name ?? null },
      status: c.status,
      anonymous: c.anonymous,
      secret: true,
      channel: c.anonymous ? null : (contact?.channel ?? null),
      bidang: c.bidang,
    };
    const withReporter = !c.anonymous && canWrite(actor);
    if (withReporter) {
      const r = await reporterOf(tx, c);
      out.reporter = { name: r.member?.name ?? r.displayName, nik: r.member?.nik ?? null, channel: r.channel };
    }
    await audit(tx, actor, 'complaint.export_lapor', c.id, { withReporter });
    return out;
  });
}

/**
 * A short fingerprint of everything the complaint page shows that can change while it is open (status,
 * assignment, new events, new messages on the resident's chat). Null when the actor may not see it.
 * Not audited: it carries no personal data, and the page's refetch is.
 */
export async function complaintVersion(db: Db, actor: Actor, id: number): Promise<string | null> {
  const c = await loadVisible(db, actor, id, false);
  if (!c) return null;
  const [row] = rowsOf<{ ev: string | null; msg: string | null }>(
    await db.execute(sql`select
      (select max(id) from complaint_events where complaint_id = ${c.id})::text as ev,
      (select max(id) from messages where complaint_id = ${c.id})::text as msg`),
  );
  return [c.status, c.assigneeId ?? '-', c.updatedAt.getTime(), row?.ev ?? '-', row?.msg ?? '-'].join(':');
}

export interface ConversationMessage {
  id: number;
  direction: 'in' | 'out';
  kind: string;
  /** A button press: the option's words as the resident saw them (chosenOptions), not the bare id. */
  chosen: string | null;
  /** As stored: NIK and KK numbers were masked when the message was recorded; the reporter's name is masked here. */
  body: string | null;
  staffId: number | null;
  createdAt: Date;
}

/**
 * The complaint's own conversation, newest `limit` messages oldest first; audited. Only the messages of this
 * case (conversation.ts): its filing dialogue, the replies and notices about it, the resident's answers
 * joined to it. Never the rest of the resident's chat, which may hold another case of theirs, an anonymous
 * sanggahan above all. Hidden for an anonymous complaint unless the actor may reveal the reporter: the chat
 * would tell who filed it.
 */
export async function complaintConversation(
  db: Db,
  actor: Actor,
  id: number,
  opts: { limit?: number; audit?: boolean } = {},
): Promise<{ hidden: true } | { hidden: false; messages: ConversationMessage[]; more: boolean } | null> {
  const c = await loadVisible(db, actor, id, false);
  if (!c) return null;
  if (c.anonymous && !can(actor, 'identity.reveal')) return { hidden: true };
  if (c.contactId === null) return { hidden: false, messages: [], more: false };
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 100), 1), 500);
  const rows = await db
    .select({ id: messages.id, direction: messages.direction, kind: messages.kind, body: messages.body, payload: messages.payload, staffId: messages.staffId, createdAt: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.complaintId, c.id), eq(messages.contactId, c.contactId)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const shown = rows.slice(0, limit).reverse();
  // A filled {{nama}} put the registry name (or, before verification, the chat's display name) in an
  // officer's reply; show it masked like everywhere else.
  const [member] = c.memberId === null ? [] : await db.select({ name: members.name }).from(members).where(eq(members.id, c.memberId));
  const contact = await contactOf(db, c.contactId);
  const names = [member?.name, contact?.displayName].filter((n): n is string => !!n);
  const maskIn = (body: string | null) => (body ? names.reduce((text, name) => maskNameIn(text, name), body) : body);
  if (opts.audit !== false) await audit(db, actor, 'complaint.conversation_read', c.id, { messageCount: shown.length });
  return { hidden: false, more, messages: chosenOptions(shown).map(({ payload: _payload, ...m }) => ({ ...m, body: maskIn(m.body) })) };
}

/** Replaces a person's name, in any letter case, with its masked form. */
function maskNameIn(text: string, name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 3) return text;
  const pattern = new RegExp(trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'), 'giu');
  return text.replace(pattern, () => maskName(trimmed));
}
