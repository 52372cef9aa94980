import type { Db } from '../../db/client.ts';
import { staffUsers } from '../../db/schema/index.ts';
import { createStaffUser, StaffInputError } from './users.ts';

export const FIRST_ADMIN_EMAIL = 'admin@pintu.local';

/** Whether anyone could sign in at all. */
export async function hasStaff(db: Db): Promise<boolean> {
  const [any] = await db.select({ id: staffUsers.id }).from(staffUsers).limit(1);
  return any !== undefined;
}

/**
 * A fresh embedded install has nobody who could sign in to create the first user. When there is no staff
 * user at all, this creates a city-wide admin (FIRST_ADMIN_EMAIL) and returns its generated password, for
 * start-up to print once (only on the embedded default: app/first-admin.ts); otherwise null. Two processes starting together on an empty Postgres both try; the unique email lets
 * exactly one win.
 */
export async function ensureFirstAdmin(db: Db): Promise<string | null> {
  if (await hasStaff(db)) return null;
  try {
    const { password } = await createStaffUser(db, 'system', { email: FIRST_ADMIN_EMAIL, name: 'Administrator', role: 'admin' });
    return password;
  } catch (e) {
    if (e instanceof StaffInputError && e.code === 'email_taken') return null;
    throw e;
  }
}
