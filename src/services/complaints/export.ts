// Complaints as a spreadsheet for the office's own reporting (weekly meetings, the LAPOR! desk): the same
// list and filters as the inbox, every page of it. Summaries keep what the resident wrote but with NIK/KK
// masked; the reporter is never in it. Audited as a read, with the row count.

import { kecamatan, staffUsers } from '../../db/schema/index.ts';
import type { Db } from '../../db/client.ts';
import { csvOf, type Sheet } from '../../domain/csv.ts';
import { maskIdNumbers } from '../../domain/mask.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { listComplaints, type ComplaintListRow, type ListQuery } from './list.ts';

/** More than any office exports at once; the filters narrow a bigger list. */
export const MAX_EXPORT_ROWS = 50_000;

export interface ExportLabels {
  header: readonly string[];
  category: (c: ComplaintListRow['category']) => string;
  status: (s: ComplaintListRow['status']) => string;
  yes: string;
  no: string;
}

function localDateTime(d: Date, timeZone: string): string {
  // 2026-11-24 09:05, the office's wall clock, sortable in a spreadsheet.
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(d);
}

export async function complaintsCsv(
  db: Db,
  actor: Actor,
  q: Omit<ListQuery, 'limit' | 'offset' | 'after' | 'newestFirst'>,
  opts: { labels: ExportLabels; timeZone: string; now: Date },
): Promise<{ sheet: Sheet; csv: string; count: number; truncated: boolean }> {
  const rows: ComplaintListRow[] = [];
  let after: number | undefined;
  let truncated = false;
  for (;;) {
    const page = await listComplaints(db, actor, { ...q, now: opts.now, timeZone: opts.timeZone, limit: 200, ...(after !== undefined ? { after } : { newestFirst: true }) });
    rows.push(...page.rows);
    if (page.nextAfter === null) break;
    if (rows.length >= MAX_EXPORT_ROWS) {
      truncated = true;
      break;
    }
    after = page.nextAfter;
  }
  rows.length = Math.min(rows.length, MAX_EXPORT_ROWS);
  const areas = new Map((await db.select({ id: kecamatan.id, name: kecamatan.name }).from(kecamatan)).map((k) => [k.id, k.name]));
  const staff = new Map((await db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers)).map((s) => [s.id, s.name]));
  const { labels } = opts;
  const sheet: Sheet = {
    header: labels.header,
    rows: rows.map((r) => [
      r.trackingId,
      localDateTime(r.createdAt, opts.timeZone),
      labels.category(r.category),
      labels.status(r.status),
      r.kecamatanId === null ? '' : (areas.get(r.kecamatanId) ?? ''),
      r.bidang ?? '',
      r.assigneeId === null ? '' : (staff.get(r.assigneeId) ?? ''),
      r.sla ? localDateTime(r.sla.dueAt, opts.timeZone) : '',
      r.sla ? (r.sla.late ? labels.yes : labels.no) : '',
      r.anonymous ? labels.yes : labels.no,
      maskIdNumbers(r.summary),
    ]),
  };
  await audit(db, actor, { action: 'complaint.export_csv', entity: 'complaint', details: { rowCount: rows.length, truncated }, at: opts.now });
  return { sheet, csv: csvOf(sheet), count: rows.length, truncated };
}
