// "BERHENTI" / "MULAI": a chat may refuse every message the office starts (invitations, reminders, broadcasts,
// the rating question of an auto-closed report) and still be answered when it writes. The choice is one column,
// contacts.stopped_at, which the outbox reads twice: enqueue leaves bulk rows for a stopped chat out, and the
// dispatcher's claim skips bulk rows queued before the chat stopped (src/outbox/claim.ts). Both are audited:
// they are the resident's consent, and staff asked "why did she get no invitation?" must be able to see it.

import { and, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { contacts } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';

export interface Stopped {
  /** Since when the chat gets nothing but replies. */
  since: Date;
  /** It had already stopped before this message. */
  already: boolean;
}

/** Stops every message to this chat that is not a reply. Saying it twice keeps the first date. */
export async function stopMessages(db: Db, input: { contactId: number; now: Date }): Promise<Stopped> {
  const [c] = await db.select({ stoppedAt: contacts.stoppedAt }).from(contacts).where(eq(contacts.id, input.contactId));
  if (c?.stoppedAt) return { since: c.stoppedAt, already: true };
  await db.update(contacts).set({ stoppedAt: input.now }).where(eq(contacts.id, input.contactId));
  await audit(db, { kind: 'resident', contactId: input.contactId }, { action: 'contact.stop', entity: 'contact', entityId: input.contactId, at: input.now });
  return { since: input.now, already: false };
}

/** Lets the office write to this chat again. False when it had not stopped (then nothing changes). */
export async function resumeMessages(db: Db, input: { contactId: number; now: Date }): Promise<boolean> {
  const resumed = await db
    .update(contacts)
    .set({ stoppedAt: null })
    .where(and(eq(contacts.id, input.contactId), isNotNull(contacts.stoppedAt)))
    .returning({ id: contacts.id });
  if (resumed.length === 0) return false;
  await audit(db, { kind: 'resident', contactId: input.contactId }, { action: 'contact.resume', entity: 'contact', entityId: input.contactId, at: input.now });
  return true;
}
