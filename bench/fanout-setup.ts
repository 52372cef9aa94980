import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { rowsOf } from '../src/db/rows.ts';
import { cities, distributionEvents, eventSlots, kecamatan, kelurahan, programs, sites } from '../src/db/schema/index.ts';

/**
 * A city of `n` households and a distribution event with room for all of them. Half the households (odd ids)
 * have one linked, verified web chat (a fifth in English); the other half have only a registry phone, a mobile
 * number no chat ever wrote from, so the office writes first to it on the WhatsApp Cloud API (issue 16), with
 * an approved invitation and reminder template in place. Bulk SQL: the setup is not what the benchmark times.
 */
export async function seedFanoutCity(database: Database, n: number): Promise<{ eventId: number; householdIds: number[] }> {
  const db = database.db;
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
  await db.execute(sql`insert into members (household_id, nik, name, birth_date, sex, relationship, phone)
    select id, no_kk, 'Kepala ' || id, '1970-01-01', 'L', 'kepala', case when id % 2 = 0 then '0812' || lpad(id::text, 8, '0') end from households`);
  await db.execute(sql`insert into contacts (channel, external_id, language, member_id, verified_at)
    select 'webchat', 'bench-' || id, case when id % 5 = 0 then 'en' else 'id' end, id, now() from members where id % 2 = 1`);
  await db.execute(sql`insert into whatsapp_templates (name, language, status, category, body, parameter_count) values
    ('pintu_undangan', 'id', 'APPROVED', 'UTILITY', 'Dinas Sosial: {{1}} pada {{2}} di {{3}}, kode {{4}} ({{5}}). Balas BERHENTI bila tidak ingin menerima pesan.', 5),
    ('pintu_pengingat', 'id', 'APPROVED', 'UTILITY', 'Pengingat {{1}} pada {{2}} di {{3}}, kode {{4}}. Balas BERHENTI bila tidak ingin menerima pesan.', 4)`);
  const [event] = await db
    .insert(distributionEvents)
    .values({ programId: program!.id, tranche: '2026 Tahap IV', title: 'Penyaluran Bench', eventDate: '2026-12-10' })
    .returning();
  await db.insert(eventSlots).values(
    Array.from({ length: 10 }, (_, i) => ({
      eventId: event!.id,
      siteId: site!.id,
      startsAt: new Date(Date.parse('2026-12-10T01:00:00Z') + i * 3_600_000),
      endsAt: new Date(Date.parse('2026-12-10T02:00:00Z') + i * 3_600_000),
      capacity: Math.ceil(n / 10),
    })),
  );
  const ids = rowsOf<{ id: string }>(await db.execute(sql`select id from households order by id`));
  // The audit row references api_tokens; a real token row for an API actor is beside the point here.
  await db.execute(sql`alter table audit_log drop constraint if exists audit_log_api_token_id_api_tokens_id_fk`);
  return { eventId: event!.id, householdIds: ids.map((r) => Number(r.id)) };
}
