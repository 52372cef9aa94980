// Fan-out benchmark (issue 6): how long inviting N households takes on real PostgreSQL, every household with
// one linked web chat, so N invitations, N outbox rows, N message rows and 3N reminder rows.
// Not a test: run by hand and report the figure.
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/bench-invitations.ts 20000

import { sql } from 'drizzle-orm';
import { cities, distributionEvents, eventSlots, kecamatan, kelurahan, programs, sites } from '../src/db/schema/index.ts';
import { inviteHouseholds } from '../src/services/distribution/invite.ts';
import { createTestDatabase } from '../test/helpers/db.ts';

const n = Number(process.argv[2] ?? 20_000);
if (!process.env.TEST_DATABASE_URL) throw new Error('set TEST_DATABASE_URL to a PostgreSQL server');
const database = await createTestDatabase();
const db = database.db;
try {
  const [city] = await db.insert(cities).values({ code: '97.01', name: 'Kota Bench', province: 'Bench' }).returning();
  const [kec] = await db.insert(kecamatan).values({ cityId: city!.id, code: '97.01.01', name: 'Bench' }).returning();
  const [kel] = await db.insert(kelurahan).values({ kecamatanId: kec!.id, code: '97.01.01.1001', name: 'Bench' }).returning();
  const [program] = await db
    .insert(programs)
    .values({ code: 'BENCH', name: 'Bantuan Bench', agency: 'Dinsos', funder: 'APBD', benefitType: 'in_kind', benefitPeriod: 'quarter', unit: 'household' })
    .returning();
  const [site] = await db.insert(sites).values({ kecamatanId: kec!.id, name: 'Aula Bench', address: 'Jl. Bench 1', latitude: '1.1', longitude: '104.1' }).returning();
  await db.execute(sql`insert into households (no_kk, address, rt, rw, kelurahan_id, source)
    select '9' || lpad(g::text, 15, '0'), 'Jl. Bench ' || g, '001', '002', ${kel!.id}, 'bench' from generate_series(1, ${n}) g`);
  await db.execute(sql`insert into members (household_id, nik, name, birth_date, sex, relationship)
    select id, no_kk, 'Kepala ' || id, '1970-01-01', 'L', 'kepala' from households`);
  await db.execute(sql`insert into contacts (channel, external_id, language, member_id, verified_at)
    select 'webchat', 'bench-' || id, case when id % 5 = 0 then 'en' else 'id' end, id, now() from members`);
  const now = new Date('2026-11-24T02:00:00Z');
  const [event] = await db.insert(distributionEvents).values({ programId: program!.id, tranche: '2026 Tahap IV', title: 'Penyaluran Bench', eventDate: '2026-12-10' }).returning();
  await db.insert(eventSlots).values(
    Array.from({ length: 10 }, (_, i) => ({
      eventId: event!.id,
      siteId: site!.id,
      startsAt: new Date(Date.parse('2026-12-10T01:00:00Z') + i * 3_600_000),
      endsAt: new Date(Date.parse('2026-12-10T02:00:00Z') + i * 3_600_000),
      capacity: Math.ceil(n / 10),
    })),
  );
  const ids = (await db.execute(sql`select id from households order by id`)) as unknown as { id: string }[];
  const householdIds = (Array.isArray(ids) ? ids : (ids as unknown as { rows: { id: string }[] }).rows).map((r) => Number(r.id));
  const actor = { kind: 'api' as const, id: 0, role: 'admin' as const, kecamatanId: null, bidang: null };
  // The audit row references api_tokens; a system-like admin with a real token row is overkill here.
  await db.execute(sql`alter table audit_log drop constraint if exists audit_log_api_token_id_api_tokens_id_fk`);
  const started = performance.now();
  const r = await inviteHouseholds(db, actor, { eventId: event!.id, householdIds }, { now, timeZone: 'Asia/Jakarta' });
  const ms = performance.now() - started;
  if (!r.ok) throw new Error(r.reason);
  const counts = (await db.execute(sql`select (select count(*) from outbox) as outbox, (select count(*) from messages) as messages,
    (select count(*) from invitations) as invitations, (select count(*) from reminder_fires) as fires`)) as unknown;
  console.log(JSON.stringify({ households: n, invited: r.invited, queuedChats: r.queuedChats, seconds: +(ms / 1000).toFixed(2), counts }));
} finally {
  await database.dispose();
}
