import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
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
