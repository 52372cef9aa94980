// "DATA SAYA": what the office holds about the member this chat is linked to (UU 27/2022, the right of access),
// shown the way every resident-facing result is: names masked to initials, NIK and KK to their ends, the birth
// date to its year, the phone to its ends. Enough for the resident to recognise their record and spot what is
// wrong; not enough for whoever picks up the phone to reuse. Only a chat linked by possession or in person
// gets here (contacts.member_id is set by nothing else), and every read is audited without the values.

import { and, asc, desc, eq, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { contactLinks, enrollments, households, kecamatan, kelurahan, members, programs } from '../../db/schema/index.ts';
import { maskIdNumber, maskName } from '../../domain/mask.ts';
import { maskPhone } from '../../domain/phone.ts';
import type { LinkProof } from '../../domain/vocabulary.ts';
import { audit } from '../audit.ts';
import { registryPhoneOf } from '../identity/registry-phone.ts';

export interface MyData {
  maskedName: string;
  maskedNik: string;
  maskedNoKk: string;
  birthYear: number;
  rt: string | null;
  rw: string | null;
  kelurahan: string;
  kecamatan: string;
  desil: number | null;
  /** The date of the registry snapshot the household row came from, when the import knew it. */
  snapshotDate: string | null;
  family: FamilyMember[];
  programs: HeldProgram[];
  /** The registry phone (the member's own, else the household's), masked; null when the registry has none. */
  maskedPhone: string | null;
  /** How this chat came to speak for the member; null only if the link ended in the meantime. */
  link: { proof: LinkProof; linkedAt: Date } | null;
}

export interface FamilyMember {
  maskedName: string;
  relationship: string;
  deceased: boolean;
  /** No longer listed in the newest registry file (kept, flagged: members are never deleted). */
  missing: boolean;
  /** The member this chat is linked to. */
  self: boolean;
}

export interface HeldProgram {
  name: string;
  status: HeldStatus;
  /** Person programs: whose enrollment it is, masked. */
  memberMaskedName?: string;
}

/** Proposed too: a proposal is data held about the family, and the resident may want to know it is there. */
const HELD_STATUSES = ['proposed', 'verified', 'active', 'suspended'] as const;
export type HeldStatus = (typeof HELD_STATUSES)[number];

/** The member's record as the chat may see it. Throws when the member does not exist (callers hold a linked id). */
export async function myData(db: Db, input: { memberId: number; contactId: number; now: Date }): Promise<MyData> {
  const [who] = await db
    .select({
      name: members.name,
      nik: members.nik,
      birthDate: members.birthDate,
      householdId: members.householdId,
      noKk: households.noKk,
      rt: households.rt,
      rw: households.rw,
      desil: households.desil,
      snapshotDate: households.snapshotDate,
      kelurahan: kelurahan.name,
      kecamatan: kecamatan.name,
    })
    .from(members)
    .innerJoin(households, eq(households.id, members.householdId))
    .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .innerJoin(kecamatan, eq(kecamatan.id, kelurahan.kecamatanId))
    .where(eq(members.id, input.memberId));
  if (!who) throw new Error(`member ${input.memberId} not found`);

  const family = await db
    .select({ id: members.id, name: members.name, relationship: members.relationship, deceased: members.deceased, missingSince: members.missingSince })
    .from(members)
    .where(eq(members.householdId, who.householdId))
    .orderBy(asc(members.id));
  const held = await heldPrograms(db, who.householdId, family);
  const phone = await registryPhoneOf(db, input.memberId);
  const [link] = await db
    .select({ proof: contactLinks.proof, linkedAt: contactLinks.linkedAt })
    .from(contactLinks)
    .where(and(eq(contactLinks.contactId, input.contactId), eq(contactLinks.memberId, input.memberId), isNull(contactLinks.endedAt)))
    .orderBy(desc(contactLinks.linkedAt))
    .limit(1);

  // Which record was shown to which chat, never what it said.
  await audit(db, { kind: 'resident', contactId: input.contactId }, { action: 'rights.data_read', entity: 'member', entityId: input.memberId, at: input.now });

  return {
    maskedName: maskName(who.name),
    maskedNik: maskIdNumber(who.nik),
    maskedNoKk: maskIdNumber(who.noKk),
    birthYear: Number(who.birthDate.slice(0, 4)),
    rt: who.rt,
    rw: who.rw,
    kelurahan: who.kelurahan,
    kecamatan: who.kecamatan,
    desil: who.desil,
    snapshotDate: who.snapshotDate,
    family: family.map((m) => ({ maskedName: maskName(m.name), relationship: m.relationship, deceased: m.deceased, missing: m.missingSince !== null, self: m.id === input.memberId })),
    programs: held,
    maskedPhone: phone.kind === 'none' ? null : maskPhone(phone.phone),
    link: link ?? null,
  };
}

/** One line per program and person: the latest period is what the registry says now. */
async function heldPrograms(db: Db, householdId: number, family: { id: number; name: string }[]): Promise<HeldProgram[]> {
  const ids = family.map((m) => m.id);
  const rows = await db
    .select({ code: programs.code, name: programs.name, status: enrollments.status, memberId: enrollments.memberId })
    .from(enrollments)
    .innerJoin(programs, eq(programs.id, enrollments.programId))
    .where(
      and(
        inArray(enrollments.status, [...HELD_STATUSES]),
        or(eq(enrollments.householdId, householdId), ids.length > 0 ? and(isNotNull(enrollments.memberId), inArray(enrollments.memberId, ids)) : undefined),
      ),
    )
    .orderBy(asc(programs.code), desc(enrollments.period), desc(enrollments.updatedAt));
  const nameOf = new Map(family.map((m) => [m.id, m.name]));
  const seen = new Set<string>();
  const out: HeldProgram[] = [];
  for (const r of rows) {
    const key = `${r.code}:${r.memberId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const item: HeldProgram = { name: r.name, status: r.status as HeldStatus };
    const memberName = r.memberId === null ? undefined : nameOf.get(r.memberId);
    if (memberName !== undefined) item.memberMaskedName = maskName(memberName);
    out.push(item);
  }
  return out;
}
