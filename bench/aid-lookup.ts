// Aid check lookup (issue 8, benchmark 2): the database part of the aid check, checkIdentity (lock check,
// lookup limits, registry lookup by NIK, KK and birth date, the public view or the registry-phone link, audit)
// in one transaction as the conversation engine runs it, for random
// existing residents of a 1,000,000-person registry seeded by the demo generator. Target: p99 under 5 ms.
// The registry read alone (registryVerdict) is reported beside it. Seeding is not timed.
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { rowsOf } from '../src/db/rows.ts';
import { seedDemoCity } from '../src/services/seed/index.ts';
import { DEFAULT_IDENTITY_LIMITS } from '../src/config.ts';
import { createI18n } from '../src/i18n.ts';
import { checkIdentity, registryVerdict } from '../src/services/identity/verify.ts';
import { percentile } from './percentile.ts';
import type { BenchResult } from './result.ts';
import { withScratch } from './scratch.ts';

export interface AidLookupFigures {
  people: number;
  lookups: number;
  matches: number;
  p50: number;
  p99: number;
  readP50: number;
  readP99: number;
}

export async function measureAidLookup(database: Database, households: number, lookups: number): Promise<AidLookupFigures> {
  await seedDemoCity(database, { households });
  await database.db.execute(sql`analyze`);
  const [people] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from members`));
  const env = { i18n: await createI18n('id'), defaultLocale: 'id' as const, phoneChannel: 'whatsapp_cloud' as const, limits: DEFAULT_IDENTITY_LIMITS };
  const sample = rowsOf<{ nik: string; no_kk: string; birth_date: string }>(
    await database.db.execute(sql`select m.nik, h.no_kk, m.birth_date::text from members m join households h on h.id = m.household_id where not m.deceased order by random() limit ${lookups}`),
  );
  // A chat of its own for every lookup, as many distinct residents would have.
  const contacts = rowsOf<{ id: number }>(
    await database.db.execute(sql`insert into contacts (channel, external_id, language, last_inbound_at)
      select 'telegram', (200000000 + g)::text, 'id', now() from generate_series(1, ${sample.length}) g returning id`),
  );
  const times: number[] = [];
  let matches = 0;
  for (const [i, person] of sample.entries()) {
    const t = performance.now();
    const r = await database.db.transaction((tx) =>
      checkIdentity(tx, env, { contactId: Number(contacts[i]!.id), nik: person.nik, noKk: person.no_kk, birthDate: person.birth_date, now: new Date(), timeZone: 'Asia/Jakarta' }),
    );
    times.push(performance.now() - t);
    if (r.outcome === 'knowledge' || r.outcome === 'linked') matches++;
  }
  // The registry read alone, for the same residents in another order (so it is not a warm repeat of the above).
  const reads: number[] = [];
  for (const person of [...sample].reverse()) {
    const t = performance.now();
    await registryVerdict(database.db, { nik: person.nik, noKk: person.no_kk, birthDate: person.birth_date });
    reads.push(performance.now() - t);
  }
  return {
    people: people!.n,
    lookups: sample.length,
    matches,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    readP50: percentile(reads, 50),
    readP99: percentile(reads, 99),
  };
}

export async function aidLookupBenchmarks(households = 330_000, lookups = 5_000): Promise<BenchResult[]> {
  const f = await withScratch((database) => measureAidLookup(database, households, lookups));
  const what = `Aid check lookup (checkIdentity, one transaction), ${f.people.toLocaleString('en')} people, ${f.lookups.toLocaleString('en')} random residents`;
  const found = f.matches === f.lookups ? '' : ` (${f.matches} of ${f.lookups} matched)`;
  return [
    { benchmark: `${what}, p50`, figure: `${f.p50.toFixed(2)} ms${found}`, target: '(reported)' },
    { benchmark: `${what}, p99`, figure: `${f.p99.toFixed(2)} ms${found}`, target: '< 5 ms', met: f.matches === f.lookups && f.p99 < 5 },
    { benchmark: 'Aid check: the registry read alone (verifyIdentity), p50 / p99', figure: `${f.readP50.toFixed(2)} / ${f.readP99.toFixed(2)} ms`, target: '(reported)' },
  ];
}
