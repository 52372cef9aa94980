import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { openMigrated } from '../open-database.ts';
import { progressBar } from './progress.ts';
import { formatReport } from '../../services/registry/import/report.ts';
import { importFile, ImportInputError, type ImportKind } from '../../services/registry/import/run.ts';

// `npm run import -- registry FILE.csv` and `npm run import -- enrollments FILE.csv`. The report goes to
// stdout, the progress bar and every refusal to stderr (one line). Exit 0 when the file was imported, even
// with skipped rows (they are in the report); 1 when nothing was imported; 2 for bad arguments.

export const IMPORT_USAGE = `Usage: npm run import -- registry FILE.csv
       npm run import -- enrollments FILE.csv
  registry     one row per person: nik,no_kk,nama,tanggal_lahir,jenis_kelamin,hubungan,alamat,rt,rw,kelurahan,kecamatan,desil,telepon,disabilitas,meninggal
  enrollments  program,nik,no_kk,status,periode,nominal
UTF-8, comma or semicolon separated, with that header row.`;

export interface ImportCliDeps {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
  /** Where the progress bar is drawn; it is drawn only when this is a TTY. */
  progressStream?: NodeJS.WriteStream;
  /** Bytes read of the file's size, for a caller that shows progress elsewhere (the service, for its client). */
  onProgress?: (bytes: number, total: number) => void;
  /**
   * The database to import into, which the command closes when done (tests and the service hand in one whose
   * close does nothing); otherwise the configured one is opened and migrated.
   */
  open?: () => Promise<Database>;
  /** What a relative FILE is read against: the caller's working directory. Default: this process's. */
  cwd?: string;
  now?: Date;
}

/** `--help` needs no database: no need to own (or ask the owner of) DATA_DIR. */
export const importNeedsDatabase = (argv: string[]) => !argv.includes('--help') && !argv.includes('-h');

export async function importCommand(argv: string[], deps: ImportCliDeps): Promise<number> {
  if (!importNeedsDatabase(argv)) {
    deps.out(IMPORT_USAGE);
    return 0;
  }
  const [kind, file, ...extra] = argv;
  if (kind !== 'registry' && kind !== 'enrollments') {
    deps.err(kind === undefined ? 'import: say what to import: registry or enrollments (npm run import -- --help)' : `import: unknown kind '${kind}', expected registry or enrollments`);
    return 2;
  }
  if (file === undefined || extra.length > 0) {
    deps.err(file === undefined ? `import: give the CSV file to import (npm run import -- ${kind} FILE.csv)` : `import: unexpected argument '${extra[0]}'`);
    return 2;
  }

  // The settings give the city's time zone; a handed-in database needs nothing else from them.
  let config;
  try {
    config = loadConfig(deps.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (!deps.open) {
      deps.err(e.message);
      return 1;
    }
  }
  const timeZone = config?.timezone ?? 'Asia/Jakarta';
  const open = deps.open ?? (() => openMigrated(config!));
  // Read against the caller's directory, but named as typed: the output is the same wherever the command runs.
  const path = resolve(deps.cwd ?? process.cwd(), file);
  const asTyped = (message: string) => (path === file ? message : message.replaceAll(path, file));

  let database: Database | undefined;
  const bar = { current: undefined as ReturnType<typeof progressBar> | undefined };
  try {
    database = await open();
    const report = await importFile(database, {
      kind: kind as ImportKind,
      filePath: path,
      // The machine's operator: whoever runs this on the server holds the database already, so the import is
      // city-wide, unlike a console upload, which is held to the uploader's kecamatan and bidang.
      actor: { kind: 'system' },
      timeZone,
      ...(deps.now ? { now: deps.now } : {}),
      onProgress: (bytes, total) => {
        deps.onProgress?.(bytes, total);
        if (deps.progressStream) bar.current ??= progressBar(deps.progressStream, total, kind);
        bar.current?.update(bytes);
      },
    });
    bar.current?.done();
    for (const line of formatReport(report)) deps.out(line);
    return 0;
  } catch (e) {
    bar.current?.done(false); // the refusal starts on a line of its own
    if (e instanceof ImportInputError) {
      deps.err(`import: ${asTyped(e.message)}`);
      return 1;
    }
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
    deps.err(`import failed, nothing was changed: ${(cause instanceof Error ? cause.message : String(cause)).split('\n')[0]}`);
    return 1;
  } finally {
    await database?.close();
  }
}
