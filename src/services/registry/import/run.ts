import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { importRuns, type ImportCounts } from '../../../db/schema/index.ts';
import { localDate } from '../../seed/calendar.ts';
import { loadAreaIndex } from './areas.ts';
import { readCsv, type CsvRecord } from './csv.ts';
import { ENROLLMENT_HEADER } from './enrollment-row.ts';
import { importEnrollments, loadPrograms } from './enrollments.ts';
import { importRegistry } from './registry.ts';
import { REGISTRY_HEADER } from './registry-row.ts';
import { ALLOWED_VALUES } from './allowed.ts';
import { ProblemLog, type ImportReport } from './report.ts';
import { importScope, type ImportActor, type ImportScope } from './scope.ts';
import { inTransaction } from './session.ts';
import { scanFindings } from '../quality/scan.ts';

// One import from start to end: check who imports (scope.ts), the file and its header (nothing is written
// when any is wrong), open an import_runs row, stream the file through the checks into the database in one
// transaction, and close the run with its counts, or as failed when anything threw (the transaction then
// left no trace). Rows outside the importer's scope are refused one by one, like any other bad row.

export type ImportKind = 'registry' | 'enrollments';

/** The file cannot be imported at all: missing, empty, or not the expected header. Nothing was changed. */
export class ImportInputError extends Error {}

/**
 * The file is a spreadsheet workbook (.xlsx is a zip), not the CSV the importer reads. Told apart from a
 * wrong header so the person is asked to save it as CSV, rather than shown a header of binary noise.
 */
export class SpreadsheetFileError extends ImportInputError {}

export interface ImportOptions {
  kind: ImportKind;
  filePath: string;
  /** Who imports: a staff member within their scope, or the server's CLI (`system`, city-wide). */
  actor: ImportActor;
  /** The name to record, when the file on disk is a temporary copy (an upload). */
  fileName?: string;
  /** The run's clock: started_at, missing_since, updated_at. Defaults to the wall clock. */
  now?: Date;
  /** The city's zone: decides "today" for birth dates and the snapshot date. */
  timeZone?: string;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  problemLimit?: number;
}

// The two-key form: its key space does not overlap the single-key locks of migrations and seeding.
const IMPORT_LOCK = [727, 7] as const;

const HEADERS: Record<ImportKind, readonly string[]> = { registry: REGISTRY_HEADER, enrollments: ENROLLMENT_HEADER };

/** Throws Forbidden (access.ts) before reading anything when the actor may not import this kind of file. */
export async function importFile(database: Database, opts: ImportOptions): Promise<ImportReport> {
  const scope = importScope(opts.actor, opts.kind);
  const now = opts.now ?? new Date();
  const startedMs = performance.now();
  const fileName = opts.fileName ?? basename(opts.filePath);
  const size = await fileSize(opts.filePath);
  if (await isZip(opts.filePath)) throw new SpreadsheetFileError(`${fileName} is a spreadsheet workbook (.xlsx); save it as CSV (UTF-8) and import that`);

  const hash = createHash('sha256');
  let bytes = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(opts.filePath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
      opts.onProgress?.(bytes, size);
      yield chunk;
    }
  }
  const records = readCsv(chunks())[Symbol.asyncIterator]();
  try {
    return await importRecords(database, opts, records, { fileName, now, startedMs, hash, scope });
  } finally {
    await records.return?.(undefined); // closes the file when the import stopped early
  }
}

async function importRecords(
  database: Database,
  opts: ImportOptions,
  records: AsyncIterator<CsvRecord>,
  ctx: { fileName: string; now: Date; startedMs: number; hash: Hash; scope: ImportScope },
): Promise<ImportReport> {
  const { fileName, now, startedMs, hash, scope } = ctx;
  const header = await records.next();
  if (header.done) throw new ImportInputError(`${fileName} is empty`);
  checkHeader(header.value, HEADERS[opts.kind], fileName);
  const rest: AsyncIterable<CsvRecord> = { [Symbol.asyncIterator]: () => records };

  // Reference data is read before the run opens, so a database without areas or programs fails cleanly too.
  const todayIso = localDate(now, opts.timeZone ?? 'Asia/Jakarta');
  const areas = opts.kind === 'registry' ? await loadAreaIndex(database.db) : undefined;
  const programs = opts.kind === 'enrollments' ? await loadPrograms(database.db) : undefined;

  const [run] = await database.db
    .insert(importRuns)
    .values({ kind: opts.kind, fileName, status: 'running', startedAt: now })
    .returning({ id: importRuns.id });
  const problems = new ProblemLog(opts.problemLimit);
  try {
    const counts = await inTransaction(database, async (session): Promise<Omit<ImportCounts, 'skipped'>> => {
      // Two imports at once would fight over the same households; the second waits for the first.
      await session.exec(`select pg_advisory_xact_lock(${IMPORT_LOCK[0]}, ${IMPORT_LOCK[1]})`);
      if (areas) return importRegistry(session, rest, problems, { areas, todayIso, kecamatanId: scope.kecamatanId, source: `import:${fileName}`, now });
      return importEnrollments(session, rest, problems, { programs: programs!, scope, now });
    });
    problems.sort();
    const full: ImportCounts = { ...counts, skipped: problems.total };
    const fileSha256 = hash.digest('hex');
    await database.db
      .update(importRuns)
      .set({
        status: 'succeeded',
        fileSha256,
        rowsRead: full.read,
        inserted: full.inserted,
        updated: full.updated,
        unchanged: full.unchanged,
        skipped: full.skipped,
        counts: full,
        skippedByReason: problems.byReason,
        problems: problems.problems,
        finishedAt: new Date(now.getTime() + (performance.now() - startedMs)),
      })
      .where(eq(importRuns.id, run!.id));
    // New registry or enrollment data: rescan data quality now rather than in up to 6 hours. The import has
    // committed; a failed scan must not make it look failed, and the jobs loop will scan again anyway.
    await scanFindings(database.db, { now }).catch(() => {});
    return {
      runId: run!.id,
      kind: opts.kind,
      fileName,
      fileSha256,
      counts: full,
      skippedByReason: problems.byReason,
      problems: problems.problems,
      allowed: allowedFor(problems.byReason, programs, scope),
      seconds: (performance.now() - startedMs) / 1000,
    };
  } catch (e) {
    // Only the error class and first line: a driver message can quote a row, and rows hold personal data.
    const message = e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]!.slice(0, 200)}` : 'unknown error';
    await database.db
      .update(importRuns)
      .set({ status: 'failed', error: message, finishedAt: new Date(now.getTime() + (performance.now() - startedMs)) })
      .where(eq(importRuns.id, run!.id))
      .catch(() => {});
    throw e;
  }
}

/**
 * The accepted values for each enumerated refusal in this report: the vocabulary's, and for an unknown
 * program the codes of the programs this importer may write (their bidang's, or all).
 */
function allowedFor(byReason: Record<string, number>, programs: Awaited<ReturnType<typeof loadPrograms>> | undefined, scope: ImportScope): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const reason of Object.keys(byReason)) {
    if (ALLOWED_VALUES[reason]) out[reason] = ALLOWED_VALUES[reason];
    if (reason === 'program_unknown' && programs) {
      out[reason] = [...programs].filter(([, p]) => scope.bidang === null || p.bidang === scope.bidang).map(([code]) => code).sort();
    }
  }
  return out;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

async function isZip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    return bytesRead === 4 && head.equals(ZIP_MAGIC);
  } finally {
    await fh.close();
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new ImportInputError(`${path} is not a file`);
    return s.size;
  } catch (e) {
    if (e instanceof ImportInputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImportInputError(code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path} (${code ?? 'error'})`);
  }
}

function checkHeader(rec: CsvRecord, expected: readonly string[], fileName: string): void {
  const got = rec.fields.map((f) => f.trim().toLowerCase());
  if (rec.error || got.length !== expected.length || got.some((g, i) => g !== expected[i])) {
    throw new ImportInputError(`${fileName}: the header must be "${expected.join(',')}" (comma or semicolon), got "${got.join(',').slice(0, 300)}"`);
  }
}
