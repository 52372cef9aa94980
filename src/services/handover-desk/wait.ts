import { and, asc, desc, eq, gte, isNotNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { contacts, holidays, messages, staffUsers } from '../../db/schema/index.ts';
import { matchCommand } from '../../domain/commands.ts';
import { addDays, todayIn } from '../../domain/dates.ts';
import { deskState, type DeskState, type WeeklySchedule } from '../../domain/office-hours.ts';
import { fileComplaint } from '../complaints/file.ts';
import { listOffices } from '../offices.ts';

// What a resident waiting for an officer is told, read for the conversation (flows/handover.ts): whether the
// desk is open and when it opens next, how long the chat has waited since it asked or since an officer last
// wrote, and, when nobody came, the wait turned into a report with a tracking ID so that nothing is lost.

export interface DeskHours extends DeskState {
  /** The city-wide office's schedule; null when the office keeps none (then no time is named). */
  schedule: WeeklySchedule | null;
  /** The office's hours as written by the office, for when there is no schedule. */
  hoursText: string | null;
}

export async function deskHours(db: Db, input: { now: Date; timeZone: string }): Promise<DeskHours> {
  // The offices as the FAQ lists them (the city-wide one first); the first with a schedule answers chats.
  const listed = await listOffices(db);
  const schedule = listed.find((o) => o.schedule !== null)?.schedule ?? null;
  const hoursText = listed[0]?.hours ?? null;
  if (!schedule) return { open: true, nextOpening: null, schedule: null, hoursText };
  const today = todayIn(input.timeZone, input.now);
  const days = await db.select({ day: holidays.day }).from(holidays).where(and(gte(holidays.day, today), sql`${holidays.day} <= ${addDays(today, 60)}`));
  return { ...deskState(schedule, new Set(days.map((d) => d.day)), input.now, input.timeZone), schedule, hoursText };
}

export interface HandoverWait {
  /** When the resident asked for an officer. */
  since: Date;
  /** The officer's last message in this handover, with their name as residents see it; null: none yet. */
  lastOfficer: { at: Date; name: string } | null;
  /** When this handover's wait was offered as a report (by the job or the conversation); null: not yet. */
  offeredAt: Date | null;
}

/** The chat's handover as it stands; null when no officer has it (closed while the resident was away). */
export async function handoverWait(db: Db, contactId: number): Promise<HandoverWait | null> {
  const [c] = await db.select({ at: contacts.handoverAt, fromMessage: contacts.handoverMessageId, offeredAt: contacts.handoverOfferedAt }).from(contacts).where(eq(contacts.id, contactId));
  if (!c?.at) return null;
  const [last] = await db
    .select({ at: messages.createdAt, name: staffUsers.name })
    .from(messages)
    .innerJoin(staffUsers, eq(staffUsers.id, messages.staffId))
    .where(and(eq(messages.contactId, contactId), eq(messages.direction, 'out'), isNotNull(messages.staffId), c.fromMessage !== null ? gte(messages.id, c.fromMessage) : gte(messages.createdAt, c.at)))
    .orderBy(desc(messages.id))
    .limit(1);
  const offeredAt = c.offeredAt && c.offeredAt >= c.at ? c.offeredAt : null;
  return { since: c.at, lastOfficer: last ? { at: last.at, name: last.name } : null, offeredAt };
}

/**
 * Nobody answered: what the resident wrote since asking for an officer becomes a report (category "other"),
 * whose conversation is this chat from the request on, so the officer who picks it up reads all of it.
 * The handover itself is ended by the conversation (ChatControls.endHandover).
 */
export async function fileFromHandover(
  db: Db,
  /** answerMessageId: the message that answered the offer ("1", "jadikan laporan"), which is not the question. */
  input: { contactId: number; memberId: number | null; now: Date; timeZone: string; fallback: string; answerMessageId?: number },
): Promise<{ trackingId: string }> {
  const [c] = await db.select({ fromMessage: contacts.handoverMessageId }).from(contacts).where(eq(contacts.id, input.contactId));
  const written = await db
    .select({ body: messages.body })
    .from(messages)
    .where(
      and(
        eq(messages.contactId, input.contactId),
        eq(messages.direction, 'in'),
        eq(messages.kind, 'text'),
        c?.fromMessage ? gte(messages.id, c.fromMessage) : sql`false`,
        input.answerMessageId !== undefined ? ne(messages.id, input.answerMessageId) : undefined,
      ),
    )
    .orderBy(asc(messages.id))
    .limit(50);
  // The words that asked for an officer ("petugas") are not the question.
  const summary =
    written
      .map((w) => w.body?.trim() ?? '')
      .filter((b) => b.length > 0 && matchCommand(b) === undefined)
      .join('\n')
      .slice(0, 4000) || input.fallback;
  const filed = await fileComplaint(db, {
    contactId: input.contactId,
    memberId: input.memberId,
    category: 'other',
    summary,
    details: { from: 'handover' },
    anonymous: false,
    ...(c?.fromMessage ? { conversationFrom: c.fromMessage } : {}),
    now: input.now,
    timeZone: input.timeZone,
  });
  return { trackingId: filed.trackingId };
}
