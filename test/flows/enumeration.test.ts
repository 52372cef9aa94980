import { and, eq, sql } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choiceRoutes, flows } from '../../flows/index.ts';
import { DEFAULT_IDENTITY_LIMITS } from '../../src/config.ts';
import { createEngine, type Engine } from '../../src/conversation/engine.ts';
import type { Inbound } from '../../src/conversation/types.ts';
import { rowsOf } from '../../src/db/rows.ts';
import { auditLog } from '../../src/db/schema/index.ts';
import { createI18n } from '../../src/i18n.ts';
import { createLogger } from '../../src/log.ts';
import type { Reply } from '../../src/messages/types.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { testBinder } from '../helpers/services.ts';
import { testClock, type TestClock } from '../helpers/chat.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

// Harvesting (issue 14): a script with a list of NIKs — and here even the KK numbers and birth dates, the
// worst case of a leaked registry — rotating chats from one client address. Knowledge alone shows only the
// public view, so whatever gets through reveals no desil, amount, member or invitation code; and the lookups
// answered are held to the per-chat and per-address limits.

const HOUR = 3_600_000;
const LIMITS = DEFAULT_IDENTITY_LIMITS;

let database: TestDatabase;
let engine: Engine;
let clock: TestClock;
let t: TFunction;
let people: { nik: string; kk: string; birth: string; desil: number | null; codes: string[]; names: string[] }[];

beforeAll(async () => {
  database = await createTestDatabase();
  clock = testClock();
  await seedDemoCity(database, { households: 300, today: clock() });
  const i18n = await createI18n('id');
  t = i18n.getFixedT('id');
  engine = createEngine({
    database,
    flows,
    choiceRoutes,
    i18n,
    logger: createLogger('silent'),
    defaultLocale: 'id',
    timeZone: 'Asia/Jakarta',
    bindServices: await testBinder({ limits: LIMITS }),
    clock,
  });
  // Everyone alive, with what a leak would hold and what must never come back: the family's invitation codes
  // and the other members' names.
  people = rowsOf<{ nik: string; kk: string; birth: string; desil: number | null; codes: string[] | null; names: string[] }>(
    await database.db.execute(sql`
      select m.nik, h.no_kk as kk, to_char(m.birth_date, 'DD-MM-YYYY') as birth, h.desil,
        (select array_agg(i.code) from invitations i where i.household_id = h.id) as codes,
        (select array_agg(o.name) from members o where o.household_id = h.id and o.id <> m.id) as names
      from members m join households h on h.id = m.household_id
      where not m.deceased and m.relationship in ('kepala', 'istri')
      order by m.id limit 500`),
  ).map((p) => ({ ...p, codes: p.codes ?? [], names: p.names ?? [] }));
}, 180_000);
afterAll(() => database.dispose());

let seq = 0;
/** One message of the script, from `address`. */
async function send(chatId: string, address: string, text: string, kind: 'text' | 'choice' = 'text'): Promise<Reply[]> {
  const inbound: Inbound = kind === 'text' ? { channel: 'webchat', chatId, kind, text, clientAddress: address } : { channel: 'webchat', chatId, kind, choice: text, clientAddress: address };
  return (await engine.handle(inbound)).replies;
}

/** A new chat past the welcome and the language question, at the menu. */
async function open(chatId: string, address: string): Promise<void> {
  await send(chatId, address, 'halo');
  await send(chatId, address, 'id', 'choice');
}

/** A fresh chat: open the aid check and type the three facts. Returns every text the script got back. */
async function harvest(p: (typeof people)[number], address: string): Promise<string> {
  const chat = `harvest-${++seq}-${Date.now()}`;
  const said: Reply[] = [];
  await open(chat, address);
  said.push(...(await send(chat, address, 'cek bansos')));
  said.push(...(await send(chat, address, p.nik)));
  said.push(...(await send(chat, address, p.kk)));
  said.push(...(await send(chat, address, p.birth)));
  return said.map((r) => [r.text, ...(r.options ?? []).map((o) => o.label)].join('\n')).join('\n\n');
}

async function lookups(since: Date): Promise<Record<string, number>> {
  const rows = await database.db
    .select({ outcome: sql<string>`${auditLog.details}->>'outcome'`, n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'identity.lookup'), sql`${auditLog.createdAt} >= ${since.toISOString()}::timestamptz`))
    .groupBy(sql`1`);
  return Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
}

describe('harvesting the registry', () => {
  it('500 lookups from rotating chats on one address: at most the per-address limit answered, and nothing beyond the public view', async () => {
    clock.advance(2 * HOUR);
    const since = clock();
    expect(people.length).toBe(500);
    const answers: string[] = [];
    for (const p of people) answers.push(await harvest(p, '203.0.113.50'));

    const knowledge = answers.filter((a) => a.includes(t('identity:knowledge.why')));
    expect(knowledge.length).toBe(LIMITS.perAddressHour);
    const refused = answers.filter((a) => a.includes(t('identity:limited.address', { until: '' }).slice(0, 40)));
    expect(refused.length).toBe(500 - LIMITS.perAddressHour);
    expect((await lookups(since)).knowledge).toBe(LIMITS.perAddressHour);

    for (const [i, a] of answers.entries()) {
      const p = people[i]!;
      expect(a).not.toMatch(/desil/i);
      expect(a).not.toMatch(/Rp\s?\d/);
      for (const code of p.codes) expect(a).not.toContain(code);
      // No other member, not even masked ("R**** H******" for Rahmat Hidayat).
      for (const name of p.names) expect(a).not.toContain(`${name[0]}***`);
      expect(a).not.toContain(t('aid:summary.who', { name: '', age: '', kelurahan: '', kecamatan: '', count: '' }).slice(0, 20));
    }
  }, 600_000);

  it('the flood from one address does not shut the check for anyone else', async () => {
    const other = await harvest(people[0]!, '198.51.100.20');
    expect(other).toContain(t('identity:knowledge.why'));
  }, 60_000);

  it('one chat trying many NIKs is stopped after its hourly lookups, whatever the outcome', async () => {
    clock.advance(2 * HOUR);
    const chat = `harvest-one-${Date.now()}`;
    const answers: string[] = [];
    await open(chat, '192.0.2.1');
    await send(chat, '192.0.2.1', 'cek bansos');
    for (let i = 0; i < 30; i++) {
      const p = people[100 + i]!;
      const texts = [...(await send(chat, '192.0.2.1', p.nik)), ...(await send(chat, '192.0.2.1', p.kk)), ...(await send(chat, '192.0.2.1', p.birth))];
      answers.push(texts.map((r) => r.text).join('\n'));
      await send(chat, '192.0.2.1', 'menu');
      await send(chat, '192.0.2.1', 'cek bansos');
    }
    expect(answers.filter((a) => a.includes(t('identity:knowledge.why')))).toHaveLength(LIMITS.perChatHour);
  }, 300_000);
});
