import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  complaintRoutes,
  distributionEvents,
  enrollments,
  eventSlots,
  holidays,
  households,
  invitations,
  kecamatan,
  kelurahan,
  members,
  offices,
  programs,
  sites,
} from '../../../src/db/schema/index.ts';
import { areaDigits, nikAgrees } from '../../../src/domain/nik.ts';
import { BATAM, DEMO_RESIDENTS } from '../../../src/services/seed/batam.ts';
import { ageOn } from '../../../src/services/seed/calendar.ts';
import { upcomingEventDate } from '../../../src/services/seed/event.ts';
import { isValidInvitationCode } from '../../../src/domain/invitation-code.ts';
import { generateHouseholds } from '../../../src/services/seed/generate.ts';
import { isEmpty, seedDemoCity, type SeedResult } from '../../../src/services/seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

// One seeded database for the whole file: seeding is the slow part, every test only reads.
const TODAY = new Date('2026-11-24T03:00:00Z'); // a Tuesday, 10:00 WIB
const TODAY_LOCAL = '2026-11-24';
const HOUSEHOLDS = 5000;
const SEED = 7;

let database: TestDatabase;
let emptyBefore: boolean;
let result: SeedResult;

beforeAll(async () => {
  database = await createTestDatabase();
  emptyBefore = await isEmpty(database);
  result = await seedDemoCity(database, { households: HOUSEHOLDS, seed: SEED, today: TODAY });
}, 120_000);

afterAll(async () => {
  await database?.dispose();
});

const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows);

describe('seedDemoCity', () => {
  it('writes exactly what the generator produces, plus the four demo families', async () => {
    let expectedMembers = 0;
    let expectedEnrollments = 0;
    for (const h of generateHouseholds(BATAM, { households: HOUSEHOLDS, seed: SEED, today: TODAY_LOCAL })) {
      expectedMembers += h.members.length;
      expectedEnrollments += h.enrollments.length;
    }
    for (const h of BATAM.demoHouseholds) {
      expectedMembers += h.members.length;
      expectedEnrollments += h.enrollments.length;
    }
    expect(result).toMatchObject({
      skipped: false,
      households: HOUSEHOLDS + 4,
      members: expectedMembers,
      enrollments: expectedEnrollments,
    });
    const [h] = await database.db.select({ n: count() }).from(households);
    const [m] = await database.db.select({ n: count() }).from(members);
    const [e] = await database.db.select({ n: count() }).from(enrollments);
    expect([h!.n, m!.n, e!.n]).toEqual([HOUSEHOLDS + 4, expectedMembers, expectedEnrollments]);
  });

  it('reports an empty database before and a full one after', async () => {
    expect(emptyBefore).toBe(true);
    expect(await isEmpty(database)).toBe(false);
  });

  it('does nothing the second time', async () => {
    const [before] = await database.db.select({ n: count() }).from(members);
    expect(await seedDemoCity(database, { households: 10, today: TODAY })).toEqual({ skipped: true });
    const [after] = await database.db.select({ n: count() }).from(members);
    expect(after!.n).toBe(before!.n);
  });

  it('stores 12 kecamatan and 64 kelurahan with Kemendagri-style codes', async () => {
    const kec = await database.db.select().from(kecamatan);
    const kel = await database.db.select().from(kelurahan);
    expect(kec).toHaveLength(12);
    expect(kel).toHaveLength(64);
    expect(kec.every((k) => /^21\.71\.(0[1-9]|1[0-2])$/.test(k.code))).toBe(true);
    expect(kel.every((k) => /^21\.71\.\d{2}\.1\d{3}$/.test(k.code))).toBe(true);
    expect(kec.find((k) => k.code === '21.71.10')?.name).toBe('Batam Kota');
  });

  it('stores the office, programs, two sites per kecamatan, complaint routes and holidays', async () => {
    const [office] = await database.db.select().from(offices);
    expect(office?.hours).toBe('Senin–Kamis 08.00–16.00, Jumat 08.00–16.30 WIB');
    const progs = await database.db.select().from(programs);
    expect(progs.map((p) => p.code).sort()).toEqual(['BKK', 'LANSIA', 'PBI-JK', 'PKH', 'SEMBAKO']);
    expect(progs.find((p) => p.code === 'BKK')?.rules).toEqual({ maxDesil: 4, excludedWith: ['PKH'] });
    expect(progs.find((p) => p.code === 'LANSIA')).toMatchObject({ unit: 'person', funder: 'APBD', rules: { minAge: 60, maxDesil: 4 } });
    const siteRows = await database.db.select().from(sites);
    expect(siteRows).toHaveLength(24);
    for (const s of siteRows) {
      expect(Number(s.latitude)).toBeGreaterThan(0.7);
      expect(Number(s.latitude)).toBeLessThan(1.25);
      expect(Number(s.longitude)).toBeGreaterThan(103.85);
      expect(Number(s.longitude)).toBeLessThan(104.25);
    }
    const routes = await database.db.select().from(complaintRoutes);
    expect(Object.fromEntries(routes.map((r) => [r.category, r.bidang]))).toEqual({
      usulan: 'Linjamsos',
      sanggahan: 'Linjamsos',
      not_received: 'Linjamsos',
      site_too_far: 'Linjamsos',
      wrong_data: 'Linjamsos',
      service: 'PM',
      other: 'PM',
      ppks: 'Rehsos',
    });
    const days = await database.db.select().from(holidays);
    expect(days.find((d) => d.day === '2026-08-17')?.name).toMatch(/Kemerdekaan/);
    expect(days.some((d) => d.day.startsWith('2027-'))).toBe(true);
  });
});

describe('the four demo residents', () => {
  it.each(DEMO_RESIDENTS.map((r) => [r.name, r] as const))('%s has the documented facts', async (_, r) => {
    const [row] = await database.db
      .select({
        memberId: members.id,
        householdId: households.id,
        name: members.name,
        birthDate: members.birthDate,
        sex: members.sex,
        noKk: households.noKk,
        desil: households.desil,
        kecamatanCode: kecamatan.code,
        kelurahan: kelurahan.name,
      })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId))
      .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
      .innerJoin(kecamatan, eq(kecamatan.id, kelurahan.kecamatanId))
      .where(eq(members.nik, r.nik));
    expect(row).toMatchObject({
      name: r.name,
      birthDate: r.birthDate,
      sex: r.sex,
      noKk: r.noKk,
      desil: r.desil,
      kecamatanCode: r.kecamatanCode,
      kelurahan: r.kelurahan,
    });

    // What the resident receives: the family's household programs and their own person programs.
    const received = await database.db
      .select({ code: programs.code, status: enrollments.status })
      .from(enrollments)
      .innerJoin(programs, eq(programs.id, enrollments.programId))
      .where(sql`${enrollments.householdId} = ${row!.householdId} or ${enrollments.memberId} = ${row!.memberId}`);
    expect(received.filter((e) => e.status === 'active').map((e) => e.code).sort()).toEqual([...r.receives].sort());
    if (r.receives.length === 0) expect(received).toEqual([]);

    const invited = await database.db.select().from(invitations).where(eq(invitations.householdId, row!.householdId));
    expect(invited).toHaveLength(r.invited ? 1 : 0);

    // The family around them is as carefully valid as anyone else's.
    const family = await database.db.select().from(members).where(eq(members.householdId, row!.householdId));
    expect(family.length).toBeGreaterThan(1);
    for (const m of family) {
      expect(m.nik.startsWith(areaDigits(r.kecamatanCode))).toBe(true);
      expect(nikAgrees(m.nik, m.birthDate, m.sex)).toBe(true);
    }
  });

  it('Ahmad Yusuf is 60 or older and receives LANSIA as a person', async () => {
    const ahmad = DEMO_RESIDENTS.find((r) => r.name === 'Ahmad Yusuf')!;
    expect(ageOn(ahmad.birthDate, TODAY_LOCAL)).toBeGreaterThanOrEqual(60);
    const rows = await database.db
      .select({ code: programs.code, memberId: enrollments.memberId, householdId: enrollments.householdId })
      .from(enrollments)
      .innerJoin(programs, eq(programs.id, enrollments.programId))
      .innerJoin(members, eq(members.id, enrollments.memberId))
      .where(eq(members.nik, ahmad.nik));
    expect(rows).toEqual([{ code: 'LANSIA', memberId: expect.any(Number), householdId: null }]);
  });

  it('Siti Aminah is invited, round 1, to a slot of the upcoming Sembako distribution in Batam Kota', async () => {
    const siti = DEMO_RESIDENTS.find((r) => r.name === 'Siti Aminah')!;
    const [inv] = await database.db
      .select({
        code: invitations.code,
        round: invitations.round,
        status: invitations.status,
        eventDate: distributionEvents.eventDate,
        tranche: distributionEvents.tranche,
        program: programs.code,
        kecamatanCode: kecamatan.code,
        startsAt: eventSlots.startsAt,
      })
      .from(invitations)
      .innerJoin(households, eq(households.id, invitations.householdId))
      .innerJoin(distributionEvents, eq(distributionEvents.id, invitations.eventId))
      .innerJoin(programs, eq(programs.id, distributionEvents.programId))
      .innerJoin(eventSlots, and(eq(eventSlots.id, invitations.slotId), eq(eventSlots.eventId, invitations.eventId)))
      .innerJoin(sites, eq(sites.id, eventSlots.siteId))
      .innerJoin(kecamatan, eq(kecamatan.id, sites.kecamatanId))
      .where(eq(households.noKk, siti.noKk));
    expect(inv).toMatchObject({
      round: 1,
      status: 'invited',
      eventDate: '2026-12-08', // 14 days after a Tuesday: a Tuesday
      tranche: '2026 Tahap IV',
      program: 'SEMBAKO',
      kecamatanCode: '21.71.10',
    });
    expect(isValidInvitationCode(inv!.code)).toBe(true);
    expect(inv!.code).toMatch(/^[34679ACDEFGHJKMNPQRTWXY]{8}$/); // stored canonical, no dash
    expect(inv!.startsAt.toISOString()).toBe('2026-12-08T02:00:00.000Z'); // 09:00 WIB
  });
});

describe('the upcoming distribution', () => {
  it('has 09:00–11:00 and 11:00–13:00 WIB slots of 200 at both Batam Kota sites, booked as invited', async () => {
    const slots = await database.db
      .select({ id: eventSlots.id, siteId: eventSlots.siteId, startsAt: eventSlots.startsAt, endsAt: eventSlots.endsAt, capacity: eventSlots.capacity, booked: eventSlots.booked, kecamatanCode: kecamatan.code })
      .from(eventSlots)
      .innerJoin(sites, eq(sites.id, eventSlots.siteId))
      .innerJoin(kecamatan, eq(kecamatan.id, sites.kecamatanId));
    expect(slots).toHaveLength(4);
    expect(new Set(slots.map((s) => s.siteId)).size).toBe(2);
    expect(slots.every((s) => s.kecamatanCode === '21.71.10' && s.capacity === 200)).toBe(true);
    expect(slots.map((s) => `${s.startsAt.toISOString()}–${s.endsAt.toISOString()}`).sort()).toEqual([
      '2026-12-08T02:00:00.000Z–2026-12-08T04:00:00.000Z',
      '2026-12-08T02:00:00.000Z–2026-12-08T04:00:00.000Z',
      '2026-12-08T04:00:00.000Z–2026-12-08T06:00:00.000Z',
      '2026-12-08T04:00:00.000Z–2026-12-08T06:00:00.000Z',
    ]);
    const perSlot = await database.db.select({ slotId: invitations.slotId, n: count() }).from(invitations).groupBy(invitations.slotId);
    for (const s of slots) expect(perSlot.find((p) => p.slotId === s.id)?.n ?? 0).toBe(s.booked);
    const codes = await database.db.select({ code: invitations.code }).from(invitations);
    expect(codes.every((c) => isValidInvitationCode(c.code) && /^[34679ACDEFGHJKMNPQRTWXY]{8}$/.test(c.code))).toBe(true);
  });

  it('only invites households of Batam Kota that receive Sembako', async () => {
    const r = await database.db.execute(sql`
      select count(*)::int as n from invitations i
      join households h on h.id = i.household_id
      join kelurahan kl on kl.id = h.kelurahan_id
      join kecamatan kc on kc.id = kl.kecamatan_id
      where kc.code <> '21.71.10' or not exists (
        select 1 from enrollments e join programs p on p.id = e.program_id
        where e.household_id = h.id and p.code = 'SEMBAKO' and e.status = 'active')`);
    expect(rowsOf<{ n: number }>(r)[0]!.n).toBe(0);
  });

  it('moves a date that falls on a weekend or holiday to the next working day', () => {
    expect(upcomingEventDate('2026-11-24', 14, BATAM.holidays)).toBe('2026-12-08');
    expect(upcomingEventDate('2026-11-28', 14, BATAM.holidays)).toBe('2026-12-14'); // Saturday → Monday
    expect(upcomingEventDate('2026-11-29', 14, BATAM.holidays)).toBe('2026-12-14'); // Sunday → Monday
    expect(upcomingEventDate('2026-12-10', 14, BATAM.holidays)).toBe('2026-12-28'); // cuti bersama, Natal, weekend
  });
});

describe('every generated person', () => {
  it('has a unique 16-digit NIK that starts with its kecamatan code and agrees with birth date and sex', async () => {
    const rows = await database.db
      .select({ nik: members.nik, birthDate: members.birthDate, sex: members.sex, noKk: households.noKk, kecamatanCode: kecamatan.code })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId))
      .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
      .innerJoin(kecamatan, eq(kecamatan.id, kelurahan.kecamatanId));
    expect(rows.length).toBeGreaterThan(HOUSEHOLDS * 3);
    const bad = rows.filter(
      (m) =>
        !/^\d{16}$/.test(m.nik) ||
        !m.nik.startsWith(areaDigits(m.kecamatanCode)) ||
        !nikAgrees(m.nik, m.birthDate, m.sex) ||
        !/^\d{16}$/.test(m.noKk) ||
        !m.noKk.startsWith(areaDigits(m.kecamatanCode)),
    );
    expect(bad).toEqual([]);
    expect(new Set(rows.map((m) => m.nik)).size).toBe(rows.length);
  });

  it('agrees in SQL too: day + 40 for women', async () => {
    const r = await database.db.execute(sql`
      select count(*)::int as n from members m
      where substr(m.nik, 7, 6) <> lpad((extract(day from m.birth_date)::int + case when m.sex = 'P' then 40 else 0 end)::text, 2, '0')
                                   || to_char(m.birth_date, 'MMYY')
         or right(m.nik, 4) = '0000'`);
    expect(rowsOf<{ n: number }>(r)[0]!.n).toBe(0);
  });

  it('receives only what the program rules allow', async () => {
    const r = await database.db.execute(sql`
      select p.code, count(*)::int as n from enrollments e
      join programs p on p.id = e.program_id
      left join members m on m.id = e.member_id
      join households h on h.id = coalesce(e.household_id, m.household_id)
      where h.desil > (p.rules->>'maxDesil')::int
         or (p.rules ? 'minAge' and (m.id is null or date_part('year', age(${TODAY_LOCAL}::date, m.birth_date)) < (p.rules->>'minAge')::int))
         or (p.unit = 'household') <> (e.household_id is not null)
         or (m.deceased)
         or (p.code = 'BKK' and exists (select 1 from enrollments x join programs q on q.id = x.program_id where q.code = 'PKH' and x.household_id = h.id))
      group by p.code`);
    expect(rowsOf(r)).toEqual([]);
  });

  it('lives in a realistic mix: desil 1–4 the majority, some deceased and disabled members, some phones', async () => {
    const r = await database.db.execute(sql`
      select
        (select count(*) filter (where desil <= 4)::float / count(*) from households) as low_desil,
        (select count(*) filter (where deceased)::int from members) as deceased,
        (select count(*) filter (where disability)::int from members) as disabled,
        (select count(*) filter (where phone ~ '^08[0-9]{9,10}$')::int from members) as phones`);
    const [mix] = rowsOf<{ low_desil: number; deceased: number; disabled: number; phones: number }>(r);
    expect(mix!.low_desil).toBeGreaterThan(0.5);
    expect(mix!.deceased).toBeGreaterThan(0);
    expect(mix!.disabled).toBeGreaterThan(0);
    expect(mix!.phones).toBeGreaterThan(HOUSEHOLDS / 2);
  });
});

describe('generateHouseholds', () => {
  it('is deterministic for a seed and a day, and differs for another seed', () => {
    const take = (seed: number) => [...generateHouseholds(BATAM, { households: 50, seed, today: TODAY_LOCAL })];
    expect(take(3)).toEqual(take(3));
    expect(take(3)).not.toEqual(take(4));
  });

  it('never hands out a demo resident’s NIK or KK', () => {
    const reserved = new Set(BATAM.demoHouseholds.flatMap((h) => [h.noKk, ...h.members.map((m) => m.nik)]));
    for (const h of generateHouseholds(BATAM, { households: 3000, seed: 1, today: TODAY_LOCAL })) {
      expect(reserved.has(h.noKk)).toBe(false);
      for (const m of h.members) expect(reserved.has(m.nik)).toBe(false);
    }
  });
});
