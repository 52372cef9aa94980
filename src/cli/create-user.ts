import { eq } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { openMigrated } from './open-database.ts';
import { kecamatan } from '../db/schema/index.ts';
import { BIDANG, STAFF_ROLES, type StaffRole } from '../domain/vocabulary.ts';
import type { Bidang } from '../domain/vocabulary.ts';
import { createStaffUser, StaffInputError } from '../services/staff/users.ts';

// `npm run cli -- create-user --email a@b --role admin`: the way in for the first admin on a real Postgres,
// and for any user when the console is unreachable. The generated password is printed exactly once, on
// stdout, and nowhere else; errors are one line on stderr.

export const CREATE_USER_USAGE = `Usage: npm run cli -- create-user --email EMAIL --role ROLE [--name NAME] [--kecamatan CODE] [--bidang BIDANG]
  --role       ${STAFF_ROLES.join(', ')}
  --kecamatan  Kemendagri code of the kecamatan, e.g. 21.71.10; omit for the whole city
  --bidang     ${BIDANG.join(', ')}; omit for every bidang`;

export class UsageError extends Error {}

export interface CreateUserArgs {
  email: string;
  role: StaffRole;
  name: string;
  kecamatan?: string;
  bidang?: Bidang;
}

const FLAGS = ['--email', '--role', '--name', '--kecamatan', '--bidang'] as const;

export function parseCreateUserArgs(argv: string[]): CreateUserArgs {
  const seen: Partial<Record<(typeof FLAGS)[number], string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = (arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg) as (typeof FLAGS)[number];
    if (!FLAGS.includes(flag)) throw new UsageError(`unknown argument '${arg}'`);
    const value = flag === arg ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value.trim() === '' || (flag === arg && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
    seen[flag] = value.trim();
  }
  if (!seen['--email']) throw new UsageError('--email is required');
  if (!seen['--role']) throw new UsageError('--role is required');
  const role = seen['--role'];
  if (!(STAFF_ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${STAFF_ROLES.join(', ')}, got '${role}'`);
  const bidang = seen['--bidang'];
  if (bidang !== undefined && !(BIDANG as readonly string[]).includes(bidang)) {
    throw new UsageError(`--bidang must be one of ${BIDANG.join(', ')}, got '${bidang}'`);
  }
  const email = seen['--email'];
  return {
    email,
    role: role as StaffRole,
    name: seen['--name'] ?? email.split('@')[0]!,
    ...(seen['--kecamatan'] ? { kecamatan: seen['--kecamatan'] } : {}),
    ...(bidang ? { bidang: bidang as Bidang } : {}),
  };
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliDeps extends CliIo {
  env: Record<string, string | undefined>;
  /**
   * The database to work on, which the command closes when done (tests and the service hand in one whose close
   * does nothing); otherwise the configured one is opened and migrated.
   */
  open?: () => Promise<Database>;
  /** What relative file names are read and written against: the caller's working directory. Default: this process's. */
  cwd?: string;
}

/** Returns the exit code: 0 done, 1 refused or failed, 2 bad arguments. */
export async function createUserCommand(argv: string[], deps: CliDeps): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    deps.out(CREATE_USER_USAGE);
    return 0;
  }
  let args: CreateUserArgs;
  try {
    args = parseCreateUserArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    deps.err(`create-user: ${e.message} (npm run cli -- help)`);
    return 2;
  }

  let open = deps.open;
  if (!open) {
    let config;
    try {
      config = loadConfig(deps.env);
    } catch (e) {
      if (e instanceof ConfigError) {
        deps.err(e.message);
        return 1;
      }
      throw e;
    }
    open = () => openMigrated(config);
  }

  let database: Database | undefined;
  try {
    database = await open();
    let kecamatanId: number | null = null;
    if (args.kecamatan) {
      const [k] = await database.db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.code, args.kecamatan));
      if (!k) {
        deps.err(`create-user: no kecamatan with code '${args.kecamatan}'`);
        return 1;
      }
      kecamatanId = k.id;
    }
    const { id, password } = await createStaffUser(database.db, 'system', {
      email: args.email,
      name: args.name,
      role: args.role,
      kecamatanId,
      bidang: args.bidang ?? null,
    });
    deps.out(`Created staff user #${id} (${args.role}).`);
    deps.out(`Password (shown only this once): ${password}`);
    return 0;
  } catch (e) {
    if (e instanceof StaffInputError) {
      deps.err(`create-user: ${e.message}`);
      return 1;
    }
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
    deps.err(`create-user failed: ${(cause instanceof Error ? cause.message : String(cause)).split('\n')[0]}`);
    return 1;
  } finally {
    await database?.close();
  }
}
