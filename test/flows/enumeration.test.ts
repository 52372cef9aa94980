import { and, eq, sql } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choiceRoutes, flows } from '../../flows/index.ts';
import { createEngine, type Engine } from '../../src/conversation/engine.ts';
import { auditLog } from '../../src/db/schema/index.ts';
import { createI18n } from '../../src/i18n.ts';
import { createLogger } from '../../src/log.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { bindServices } from '../../src/services/for-flows.ts';
import { CHAT_LOOKUPS_PER_HOUR } from '../../src/services/identity/rate-limit.ts';
import { driver, testClock, type ChatDriver, type TestClock } from '../helpers/chat.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

// Issue 8: a script walking through NIKs learns from each answer whether a NIK is registered. It is held to
// CHAT_LOOKUPS_PER_HOUR registry answers per chat, and to IDENTITY_FAILED_LOOKUPS_PER_MINUTE failed answers
// city-wide however many chats it uses; a resident who is already verified is served all the while.

const SITI = { nik: '2171105203850001', birth: '12-03-1985' };
const CITY_LIMIT = 50;
const MINUTE = 60_000;
/** NIKs each of the 200 chats tries. */
const TRIES = 2;
const HOUR = 60 * MINUTE;
/** The first line of Siti's aid summary: she is verified and sees her family's aid. */
const SUMMARY = /Hasil cek bansos untuk S\*\*\* A\*\*\*\*/;
const REGISTRY_OUTCOMES = ['not_found', 'mismatch', 'locked_now', 'match'];

/** NIKs of the same form as Siti's (kecamatan 10, born 12-03-1985), nobody's: `serial` 1000 and up. */
const probe = (serial: number) => `217110520385${1000 + serial}`;

let database: TestDatabase;
let engine: Engine;
let clock: TestClock;
let t: TFunction;

beforeAll(async () => {
  database = await createTestDatabase();
  clock = testClock();
  await seedDemoCity(database, { households: 30, today: clock() });
  const i18n = await createI18n('id');
  t = i18n.getFixedT('id');
  // As composeApp builds it, with IDENTITY_FAILED_LOOKUPS_PER_MINUTE=50.
  engine = createEngine({
    database,
    flows,
    choiceRoutes,
    i18n,
    logger: createLogger('silent'),
    defaultLocale: 'id',
    timeZone: 'Asia/Jakarta',
    bindServices,
    clock,
    settings: { identityFailedLookupsPerMinute: CITY_LIMIT },
  });
}, 120_000);
afterAll(() => database.dispose());

/** identity.lookup audit rows by outcome since `since` (the audit is written with the conversation's clock). */
async function lookups(since: Date): Promise<Record<string, number>> {
  const rows = await database.db
    .select({ outcome: sql<string>`${auditLog.details}->>'outcome'`, n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'identity.lookup'), sql`${auditLog.createdAt} >= ${since.toISOString()}::timestamptz`))
    .groupBy(sql`1`);
  return Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
}

const registryAnswers = (byOutcome: Record<string, number>) => REGISTRY_OUTCOMES.reduce((sum, o) => sum + (byOutcome[o] ?? 0), 0);

/** One try of the script: back to the menu, open the aid check, type a NIK and the birth date it implies. */
async function attempt(c: ChatDriver, nik: string): Promise<string> {
  await c.say('menu');
  await c.choose('aid');
  if (!c.text.includes(t('aid:nik.prompt'))) return c.text; // refused before any NIK was asked
  await c.say(nik);
  await c.say(SITI.birth);
  return c.text;
}

describe('NIK enumeration', () => {
  it(`stops one chat trying 100 NIKs after ${CHAT_LOOKUPS_PER_HOUR} registry answers, for an hour`, async () => {
    clock.advance(2 * HOUR);
    const since = clock();
    const c = driver(engine, `enum-one-${Date.now()}`);
    await c.start('id');
    const answers: string[] = [];
    for (let i = 0; i < 100; i++) answers.push(await attempt(c, probe(i)));

    const notFound = answers.filter((a) => a.includes(t('aid:notFound.title'))).length;
    expect(notFound).toBe(CHAT_LOOKUPS_PER_HOUR);
    // The rest were refused at the NIK question, before the registry: the chat is locked until an hour on.
    const until = new Date(since.getTime() + HOUR);
    const lockedText = t('aid:locked', { until: '' }).slice(0, 40);
    expect(answers.slice(CHAT_LOOKUPS_PER_HOUR).every((a) => a.includes(lockedText))).toBe(true);
    const audit = await lookups(since);
    expect(registryAnswers(audit)).toBe(CHAT_LOOKUPS_PER_HOUR);
    expect(audit.not_found).toBe(CHAT_LOOKUPS_PER_HOUR);

    // An hour later the chat may check again.
    clock.set(new Date(until.getTime() + 1));
    expect(await attempt(c, probe(500))).toContain(t('aid:notFound.title'));
  }, 120_000);

  it('stops 200 chats at once at the city-wide limit, while a verified resident is still answered', async () => {
    clock.advance(2 * HOUR);
    // Siti verified her chat before the attack.
    const siti = driver(engine, `enum-siti-${Date.now()}`);
    await siti.start('id');
    await siti.verify(SITI.nik, SITI.birth);
    expect(siti.text).toMatch(SUMMARY);

    clock.advance(1000);
    const since = clock();
    const chats = Array.from({ length: 200 }, (_, i) => driver(engine, `enum-many-${Date.now()}-${String(i).padStart(3, '0')}`));
    await Promise.all(chats.map((c) => c.start('id')));
    let next = 0;
    const answers = await Promise.all(
      chats.map(async (c) => {
        const mine: string[] = [];
        for (let k = 0; k < TRIES; k++) mine.push(await attempt(c, probe(next++)));
        return mine;
      }),
    );
    const all = answers.flat();
    const audit = await lookups(since);

    // Exactly the limit of failed answers came from the registry; every other try was told to come back later.
    expect(registryAnswers(audit)).toBe(CITY_LIMIT);
    expect(all.filter((a) => a.includes(t('aid:notFound.title')))).toHaveLength(CITY_LIMIT);
    expect(all.filter((a) => a.includes(t('aid:busy')))).toHaveLength(200 * TRIES - CITY_LIMIT);
    expect(audit.busy).toBe(200 * TRIES - CITY_LIMIT);
    // The moment the limit was reached is in the audit log, once.
    const trips = await database.db
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'identity.rate_limit'), sql`${auditLog.createdAt} >= ${since.toISOString()}::timestamptz`));
    expect(trips).toEqual([{ details: { scope: 'city', limit: CITY_LIMIT, windowSeconds: 60 } }]);

    // Siti, verified, still sees her aid while the minute is full.
    await siti.say('menu');
    await siti.choose('aid');
    expect(siti.text).toContain(t('aid:alreadyVerified', { name: 'S' }).slice(0, 30));
    await siti.choose('again');
    expect(siti.text).toMatch(SUMMARY);

    // A resident not yet verified waits the minute out, then is answered.
    const late = driver(engine, `enum-late-${Date.now()}`);
    await late.start('id');
    expect(await attempt(late, SITI.nik)).toContain(t('aid:busy'));
    clock.advance(MINUTE);
    await attempt(late, SITI.nik);
    expect(late.text).toMatch(SUMMARY);
  }, 300_000);
});
