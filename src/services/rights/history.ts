// "HAPUS RIWAYAT": the resident's own chat history goes (UU 27/2022, the right to erasure). What goes: every row
// of `messages` of this chat (what staff read as the conversation) and the outbox's finished copies of what was
// said (src/outbox/retention.ts says which stay and why), and the session, which may hold answers given halfway
// through a question. What stays, and the confirmation says so: complaints with their own records (staff still
// owe an answer, and the office must be able to account for them), the link to the member, the registry, and
// the audit log, which records that history was deleted and how much, never what it said.
//
// The answer to this message is written after the deletion (the engine records every turn), so the history
// starts again with "your history was deleted". The provider ids of deleted inbound rows go too: a provider
// redelivering one of those messages later would have it handled again, which for a chat's own past messages
// is harmless (a menu answer, not an action), and keeping the ids would keep a trace of what was deleted.

import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { attachments, messages, sessions } from '../../db/schema/index.ts';
import { deleteFinishedOf, unsentHistory } from '../../outbox/retention.ts';
import { audit } from '../audit.ts';

export interface HistoryDeleted {
  messages: number;
  outbox: number;
}

export async function deleteHistory(db: Db, input: { contactId: number; now: Date }): Promise<HistoryDeleted> {
  const doomed = db
    .select({ id: messages.id })
    .from(messages)
    .where(sql`${messages.contactId} = ${input.contactId} and not ${unsentHistory('messages')}`);
  // A complaint's photo keeps its complaint; only its pointer to the chat message goes.
  await db.update(attachments).set({ messageId: null }).where(inArray(attachments.messageId, doomed));
  const gone = await db.delete(messages).where(inArray(messages.id, doomed)).returning({ id: messages.id });
  const outbox = await deleteFinishedOf(db, input.contactId);
  await db.delete(sessions).where(eq(sessions.contactId, input.contactId));
  await audit(db, { kind: 'resident', contactId: input.contactId }, {
    action: 'rights.history_delete',
    entity: 'contact',
    entityId: input.contactId,
    details: { messageCount: gone.length, outboxCount: outbox },
    at: input.now,
  });
  return { messages: gone.length, outbox };
}
