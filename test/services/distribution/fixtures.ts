// A small distribution world for the distribution suites (events, invitations, reminders, rounds, check-in,
// receipts, proxies, progress): its own city with two kecamatan, programs, sites, households with members,
// enrollments and linked web chats, and events inserted directly (not through the services under test), so
// each suite builds exactly what it asserts on. Exports are stable: other suites import them.

import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/db/client.ts';
import { cities, contacts, distributionEvents, enrollments, eventSlots, households, invitations, kecamatan, kelurahan, members, programs, sites } from '../../../src/db/schema/index.ts';
import { type Channel, type LinkProof } from '../../../src/domain/vocabulary.ts';
import type { Engine } from '../../../src/conversation/engine.ts';
import type { IdentityEnv } from '../../../src/services/identity/env.ts';
import { linkContact } from '../../../src/services/identity/links.ts';
import { localInstant } from '../../../src/services/seed/calendar.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staffActor } from '../staff/fixtures.ts';

/** Tuesday 24 November 2026, 09:00 WIB: the fake clock's start. */
export const NOW = new Date('2026-11-24T02:00:00Z');
export const TZ = 'Asia/Jakarta';
/** Thursday 10 December 2026, a working day after NOW. */
export const EVENT_DATE = '2026-12-10';
export const TRANCHE = '2026 Tahap IV';

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/** An instant from a local wall-clock time in TZ: at('2026-12-10', '08:00'). */
export function at(day: string, time: string, timeZone = TZ): Date {
  return localInstant(day, time, timeZone);
}

export interface DistributionArea {
  cityId: number;
  /** Two kecamatan: scoped staff see one and not the other. */
  kecA: number;
  kecB: number;
  /** Two kelurahan in kecA, one in kecB. */
  kelA1: number;
  kelA2: number;
  kelB1: number;
}

export interface DistributionWorld {
  database: TestDatabase;
  db: Db;
  area: DistributionArea;
  /** SEMBAKO-like household program and a person-level elderly program. */
  householdProgramId: number;
  personProgramId: number;
  siteA: number; // in kecA, with coordinates
  siteB: number; // in kecB, without coordinates
  admin: Actor;
  dispose(): Promise<void>;
}

let uniq = 0;
const tag = () => `${process.pid}${++uniq}${Math.random().toString(36).slice(2, 6)}`;
/** A 16-digit number unique within the test process (NIK/KK shaped, not a valid NIK). */
function sixteenDigits(prefix: string): string {
  const tail = `${Date.now() % 1e7}${++uniq}`.padStart(10, '0').slice(-10);
  return `${prefix}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}${tail}`.slice(0, 16).padEnd(16, '0');
}

export async function makeArea(db: Db): Promise<DistributionArea> {
  const t = tag();
  const [city] = await db.insert(cities).values({ code: `98.${t}`, name: 'Kota Uji', province: 'Uji' }).returning({ id: cities.id });
  const [a, b] = await db
    .insert(kecamatan)
    .values([
      { cityId: city!.id, code: `98.${t}.01`, name: `Sagulung ${t}` },
      { cityId: city!.id, code: `98.${t}.02`, name: `Nongsa ${t}` },
    ])
    .returning({ id: kecamatan.id });
  const kel = await db
    .insert(kelurahan)
    .values([
      { kecamatanId: a!.id, code: `98.${t}.01.1001`, name: 'Sungai Binti' },
      { kecamatanId: a!.id, code: `98.${t}.01.1002`, name: 'Tembesi' },
      { kecamatanId: b!.id, code: `98.${t}.02.1001`, name: 'Batu Besar' },
    ])
    .returning({ id: kelurahan.id });
  return { cityId: city!.id, kecA: a!.id, kecB: b!.id, kelA1: kel[0]!.id, kelA2: kel[1]!.id, kelB1: kel[2]!.id };
}

export async function makeProgram(db: Db, opts: { unit?: 'household' | 'person'; code?: string; bidang?: 'Linjamsos' | 'Rehsos' | 'Dayasos' | 'PM' | null } = {}): Promise<number> {
  const unit = opts.unit ?? 'household';
  const [row] = await db
    .insert(programs)
    .values({
      code: opts.code ?? `P${tag()}`,
      name: unit === 'household' ? 'Bantuan Sembako Uji' : 'Bantuan Lansia Uji',
      agency: 'Dinas Sosial Kota Uji',
      bidang: opts.bidang === undefined ? 'Linjamsos' : opts.bidang,
      funder: 'APBD',
      benefitType: 'in_kind',
      benefitPeriod: 'quarter',
      unit,
    })
    .returning({ id: programs.id });
  return row!.id;
}

export async function makeSite(db: Db, opts: { kecamatanId: number; kelurahanId?: number | null; name?: string; coordinates?: boolean }): Promise<number> {
  const [row] = await db
    .insert(sites)
    .values({
      kecamatanId: opts.kecamatanId,
      kelurahanId: opts.kelurahanId ?? null,
      name: opts.name ?? 'Kantor Kelurahan Uji',
      address: 'Jl. Uji No. 1',
      latitude: opts.coordinates === false ? null : '1.045600',
      longitude: opts.coordinates === false ? null : '104.030500',
    })
    .returning({ id: sites.id });
  return row!.id;
}

export interface ChatSpec {
  channel?: Channel;
  language?: 'id' | 'en' | null;
  /** Bot blocked / number gone: such a chat does not count as linked. */
  unreachable?: boolean;
}

export interface HouseholdSpec {
  kelurahanId: number;
  /** Members besides the head; default 1 (a spouse). */
  extraMembers?: number;
  /** Every member deceased. */
  allDeceased?: boolean;
  /** Only the head deceased. */
  headDeceased?: boolean;
  /** Enroll the household (household program) or its head (person program). */
  enroll?: { programId: number; unit?: 'household' | 'person'; status?: 'proposed' | 'verified' | 'active' | 'suspended' | 'ended' };
  /** Chats linked to the head (first) and to other members in turn. */
  chats?: ChatSpec[];
  /**
   * Link the chats as the identity service does (linkContact: a contact_links row, the audit, the household's
   * chats linked before told) instead of writing contacts.member_id directly. A web chat linked this way has no
   * session and is unlinked at its first message (30 minutes idle rule): chats that talk use another channel.
   */
  link?: { env: IdentityEnv; proof?: LinkProof; staff?: Actor; now?: Date };
}

export interface MadeHousehold {
  householdId: number;
  memberIds: number[];
  headName: string;
  contactIds: number[];
  /** The web chat ids (contacts.externalId) in the order of `chats`. */
  chatIds: string[];
}

export async function makeHousehold(db: Db, spec: HouseholdSpec): Promise<MadeHousehold> {
  const [hh] = await db
    .insert(households)
    .values({ noKk: sixteenDigits('2171'), address: 'Perum Uji Blok A No. 7', rt: '003', rw: '005', kelurahanId: spec.kelurahanId, desil: 2, source: 'test' })
    .returning({ id: households.id });
  const householdId = hh!.id;
  const headName = `Suryani Binti ${tag()}`;
  const count = 1 + (spec.extraMembers ?? 1);
  const rows = await db
    .insert(members)
    .values(
      Array.from({ length: count }, (_, i) => ({
        householdId,
        nik: sixteenDigits('2171'),
        name: i === 0 ? headName : `Anggota ${i} ${tag()}`,
        birthDate: i === 0 ? '1958-03-12' : '1990-06-01',
        sex: (i === 0 ? 'P' : 'L') as 'P' | 'L',
        relationship: (i === 0 ? 'kepala' : 'anak') as 'kepala' | 'anak',
        deceased: spec.allDeceased === true || (i === 0 && spec.headDeceased === true),
      })),
    )
    .returning({ id: members.id });
  const memberIds = rows.map((r) => r.id);
  if (spec.enroll) {
    const unit = spec.enroll.unit ?? 'household';
    await db.insert(enrollments).values({
      programId: spec.enroll.programId,
      householdId: unit === 'household' ? householdId : null,
      memberId: unit === 'person' ? memberIds[0]! : null,
      period: '2026-Q4',
      status: spec.enroll.status ?? 'active',
      source: 'test',
    });
  }
  const contactIds: number[] = [];
  const chatIds: string[] = [];
  for (const [i, chat] of (spec.chats ?? []).entries()) {
    const externalId = `dist-${tag()}`;
    const memberId = memberIds[i % memberIds.length]!;
    const [c] = await db
      .insert(contacts)
      .values({
        channel: chat.channel ?? 'webchat',
        externalId,
        language: chat.language === undefined ? 'id' : chat.language,
        memberId: spec.link ? null : memberId,
        verifiedAt: spec.link ? null : NOW,
        consentAt: NOW,
        lastInboundAt: NOW,
        unreachableAt: chat.unreachable ? NOW : null,
        unreachableReason: chat.unreachable ? 'blocked' : null,
      })
      .returning({ id: contacts.id });
    if (spec.link) {
      const { env, proof = 'in_person', staff, now = NOW } = spec.link;
      await linkContact(db, env, { contactId: c!.id, memberId, householdId, proof, staff, now });
    }
    contactIds.push(c!.id);
    chatIds.push(externalId);
  }
  return { householdId, memberIds, headName, contactIds, chatIds };
}

/** The engine as a channel other than the web chat sees it: driver(onChannel(engine, 'telegram'), chatId). */
export function onChannel(engine: Engine, channel: Channel): Engine {
  return { handle: (inbound) => engine.handle({ ...inbound, channel }) };
}

export interface SlotSpec {
  siteId: number;
  start: string; // 'HH:MM' local
  end: string;
  capacity: number;
  booked?: number;
}

/** An event inserted directly (status open), its slots on `date` in TZ. */
export async function makeEvent(
  db: Db,
  opts: { programId: number; slots: SlotSpec[]; date?: string; tranche?: string; title?: string; status?: 'planned' | 'open' | 'moved' | 'cancelled' | 'done' },
): Promise<{ eventId: number; slotIds: number[]; date: string }> {
  const date = opts.date ?? EVENT_DATE;
  const [ev] = await db
    .insert(distributionEvents)
    .values({ programId: opts.programId, tranche: opts.tranche ?? TRANCHE, title: opts.title ?? 'Penyaluran Sembako Uji', eventDate: date, status: opts.status ?? 'open' })
    .returning({ id: distributionEvents.id });
  const slotRows = await db
    .insert(eventSlots)
    .values(opts.slots.map((s) => ({ eventId: ev!.id, siteId: s.siteId, startsAt: at(date, s.start), endsAt: at(date, s.end), capacity: s.capacity, booked: s.booked ?? 0 })))
    .returning({ id: eventSlots.id });
  return { eventId: ev!.id, slotIds: slotRows.map((r) => r.id), date };
}

let codes = 0;
/** An invitation inserted directly, holding a seat in `slotId` (booked is incremented). */
export async function makeInvitation(
  db: Db,
  opts: {
    eventId: number;
    householdId: number;
    slotId: number | null;
    code?: string;
    round?: number;
    status?: 'invited' | 'confirmed' | 'declined' | 'reschedule_requested' | 'collected' | 'no_show' | 'cancelled';
    previousInvitationId?: number | null;
  },
): Promise<{ invitationId: number; code: string }> {
  const code = opts.code ?? `FX${String(++codes).padStart(4, '0')}${tag().slice(-4).toUpperCase()}`;
  const [row] = await db
    .insert(invitations)
    .values({
      eventId: opts.eventId,
      householdId: opts.householdId,
      slotId: opts.slotId,
      code,
      round: opts.round ?? 1,
      status: opts.status ?? 'invited',
      previousInvitationId: opts.previousInvitationId ?? null,
    })
    .returning({ id: invitations.id });
  if (opts.slotId !== null) {
    const [s] = await db.select({ booked: eventSlots.booked }).from(eventSlots).where(eq(eventSlots.id, opts.slotId));
    await db.update(eventSlots).set({ booked: s!.booked + 1 }).where(eq(eventSlots.id, opts.slotId));
  }
  return { invitationId: row!.id, code };
}

/** A fresh database with the area, two programs, a site in each kecamatan and an admin. */
export async function distributionWorld(): Promise<DistributionWorld> {
  const database = await createTestDatabase();
  const db = database.db;
  const area = await makeArea(db);
  const householdProgramId = await makeProgram(db, { unit: 'household' });
  const personProgramId = await makeProgram(db, { unit: 'person' });
  const siteA = await makeSite(db, { kecamatanId: area.kecA, kelurahanId: area.kelA1, name: 'Kantor Kelurahan Sungai Binti' });
  const siteB = await makeSite(db, { kecamatanId: area.kecB, kelurahanId: area.kelB1, name: 'Aula Kecamatan Nongsa', coordinates: false });
  const admin = await staffActor(db, { role: 'admin', name: 'Admin Uji' });
  return { database, db, area, householdProgramId, personProgramId, siteA, siteB, admin, dispose: () => database.dispose() };
}

/** A staff actor of a role, optionally scoped to a kecamatan. */
export async function staff(db: Db, role: Actor['role'], kecamatanId: number | null = null): Promise<Actor> {
  const a = await staffActor(db, { role, kecamatanId, name: 'Petugas Uji' });
  return { kind: 'staff', id: a.id, role: a.role, kecamatanId: a.kecamatanId, bidang: a.bidang };
}
