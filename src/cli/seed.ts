import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { DEFAULT_HOUSEHOLDS, DEFAULT_SEED, seedDemoCity } from '../seed/index.ts';

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

async function main(): Promise<number> {
  let args: { households: number; seed: number };
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) console.error(`seed: ${e.message}`);
    console.error(USAGE);
    return e.message ? 2 : 0;
  }

  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }

  const where = config.database.url ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  let database: Database | undefined;
  const started = performance.now();
  try {
    database = await openDatabase({ url: config.database.url, poolSize: config.database.poolSize, dataDir: config.dataDir });
    await database.migrate();
    console.log(`Seeding the demo city with ${args.households.toLocaleString('en')} synthetic households into ${where}…`);
    let lastReport = started;
    const result = await seedDemoCity(database, {
      households: args.households,
      seed: args.seed,
      onProgress(written, total) {
        const now = performance.now();
        if (now - lastReport < 5000 || written === total) return;
        lastReport = now;
        console.log(`  ${written.toLocaleString('en')} / ${total.toLocaleString('en')} households`);
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.skipped) {
      console.log('The demo city is already in this database; nothing changed.');
      return 0;
    }
    console.log(
      `Seeded ${result.city} in ${seconds} s: ${result.households.toLocaleString('en')} households, ` +
        `${result.members.toLocaleString('en')} members, ${result.enrollments.toLocaleString('en')} enrollments, ` +
        `${result.invitations.toLocaleString('en')} invitations to ${result.tranche} on ${result.eventDate}.`,
    );
    return 0;
  } catch (e) {
    // Only the database's own message: a failed bulk insert carries the rows (NIKs) as parameters.
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
    console.error(`seed failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    return 1;
  } finally {
    await database?.close();
  }
}

process.exitCode = await main();
