// Reading programs for the console and the API: the ones the actor may manage or approve (scope.ts), each with
// its yearly target and how many it reaches now. Programs are public facts (no family is named), so a read is
// not audited; the recipient lists, which name families, are (lists.ts).

import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { enrollments, programs } from '../../db/schema/index.ts';
import type { ProgramInput } from '../../domain/program-input.ts';
import type { Actor } from '../actor.ts';
import { holdsFor, mayUsePrograms } from './scope.ts';

export type ProgramRow = typeof programs.$inferSelect;

export interface ProgramSummary {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
  bidang: string | null;
  agency: string;
  targetPerYear: number | null;
  /** Enrollments receiving now (verified or active), whatever their period. */
  enrolled: number;
  /** What the actor may do with it. */
  mayManage: boolean;
  mayApprove: boolean;
}

/** Statuses that count as receiving, for the list's figure (as the aid check counts them). */
const RECEIVING = ['verified', 'active'] as const;

function visible(actor: Actor, bidang: string | null): boolean {
  return holdsFor(actor, 'programs.manage', bidang) || holdsFor(actor, 'recipients.approve', bidang);
}

/** The programs the actor may manage or approve, in code order. */
export async function listPrograms(db: Db, actor: Actor): Promise<ProgramSummary[]> {
  if (!mayUsePrograms(actor)) return [];
  const rows = await db.select().from(programs).orderBy(asc(programs.code));
  const mine = rows.filter((p) => visible(actor, p.bidang));
  if (mine.length === 0) return [];
  const counts = await db
    // Recipients, not rows: a family has a row per period.
    .select({ programId: enrollments.programId, n: sql<number>`count(distinct coalesce('m' || ${enrollments.memberId}, 'h' || ${enrollments.householdId}))` })
    .from(enrollments)
    .where(and(inArray(enrollments.programId, mine.map((p) => p.id)), inArray(enrollments.status, [...RECEIVING])))
    .groupBy(enrollments.programId);
  const byId = new Map(counts.map((c) => [c.programId, Number(c.n)]));
  return mine.map((p) => ({
    id: p.id,
    code: p.code,
    name: p.name,
    nameEn: p.nameEn,
    bidang: p.bidang,
    agency: p.agency,
    targetPerYear: p.targetPerYear,
    enrolled: byId.get(p.id) ?? 0,
    mayManage: holdsFor(actor, 'programs.manage', p.bidang),
    mayApprove: holdsFor(actor, 'recipients.approve', p.bidang),
  }));
}

/** One program the actor may manage or approve; null when missing or another bidang's (never told apart). */
export async function getProgram(db: Db, actor: Actor, id: number): Promise<ProgramRow | null> {
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return null;
  const [p] = await db.select().from(programs).where(eq(programs.id, id));
  return p && visible(actor, p.bidang) ? p : null;
}

/** Every program's code, for excludedWith's choices and its check. */
export async function programCodes(db: Db): Promise<string[]> {
  return (await db.select({ code: programs.code }).from(programs).orderBy(asc(programs.code))).map((r) => r.code);
}

/** A stored program as the form and the API write it. */
export function inputOf(p: ProgramRow): ProgramInput {
  return {
    code: p.code,
    name: p.name,
    nameEn: p.nameEn,
    agency: p.agency,
    bidang: p.bidang,
    funder: p.funder,
    benefitType: p.benefitType,
    benefitAmount: p.benefitAmount,
    benefitPeriod: p.benefitPeriod,
    unit: p.unit,
    maxDesil: p.rules.maxDesil ?? null,
    minAge: p.rules.minAge ?? null,
    requiresDisability: p.rules.requiresDisability === true,
    excludedWith: p.rules.excludedWith ?? [],
    maxAmount: p.rules.maxAmount ?? null,
    activeFrom: p.activeFrom,
    activeUntil: p.activeUntil,
    targetPerYear: p.targetPerYear,
    requirements: p.requirements,
    requirementsEn: p.requirementsEn,
    schedule: p.schedule,
    scheduleEn: p.scheduleEn,
  };
}
