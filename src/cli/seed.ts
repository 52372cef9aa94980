import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { DEFAULT_HOUSEHOLDS, DEFAULT_SEED, seedDemoCity } from '../seed/index.ts';

// `npm run seed -- --households 200000`: loads the demo city into the configured database.
// Prints counts only: no NIK, KK or phone number ever reaches the terminal or a CI log.

const USAGE = `Usage: npm run seed -- [--households N] [--seed N]
  --households N  synthetic households besides the four demo families (default ${DEFAULT_HOUSEHOLDS})
  --seed N        random seed; the same seed and day give the same registry (default ${DEFAULT_SEED})`;

class UsageError extends Error {}

export function parseArgs(argv: string[]): { households: number; seed: number } {
  const out = { households: DEFAULT_HOUSEHOLDS, seed: DEFAULT_SEED };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--households' || flag === '--seed') {
      const raw = inline ?? argv[++i];
      if (raw === undefined) throw new UsageError(`${flag} needs a value`);
      const key = flag === '--households' ? 'households' : 'seed';
      const min = key === 'households' ? 1 : 0;
      if (!/^\d+$/.test(raw.replaceAll('_', '')) || Number(raw.replaceAll('_', '')) < min || !Number.isSafeInteger(Number(raw.replaceAll('_', '')))) {
        throw new UsageError(`${flag} must be a ${key === 'households' ? 'positive' : 'non-negative'} whole number, got '${raw}'`);
      }
      out[key] = Number(raw.replaceAll('_', ''));
    } else if (flag === '--help' || flag === '-h') {
      throw new UsageError('');
    } else {
      throw new UsageError(`unknown argument '${arg}'`);
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
    console.log(`Seeding ${args.households.toLocaleString('en')} households into ${where}…`);
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
