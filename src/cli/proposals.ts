import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../config.ts';
import { type Locale } from '../domain/vocabulary.ts';
import type { Database } from '../db/client.ts';
import { openMigrated } from './open-database.ts';
import { kecamatan } from '../db/schema/index.ts';
import { createI18n } from '../i18n.ts';
import { exportFile } from '../services/exports/file.ts';
import { importProposalOutcomes, proposalsCsv, type ProposalActor } from '../services/registry/proposals.ts';
import type { CliDeps } from './create-user.ts';

// `npm run cli -- proposals-export --out FILE` and `npm run cli -- proposals-outcomes FILE`: the meeting's
// sheet out and its answers back in, from the server itself (an office without console access on the day of
// the meeting). Whoever runs these holds the server, so they act as the system, city-wide, and are audited
// as such. The sheet holds full NIK and KK numbers: it is written only where --out says, never to stdout.

export const PROPOSALS_USAGE = `Usage: npm run cli -- proposals-export --out FILE [--kecamatan CODE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
       npm run cli -- proposals-outcomes FILE
  proposals-export    usulan, sanggahan and data corrections as the verification meeting's CSV (full NIK/KK);
                      an --out FILE ending in .xlsx gets an Excel workbook instead
  proposals-outcomes  read the meeting's CSV (nomor_laporan,hasil,catatan) and tell each resident the result`;

const SYSTEM: ProposalActor = { kind: 'system' };

interface Setting {
  database: Database;
  timeZone: string;
  defaultLocale: Locale;
}

/** Opens the configured database (or the test's), with the zone and language the service would use. */
async function setUp(deps: CliDeps, name: string): Promise<Setting | null> {
  let config;
  try {
    config = loadConfig(deps.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (!deps.open) {
      deps.err(e.message);
      return null;
    }
  }
  const timeZone = config?.timezone ?? 'Asia/Jakarta';
  const defaultLocale = config?.defaultLocale ?? 'id';
  const open =
    deps.open ??
    (() => openMigrated(config!));
  try {
    return { database: await open(), timeZone, defaultLocale };
  } catch (e) {
    deps.err(`${name} failed: ${firstLine(e)}`);
    return null;
  }
}

/**
 * A file named on the command line, opened against the caller's directory (the service runs commands for a
 * terminal elsewhere) but named in messages as it was typed, so the output is the same wherever it runs.
 */
function fileArg(deps: CliDeps, typed: string) {
  const path = resolve(deps.cwd ?? process.cwd(), typed);
  return { path, asTyped: (message: string) => (path === typed ? message : message.replaceAll(path, typed)) };
}

function firstLine(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  return (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!;
}

function flags(argv: string[], allowed: readonly string[]): { values: Record<string, string>; rest: string[] } | string {
  const values: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!allowed.includes(flag)) return `unknown argument '${arg}'`;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value.trim() === '' || (eq < 0 && value.startsWith('--'))) return `${flag} needs a value`;
    values[flag] = value.trim();
  }
  return { values, rest };
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function proposalsExportCommand(argv: string[], deps: CliDeps): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    deps.out(PROPOSALS_USAGE);
    return 0;
  }
  const parsed = flags(argv, ['--out', '--kecamatan', '--from', '--to']);
  const problem =
    typeof parsed === 'string'
      ? parsed
      : parsed.rest.length > 0
        ? `unexpected argument '${parsed.rest[0]}'`
        : !parsed.values['--out']
          ? '--out is required'
          : [parsed.values['--from'], parsed.values['--to']].some((d) => d !== undefined && !ISO_DAY.test(d))
            ? '--from and --to are dates as YYYY-MM-DD'
            : null;
  if (problem || typeof parsed === 'string') {
    deps.err(`proposals-export: ${problem} (npm run cli -- help)`);
    return 2;
  }
  const v = parsed.values;
  const out = fileArg(deps, v['--out']!);
  const setting = await setUp(deps, 'proposals-export');
  if (!setting) return 1;
  try {
    let kecamatanId: number | undefined;
    if (v['--kecamatan']) {
      const [k] = await setting.database.db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.code, v['--kecamatan']));
      if (!k) {
        deps.err(`proposals-export: no kecamatan with code '${v['--kecamatan']}'`);
        return 1;
      }
      kecamatanId = k.id;
    }
    const sheet = await proposalsCsv(setting.database.db, SYSTEM, {
      timeZone: setting.timeZone,
      ...(kecamatanId !== undefined ? { kecamatanId } : {}),
      ...(v['--from'] ? { from: v['--from'] } : {}),
      ...(v['--to'] ? { to: v['--to'] } : {}),
    });
    const file = await exportFile(sheet, /\.xlsx$/i.test(out.path) ? 'xlsx' : 'csv', 'usulan-verifikasi');
    // Owner-only: the file holds full NIK and KK numbers.
    await writeFile(out.path, file.body, { mode: 0o600 });
    deps.out(`Wrote ${sheet.count} proposal(s) to ${v['--out']}. The file holds full NIK/KK numbers: share it only with the verification meeting.`);
    return 0;
  } catch (e) {
    deps.err(`proposals-export failed: ${out.asTyped(firstLine(e))}`);
    return 1;
  } finally {
    await setting.database.close();
  }
}

export async function proposalOutcomesCommand(argv: string[], deps: CliDeps): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    deps.out(PROPOSALS_USAGE);
    return 0;
  }
  if (argv.length !== 1 || argv[0]!.startsWith('--')) {
    deps.err('proposals-outcomes: give exactly one CSV file (npm run cli -- help)');
    return 2;
  }
  const file = fileArg(deps, argv[0]!);
  const setting = await setUp(deps, 'proposals-outcomes');
  if (!setting) return 1;
  try {
    const i18n = await createI18n(setting.defaultLocale);
    const report = await importProposalOutcomes(setting.database.db, SYSTEM, createReadStream(file.path), {
      now: new Date(),
      timeZone: setting.timeZone,
      i18n,
      defaultLocale: setting.defaultLocale,
    });
    for (const r of report.applied) deps.out(`line ${r.line}: ${r.trackingId} ${r.outcome}${r.notified ? '' : ' (resident cannot be reached)'}`);
    for (const r of report.unchanged) deps.out(`line ${r.line}: ${r.trackingId} already recorded, not sent again`);
    for (const r of report.skipped) deps.err(`line ${r.line}: ${r.trackingId ?? '-'} skipped: ${r.reason}`);
    deps.out(`Applied ${report.applied.length}, already recorded ${report.unchanged.length}, skipped ${report.skipped.length}.`);
    return report.skipped.length > 0 ? 1 : 0;
  } catch (e) {
    deps.err(`proposals-outcomes failed: ${file.asTyped(firstLine(e))}`);
    return 1;
  } finally {
    await setting.database.close();
  }
}
