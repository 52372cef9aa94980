import type { Database } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { ensureFirstAdmin, FIRST_ADMIN_EMAIL, hasStaff } from '../services/staff/first-admin.ts';

// Who can sign in on a fresh install. The embedded default (no DATABASE_URL) is for trying Pintu and must be
// usable at once: its first start creates an admin and prints the password once, on the terminal only (never
// in the log). A server database never gets an account behind the operator's back, whatever SEED_DEMO says,
// and no password is printed where a server's output is collected and kept: while it has no staff user, the
// log says how to create the first admin with the CLI.

export const CREATE_FIRST_ADMIN_HINT =
  'no staff user yet: create the first admin with `npm run cli -- create-user --email <email> --role admin` (the password is printed once)';

export async function firstAdmin(database: Database, opts: { embedded: boolean; logger: Logger; write?: (text: string) => void }): Promise<void> {
  if (!opts.embedded) {
    if (!(await hasStaff(database.db))) opts.logger.warn(CREATE_FIRST_ADMIN_HINT);
    return;
  }
  const password = await ensureFirstAdmin(database.db);
  if (password) {
    const write = opts.write ?? ((text: string) => process.stdout.write(text));
    write(`\nFirst staff account created. Sign in as ${FIRST_ADMIN_EMAIL} with the password: ${password}\nIt is shown only this once.\n\n`);
  }
}
