import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessionKeys } from '../db/schema/index.ts';

/**
 * The key sessions are sealed with (conversation/seal.ts): made by the first process that asks, read by every
 * other. Two processes starting together both try to insert; the second waits for the first to commit, does
 * nothing, and reads the same key.
 */
export async function loadSessionKey(db: Db): Promise<Buffer> {
  await db.insert(sessionKeys).values({ id: 1, key: randomBytes(32).toString('base64') }).onConflictDoNothing();
  const [row] = await db.select({ key: sessionKeys.key }).from(sessionKeys).where(eq(sessionKeys.id, 1));
  const key = Buffer.from(row!.key, 'base64');
  if (key.length !== 32) throw new Error('session_keys holds a key that is not 32 bytes');
  return key;
}
