import type { CsvRecord } from './csv.ts';
import type { ProblemLog } from './report.ts';
import { checkRegistryRow, registryKeys, type RegistryRowContext } from './registry-row.ts';
import { copyChunks, copyValue, type ImportSession } from './session.ts';

// The registry import: checked rows are COPYed into a staging table, then merged into households and
// members with a handful of set-based statements. The merge writes only rows that differ, so loading the
// same file twice changes nothing, and a member the file no longer lists is flagged, never deleted.

const STAGE = 'import_registry_stage';
const COLUMNS = [
  'line', 'ok', 'nik', 'no_kk', 'name', 'birth_date', 'sex', 'relationship', 'address', 'rt', 'rw',
  'kelurahan_id', 'desil', 'phone', 'disability', 'deceased',
] as const;

export interface RegistryMergeOptions extends RegistryRowContext {
  source: string; // households.source: where these rows came from
  now: Date;
}

export interface RegistryCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  householdsInserted: number;
  householdsUpdated: number;
  householdsUnchanged: number;
  flaggedMissing: number;
}

/**
 * A scoped importer writes only families of their kecamatan. Each row already places its family there
 * (registry-row.ts); here the rows that would reach outside through what the registry already holds are
 * refused: a no_kk that is a family of another kecamatan (the row would move it into the scope, and rewrite
 * its desil, phones and members), and a NIK registered in a family of another kecamatan (a copy of that person
 * under a new KK, with a phone that would then prove to be theirs). Moving a family across kecamatan is city-wide
 * staff's work.
 */
async function refuseOutOfScope(session: ImportSession, problems: ProblemLog, kecamatanId: number): Promise<void> {
  const households = await session.query<{ line: number }>(
    `update ${STAGE} s set ok = false from households h join kelurahan kl on kl.id = h.kelurahan_id
     where s.ok and h.no_kk = s.no_kk and kl.kecamatan_id <> $1 returning s.line`,
    [kecamatanId],
  );
  for (const r of households) problems.add(Number(r.line), 'household_out_of_scope', 'this no_kk is a family of a kecamatan outside your scope');
  const people = await session.query<{ line: number }>(
    `update ${STAGE} s set ok = false from members m join households h on h.id = m.household_id join kelurahan kl on kl.id = h.kelurahan_id
     where s.ok and m.nik = s.nik and h.no_kk <> s.no_kk and kl.kecamatan_id <> $1 returning s.line`,
    [kecamatanId],
  );
  for (const r of people) problems.add(Number(r.line), 'nik_out_of_scope', 'this NIK is registered in a family of a kecamatan outside your scope');
}

export async function importRegistry(
  session: ImportSession,
  records: AsyncIterable<CsvRecord>,
  problems: ProblemLog,
  opts: RegistryMergeOptions,
): Promise<RegistryCounts> {
  // ok = false rows carry only NIK and KK: a member whose row was bad this time is still in the file,
  // so it must not be flagged missing.
  await session.exec(`create temp table ${STAGE} (
    line integer not null, ok boolean not null, nik text not null, no_kk text not null, name text, birth_date date,
    sex text, relationship text, address text, rt text, rw text, kelurahan_id integer, desil smallint, phone text,
    disability boolean, deceased boolean
  ) on commit drop`);

  let read = 0;
  async function* lines(): AsyncGenerator<string> {
    for await (const rec of records) {
      read++;
      if (rec.error) {
        problems.add(rec.line, rec.error);
        continue;
      }
      const check = checkRegistryRow(rec.fields, opts);
      if (check.ok) {
        const r = check.row;
        yield `${rec.line}\tt\t${r.nik}\t${r.noKk}\t${copyValue(r.name)}\t${r.birthDate}\t${r.sex}\t${r.relationship}\t${copyValue(r.address)}\t${copyValue(r.rt)}\t${copyValue(r.rw)}\t${r.kelurahanId}\t${copyValue(r.desil)}\t${copyValue(r.phone)}\t${r.disability ? 't' : 'f'}\t${r.deceased ? 't' : 'f'}\n`;
      } else {
        problems.add(rec.line, check.reason, check.detail, check.value);
        const keys = registryKeys(rec.fields);
        if (keys) yield `${rec.line}\tf\t${keys.nik}\t${keys.noKk}\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n`;
      }
    }
  }
  await session.copyIn(STAGE, COLUMNS, copyChunks(lines()));
  await session.exec(`create index on ${STAGE} (no_kk, nik)`);
  await session.exec(`analyze ${STAGE}`);

  // The same person twice under one KK: the last line wins, the earlier ones are reported.
  const dups = await session.query<{ line: number }>(`
    with d as (select line, row_number() over (partition by no_kk, nik order by line desc) as rn from ${STAGE} where ok)
    update ${STAGE} s set ok = false from d where d.line = s.line and d.rn > 1 returning s.line`);
  for (const d of dups) problems.add(Number(d.line), 'duplicate_in_file', 'the same NIK under the same no_kk appears again further down');
  if (opts.kecamatanId !== null) await refuseOutOfScope(session, problems, opts.kecamatanId);

  const now = opts.now.toISOString();
  // A household's address, area and desil come from its kepala row, else its last row.
  const [hh] = await session.query<{ inserted: number; updated: number; total: number }>(
    `with hh as (
       select distinct on (no_kk) no_kk, address, rt, rw, kelurahan_id, desil from ${STAGE} where ok
       order by no_kk, (relationship = 'kepala') desc, line desc
     ), up as (
       insert into households (no_kk, address, rt, rw, kelurahan_id, desil, source, snapshot_date, updated_at)
       select no_kk, address, rt, rw, kelurahan_id, desil, $1, $2::date, $3::timestamptz from hh
       on conflict (no_kk) do update set address = excluded.address, rt = excluded.rt, rw = excluded.rw,
         kelurahan_id = excluded.kelurahan_id, desil = excluded.desil, source = excluded.source,
         snapshot_date = excluded.snapshot_date, updated_at = excluded.updated_at
       where (households.address, households.rt, households.rw, households.kelurahan_id, households.desil)
         is distinct from (excluded.address, excluded.rt, excluded.rw, excluded.kelurahan_id, excluded.desil)
       returning (xmax = 0) as inserted
     )
     select (select count(*) from up where inserted)::int as inserted, (select count(*) from up where not inserted)::int as updated,
       (select count(*) from hh)::int as total`,
    [opts.source, opts.todayIso, now],
  );

  // A phone number left empty in the file keeps the one the office already has (from the chat, say).
  const [mm] = await session.query<{ inserted: number; updated: number; total: number }>(
    `with up as (
       insert into members (household_id, nik, name, birth_date, sex, relationship, disability, deceased, phone, updated_at)
       select h.id, s.nik, s.name, s.birth_date, s.sex, s.relationship, s.disability, s.deceased, s.phone, $1::timestamptz
       from ${STAGE} s join households h on h.no_kk = s.no_kk where s.ok
       on conflict (household_id, nik) do update set name = excluded.name, birth_date = excluded.birth_date, sex = excluded.sex,
         relationship = excluded.relationship, disability = excluded.disability, deceased = excluded.deceased,
         phone = coalesce(excluded.phone, members.phone), missing_since = null, updated_at = excluded.updated_at
       where (members.name, members.birth_date, members.sex, members.relationship, members.disability, members.deceased)
           is distinct from (excluded.name, excluded.birth_date, excluded.sex, excluded.relationship, excluded.disability, excluded.deceased)
         or (excluded.phone is not null and excluded.phone is distinct from members.phone)
         or members.missing_since is not null
       returning (xmax = 0) as inserted
     )
     select (select count(*) from up where inserted)::int as inserted, (select count(*) from up where not inserted)::int as updated,
       (select count(*) from ${STAGE} where ok)::int as total`,
    [now],
  );

  const [flagged] = await session.query<{ n: number }>(
    `with f as (
       update members m set missing_since = $1::timestamptz, updated_at = $1::timestamptz
       from households h
       where h.id = m.household_id and m.missing_since is null
         and h.no_kk in (select no_kk from ${STAGE} where ok)
         and not exists (select 1 from ${STAGE} s where s.no_kk = h.no_kk and s.nik = m.nik)
       returning m.id
     ) select count(*)::int as n from f`,
    [now],
  );

  const inserted = Number(mm!.inserted);
  const updated = Number(mm!.updated);
  return {
    read,
    inserted,
    updated,
    unchanged: Number(mm!.total) - inserted - updated,
    householdsInserted: Number(hh!.inserted),
    householdsUpdated: Number(hh!.updated),
    householdsUnchanged: Number(hh!.total) - Number(hh!.inserted) - Number(hh!.updated),
    flaggedMissing: Number(flagged!.n),
  };
}
