// What residents hear from the site: the receipt after a check-in ("Bantuan ... diterima ... Bukan Anda?
// Balas LAPOR."), the news of a kuasa decision, and the complaint a LAPOR opens against a collection.

import { and, desc, eq, gte, isNotNull, lte, ne } from 'drizzle-orm';
import type { OutboundMessage } from '../../messages/types.ts';
import type { Locale } from '../../domain/vocabulary.ts';
import type { Db } from '../../db/client.ts';
import { complaints, distributionEvents, invitations } from '../../db/schema/index.ts';
import { type Channel } from '../../domain/vocabulary.ts';
import { formatInvitationCode } from '../../domain/invitation-code.ts';
import { pickLocale } from '../../i18n.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { fileComplaint } from '../complaints/file.ts';
import { linkedChats } from './chats.ts';
import { translatorOf, type DistributionOptions } from './common.ts';

/** A receipt can be disputed with LAPOR for this long after the collection. */
export const LAPOR_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

// Channels whose options are real buttons. WhatsApp Web shows options as a numbered list, and a number typed
// days later would be read by whatever step the chat is on, so there the receipt only says "balas LAPOR".
const BUTTON_CHANNELS: readonly Channel[] = ['webchat', 'telegram', 'whatsapp_cloud'];

type Translate = (key: string, vars?: Record<string, unknown>) => string;

/**
 * Queues one message to every linked chat of a household, each in its own language; call it inside the
 * transaction of the change it reports. Outside the WhatsApp Cloud 24-hour window the sender sends the
 * notice template instead, with the whole text as its one parameter. Returns how many chats it reached.
 */
export async function notifyHousehold(
  tx: Db,
  input: {
    householdId: number;
    priority: 'reply' | 'bulk';
    staffId?: number | null;
    opts: Pick<DistributionOptions, 'i18n' | 'defaultLocale'>;
    render: (t: Translate, locale: Locale) => { text: string; options?: OutboundMessage['options'] };
  },
): Promise<number> {
  const chats = await linkedChats(tx, [input.householdId]);
  if (chats.length === 0) return 0;
  const i18n = await translatorOf(input.opts);
  const fallback = input.opts.defaultLocale ?? 'id';
  for (const chat of chats) {
    const locale: Locale = chat.language === 'id' || chat.language === 'en' ? chat.language : pickLocale(chat.language, fallback);
    const t: Translate = (key, vars) => i18n.t(key, { lng: locale, ...vars });
    const { text, options } = input.render(t, locale);
    const message: OutboundMessage = { text, template: { kind: 'notice', params: [text] } };
    if (options && options.length > 0 && BUTTON_CHANNELS.includes(chat.channel)) message.options = options;
    await enqueue(tx, {
      contactId: chat.contactId,
      channel: chat.channel,
      messages: [message],
      priority: input.priority,
      ...(input.staffId ? { staffId: input.staffId } : {}),
    });
  }
  return chats.length;
}

export interface RecentReceipt {
  invitationId: number;
  code: string;
  eventId: number;
  eventTitle: string;
  collectedAt: Date;
}

/**
 * The household's collection a LAPOR can dispute: the one named (the receipt's button), else the latest,
 * collected within the last 30 days. Undefined when there is none, or when the named one is not this
 * household's (the same answer, so invitation ids cannot be probed).
 */
export async function recentReceipt(
  db: Db,
  input: { householdId: number; invitationId?: number | null; now: Date },
): Promise<RecentReceipt | undefined> {
  const since = new Date(input.now.getTime() - LAPOR_WINDOW_DAYS * DAY_MS);
  const [row] = await db
    .select({
      invitationId: invitations.id,
      code: invitations.code,
      eventId: invitations.eventId,
      eventTitle: distributionEvents.title,
      collectedAt: invitations.collectedAt,
    })
    .from(invitations)
    .innerJoin(distributionEvents, eq(distributionEvents.id, invitations.eventId))
    .where(
      and(
        eq(invitations.householdId, input.householdId),
        eq(invitations.status, 'collected'),
        isNotNull(invitations.collectedAt),
        gte(invitations.collectedAt, since),
        lte(invitations.collectedAt, input.now),
        input.invitationId != null ? eq(invitations.id, input.invitationId) : undefined,
      ),
    )
    .orderBy(desc(invitations.collectedAt), desc(invitations.id))
    .limit(1);
  return row && row.collectedAt ? { ...row, collectedAt: row.collectedAt } : undefined;
}

export type ReportReceiptResult =
  | { ok: true; trackingId: string; invitationId: number; alreadyReported: boolean }
  | { ok: false; reason: 'no_recent_receipt' };

/** What staff read first in the inbox; the office's words, like every summary written by the system. */
export const LAPOR_SUMMARY = 'LAPOR dari tanda terima: penerima menyatakan bantuan diambil bukan oleh keluarganya';

/**
 * A resident answered a receipt with LAPOR: a not_received complaint linked to that invitation, filed at
 * once (the point of the receipt is that a wrong collection is disputed while it is fresh). A second LAPOR
 * about the same collection from the same chat gives back the open report instead of filing another.
 */
export async function reportReceipt(
  db: Db,
  input: {
    contactId: number;
    memberId: number | null;
    householdId: number | null;
    invitationId?: number | null;
    /** The resident's LAPOR (messages.id): the complaint's conversation begins there. */
    messageId?: number;
    now: Date;
    timeZone?: string;
    locale?: Locale;
  },
): Promise<ReportReceiptResult> {
  if (input.householdId === null || input.memberId === null) return { ok: false, reason: 'no_recent_receipt' };
  const receipt = await recentReceipt(db, { householdId: input.householdId, invitationId: input.invitationId ?? null, now: input.now });
  if (!receipt) return { ok: false, reason: 'no_recent_receipt' };

  const [open] = await db
    .select({ trackingId: complaints.trackingId })
    .from(complaints)
    .where(and(eq(complaints.invitationId, receipt.invitationId), eq(complaints.contactId, input.contactId), ne(complaints.status, 'closed')))
    .limit(1);
  if (open) return { ok: true, trackingId: open.trackingId, invitationId: receipt.invitationId, alreadyReported: true };

  const filed = await fileComplaint(db, {
    contactId: input.contactId,
    memberId: input.memberId,
    category: 'not_received',
    summary: `${LAPOR_SUMMARY} (kode ${formatInvitationCode(receipt.code)}).`,
    details: {
      source: 'receipt',
      problem: 'collected_by_someone_else',
      invitationCode: receipt.code,
      eventId: receipt.eventId,
      collectedAt: receipt.collectedAt.toISOString(),
      ...(input.locale ? { language: input.locale } : {}),
    },
    anonymous: false,
    invitationId: receipt.invitationId,
    ...(input.messageId !== undefined ? { conversationFrom: input.messageId } : {}),
    now: input.now,
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
  });
  return { ok: true, trackingId: filed.trackingId, invitationId: receipt.invitationId, alreadyReported: false };
}

