import { and, desc, eq } from 'drizzle-orm';
import type { IdentityEnv } from '../../src/services/identity/env.ts';
import { linkContact } from '../../src/services/identity/links.ts';
import type { Db } from '../../src/db/client.ts';
import { contacts, members, outbox } from '../../src/db/schema/index.ts';

/** The code in the last message queued to a phone channel: what the resident reads on their WhatsApp. */
export async function lastCodeSentTo(db: Db, channel: 'demo_phone' | 'whatsapp_cloud' | 'whatsapp_web' = 'demo_phone'): Promise<string | undefined> {
  const rows = await db.select({ payload: outbox.payload }).from(outbox).where(eq(outbox.channel, channel)).orderBy(desc(outbox.id)).limit(5);
  for (const r of rows) {
    const template = (r.payload as { template?: { kind: string; params: string[] } }).template;
    if (template?.kind === 'code') return template.params[0];
  }
  return undefined;
}

/** The link an officer makes after seeing the KTP (the console's side of the in-person proof), for flow tests. */
export async function linkInPersonForTest(db: Db, env: IdentityEnv, chatId: string, nik: string, now: Date): Promise<void> {
  const [c] = await db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.channel, 'webchat'), eq(contacts.externalId, chatId)));
  const [m] = await db.select({ id: members.id, householdId: members.householdId }).from(members).where(eq(members.nik, nik));
  if (!c || !m) throw new Error('no such chat or member');
  await linkContact(db, env, { contactId: c.id, memberId: m.id, householdId: m.householdId, proof: 'in_person', now });
}
