// Which messages of a chat belong to a complaint (messages.complaint_id). A resident's chat holds many cases
// at once: a named report, an anonymous sanggahan filed the week after, a talk with an officer, invitations.
// A complaint's page shows only its own messages, so an officer reading one case never reads another, and an
// anonymous reporter is never shown beside their own named report. The tag is written where the message is:
// the filing dialogue when the report is filed, an officer's reply and the notices when they are queued
// (outbox/enqueue.ts, complaintId), and a resident's later answer when it joins the report.

import { and, eq, gte, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { messages } from '../../db/schema/index.ts';

/**
 * The filing dialogue: every message of this chat from `fromMessageId` (the resident's message that began the
 * report) on that belongs to no other complaint yet. Called as the complaint is filed, inside the turn that
 * files it, so the dialogue is complete up to the resident's "send".
 */
export async function tagFilingDialogue(tx: Db, complaintId: number, contactId: number, fromMessageId: number): Promise<void> {
  if (!Number.isSafeInteger(fromMessageId) || fromMessageId < 1) return;
  await tx
    .update(messages)
    .set({ complaintId })
    .where(and(eq(messages.contactId, contactId), gte(messages.id, fromMessageId), isNull(messages.complaintId)));
}

/** One message of this chat joins the complaint: the resident's answer to an officer, or their rating. */
export async function tagMessage(tx: Db, complaintId: number, contactId: number, messageId: number): Promise<void> {
  if (!Number.isSafeInteger(messageId) || messageId < 1) return;
  await tx
    .update(messages)
    .set({ complaintId })
    .where(and(eq(messages.id, messageId), eq(messages.contactId, contactId), isNull(messages.complaintId)));
}
