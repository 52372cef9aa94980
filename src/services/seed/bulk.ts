import { max, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { households, members } from '../../db/schema/index.ts';
import { ColumnBatch } from './columns.ts';
import type { GeneratedHousehold } from './generate.ts';

// The registry writer: households, their members and enrollments, in batches. Ids are assigned here
// rather than returned by the database, so members can point at their household in the same round trip;
// the identity sequences are moved past them at the end.

export interface RegistryRefs {
  kelurahanIds: ReadonlyMap<string, number>;
  /** Program code → id and the enrollment period label to write. */
  programs: ReadonlyMap<string, { id: number; period: string }>;
}

export interface WriteOptions {
  source: string; // households.source and enrollments.source
  snapshotDate: string;
  batchSize?: number; // households per statement
  /** postgres.js sends queued statements of one transaction back to back; PGlite runs one at a time. */
  pipelined: boolean;
  onHousehold?: (id: number, household: GeneratedHousehold) => void;
  onProgress?: (written: number) => void;
}

export interface WriteCounts {
  households: number;
  members: number;
  enrollments: number;
}

export async function writeHouseholds(
  tx: Tx,
  source: Iterable<GeneratedHousehold>,
  refs: RegistryRefs,
  opts: WriteOptions,
): Promise<WriteCounts> {
  const batchSize = opts.batchSize ?? 10_000;
  let householdId = await maxId(tx, 'households');
  let memberId = await maxId(tx, 'members');
  const counts: WriteCounts = { households: 0, members: 0, enrollments: 0 };

  const hh = new ColumnBatch<[number, string, string, string, string, number, number, string, string]>('households', [
    ['id', 'bigint'],
    ['no_kk', 'text'],
    ['address', 'text'],
    ['rt', 'text'],
    ['rw', 'text'],
    ['kelurahan_id', 'integer'],
    ['desil', 'smallint'],
    ['source', 'text'],
    ['snapshot_date', 'date'],
  ]);
  const mm = new ColumnBatch<[number, number, string, string, string, string, string, boolean, boolean, string | null]>('members', [
    ['id', 'bigint'],
    ['household_id', 'bigint'],
    ['nik', 'text'],
    ['name', 'text'],
    ['birth_date', 'date'],
    ['sex', 'text'],
    ['relationship', 'text'],
    ['disability', 'boolean'],
    ['deceased', 'boolean'],
    ['phone', 'text'],
  ]);
  const ee = new ColumnBatch<[number, number | null, number | null, string, string, string]>('enrollments', [
    ['program_id', 'integer'],
    ['household_id', 'bigint'],
    ['member_id', 'bigint'],
    ['period', 'text'],
    ['status', 'text'],
    ['source', 'text'],
  ]);

  let inFlight: Promise<unknown> | undefined;
  const flush = async () => {
    if (hh.rows === 0) return;
    const written = counts.households;
    const statements = [hh.take(), mm.take()];
    if (ee.rows > 0) statements.push(ee.take());
    await inFlight; // at most one batch waits on the server while the next one is generated
    inFlight = send(tx, statements, opts.pipelined).then(() => opts.onProgress?.(written));
    // Its error is thrown at the next `await inFlight`; until then it must not count as unhandled.
    inFlight.catch(() => {});
    // Let the driver put the statements on the wire before the generator takes the CPU again.
    await new Promise((r) => setImmediate(r));
  };

  for (const h of source) {
    const kelurahanId = refs.kelurahanIds.get(h.kelurahanCode);
    if (kelurahanId === undefined) throw new Error(`unknown kelurahan ${h.kelurahanCode}`);
    householdId++;
    hh.push(householdId, h.noKk, h.address, h.rt, h.rw, kelurahanId, h.desil, opts.source, opts.snapshotDate);
    const firstMember = memberId + 1;
    for (const m of h.members) {
      memberId++;
      mm.push(memberId, householdId, m.nik, m.name, m.birthDate, m.sex, m.relationship, m.disability, m.deceased, m.phone);
    }
    for (const e of h.enrollments) {
      const program = refs.programs.get(e.programCode);
      if (!program) throw new Error(`unknown program ${e.programCode}`);
      // Household programs point at the household, person programs at the member (a check enforces one of both).
      const forHousehold = e.memberIndex === null;
      ee.push(
        program.id,
        forHousehold ? householdId : null,
        forHousehold ? null : firstMember + e.memberIndex!,
        program.period,
        e.status,
        opts.source,
      );
    }
    counts.households++;
    counts.members += h.members.length;
    counts.enrollments += h.enrollments.length;
    opts.onHousehold?.(householdId, h);
    if (hh.rows >= batchSize) await flush();
  }
  await flush();
  await inFlight;

  await tx.execute(sql`select setval(pg_get_serial_sequence('households', 'id'), max(id)) from households having max(id) is not null`);
  await tx.execute(sql`select setval(pg_get_serial_sequence('members', 'id'), max(id)) from members having max(id) is not null`);
  return counts;
}

async function send(tx: Tx, statements: SQL[], pipelined: boolean): Promise<void> {
  if (pipelined) {
    // Queued on the transaction's one connection, they run in order: members after their households.
    await Promise.all(statements.map((s) => tx.execute(s)));
    return;
  }
  for (const s of statements) await tx.execute(s);
}

async function maxId(tx: Tx, table: 'households' | 'members'): Promise<number> {
  const [row] =
    table === 'households'
      ? await tx.select({ value: max(households.id) }).from(households)
      : await tx.select({ value: max(members.id) }).from(members);
  return Number(row?.value ?? 0);
}
