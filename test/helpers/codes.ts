import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { outbox } from '../../src/db/schema/index.ts';

/** The code in the last message queued to a phone channel: what the resident reads on their WhatsApp. */
export async function lastCodeSentTo(db: Db, channel: 'demo_phone' | 'whatsapp_cloud' | 'whatsapp_web' = 'demo_phone'): Promise<string | undefined> {
  const rows = await db.select({ payload: outbox.payload }).from(outbox).where(eq(outbox.channel, channel)).orderBy(desc(outbox.id)).limit(5);
  for (const r of rows) {
    const template = (r.payload as { template?: { kind: string; params: string[] } }).template;
    if (template?.kind === 'code') return template.params[0];
  }
  return undefined;
}
