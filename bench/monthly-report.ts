// The monthly report (issue 20 part 6): a city of 330,000 households with a year of activity — enrollments in
// the demo programs, a monthly and a quarterly distribution with three rounds of invitations and their
// messages, complaints with their verification, findings, field visits and ratings — and one month's report
// for the whole city: the figures, the PDF and the XLSX. Target: under 10 s. Building the city is not timed;
// it is made in SQL (generate_series), as the other benchmarks do, on top of the demo city's areas and programs.
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { rowsOf } from '../src/db/rows.ts';
import { createI18n } from '../src/i18n.ts';
import { renderMonthly } from '../src/services/reports/monthly/generate.ts';
import { seedDemoCity } from '../src/services/seed/index.ts';
import { createStaffUser } from '../src/services/staff/users.ts';
import type { BenchResult } from './result.ts';
import { withScratch } from './scratch.ts';

const KK_BASE = 2171880000000000;
/** The month reported on, and the year of activity before it (months of 2026). */
const MONTH = '2026-11';
const NOW = new Date('2026-12-01T02:00:00Z');

async function buildCity(database: Database, households: number): Promise<void> {
  await seedDemoCity(database, { households: 10 });
  const db = database.db;
  const run = (q: ReturnType<typeof sql>) => db.execute(q);
  await run(sql`insert into households (no_kk, address, kelurahan_id, desil, source)
    select (${KK_BASE}::bigint + g)::text, 'Jl. Bench', (select min(id) from kelurahan) + (g % (select count(*) from kelurahan)), 1 + g % 10, 'bench'
    from generate_series(1, ${households}) g`);
  await run(sql`insert into members (household_id, nik, name, birth_date, sex, relationship)
    select h.id, h.no_kk, 'Warga Bench', '1980-01-01', 'P', 'kepala' from households h where h.source = 'bench'`);
  await run(sql`update programs set target_per_year = 40000`);
  // Enrollments: every household program takes a share of the families, recorded over the year, most active.
  await run(sql`insert into enrollments (program_id, household_id, period, status, source, created_at)
    select p.id, h.id, '2026', (array['active','active','active','verified','proposed','suspended','ended'])[1 + (h.id % 7)::int], 'bench',
      timestamptz '2026-01-01' + ((h.id * 7919) % 330) * interval '1 day'
    from households h join programs p on p.unit = 'household'
    where h.source = 'bench' and (h.id + p.id) % 5 = 0`);
  await run(sql`insert into enrollments (program_id, member_id, period, status, source, created_at)
    select p.id, m.id, '2026', 'active', 'bench', timestamptz '2026-01-01' + ((m.id * 104729) % 330) * interval '1 day'
    from members m join households h on h.id = m.household_id join programs p on p.unit = 'person'
    where h.source = 'bench' and (m.id + p.id) % 11 = 0`);
  // Distributions: the first household program every month, the second every quarter, on the 20th; each
  // invites its enrolled families (rounds 2 and 3 for the no-shows of the round before).
  const progs = rowsOf<{ id: number }>(await run(sql`select id from programs where unit = 'household' order by id limit 2`)).map((r) => Number(r.id));
  const events: { programId: number; date: string }[] = [];
  for (let m = 1; m <= 11; m++) events.push({ programId: progs[0]!, date: `2026-${String(m).padStart(2, '0')}-20` });
  for (const m of [2, 5, 8, 11]) events.push({ programId: progs[1]!, date: `2026-${String(m).padStart(2, '0')}-20` });
  const contact = rowsOf<{ id: number }>(await run(sql`insert into contacts (channel, external_id) values ('whatsapp_cloud', 'bench-monthly') returning id`))[0]!.id;
  for (const e of events) {
    const [ev] = rowsOf<{ id: number }>(
      await run(sql`insert into distribution_events (program_id, tranche, title, event_date, status) values (${e.programId}, ${e.date}, ${`Bench ${e.date}`}, ${e.date}::date, 'done') returning id`),
    );
    await run(sql`insert into invitations (event_id, household_id, round, status, code, created_at)
      select ${ev!.id}, en.household_id, 1 + (en.household_id % 10 = 0)::int + (en.household_id % 30 = 0)::int,
        (array['collected','collected','collected','collected','no_show','declined','confirmed'])[1 + (en.household_id % 7)::int],
        ${`E${ev!.id}-`} || en.household_id, ${e.date}::timestamptz - interval '7 days'
      from enrollments en where en.program_id = ${e.programId} and en.household_id is not null and en.status in ('active', 'verified')`);
    await run(sql`insert into outbox (contact_id, channel, payload, status, invitation_id, created_at)
      select ${contact}, (array['whatsapp_cloud','telegram','webchat','whatsapp_web'])[1 + (i.id % 4)::int], '{}'::jsonb,
        case when i.id % 9 = 0 then 'failed' else 'sent' end, i.id, i.created_at
      from invitations i where i.event_id = ${ev!.id} and i.id % 6 <> 0`);
  }
  // A year of complaints (3,000 a month), verified a day after filing, most answered and closed.
  await run(sql`insert into complaints (tracking_id, category, status, kecamatan_id, bidang, program_id, summary, answered_at, closed_at, created_at)
    select 'ADU-B-' || g, (array['not_received','wrong_data','service','ppks','usulan'])[1 + g % 5],
      case when g % 4 = 0 then 'received' else 'closed' end,
      (select id from kecamatan order by id offset (g % (select count(*) from kecamatan)) limit 1),
      (array['Linjamsos','Rehsos','Dayasos','PM'])[1 + g % 4],
      case when g % 3 = 0 then ${progs[0]!}::int end,
      'Laporan bench',
      case when g % 4 <> 0 then timestamptz '2026-01-01' + (g % 335) * interval '1 day' + interval '3 days' end,
      case when g % 4 <> 0 then timestamptz '2026-01-01' + (g % 335) * interval '1 day' + interval '5 days' end,
      timestamptz '2026-01-01' + (g % 335) * interval '1 day' + (g % 600) * interval '1 minute'
    from generate_series(1, 36000) g`);
  await run(sql`insert into complaint_events (complaint_id, kind, from_status, to_status, created_at)
    select id, 'status_change', 'received', 'verified', created_at + interval '1 day' from complaints where status = 'closed'`);
  // Findings (20,000 over the year, half resolved), field visits (12,000), ratings (60,000).
  await run(sql`insert into findings (kind, key, kecamatan_id, status, resolved_at, first_seen_at)
    select 'duplicate_nik', 'bench-' || g, (select id from kecamatan order by id offset (g % (select count(*) from kecamatan)) limit 1),
      case when g % 2 = 0 then 'resolved' else 'open' end,
      case when g % 2 = 0 then timestamptz '2026-01-01' + (g % 335) * interval '1 day' + interval '9 days' end,
      timestamptz '2026-01-01' + (g % 335) * interval '1 day'
    from generate_series(1, 20000) g`);
  const [worker] = rowsOf<{ id: number }>(await run(sql`insert into staff_users (email, name, role, password_hash) values ('tksk@bench.local', 'TKSK Bench', 'field_officer', 'x') returning id`));
  await run(sql`insert into field_tasks (kind, source_id, kecamatan_id, kelurahan_id, status, due_on)
    select 'finding', g, k.kecamatan_id, k.id, 'done', '2026-06-01' from generate_series(1, 12000) g
    join lateral (select id, kecamatan_id from kelurahan order by id offset (g % (select count(*) from kelurahan)) limit 1) k on true`);
  await run(sql`insert into field_visits (task_id, staff_id, client_key, outcome, visited_at)
    select t.id, ${worker!.id}, 'bench-' || t.id, 'found', timestamptz '2026-01-01' + (t.id % 335) * interval '1 day' from field_tasks t`);
  await run(sql`insert into satisfaction (service, kecamatan_id, score, asked_at, answered_at)
    select (array['complaint','collection','aid_check'])[1 + g % 3], (select id from kecamatan order by id offset (g % (select count(*) from kecamatan)) limit 1),
      1 + (g * 7) % 5, timestamptz '2026-01-01' + (g % 335) * interval '1 day', timestamptz '2026-01-01' + (g % 335) * interval '1 day' + interval '1 hour'
    from generate_series(1, 60000) g`);
  await run(sql`analyze`);
}

export async function monthlyReportBenchmark(households = 330_000): Promise<BenchResult> {
  const f = await withScratch(async (database) => {
    await buildCity(database, households);
    const [counts] = rowsOf<{ enrollments: number; invitations: number }>(
      await database.db.execute(sql`select (select count(*) from enrollments)::int as enrollments, (select count(*) from invitations)::int as invitations`),
    );
    const i18n = await createI18n('id');
    const { id } = await createStaffUser(database.db, 'system', { name: 'Bench', email: `bench-monthly-${process.pid}@dinsos.test`, role: 'admin' });
    const started = performance.now();
    const r = await renderMonthly(database.db, { kind: 'staff', id, role: 'admin', kecamatanId: null, bidang: null }, MONTH, {
      now: NOW,
      timeZone: 'Asia/Jakarta',
      locale: 'id',
      t: i18n.getFixedT('id'),
    });
    const seconds = (performance.now() - started) / 1000;
    return { seconds, ok: r.ok, programs: r.ok ? r.files.figures.programs.length : 0, ...counts! };
  });
  return {
    benchmark: `Monthly report: figures + PDF + XLSX, ${households.toLocaleString('en')} households, ${f.enrollments.toLocaleString('en')} enrollments, ${f.invitations.toLocaleString('en')} invitations a year`,
    figure: `${f.seconds.toFixed(1)} s${f.ok ? ` (${f.programs} programs)` : ' (no report: empty month)'}`,
    target: '< 10 s',
    met: f.ok && f.seconds < 10,
  };
}
