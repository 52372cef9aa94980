// A live chat has one officer at a time. Two officers answering the same resident confuse them and each other,
// so an officer claims the chat ("Rina sedang menjawab" for everyone else) and only the holder replies. A
// claim belongs to one handover: it counts only while handoverClaimedAt is not older than handoverAt, so a
// handover that ends and starts again (the resident went back to the bot, then asked again) starts unclaimed
// without anything having to clear it. A supervisor may take a chat over from another officer (away, ill).

import { sql, type SQL } from 'drizzle-orm';
import type { ContactRow } from '../complaints/shared.ts';

/** The officer holding this handover, or null. */
export function claimHolder(c: Pick<ContactRow, 'handoverAt' | 'handoverStaffId' | 'handoverClaimedAt'>): number | null {
  if (!c.handoverAt || c.handoverStaffId === null || !c.handoverClaimedAt) return null;
  return c.handoverClaimedAt.getTime() >= c.handoverAt.getTime() ? c.handoverStaffId : null;
}

/** The same rule in SQL, for lists: the holder's staff id, or null. */
export const claimHolderSql: SQL<number | null> = sql<number | null>`case when "contacts"."handover_claimed_at" >= "contacts"."handover_at" then "contacts"."handover_staff_id" end`;

export type ClaimRefusal = 'claimed_by_other';

/**
 * May this officer write in the chat now, and does writing claim it? Nobody holds it: writing claims it.
 * The officer holds it: yes. Someone else holds it: only a supervisor's explicit take-over (not a reply).
 */
export function replyClaim(holder: number | null, staffId: number | null): { ok: true; claim: boolean } | { ok: false; reason: ClaimRefusal } {
  // An API token has no person to show as holder: it may write in a chat nobody holds, never over an officer.
  if (staffId === null) return holder === null ? { ok: true, claim: false } : { ok: false, reason: 'claimed_by_other' };
  if (holder === null) return { ok: true, claim: true };
  if (holder === staffId) return { ok: true, claim: false };
  return { ok: false, reason: 'claimed_by_other' };
}
