import type { ImportCounts, ImportProblem } from '../../../db/schema/index.ts';

// What an import did, gathered as it runs: every skipped row counts under its reason, and the first
// problems are kept with their line numbers (a broken million-row file must not fill the report table).

export const MAX_PROBLEMS = 200;

/** A problem as reported: for a refused enumerated cell, also the value as written (allowed.ts shownValue). */
export type ReportedProblem = ImportProblem & { value?: string };

export class ProblemLog {
  readonly byReason: Record<string, number> = {};
  readonly problems: ReportedProblem[] = [];
  total = 0;

  constructor(private readonly limit = MAX_PROBLEMS) {}

  add(line: number, reason: string, detail?: string, value?: string): void {
    this.total++;
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    if (this.problems.length < this.limit) this.problems.push({ line, reason, ...(detail ? { detail } : {}), ...(value !== undefined ? { value } : {}) });
  }

  /** Problems found after the fact (in SQL) arrive out of order; the report lists them by line. */
  sort(): void {
    this.problems.sort((a, b) => a.line - b.line);
  }
}

export interface ImportReport {
  runId: number;
  kind: 'registry' | 'enrollments';
  fileName: string;
  fileSha256: string;
  counts: ImportCounts;
  skippedByReason: Record<string, number>;
  problems: ReportedProblem[];
  /** For each reason of a refused enumerated value in this report: the values that are accepted. */
  allowed: Record<string, readonly string[]>;
  seconds: number;
}

/** The report as printed at the end of `npm run import`; no NIK, KK or name appears in it. */
export function formatReport(r: ImportReport, shown = 20): string[] {
  const c = r.counts;
  const lines = [
    `Import #${r.runId} (${r.kind}) of ${r.fileName} in ${r.seconds.toFixed(1)} s`,
    `  rows read  ${c.read}`,
    `  inserted   ${c.inserted}`,
    `  updated    ${c.updated}`,
    `  unchanged  ${c.unchanged}`,
    `  skipped    ${c.skipped}`,
  ];
  if (c.householdsInserted !== undefined) {
    lines.push(`  households inserted ${c.householdsInserted}, updated ${c.householdsUpdated}, unchanged ${c.householdsUnchanged}`);
    lines.push(`  members flagged missing ${c.flaggedMissing}`);
  }
  const reasons = Object.entries(r.skippedByReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) {
    lines.push('Skipped by reason:');
    for (const [reason, n] of reasons) lines.push(`  ${reason}: ${n}`);
    lines.push(`First problems (of ${c.skipped}):`);
    for (const p of r.problems.slice(0, shown)) {
      const given = p.value !== undefined ? ` "${p.value}"` : '';
      const allowed = r.allowed[p.reason] && !p.detail ? ` (one of ${r.allowed[p.reason]!.join('/')})` : '';
      lines.push(`  line ${p.line}: ${p.reason}${given}${p.detail ? ` (${p.detail})` : ''}${allowed}`);
    }
  }
  return lines;
}
