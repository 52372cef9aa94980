import { ConfigError, loadConfig } from '../../config.ts';
import { openDatabase, type Database } from '../../db/client.ts';
import { DEFAULT_HOUSEHOLDS, DEFAULT_SEED, seedDemoCity } from '../../services/seed/index.ts';

// `npm run seed -- --households 200000`: loads the demo city into the configured database.
// Prints counts only: no NIK, KK or phone number ever reaches the terminal or a CI log.

const USAGE = `Usage: npm run seed -- [--households N] [--seed N]
  --households N  synthetic households besides the four demo families (default ${DEFAULT_HOUSEHOLDS})
  --seed N        random seed; the same seed and day give the same registry (default ${DEFAULT_SEED})`;

class UsageError extends Error {}

function parseArgs(argv: string[]): { households: number; seed: number } {
  const out = { households: DEFAULT_HOUSEHOLDS, seed: DEFAULT_SEED };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === '--help' || flag === '-h') throw new UsageError('');
    if (flag !== '--households' && flag !== '--seed') throw new UsageError(`unknown argument '${arg}'`);
    const raw = flag === arg ? argv[++i] : arg.slice(eq + 1);
    if (raw === undefined) throw new UsageError(`${flag} needs a value`);
    const value = /^\d[\d_]*$/.test(raw) ? Number(raw.replaceAll('_', '')) : NaN; // 200_000 reads well too
    if (flag === '--households') {
      if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`--households must be a positive whole number, got '${raw}'`);
      out.households = value;
    } else {
      if (!Number.isSafeInteger(value) || value > 0xffffffff) throw new UsageError(`--seed must be a whole number from 0 to 4294967295, got '${raw}'`);
      out.seed = value;
    }
  }
  return out;
}

export interface SeedDeps {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
  /**
   * The database to seed, which the command closes when done (the service hands in its own, whose close does
   * nothing); otherwise the configured one is opened and migrated.
   */
  open?: () => Promise<Database>;
}

/** `npm run seed`. Returns the exit code: 0 seeded or already there, 1 failed, 2 bad arguments. */
export async function seedCommand(argv: string[], deps: SeedDeps): Promise<number> {
  let args: { households: number; seed: number };
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) deps.err(`seed: ${e.message}`);
    deps.err(USAGE);
    return e.message ? 2 : 0;
  }

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

  const where = config.database.url ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  const open =
    deps.open ??
    (async () => {
      const database = await openDatabase({ url: config.database.url, poolSize: config.database.poolSize, dataDir: config.dataDir });
      try {
        await database.migrate();
      } catch (e) {
        await database.close().catch(() => {});
        throw e;
      }
      return database;
    });
  let database: Database | undefined;
  const started = performance.now();
  try {
    database = await open();
    deps.out(`Seeding the demo city with ${args.households.toLocaleString('en')} synthetic households into ${where}…`);
    let lastReport = started;
    const result = await seedDemoCity(database, {
      households: args.households,
      seed: args.seed,
      onProgress(written, total) {
        const now = performance.now();
        if (now - lastReport < 5000 || written === total) return;
        lastReport = now;
        deps.out(`  ${written.toLocaleString('en')} / ${total.toLocaleString('en')} households`);
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.skipped) {
      deps.out('The demo city is already in this database; nothing changed.');
      return 0;
    }
    deps.out(
      `Seeded ${result.city} in ${seconds} s: ${result.households.toLocaleString('en')} households, ` +
        `${result.members.toLocaleString('en')} members, ${result.enrollments.toLocaleString('en')} enrollments, ` +
        `${result.invitations.toLocaleString('en')} invitations to ${result.tranche} on ${result.eventDate}.`,
    );
    return 0;
  } catch (e) {
    // Only the database's own message: a failed bulk insert carries the rows (NIKs) as parameters.
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
    deps.err(`seed failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    return 1;
  } finally {
    await database?.close();
  }
}

/** `--help` and the like: nothing to open, so no need to own (or ask the owner of) DATA_DIR. */
export const seedNeedsDatabase = (argv: string[]) => !argv.some((a) => a === '--help' || a === '-h' || a.startsWith('--help='));
