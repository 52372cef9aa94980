import type { Database } from '../db/client.ts';
import { Forbidden } from '../services/access.ts';
import { resetStaffPassword, staffIdByEmail } from '../services/staff/recovery.ts';
import { StaffInputError } from '../services/staff/users.ts';
import type { CliDeps } from './create-user.ts';
import { databaseOpener } from './open-database.ts';

// `npm run cli -- reset-password EMAIL`: the way back in when nobody who could reset it in the console can
// sign in (the only admin forgot their password), or the console is unreachable. The new password is
// generated, printed exactly once on stdout and nowhere else; the user's sessions end and the sign-in
// back-off of the account starts over (services/staff/recovery.ts).

export const RESET_PASSWORD_USAGE = `Usage: npm run cli -- reset-password EMAIL
  prints a new generated password once; ends the user's sessions and lifts the sign-in hold`;

/** Returns the exit code: 0 done, 1 refused or failed, 2 bad arguments. */
export async function resetPasswordCommand(argv: string[], deps: CliDeps): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    deps.out(RESET_PASSWORD_USAGE);
    return 0;
  }
  const [email, ...extra] = argv;
  if (!email || email.startsWith('--') || extra.length > 0) {
    deps.err(`reset-password: ${!email ? 'EMAIL is required' : `unexpected argument '${extra[0] ?? email}'`} (npm run cli -- help)`);
    return 2;
  }
  const open = databaseOpener(deps);
  if (!open) return 1;

  let database: Database | undefined;
  try {
    database = await open();
    const id = await staffIdByEmail(database.db, email);
    const { password } = await resetStaffPassword(database.db, 'system', id);
    deps.out(`Reset the password of staff user #${id}; their sessions have ended and the sign-in hold is lifted.`);
    deps.out(`Password (shown only this once): ${password}`);
    return 0;
  } catch (e) {
    if (e instanceof StaffInputError || e instanceof Forbidden) {
      deps.err(`reset-password: ${e.message}`);
      return 1;
    }
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
    deps.err(`reset-password failed: ${(cause instanceof Error ? cause.message : String(cause)).split('\n')[0]}`);
    return 1;
  } finally {
    await database?.close();
  }
}
