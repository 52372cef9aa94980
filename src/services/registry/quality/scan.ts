// The data-quality scan (issue 7): one set-based statement per kind of finding over the whole registry, so a
// city of a million people is scanned in seconds rather than row by row. Each statement
//   1. computes what is true now (`found`),
//   2. upserts it into `findings` on (kind, key): a new problem opens, a known one only moves lastSeenAt,
//   3. resolves the open findings of that kind that are no longer found, with AUTO_NOTE.
// Keys are built from ids (member, household, program, complaint), never from a NIK, so the findings table
// never becomes a second copy of the registry's numbers.
//
// Only findings still OPEN are resolved automatically: a note a staff member wrote is never overwritten.
// Two ways for staff to close a finding, and the scan treats them differently (issue 18):
//   - 'resolved' says the data was fixed. If the scan still finds the same problem (same kind and key), the
//     fix did not happen: the finding opens again, with details.reopenedAt and a 'finding.reopen' row in the
//     audit log (who had closed it), so it cannot hide for good behind a click. The same happens to one the
//     scan closed itself when the problem comes back.
//   - 'accepted' says an officer looked and the record is right as it is (with a reason): the scan leaves
//     it closed however often it sees it, and only moves lastSeenAt.

import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { rowsOf } from '../../../db/rows.ts';
import { FINDING_KINDS } from '../../../domain/vocabulary.ts';

export type FindingKind = (typeof FINDING_KINDS)[number];

/** The note on a finding the scan closed itself because the problem is gone. */
export const AUTO_NOTE = 'tidak ditemukan lagi pada pemindaian';

// Two-key advisory lock, beside the import's (727, 7): several processes may start the scan at once.
const SCAN_LOCK = [727, 17] as const;

export interface ScanReport {
  /** Another process was scanning: nothing done. */
  skipped: boolean;
  byKind: Record<FindingKind, { seen: number; opened: number; resolved: number; reopened: number }>;
}

// Every `found` query yields the same columns: key, kecamatan_id, kelurahan_id, household_id, member_id,
// program_id, details. `distinct on (key)` where one problem can show up in several rows (several periods).
// Household and person enrollments are read as two arms of a union, not through `left join members on
// member_id`: the many null member_ids of household rows all hash alike and made that join take minutes.
const FOUND: Record<FindingKind, SQL> = {
  // Each family that lists a NIK another family also lists gets its own finding, so both kelurahan desks see
  // it. Members a newer registry file no longer lists (missing_since) do not count: that file already fixed it.
  duplicate_nik: sql`
    select 'm' || m.id as key, k.kecamatan_id, h.kelurahan_id, m.household_id, m.id as member_id, null::int as program_id,
      jsonb_build_object('householdIds', jsonb_agg(m.household_id) over (partition by m.nik)) as details
    from (select nik from members where missing_since is null group by nik having count(*) > 1) d
    join members m on m.nik = d.nik and m.missing_since is null
    join households h on h.id = m.household_id
    join kelurahan k on k.id = h.kelurahan_id`,

  // Two programs where either names the other in rules.excludedWith, received by the same person, or by a
  // family and one of its members (a household program covers every member). Two different members of one
  // family in two person programs is not a conflict.
  exclusive_programs: sql`
    with pairs as (
      select pa.id as a_id, pb.id as b_id, pa.code as a_code, pb.code as b_code
      from programs pa join programs pb on pb.id > pa.id
      where (pa.rules -> 'excludedWith') @> jsonb_build_array(pb.code) or (pb.rules -> 'excludedWith') @> jsonb_build_array(pa.code)
    ),
    t as materialized (
      select e.program_id, e.household_id, null::bigint as member_id from enrollments e
      where e.status = 'active' and e.household_id is not null and e.program_id in (select a_id from pairs union select b_id from pairs)
      union
      select e.program_id, m.household_id, e.member_id from enrollments e join members m on m.id = e.member_id
      where e.status = 'active' and e.program_id in (select a_id from pairs union select b_id from pairs)
    )
    select distinct on (key)
      concat('h', a.household_id, ':m', coalesce(a.member_id, b.member_id), ':p', a.program_id, ':p', b.program_id) as key,
      k.kecamatan_id, h.kelurahan_id, a.household_id, coalesce(a.member_id, b.member_id) as member_id, a.program_id,
      jsonb_build_object('programIds', jsonb_build_array(a.program_id, b.program_id), 'programCodes', jsonb_build_array(p.a_code, p.b_code)) as details
    from pairs p
    join t a on a.program_id = p.a_id
    join t b on b.household_id = a.household_id and b.program_id = p.b_id
      and (a.member_id = b.member_id or a.member_id is null or b.member_id is null)
    join households h on h.id = a.household_id
    join kelurahan k on k.id = h.kelurahan_id`,

  // A person program still paying someone the registry marks deceased. A household program of a family with
  // a deceased member is normal (the family still receives), so only person enrollments count.
  deceased_enrolled: sql`
    select distinct on (key) concat('m', m.id, ':p', e.program_id) as key, k.kecamatan_id, h.kelurahan_id, h.id as household_id,
      m.id as member_id, e.program_id, jsonb_build_object('programCode', p.code) as details
    from enrollments e
    join members m on m.id = e.member_id
    join households h on h.id = m.household_id
    join kelurahan k on k.id = h.kelurahan_id
    join programs p on p.id = e.program_id
    where e.status = 'active' and m.deceased`,

  // The family's desil above the program's rules.maxDesil. A family not ranked (desil null) or a program
  // without a ceiling tells nothing, so neither is a finding.
  above_desil_ceiling: sql`
    select distinct on (key)
      concat(case when e.member_id is null then 'h' || h.id else 'm' || e.member_id end, ':p', e.program_id) as key,
      k.kecamatan_id, h.kelurahan_id, h.id as household_id, e.member_id, e.program_id,
      jsonb_build_object('desil', h.desil, 'maxDesil', (p.rules ->> 'maxDesil')::numeric, 'programCode', p.code) as details
    from (
      select program_id, household_id, null::bigint as member_id from enrollments where status = 'active' and household_id is not null
      union all
      select e.program_id, m.household_id, e.member_id from enrollments e join members m on m.id = e.member_id where e.status = 'active'
    ) e
    join programs p on p.id = e.program_id and jsonb_typeof(p.rules -> 'maxDesil') = 'number'
    join households h on h.id = e.household_id
    join kelurahan k on k.id = h.kelurahan_id
    where h.desil is not null and h.desil > (p.rules ->> 'maxDesil')::numeric`,

  // A verified resident (complaints.member_id) told us through the chat's "data keluarga keliru" flow that
  // someone in their family moved or died (details.what, flows' answer keys). The family is the reporter's;
  // who exactly is free text, so member_id stays empty and the finding points at the complaint.
  reported_moved: reported('moved'),
  reported_deceased: reported('died'),

  // A phone the registry holds that is no mobile number (phone_norm is mobile-only, domain/phone.ts): a
  // landline, a number too short or too long, letters. The office cannot write to it on WhatsApp, so the
  // family is invited on paper until someone corrects it. Living members only; the dead need no phone.
  phone_unusable: sql`
    select 'm' || m.id as key, k.kecamatan_id, h.kelurahan_id, h.id as household_id, m.id as member_id, null::int as program_id,
      '{}'::jsonb as details
    from members m
    join households h on h.id = m.household_id
    join kelurahan k on k.id = h.kelurahan_id
    where m.phone is not null and btrim(m.phone) <> '' and m.phone_norm is null and not m.deceased and m.missing_since is null`,

  // One mobile number in two families: it proves neither (identity) and the office writes first to neither, so
  // one family's invitation never reaches the other. A finding per family, as for duplicate NIKs.
  phone_shared: sql`
    select distinct on (key) 'h' || h.id || ':m' || m.id as key, k.kecamatan_id, h.kelurahan_id, h.id as household_id, m.id as member_id,
      null::int as program_id, '{}'::jsonb as details
    from (select phone_norm from members where phone_norm is not null and missing_since is null
          group by phone_norm having count(distinct household_id) > 1) d
    join members m on m.phone_norm = d.phone_norm and m.missing_since is null
    join households h on h.id = m.household_id
    join kelurahan k on k.id = h.kelurahan_id`,
};

function reported(what: 'moved' | 'died'): SQL {
  // Someone else's family (issue 19: "my neighbour died"): a chat that is not the family's names the person and,
  // when it knows it, their NIK. The NIK is not proof of anything (anyone can read it off a KTP), so it only says
  // where to look: the finding sends a field worker, and the registry changes only after the visit and a
  // supervisor's approval (services/field). A NIK the registry does not hold, or holds in two families, points
  // nowhere and the report stays with the complaint desk. The dead are not reported dead again.
  return sql`
    select 'c' || c.id as key, coalesce(k.kecamatan_id, c.kecamatan_id) as kecamatan_id, h.kelurahan_id, h.id as household_id,
      null::bigint as member_id, null::int as program_id,
      jsonb_build_object('complaintId', c.id, 'trackingId', c.tracking_id) as details
    from complaints c
    join members m on m.id = c.member_id
    join households h on h.id = m.household_id
    join kelurahan k on k.id = h.kelurahan_id
    where c.category = 'wrong_data' and c.details ->> 'what' = ${what}
    union all
    select 'c' || c.id as key, k.kecamatan_id, h.kelurahan_id, h.id as household_id, m.id as member_id, null::int as program_id,
      jsonb_build_object('complaintId', c.id, 'trackingId', c.tracking_id, 'byOther', true) as details
    from complaints c
    join members m on m.nik = c.details ->> 'subjectNik' and m.missing_since is null and not m.deceased
    join households h on h.id = m.household_id
    join kelurahan k on k.id = h.kelurahan_id
    where c.category = 'wrong_data' and c.details ->> 'what' = ${what} and c.member_id is null
      and c.details ->> 'subjectNik' ~ '^[0-9]{16}$'
      and (select count(*) from members m2 where m2.nik = c.details ->> 'subjectNik' and m2.missing_since is null) = 1`;
}

function statement(kind: FindingKind, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  // Every resolved finding the scan still sees opens again; accepted ones stay as they are (top of this file).
  const reopen = sql`(f.status = 'resolved')`;
  return sql`
    with found as materialized (${FOUND[kind]}),
    -- Read before the upsert (one statement, one snapshot): which resolved findings this scan reopens, and
    -- who had closed them, for the audit log.
    back as (
      select f.id, f.resolved_by from findings f join found on found.key = f.key
      where f.kind = ${kind}::text and f.status = 'resolved'
    ),
    up as (
      insert into findings as f (kind, key, kecamatan_id, kelurahan_id, household_id, member_id, program_id, details, status, first_seen_at, last_seen_at)
      select ${kind}::text, key, kecamatan_id, kelurahan_id, household_id, member_id, program_id, details, 'open', ${at}, ${at} from found
      on conflict (kind, key) do update set
        last_seen_at = excluded.last_seen_at,
        kecamatan_id = excluded.kecamatan_id,
        kelurahan_id = excluded.kelurahan_id,
        household_id = excluded.household_id,
        member_id = excluded.member_id,
        program_id = excluded.program_id,
        -- The found details are rewritten each scan; when it was last reopened is kept beside them.
        details = excluded.details || case
          when ${reopen} then jsonb_build_object('reopenedAt', to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
          when f.details -> 'reopenedAt' is not null then jsonb_build_object('reopenedAt', f.details -> 'reopenedAt')
          else '{}'::jsonb end,
        status = case when ${reopen} then 'open' else f.status end,
        resolution_note = case when ${reopen} then null else f.resolution_note end,
        resolved_by = case when ${reopen} then null else f.resolved_by end,
        resolved_at = case when ${reopen} then null else f.resolved_at end
      returning (xmax::text = '0') as inserted
    ),
    gone as (
      update findings f set status = 'resolved', resolution_note = ${AUTO_NOTE}, resolved_at = ${at}, resolved_by = null
      where f.kind = ${kind}::text and f.status = 'open' and not exists (select 1 from found where found.key = f.key)
      returning f.id
    ),
    logged as (
      insert into audit_log (actor_kind, action, entity, entity_id, details, created_at)
      select 'system', 'finding.reopen', 'finding', back.id::text,
        jsonb_build_object('kind', ${kind}::text, 'resolvedById', back.resolved_by), ${at}
      from back
      returning 1
    )
    select (select count(*) from up)::int as seen, (select count(*) from up where inserted)::int as opened,
      (select count(*) from gone)::int as resolved, (select count(*) from logged)::int as reopened`;
}

/**
 * Scans the registry, the enrollments and the residents' reports for every kind of finding, in one
 * transaction (a scan that fails halfway resolves nothing). Skipped when another process is scanning.
 */
export async function scanFindings(db: Db, opts: { now: Date }): Promise<ScanReport> {
  const byKind = Object.fromEntries(FINDING_KINDS.map((k) => [k, { seen: 0, opened: 0, resolved: 0, reopened: 0 }])) as ScanReport['byKind'];
  const skipped = await db.transaction(async (tx) => {
    const [lock] = rowsOf<{ ok: boolean }>(await tx.execute(sql.raw(`select pg_try_advisory_xact_lock(${SCAN_LOCK[0]}, ${SCAN_LOCK[1]}) as ok`)));
    if (!lock?.ok) return true;
    for (const kind of FINDING_KINDS) {
      const [r] = rowsOf<{ seen: number; opened: number; resolved: number; reopened: number }>(await tx.execute(statement(kind, opts.now)));
      byKind[kind] = { seen: Number(r?.seen ?? 0), opened: Number(r?.opened ?? 0), resolved: Number(r?.resolved ?? 0), reopened: Number(r?.reopened ?? 0) };
    }
    return false;
  });
  return { skipped, byKind };
}
