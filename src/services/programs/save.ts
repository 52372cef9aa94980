// Adding and changing a program (issue 20). The input is checked whole (domain/program-input.ts) and refused
// with every problem at once, nothing written; the bidang is checked against the officer's own; every change
// is audited with the names of the fields it changed (never their text: requirements are free text).
// A program's code never changes once made: enrollments, imports, other programs' excludedWith and the
// disbursement files all name it.

import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { programs } from '../../db/schema/index.ts';
import { checkProgramInput, rulesOf, type ProgramInput, type ProgramProblem } from '../../domain/program-input.ts';
import type { Bidang } from '../../domain/vocabulary.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { inputOf, programCodes } from './read.ts';
import { holdsFor, requireFor } from './scope.ts';
import { requirePermission } from '../access.ts';

export type SaveResult = { ok: true; id: number; changed: string[] } | { ok: false; reason: 'invalid'; problems: ProgramProblem[] } | { ok: false; reason: 'not_found' };

const trimOrNull = (s: string | null) => (s === null || s.trim() === '' ? null : s.trim());

function columns(input: ProgramInput) {
  return {
    name: input.name.trim(),
    nameEn: trimOrNull(input.nameEn),
    agency: input.agency.trim(),
    bidang: input.bidang as Bidang | null,
    funder: input.funder.trim(),
    benefitType: input.benefitType as (typeof programs.$inferInsert)['benefitType'],
    benefitAmount: input.benefitAmount,
    benefitPeriod: input.benefitPeriod as (typeof programs.$inferInsert)['benefitPeriod'],
    unit: input.unit as (typeof programs.$inferInsert)['unit'],
    rules: rulesOf(input),
    activeFrom: input.activeFrom,
    activeUntil: input.activeUntil,
    targetPerYear: input.targetPerYear,
    requirements: trimOrNull(input.requirements),
    requirementsEn: trimOrNull(input.requirementsEn),
    schedule: trimOrNull(input.schedule),
    scheduleEn: trimOrNull(input.scheduleEn),
  };
}

/** Every problem of the input, the officer's bidang included. */
function problemsOf(actor: Actor, input: ProgramInput, codes: readonly string[]): ProgramProblem[] {
  const problems = checkProgramInput(input, codes);
  if (!holdsFor(actor, 'programs.manage', input.bidang) && !problems.some((p) => p.field === 'bidang')) problems.push({ field: 'bidang', problem: 'not_yours' });
  return problems;
}

/** The fields whose stored value differs, by name (what the audit records). */
export function changedFields(before: ProgramInput, after: ProgramInput): string[] {
  const norm = (i: ProgramInput) => ({ ...i, ...columns(i), rules: undefined, excludedWith: [...new Set(i.excludedWith)].sort() });
  const a = norm(before);
  const b = norm(after);
  return (Object.keys(b) as (keyof typeof b)[]).filter((k) => k !== 'rules' && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

export async function createProgram(db: Db, actor: Actor, input: ProgramInput, opts: { now: Date }): Promise<SaveResult> {
  requirePermission(actor, 'programs.manage');
  return db.transaction(async (tx): Promise<SaveResult> => {
    const codes = await programCodes(tx);
    const problems = problemsOf(actor, input, codes);
    if (codes.includes(input.code)) problems.push({ field: 'code', problem: 'taken' });
    if (problems.length > 0) return { ok: false, reason: 'invalid', problems };
    const [made] = await tx
      .insert(programs)
      .values({ code: input.code, ...columns(input), createdAt: opts.now, updatedAt: opts.now })
      .onConflictDoNothing({ target: programs.code })
      .returning({ id: programs.id });
    // Another officer made the same code a moment ago.
    if (!made) return { ok: false, reason: 'invalid', problems: [{ field: 'code', problem: 'taken' }] };
    await audit(tx, actor, { action: 'program.create', entity: 'program', entityId: made.id, details: { code: input.code, bidang: input.bidang }, at: opts.now });
    return { ok: true, id: made.id, changed: [] };
  });
}

/** Changes a program; its code stays what it was, whatever the input says. */
export async function updateProgram(db: Db, actor: Actor, id: number, input: ProgramInput, opts: { now: Date }): Promise<SaveResult> {
  requirePermission(actor, 'programs.manage');
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return { ok: false, reason: 'not_found' };
  return db.transaction(async (tx): Promise<SaveResult> => {
    const [row] = await tx.select().from(programs).where(eq(programs.id, id)).for('update');
    if (!row) return { ok: false, reason: 'not_found' };
    requireFor(actor, 'programs.manage', row.bidang);
    const before = inputOf(row);
    const next = { ...input, code: row.code };
    const problems = problemsOf(actor, next, await programCodes(tx));
    if (problems.length > 0) return { ok: false, reason: 'invalid', problems };
    const changed = changedFields(before, next);
    if (changed.length === 0) return { ok: true, id, changed };
    await tx.update(programs).set({ ...columns(next), updatedAt: opts.now }).where(eq(programs.id, id));
    await audit(tx, actor, { action: 'program.update', entity: 'program', entityId: id, details: { code: row.code, changed }, at: opts.now });
    return { ok: true, id, changed };
  });
}
