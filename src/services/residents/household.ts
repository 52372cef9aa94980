import { and, asc, desc, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { complaints, contactLinks, contacts, distributionEvents, enrollments, findings, invitations, members, programs, proxies } from '../../db/schema/index.ts';
import { ageOn, todayIn } from '../../domain/dates.ts';
import { maskIdNumber, maskName, maskNumber } from '../../domain/mask.ts';
import type { Channel, LinkProof } from '../../domain/vocabulary.ts';
import { COMPLAINT_STATUSES, ENROLLMENT_STATUSES, FINDING_KINDS, FINDING_STATUSES, INVITATION_STATUSES, PROXY_STATUSES, RELATIONSHIPS } from '../../domain/vocabulary.ts';
import { inScope, type Actor } from '../actor.ts';
import type { ScopedHousehold } from './scope.ts';

// Everything the office holds about one family on one page (issue 18), for the officer with the resident at
// the counter or on the phone: the card, its members, what they receive, their invitations, the chats that
// speak for them, their complaints and the registry's findings. Called only after the opening was audited
// (open.ts). What is shown in full is what the conversation at the counter needs (names, ages); what could be
// reused elsewhere stays masked (NIK, KK, invitation codes, chat ids, a kuasa's name). Never a birth date:
// beside a masked NIK it would complete the number (domain/mask.ts).

export interface MemberRow {
  id: number;
  name: string;
  maskedNik: string;
  age: number;
  relationship: (typeof RELATIONSHIPS)[number];
  disability: boolean;
  deceased: boolean;
  /** A newer registry file no longer lists them. */
  missing: boolean;
}

export interface EnrollmentRow {
  id: number;
  programCode: string;
  programName: string;
  programNameEn: string | null;
  /** The member a person program is for; null for the whole family. */
  memberName: string | null;
  status: (typeof ENROLLMENT_STATUSES)[number];
  period: string;
}

export interface InvitationRow {
  id: number;
  eventTitle: string;
  eventTitleEn: string | null;
  eventDate: string;
  round: number;
  status: (typeof INVITATION_STATUSES)[number];
  /** The last two characters: enough to tell two invitations apart on the phone, not to collect with. */
  maskedCode: string;
  proxy: { maskedName: string; relation: string; status: (typeof PROXY_STATUSES)[number] } | null;
}

export interface ChatRow {
  contactId: number;
  channel: Channel;
  maskedId: string;
  memberName: string;
  proof: LinkProof;
  linkedAt: Date;
}

export interface ComplaintRow {
  id: number;
  trackingId: string;
  status: (typeof COMPLAINT_STATUSES)[number];
  createdAt: Date;
}

export interface FindingRow {
  id: number;
  kind: (typeof FINDING_KINDS)[number];
  status: (typeof FINDING_STATUSES)[number];
  lastSeenAt: Date;
}

export interface HouseholdPage {
  household: { id: number; maskedKk: string; address: string; rt: string | null; rw: string | null; kelurahanId: number; kelurahan: string; kecamatan: string; desil: number | null };
  members: MemberRow[];
  enrollments: EnrollmentRow[];
  invitations: InvitationRow[];
  chats: ChatRow[];
  complaints: ComplaintRow[];
  findings: FindingRow[];
}

// A page, not an export: a family's history beyond this is the business of the pages each row links to.
const MAX_ROWS = 50;
const RANK: Record<MemberRow['relationship'], number> = { kepala: 0, istri: 1, suami: 1, anak: 2, lainnya: 3 };

export async function readHousehold(db: Db, actor: Actor, h: ScopedHousehold, opts: { now: Date; timeZone: string }): Promise<HouseholdPage> {
  const today = todayIn(opts.timeZone, opts.now);
  const people = await db.select().from(members).where(eq(members.householdId, h.id)).orderBy(asc(members.id));
  people.sort((a, b) => RANK[a.relationship] - RANK[b.relationship]);
  const memberIds = people.map((m) => m.id);
  const nameOf = new Map(people.map((m) => [m.id, m.name]));
  const ofMembers = (col: AnyPgColumn) => (memberIds.length > 0 ? inArray(col, memberIds) : undefined);

  const [enrolled, invited, chats, found] = await Promise.all([
    db
      .select({ e: enrollments, code: programs.code, name: programs.name, nameEn: programs.nameEn })
      .from(enrollments)
      .innerJoin(programs, eq(programs.id, enrollments.programId))
      .where(or(eq(enrollments.householdId, h.id), ofMembers(enrollments.memberId)))
      .orderBy(desc(enrollments.period), asc(programs.code))
      .limit(MAX_ROWS),
    db
      .select({ i: invitations, title: distributionEvents.title, titleEn: distributionEvents.titleEn, eventDate: distributionEvents.eventDate })
      .from(invitations)
      .innerJoin(distributionEvents, eq(distributionEvents.id, invitations.eventId))
      .where(eq(invitations.householdId, h.id))
      .orderBy(desc(distributionEvents.eventDate), desc(invitations.round))
      .limit(MAX_ROWS),
    db
      .select({ contactId: contacts.id, channel: contacts.channel, externalId: contacts.externalId, memberId: contactLinks.memberId, proof: contactLinks.proof, linkedAt: contactLinks.linkedAt })
      .from(contactLinks)
      .innerJoin(contacts, eq(contacts.id, contactLinks.contactId))
      .where(and(eq(contactLinks.householdId, h.id), isNull(contactLinks.endedAt)))
      .orderBy(desc(contactLinks.linkedAt))
      .limit(MAX_ROWS),
    db
      .select({ id: findings.id, kind: findings.kind, status: findings.status, lastSeenAt: findings.lastSeenAt })
      .from(findings)
      .where(or(eq(findings.householdId, h.id), ofMembers(findings.memberId)))
      .orderBy(desc(findings.lastSeenAt))
      .limit(MAX_ROWS),
  ]);

  // The newest kuasa named for each invitation.
  const invitationIds = invited.map((r) => r.i.id);
  const kuasa = invitationIds.length > 0 ? await db.select().from(proxies).where(inArray(proxies.invitationId, invitationIds)).orderBy(asc(proxies.createdAt)) : [];
  const proxyOf = new Map(kuasa.map((p) => [p.invitationId, p]));

  // Reports by a member, about one of the family's invitations, or from a chat that speaks for the family.
  // Never an anonymous one: its reporter stays hidden on every page (DESIGN.md), and listing it here would name
  // them. Held to the actor's kecamatan and bidang, as the inbox is.
  const contactIds = chats.map((c) => c.contactId);
  const theirs = [ofMembers(complaints.memberId), invitationIds.length > 0 ? inArray(complaints.invitationId, invitationIds) : undefined, contactIds.length > 0 ? inArray(complaints.contactId, contactIds) : undefined].filter(
    (w): w is SQL => w !== undefined,
  );
  // No member, invitation or chat: nothing can be theirs (an empty OR would match every complaint).
  const filed =
    theirs.length === 0
      ? []
      : await db
          .select({ id: complaints.id, trackingId: complaints.trackingId, status: complaints.status, createdAt: complaints.createdAt, kecamatanId: complaints.kecamatanId, bidang: complaints.bidang })
          .from(complaints)
          .where(and(eq(complaints.anonymous, false), or(...theirs)))
          .orderBy(desc(complaints.createdAt))
          .limit(MAX_ROWS);

  return {
    household: { id: h.id, maskedKk: maskIdNumber(h.noKk), address: h.address, rt: h.rt, rw: h.rw, kelurahanId: h.kelurahanId, kelurahan: h.kelurahan, kecamatan: h.kecamatan, desil: h.desil },
    members: people.map((m) => ({
      id: m.id,
      name: m.name,
      maskedNik: maskIdNumber(m.nik),
      age: ageOn(m.birthDate, today),
      relationship: m.relationship,
      disability: m.disability,
      deceased: m.deceased,
      missing: m.missingSince !== null,
    })),
    enrollments: enrolled.map((r) => ({
      id: r.e.id,
      programCode: r.code,
      programName: r.name,
      programNameEn: r.nameEn,
      memberName: r.e.memberId !== null ? (nameOf.get(r.e.memberId) ?? null) : null,
      status: r.e.status,
      period: r.e.period,
    })),
    invitations: invited.map((r) => {
      const p = proxyOf.get(r.i.id);
      return {
        id: r.i.id,
        eventTitle: r.title,
        eventTitleEn: r.titleEn,
        eventDate: r.eventDate,
        round: r.i.round,
        status: r.i.status,
        maskedCode: maskNumber(r.i.code, 0, 2),
        proxy: p ? { maskedName: maskName(p.name), relation: p.relation, status: p.status } : null,
      };
    }),
    chats: chats.map((c) => ({ contactId: c.contactId, channel: c.channel, maskedId: maskNumber(c.externalId, 0, 4), memberName: nameOf.get(c.memberId) ?? '', proof: c.proof, linkedAt: c.linkedAt })),
    complaints: filed.filter((c) => inScope(actor, { kecamatanId: c.kecamatanId, bidang: c.bidang })).map(({ id, trackingId, status, createdAt }) => ({ id, trackingId, status, createdAt })),
    findings: found,
  };
}
