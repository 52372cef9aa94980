import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { disbursementFiles, programs } from '../../db/schema/index.ts';
import { amountCeiling } from '../../domain/benefit.ts';
import { todayIn } from '../../domain/dates.ts';
import { checkDisbursementLine, disbursementLayout, type DisbursementLayout } from '../../domain/disbursement-line.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { readCsv, type CsvRecord } from '../registry/import/csv.ts';
import { PERIOD } from '../registry/import/enrollment-row.ts';
import { ProblemLog, type ReportedProblem } from '../registry/import/report.ts';
import { copyChunks, copyValue, inTransaction } from '../registry/import/session.ts';
import { isZipStart, readXlsx } from '../registry/import/xlsx.ts';
import { createStage, matchStage, STAGE, STAGE_COLUMNS } from './match.ts';
import { mayImportProgram, requireImporter, SOURCE_MAX, type DisbursementOptions, type FileRefusal, type ImportProgram } from './shared.ts';
import { tellFamilies } from './tell-family.ts';

// A bank's or a distributor's result file for one program's tranche (issue 20), imported whole or not at all.
// The file is read twice from disk (an upload is streamed there first): once for its SHA-256, so the same
// bytes imported again are refused before anything else, then through the line checks (domain/
// disbursement-line.ts) into a COPY staging table, where every line is matched to its enrollment in SQL
// (match.ts). Any refused line rolls the whole transaction back and the report lists the lines (up to
// report.ts's cap, with the total); a clean file is written in the same transaction, and only then are the
// families of failed and returned lines told (tell-family.ts), each line once.

export interface DisbursementImportInput {
  programId: number;
  period: string;
  source: string;
  filePath: string;
  /** The name to record and show (an upload's file on disk is a temporary copy). */
  fileName: string;
}

export interface DisbursementReport {
  fileId: number;
  fileName: string;
  lineCount: number;
  transferred: number;
  failed: number;
  returned: number;
  /** Failed or returned lines whose family was told; the rest have no chat linked to the family. */
  notified: number;
  unreachable: number;
  seconds: number;
}

export interface LineRefusals {
  /** Every refused line counts; the first ones are kept with their line numbers (report.ts). */
  total: number;
  byReason: Record<string, number>;
  problems: ReportedProblem[];
}

export type DisbursementImportResult =
  | { ok: true; report: DisbursementReport }
  | { ok: false; reason: Exclude<FileRefusal, 'lines_refused' | 'already_imported'> }
  | { ok: false; reason: 'already_imported'; earlier: { id: number; fileName: string; importedAt: Date } }
  | { ok: false; reason: 'lines_refused'; refusals: LineRefusals };

/** Thrown inside the transaction to roll it back when any line was refused. */
class LinesRefused extends Error {}

/** Throws Forbidden when the actor may import no result file at all. */
export async function importDisbursements(database: Database, actor: Actor, input: DisbursementImportInput, opts: DisbursementOptions & { problemLimit?: number }): Promise<DisbursementImportResult> {
  requireImporter(actor);
  const startedMs = performance.now();
  const db = database.db;
  const [program] = await db
    .select({ id: programs.id, code: programs.code, name: programs.name, bidang: programs.bidang, unit: programs.unit, benefitAmount: programs.benefitAmount, benefitPeriod: programs.benefitPeriod, rules: programs.rules })
    .from(programs)
    .where(eq(programs.id, input.programId));
  if (!program) return { ok: false, reason: 'program_unknown' };
  if (!mayImportProgram(actor, program)) return { ok: false, reason: 'program_out_of_scope' };
  const period = input.period.trim().toUpperCase();
  if (!PERIOD.test(period)) return { ok: false, reason: 'period_invalid' };
  const source = input.source.trim().replace(/\s+/g, ' ');
  if (source === '' || source.length > SOURCE_MAX) return { ok: false, reason: 'source_invalid' };

  const sha256 = await fileSha256(input.filePath);
  const earlier = await importedBefore(database, sha256);
  if (earlier) return { ok: false, reason: 'already_imported', earlier };

  const xlsx = await startsAsZip(input.filePath);
  const records = (xlsx ? readXlsx(input.filePath) : readCsv(createReadStream(input.filePath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>))[Symbol.asyncIterator]();
  try {
    const header = await records.next();
    if (header.done) return { ok: false, reason: 'file_empty' };
    const layout = header.value.error ? null : disbursementLayout(header.value.fields);
    if (!layout) return { ok: false, reason: 'header_invalid' };

    const ref: ImportProgram = { id: program.id, code: program.code, name: program.name, bidang: program.bidang, unit: program.unit };
    const maxAmount = typeof program.rules?.maxAmount === 'number' ? program.rules.maxAmount : null;
    const ceiling = amountCeiling({ benefitAmount: program.benefitAmount, benefitPeriod: program.benefitPeriod, maxAmount }, period);
    const problems = new ProblemLog(opts.problemLimit);
    const todayIso = todayIn(opts.timeZone, opts.now);
    let fileId: number;
    let counts: { lineCount: number; transferred: number; failed: number; returned: number };
    try {
      ({ fileId, counts } = await inTransaction(database, async (session) => {
        await createStage(session);
        let lineCount = 0;
        const rest: AsyncIterable<CsvRecord> = { [Symbol.asyncIterator]: () => records };
        async function* lines(): AsyncGenerator<string> {
          for await (const rec of rest) {
            lineCount++;
            if (rec.error) {
              problems.add(rec.line, rec.error);
              continue;
            }
            const check = checkDisbursementLine(rec.fields, layout as DisbursementLayout, { unit: program!.unit, todayIso });
            if (!check.ok) {
              problems.add(rec.line, check.reason, check.detail, check.value);
              continue;
            }
            const l = check.line;
            yield `${rec.line}\t${copyValue(l.nik)}\t${copyValue(l.noKk)}\t${copyValue(l.referenceMasked)}\t${l.amount}\t${l.status}\t${l.transferDate}\t${copyValue(l.reason)}\n`;
          }
        }
        await session.copyIn(STAGE, STAGE_COLUMNS, copyChunks(lines()));
        if (lineCount === 0) throw new LinesRefused('empty');
        await matchStage(session, problems, { program: ref, period, ceiling, kecamatanId: actor.kecamatanId });
        if (problems.total > 0) throw new LinesRefused('lines');

        const byStatus = await session.query<{ status: string; n: number }>(`select status, count(*)::int as n from ${STAGE} group by status`);
        const n = (s: string) => Number(byStatus.find((r) => r.status === s)?.n ?? 0);
        const counts = { lineCount, transferred: n('transferred'), failed: n('failed'), returned: n('returned') };
        const [file] = await session.query<{ id: number }>(
          `insert into disbursement_files (program_id, period, source, file_name, sha256, line_count, transferred, failed, returned, imported_by, imported_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
          [program!.id, period, source, input.fileName.slice(0, 200), sha256, lineCount, counts.transferred, counts.failed, counts.returned, actor.kind === 'staff' ? actor.id : null, opts.now.toISOString()],
        );
        await session.query(
          `insert into disbursements (file_id, line_no, program_id, period, enrollment_id, household_id, member_id, kecamatan_id, reference_masked, amount, status,
             transfer_date, reason, work_status, created_at)
           select $1, line, $2, $3, enrollment_id, household_id, member_id, kecamatan_id, reference_masked, amount, status, transfer_date, reason,
             case when status in ('failed', 'returned') then 'open' end, $4::timestamptz
           from ${STAGE} order by line`,
          [file!.id, program!.id, period, opts.now.toISOString()],
        );
        return { fileId: Number(file!.id), counts };
      }));
    } catch (e) {
      if (e instanceof LinesRefused) {
        if (e.message === 'empty') return { ok: false, reason: 'file_empty' };
        problems.sort();
        return { ok: false, reason: 'lines_refused', refusals: { total: problems.total, byReason: problems.byReason, problems: problems.problems } };
      }
      // The same file imported at the same moment by someone else: the unique SHA-256 stopped the second.
      if ((e as { code?: string }).code === '23505') {
        const other = await importedBefore(database, sha256);
        if (other) return { ok: false, reason: 'already_imported', earlier: other };
      }
      throw e;
    }

    const told = await tellFamilies(db, fileId, opts);
    await audit(db, actor, {
      action: 'disbursement.import',
      entity: 'disbursement_file',
      entityId: fileId,
      details: { programId: program.id, period, lineCount: counts.lineCount, failedCount: counts.failed, returnedCount: counts.returned, notifiedCount: told.notified },
      at: opts.now,
    });
    return {
      ok: true,
      report: { fileId, fileName: input.fileName, ...counts, notified: told.notified, unreachable: told.unreachable, seconds: (performance.now() - startedMs) / 1000 },
    };
  } finally {
    await records.return?.(undefined); // closes the file when the import stopped early
  }
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

async function importedBefore(database: Database, sha256: string) {
  const [row] = await database.db
    .select({ id: disbursementFiles.id, fileName: disbursementFiles.fileName, importedAt: disbursementFiles.importedAt })
    .from(disbursementFiles)
    .where(eq(disbursementFiles.sha256, sha256));
  return row;
}

async function startsAsZip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    return isZipStart(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}
