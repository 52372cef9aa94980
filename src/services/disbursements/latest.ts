import { desc, sql } from 'drizzle-orm';
import { idArray } from '../../db/arrays.ts';
import type { Db } from '../../db/client.ts';
import { disbursements } from '../../db/schema/index.ts';
import type { DisbursementStatus } from '../../domain/vocabulary.ts';
import { officeDirectory, type OfficeRef } from './office.ts';

// What the aid check tells a family about its money (issue 20): for each enrollment it shows, the latest line
// any result file gave for it (an enrollment is one program and period, so this is the shown period's
// transfer): transferred on a day, or failed or returned, with the office to contact.

export interface TransferNews {
  status: DisbursementStatus;
  /** The bank's date, YYYY-MM-DD. */
  date: string;
  /** For a failed or returned transfer: where to go (the kecamatan's office, else the city's). */
  office: OfficeRef | null;
}

export async function latestTransfers(db: Db, enrollmentIds: readonly number[]): Promise<Map<number, TransferNews>> {
  const out = new Map<number, TransferNews>();
  if (enrollmentIds.length === 0) return out;
  const rows = await db
    .select({ enrollmentId: disbursements.enrollmentId, status: disbursements.status, date: disbursements.transferDate, kecamatanId: disbursements.kecamatanId })
    .from(disbursements)
    .where(sql`${disbursements.enrollmentId} = any(${idArray([...enrollmentIds])})`)
    .orderBy(desc(disbursements.transferDate), desc(disbursements.id));
  const needsOffice = rows.some((r) => r.status !== 'transferred');
  const offices = needsOffice ? await officeDirectory(db) : null;
  for (const r of rows) {
    if (out.has(r.enrollmentId)) continue; // newest first: the first line per enrollment is its news
    out.set(r.enrollmentId, { status: r.status, date: r.date, office: r.status === 'transferred' ? null : (offices?.officeFor(r.kecamatanId) ?? null) });
  }
  return out;
}
