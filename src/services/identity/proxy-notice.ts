import type { Db } from '../../db/client.ts';
import { nameProxy, type NameProxyResult } from '../distribution/invitations.ts';
import type { IdentityEnv } from './env.ts';
import { tellHousehold } from './links.ts';

/**
 * Naming a kuasa from a chat, as DESIGN.md "Identity" asks: a kuasa collects the family's aid, so the
 * household's other chats and its registry phone are told at once, with the way to object ("Balas LAPOR").
 */
export async function nameProxyAndTell(db: Db, env: IdentityEnv, input: Parameters<typeof nameProxy>[1]): Promise<NameProxyResult> {
  const r = await nameProxy(db, input);
  if (r.ok) {
    await tellHousehold(db, env, { householdId: input.householdId, exceptContactId: input.contactId ?? -1, key: 'identity:notice.proxy', now: input.now });
  }
  return r;
}
