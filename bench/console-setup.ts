import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { rowsOf } from '../src/db/rows.ts';
import { COMPLAINT_CATEGORIES } from '../src/domain/vocabulary.ts';
import { sha256 } from '../src/services/staff/secrets.ts';
import { createStaffUser } from '../src/services/staff/users.ts';

// The console benchmark's office (issue 18, "Speed"), on top of a demo registry: a city-wide supervisor who
// works complaints too, a few more city-wide desks for the resident lookup (each officer may search 60 times
// an hour), twenty kecamatan operators, and `n` complaints spread the way a busy year spreads them, with
// their message_in / message_out events so the inbox's "resident replied" subqueries have work to do. Plus
// `live` web chats, each with an open complaint held by the supervisor, for the live-update figure. Bulk SQL:
// the setup is not what the benchmark times.

export const BENCH_PASSWORD = 'bench-kata-sandi-panjang-1';
export const SUPERVISOR_EMAIL = 'supervisor@bench.local';
export const deskEmail = (i: number) => `desk${i}@bench.local`;
/**
 * The web chat's session cookie value of live chat `i`, shaped like the server's own (32 bytes, base64url); the
 * server keeps only its SHA-256 as the contact's id, and takes any well-formed token as a session.
 */
export const chatToken = (i: number) => createHash('sha256').update(`bench-console-live-chat:${i}`).digest('base64url');

export interface ConsoleCity {
  supervisorId: number;
  kecamatanIds: number[];
  /** Complaints of the live chats, in the order of chatToken(i). */
  liveComplaintIds: number[];
}

export async function seedConsoleOffice(database: Database, opts: { complaints: number; desks: number; live: number }): Promise<ConsoleCity> {
  const db = database.db;
  const kecamatanIds = rowsOf<{ id: number }>(await db.execute(sql`select id from kecamatan order by id`)).map((r) => Number(r.id));
  if (kecamatanIds.length === 0) throw new Error('seed the registry first: no kecamatan');
  const { id: supervisorId } = await createStaffUser(db, 'system', { email: SUPERVISOR_EMAIL, name: 'Supervisor Bench', role: 'supervisor', password: BENCH_PASSWORD });
  for (let i = 1; i <= opts.desks; i++) await createStaffUser(db, 'system', { email: deskEmail(i), name: `Loket ${i}`, role: 'supervisor', password: BENCH_PASSWORD });
  // Operators who hold complaints; nobody signs in as them, so they share the supervisor's hash.
  await db.execute(sql`insert into staff_users (email, name, role, kecamatan_id, password_hash)
    select 'petugas' || g || '@bench.local', 'Petugas ' || g, 'operator', (${sql.raw(`array[${kecamatanIds.join(',')}]`)})[1 + g % ${kecamatanIds.length}],
      (select password_hash from staff_users where id = ${supervisorId})
    from generate_series(1, 20) g`);
  const officers = rowsOf<{ id: number }>(await db.execute(sql`select id from staff_users where role = 'operator' order by id`)).map((r) => Number(r.id));

  // Residents who filed: half the complaints come from a chat (a tenth of those linked to a registry member).
  const chats = Math.ceil(opts.complaints / 2);
  await db.execute(sql`insert into contacts (channel, external_id, language, last_inbound_at)
    select (array['whatsapp_cloud','telegram','webchat','whatsapp_web'])[1 + g % 4], 'bench-filer-' || g, 'id', now() - (g % 90) * interval '1 day'
    from generate_series(1, ${chats}) g`);
  const [first] = rowsOf<{ id: number }>(await db.execute(sql`select min(id)::int as id from contacts where external_id like 'bench-filer-%'`));
  const categories = sql.raw(`array[${COMPLAINT_CATEGORIES.map((c) => `'${c}'`).join(',')}]`);
  const kecs = sql.raw(`array[${kecamatanIds.join(',')}]`);
  // Assignees: 40% nobody, 5% the supervisor (so "Mine" and "Waiting for me" have rows), the rest operators.
  const officerArray = sql.raw(`array[${officers.join(',')}]`);
  // Statuses over a year: most closed, a working set open. created_at over the last 365 days.
  await db.execute(sql`
    with g as (select g::bigint as g, (g::bigint * 2654435761) % 1000 as r from generate_series(1, ${opts.complaints}) g),
    s as (select g, r,
      case when r < 550 then 'closed' when r < 650 then 'answered' when r < 780 then 'received' when r < 860 then 'verified'
           when r < 960 then 'in_progress' else 'reopened' end as status,
      now() - ((g * 7919) % 365) * interval '1 day' - ((g * 104729) % 86400) * interval '1 second' as created_at
      from g)
    insert into complaints (tracking_id, category, status, contact_id, kecamatan_id, bidang, assignee_id, summary,
      verify_due_at, answer_due_at, answered_at, closed_at, created_at, updated_at)
    select 'ADU-' || to_char(created_at, 'YYMM') || '-' || lpad(g::text, 6, '0'),
      (${categories})[1 + g % ${COMPLAINT_CATEGORIES.length}],
      status,
      case when g % 2 = 0 then ${first!.id} + (g / 2) - 1 end,
      (${kecs})[1 + (g * 31) % ${kecamatanIds.length}],
      (array['Linjamsos','Rehsos','Dayasos','PM'])[1 + g % 4],
      case when status = 'received' or r % 10 < 4 then null when r % 20 = 5 then ${supervisorId} else (${officerArray})[1 + g % ${officers.length}] end,
      'Laporan bench nomor ' || g || ': bantuan belum diterima sejak bulan lalu, mohon dicek datanya.',
      created_at + interval '3 days', created_at + interval '8 days',
      case when status in ('answered','closed') then created_at + interval '4 days' end,
      case when status = 'closed' then created_at + interval '14 days' end,
      created_at, created_at + interval '1 hour'
    from s`);
  // The filing message, an answer for everything past verification, and a resident's reply on a third of those.
  await db.execute(sql`insert into complaint_events (complaint_id, kind, body, created_at)
    select id, 'message_in', summary, created_at from complaints`);
  await db.execute(sql`insert into complaint_events (complaint_id, kind, staff_id, body, created_at)
    select id, 'message_out', coalesce(assignee_id, ${supervisorId}), 'Mohon sebutkan kelurahannya.', created_at + interval '2 days'
    from complaints where status <> 'received'`);
  await db.execute(sql`insert into complaint_events (complaint_id, kind, body, created_at)
    select id, 'message_in', 'Kelurahan Sei Panas, Pak.', created_at + interval '3 days'
    from complaints where status <> 'received' and id % 3 = 0`);
  await db.execute(sql`insert into complaint_events (complaint_id, kind, staff_id, body, from_status, to_status, created_at)
    select id, 'status_change', coalesce(assignee_id, ${supervisorId}), null, 'received', 'verified', created_at + interval '1 day'
    from complaints where status <> 'received'`);

  // The live chats: web chats whose cookie the benchmark holds, each with a complaint in progress that the
  // supervisor holds, as an officer's open conversation would be.
  const liveComplaintIds: number[] = [];
  for (let i = 0; i < opts.live; i++) {
    const [row] = rowsOf<{ id: number }>(
      await db.execute(sql`with c as (insert into contacts (channel, external_id, language, last_inbound_at)
          values ('webchat', ${sha256(chatToken(i))}, 'id', now()) returning id)
        insert into complaints (tracking_id, category, status, contact_id, kecamatan_id, bidang, assignee_id, summary, verify_due_at, answer_due_at, created_at)
        select ${`ADU-2612-9${String(i).padStart(5, '0')}`}, 'service', 'in_progress', c.id, ${kecamatanIds[i % kecamatanIds.length]!}, 'Linjamsos', ${supervisorId},
          'Petugas di loket kelurahan tidak ramah dan antrean sangat lama.', now() + interval '3 days', now() + interval '8 days', now() - interval '1 hour'
        from c returning id`),
    );
    const id = Number(row!.id);
    await db.execute(sql`insert into complaint_events (complaint_id, kind, body, created_at) values
      (${id}, 'message_in', 'Petugas di loket kelurahan tidak ramah dan antrean sangat lama.', now() - interval '1 hour'),
      (${id}, 'message_out', 'Mohon sebutkan nama kelurahannya.', now() - interval '30 minutes')`);
    liveComplaintIds.push(id);
  }
  return { supervisorId, kecamatanIds, liveComplaintIds };
}
