// A chat's holder as a session: what the web chat asks about its own chat before it speaks (is an officer
// answering?) and what "Keluar" does. The web chat's chat id is a hash of a cookie only that browser holds
// (http/webchat/session.ts), so leaving is the one moment the server can take the chat back from it.

import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contacts } from '../db/schema/index.ts';
import type { Channel } from '../domain/vocabulary.ts';
import { endLink } from './identity/links.ts';

/**
 * What the web chat asks about its own chat before it speaks: undefined for a chat that never wrote (a new one,
 * which the web chat counts per client address); otherwise, while an officer has it (contacts.handoverAt), its
 * language under `handover`. A page reload asks this first, so that it never hands the chat back to the bot.
 */
export async function chatOf(db: Db, channel: Channel, externalId: string): Promise<{ handover?: { language: string | null } } | undefined> {
  const [c] = await db
    .select({ handoverAt: contacts.handoverAt, language: contacts.language })
    .from(contacts)
    .where(and(eq(contacts.channel, channel), eq(contacts.externalId, externalId)));
  if (!c) return undefined;
  return c.handoverAt ? { handover: { language: c.language } } : {};
}

/**
 * The holder left the chat ("Keluar" on a shared phone or a café computer). Three things, in one transaction:
 * - the link ends ('logout'): nothing of the family is shown to this chat any more;
 * - the chat id is retired (`left-<contact id>`): a copy of the old cookie kept elsewhere now starts an empty
 *   chat of its own instead of reading this one's history and later staff replies;
 * - the chat is marked unreachable ('logout'), so the console says at once that a reply cannot reach the
 *   resident (nobody holds this chat any more) instead of leaving it waiting for a page that never opens.
 * The history stays with the contact for staff. False when the chat never wrote (nothing to leave).
 */
export async function leaveChat(db: Db, channel: Channel, externalId: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    // The same row lock a message of this chat takes (conversation/store.ts): a turn in flight finishes first.
    const [c] = await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.channel, channel), eq(contacts.externalId, externalId)))
      .for('update');
    if (!c) return false;
    await endLink(tx, c.id, 'logout', now);
    await tx.update(contacts).set({ externalId: `left-${c.id}`, unreachableAt: now, unreachableReason: 'logout' }).where(eq(contacts.id, c.id));
    return true;
  });
}
