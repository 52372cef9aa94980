import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { staffSessions, staffUsers } from '../../db/schema/index.ts';
import { Forbidden } from '../access.ts';
import { audit } from '../audit.ts';
import { forgetDevices } from './devices.ts';
import { hashPassword } from './passwords.ts';
import { generatePassword } from './secrets.ts';
import { accountOf, clearAccount } from './throttle.ts';
import { checkGrant, normalizeEmail, StaffInputError, type UserManager } from './users.ts';

// Getting a colleague back in: an admin (console) or the operator at the server (`npm run cli -- reset-password`)
// lifts the sign-in back-off of an account, or gives it a new password. The same reach rules as any change
// to a colleague's account (users.ts): nobody acts on their own account here (they use the password page), and
// nobody on a role or scope above their own.

async function target(db: Db, by: UserManager, staffId: number) {
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, staffId));
  if (!user) throw new StaffInputError('not_found', 'no such staff user');
  if (by !== 'system') {
    if (by.kind === 'staff' && by.id === staffId) throw new Forbidden('self', 'use the password page for your own account');
    checkGrant(by, user.role, { kecamatanId: user.kecamatanId, bidang: user.bidang });
  }
  return user;
}

const actorOf = (by: UserManager) => (by === 'system' ? { kind: 'system' as const } : by);

/** The staff user with this e-mail, for the CLI; StaffInputError('not_found') when there is none. */
export async function staffIdByEmail(db: Db, email: string): Promise<number> {
  const [user] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, normalizeEmail(email)));
  if (!user) throw new StaffInputError('not_found', 'no staff user with this email');
  return user.id;
}

/**
 * Every back-off key of the account starts over, from every address and browser. Client addresses' own
 * keys stay: they are about whoever is at that address, not about this account.
 */
export async function unlockStaffUser(db: Db, by: UserManager, staffId: number): Promise<void> {
  const user = await target(db, by, staffId);
  await clearAccount(db, accountOf(user.email));
  await audit(db, actorOf(by), { action: 'staff.unlock', entity: 'staff_user', entityId: staffId });
}

/**
 * A new generated password, returned once for the admin to hand over (it is never stored or shown again).
 * The old one stops working, every session of the user ends, no browser counts as theirs any more (whoever
 * knew the old password may have signed in with it), and the back-off starts over so they can sign in at once.
 */
export async function resetStaffPassword(db: Db, by: UserManager, staffId: number, now: Date = new Date()): Promise<{ password: string }> {
  const user = await target(db, by, staffId);
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ passwordHash, passwordChangedAt: now }).where(eq(staffUsers.id, staffId));
    await tx.delete(staffSessions).where(eq(staffSessions.staffId, staffId));
    await forgetDevices(tx, staffId);
    await clearAccount(tx, accountOf(user.email));
    await audit(tx, actorOf(by), { action: 'staff.password_reset', entity: 'staff_user', entityId: staffId, at: now });
  });
  return { password };
}
