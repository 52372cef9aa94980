// "Am I receiving aid, and could I?": identity first, then a summary that names nobody in full.

import { and, asc, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { idArray } from '../../db/arrays.ts';
import type { Db } from '../../db/client.ts';
import { alias } from 'drizzle-orm/pg-core';
import { auditing } from '../audit.ts';
import { auditLog, enrollments, households, kecamatan, kelurahan, members, programs } from '../../db/schema/index.ts';
import { ENROLLMENT_STATUSES } from '../../domain/vocabulary.ts';
import { ageOn } from '../../domain/dates.ts';
import { aboveAllCeilings, evaluateEligibility } from '../../domain/eligibility.ts';
import { maskName } from '../../domain/mask.ts';
import { upcomingInvitations, type UpcomingInvitation } from '../distribution/invitations.ts';
import { askAfterAidCheck } from '../satisfaction/ask.ts';
import { latestTransfers, type TransferNews } from '../disbursements/latest.ts';

type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];
type ProgramRow = typeof programs.$inferSelect;

export interface ReceivingItem {
  code: string;
  name: string;
  /** The name for English-reading residents; null: the name serves both languages. */
  nameEn: string | null;
  status: Extract<EnrollmentStatus, 'verified' | 'active' | 'suspended'>;
  period: string;
  /** The enrollment's own amount when set, else the program's; null for in-kind and insurance. */
  amount: number | null;
  benefitPeriod: ProgramRow['benefitPeriod'];
  benefitType: ProgramRow['benefitType'];
  unit: ProgramRow['unit'];
  /** Person programs: whose enrollment it is, masked. */
  memberMaskedName?: string;
  /** The latest bank or distributor result for this period (issue 20): arrived on a day, or failed with where to go. */
  transfer?: TransferNews;
}

export interface MayBeEligibleItem {
  code: string;
  name: string;
  /** The name for English-reading residents; null: the name serves both languages. */
  nameEn: string | null;
  amount: number | null;
  benefitPeriod: ProgramRow['benefitPeriod'];
}

/** The soonest open invitation, with what to bring (the same shape upcomingInvitations lists). */
export type NextInvitation = UpcomingInvitation;

export interface AidSummary {
  /**
   * The member's own name as the registry writes it: the summary is read only for the member a chat proved
   * to be (by possession, flows/aid.ts), so it is their own name, not another's to mask.
   */
  member: { name: string; age: number };
  household: { desil: number | null; kecamatan: string; kelurahan: string; memberCount: number };
  receiving: ReceivingItem[];
  nextInvitation: NextInvitation | null;
  mayBeEligible: MayBeEligibleItem[];
  /** Ranked above every active program's desil ceiling: "desil 5 is above the line". */
  aboveLine: boolean;
  notRanked: boolean;
}

/** Statuses a resident is told about: suspended too, so they know to ask why; not proposals or ended ones. */
const SHOWN_STATUSES = ['verified', 'active', 'suspended'] as const;
/** Statuses that count as receiving for eligibility (a suspended program does not exclude another). */
const RECEIVING_STATUSES: readonly EnrollmentStatus[] = ['verified', 'active'];

/**
 * What a verified member may see about their household's aid. Throws when the member does not exist:
 * callers only have member ids from verifyIdentity or a verified contact.
 */
export async function aidSummary(
  db: Db,
  memberId: number,
  opts: {
    today: string;
    now: Date;
    /** The chat reading it; when given, the read is audited. */
    contactId?: number;
    /**
     * The chat is shown the answer (the summary step), not only the name it is verified as: an aid check served,
     * which the resident is asked to rate (issue 20). Needs contactId.
     */
    served?: boolean;
  },
): Promise<AidSummary> {
  // The member, the household and every member of it, in one statement; for a chat, the read's audit row is
  // written in the same statement (issue 21).
  const f = alias(members, 'f');
  const reading = opts.contactId === undefined ? db : db.with(db.$with('logged').as(auditing(db, { kind: 'resident', contactId: opts.contactId }, { action: 'aid.summary', entity: 'member', entityId: memberId, at: opts.now }).returning({ id: auditLog.id })));
  const rows = await reading
    .select({
      name: members.name,
      birthDate: members.birthDate,
      householdId: members.householdId,
      desil: households.desil,
      kelurahan: kelurahan.name,
      kecamatan: kecamatan.name,
      member: { id: f.id, name: f.name, birthDate: f.birthDate, disability: f.disability, deceased: f.deceased },
    })
    .from(members)
    .innerJoin(households, eq(households.id, members.householdId))
    .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .innerJoin(kecamatan, eq(kecamatan.id, kelurahan.kecamatanId))
    .innerJoin(f, eq(f.householdId, members.householdId))
    .where(eq(members.id, memberId))
    .orderBy(asc(f.id));
  const who = rows[0];
  if (!who) throw new Error(`member ${memberId} not found`);
  const family = rows.map((r) => r.member);
  const familyIds = family.map((m) => m.id);

  const enrolled = await db
    .select({
      code: programs.code,
      name: programs.name,
      nameEn: programs.nameEn,
      status: enrollments.status,
      period: enrollments.period,
      amount: sql<number | null>`coalesce(${enrollments.amount}, ${programs.benefitAmount})`,
      benefitPeriod: programs.benefitPeriod,
      benefitType: programs.benefitType,
      unit: programs.unit,
      memberId: enrollments.memberId,
      enrollmentId: enrollments.id,
    })
    .from(enrollments)
    .innerJoin(programs, eq(programs.id, enrollments.programId))
    .where(
      and(
        inArray(enrollments.status, [...SHOWN_STATUSES]),
        or(
          eq(enrollments.householdId, who.householdId),
          familyIds.length > 0 ? and(isNotNull(enrollments.memberId), sql`${enrollments.memberId} = any(${idArray(familyIds)})`) : undefined,
        ),
      ),
    )
    .orderBy(asc(programs.code), desc(enrollments.period), desc(enrollments.updatedAt));

  // One line per program and person: the latest period is the current state, older ones are history.
  const seen = new Set<string>();
  const nameOf = new Map(family.map((m) => [m.id, m.name]));
  const receiving: ReceivingItem[] = [];
  const shownEnrollments: number[] = [];
  for (const e of enrolled) {
    const key = `${e.code}:${e.memberId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const item: ReceivingItem = {
      code: e.code,
      name: e.name,
      nameEn: e.nameEn,
      status: e.status as ReceivingItem['status'],
      period: e.period,
      amount: e.amount === null ? null : Number(e.amount),
      benefitPeriod: e.benefitPeriod,
      benefitType: e.benefitType,
      unit: e.unit,
    };
    const memberName = e.memberId === null ? undefined : nameOf.get(e.memberId);
    if (memberName !== undefined) item.memberMaskedName = maskName(memberName);
    receiving.push(item);
    shownEnrollments.push(Number(e.enrollmentId));
  }
  const transfers = await latestTransfers(db, shownEnrollments);
  receiving.forEach((item, i) => {
    const news = transfers.get(shownEnrollments[i]!);
    if (news) item.transfer = news;
  });

  const allPrograms = await db.select().from(programs).orderBy(asc(programs.id));
  const receivingCodes = [...new Set(enrolled.filter((e) => RECEIVING_STATUSES.includes(e.status)).map((e) => e.code))];
  const shownCodes = new Set(receiving.map((r) => r.code));
  const verdicts = evaluateEligibility({
    desil: who.desil,
    members: family,
    receiving: receivingCodes,
    programs: allPrograms,
    today: opts.today,
  });
  const byCode = new Map(allPrograms.map((p) => [p.code, p]));
  const mayBeEligible = verdicts
    // A suspended program is already on the list with its status; offering it again would confuse.
    .filter((v) => v.eligible && !shownCodes.has(v.code))
    .map((v) => {
      const p = byCode.get(v.code)!;
      return { code: p.code, name: p.name, nameEn: p.nameEn, amount: p.benefitAmount, benefitPeriod: p.benefitPeriod };
    });

  const [nextInvitation = null] = await upcomingInvitations(db, who.householdId, opts.now);

  if (opts.contactId !== undefined) {
    // An aid check is a service to rate (issue 20): asked a little after the answer (services/satisfaction).
    if (opts.served) await askAfterAidCheck(db, { contactId: opts.contactId, memberId, now: opts.now });
  }

  return {
    member: { name: who.name, age: ageOn(who.birthDate, opts.today) },
    household: {
      desil: who.desil,
      kecamatan: who.kecamatan,
      kelurahan: who.kelurahan,
      memberCount: family.filter((m) => !m.deceased).length,
    },
    receiving,
    nextInvitation,
    mayBeEligible,
    aboveLine: aboveAllCeilings(who.desil, allPrograms, opts.today),
    notRanked: who.desil === null,
  };
}
