import { eq } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { openMigrated } from './open-database.ts';
import { inArray } from 'drizzle-orm';
import { kecamatan, kelurahan } from '../db/schema/index.ts';
import { BIDANG, STAFF_ROLES, type StaffRole } from '../domain/vocabulary.ts';
import type { Bidang } from '../domain/vocabulary.ts';
import { createStaffUser, StaffInputError } from '../services/staff/users.ts';

// `npm run cli -- create-user --email a@b --role admin`: the way in for the first admin on a real Postgres,
// and for any user when the console is unreachable. The generated password is printed exactly once, on
// stdout, and nowhere else; errors are one line on stderr.

export const CREATE_USER_USAGE = `Usage: npm run cli -- create-user --email EMAIL --role ROLE [--name NAME] [--kecamatan CODE] [--bidang BIDANG]
       npm run cli -- create-user --email EMAIL --field-role KEY --kecamatan CODE --kelurahan CODE[,CODE…] [--name NAME]
  --role        ${STAFF_ROLES.join(', ')}
  --kecamatan   Kemendagri code of the kecamatan, e.g. 21.71.10; omit for the whole city
  --bidang      ${BIDANG.join(', ')}; omit for every bidang
  --field-role  a field role of the office (staff_roles: tksk, psm, pendamping…); the role is then field_officer
  --kelurahan   with --field-role: the kelurahan the worker covers, by code, comma-separated`;

export class UsageError extends Error {}

export interface CreateUserArgs {
  email: string;
  role: StaffRole;
  name: string;
  kecamatan?: string;
  bidang?: Bidang;
  fieldRole?: string;
  kelurahan?: string[];
}

const FLAGS = ['--email', '--role', '--name', '--kecamatan', '--bidang', '--field-role', '--kelurahan'] as const;

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
  const fieldRole = seen['--field-role'];
  if (seen['--kelurahan'] && !fieldRole) throw new UsageError('--kelurahan needs --field-role');
  if (fieldRole && seen['--role'] && seen['--role'] !== 'field_officer') throw new UsageError('--field-role goes with the role field_officer (or no --role)');
  if (!seen['--role'] && !fieldRole) throw new UsageError('--role is required');
  const role = seen['--role'] ?? 'field_officer';
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
    ...(fieldRole ? { fieldRole } : {}),
    ...(seen['--kelurahan'] ? { kelurahan: seen['--kelurahan'].split(',').map((c) => c.trim()).filter(Boolean) } : {}),
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
    let kelurahanIds: number[] = [];
    if (args.kelurahan?.length) {
      const found = await database.db.select({ id: kelurahan.id, code: kelurahan.code }).from(kelurahan).where(inArray(kelurahan.code, args.kelurahan));
      const unknown = args.kelurahan.filter((c) => !found.some((k) => k.code === c));
      if (unknown.length) {
        deps.err(`create-user: no kelurahan with code ${unknown.map((c) => `'${c}'`).join(', ')}`);
        return 1;
      }
      kelurahanIds = found.map((k) => k.id);
    }
    const { id, password } = await createStaffUser(database.db, 'system', {
      email: args.email,
      name: args.name,
      role: args.role,
      kecamatanId,
      bidang: args.bidang ?? null,
      ...(args.fieldRole ? { fieldRole: args.fieldRole, kelurahanIds } : {}),
    });
    deps.out(`Created staff user #${id} (${args.fieldRole ? `${args.role}, ${args.fieldRole}` : args.role}).`);
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
