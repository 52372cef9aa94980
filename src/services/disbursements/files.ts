import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { disbursementFiles, programs, staffUsers } from '../../db/schema/index.ts';
import type { Actor } from '../actor.ts';
import { mayImportProgram, requireImporter, type ImportProgram } from './shared.ts';

// The result files imported so far and the programs an importer may choose, both within the importer's bidang.
// The files hold counts only, nobody's data: listing them is not a read of personal data.

export interface DisbursementFileRow {
  id: number;
  programCode: string;
  period: string;
  source: string;
  fileName: string;
  lineCount: number;
  transferred: number;
  failed: number;
  returned: number;
  importedBy: string | null;
  importedAt: Date;
}

export const FILES_SHOWN = 100;

export async function importablePrograms(db: Db, actor: Actor): Promise<ImportProgram[]> {
  requireImporter(actor);
  const rows = await db.select({ id: programs.id, code: programs.code, name: programs.name, bidang: programs.bidang, unit: programs.unit }).from(programs).orderBy(asc(programs.code));
  return rows.filter((p) => mayImportProgram(actor, p));
}

export async function listFiles(db: Db, actor: Actor): Promise<DisbursementFileRow[]> {
  const mine = (await importablePrograms(db, actor)).map((p) => p.id);
  if (mine.length === 0) return [];
  return db
    .select({
      id: disbursementFiles.id,
      programCode: programs.code,
      period: disbursementFiles.period,
      source: disbursementFiles.source,
      fileName: disbursementFiles.fileName,
      lineCount: disbursementFiles.lineCount,
      transferred: disbursementFiles.transferred,
      failed: disbursementFiles.failed,
      returned: disbursementFiles.returned,
      importedBy: staffUsers.name,
      importedAt: disbursementFiles.importedAt,
    })
    .from(disbursementFiles)
    .innerJoin(programs, eq(programs.id, disbursementFiles.programId))
    .leftJoin(staffUsers, eq(staffUsers.id, disbursementFiles.importedBy))
    .where(inArray(disbursementFiles.programId, mine))
    .orderBy(desc(disbursementFiles.importedAt), desc(disbursementFiles.id))
    .limit(FILES_SHOWN);
}
