import { choiceRoutes, flows } from '../../flows/index.ts';
import type { Locale } from '../../src/domain/vocabulary.ts';
import { createEngine, type Engine } from '../../src/conversation/engine.ts';
import type { Inbound } from '../../src/conversation/types.ts';
import type { Reply } from '../../src/messages/types.ts';
import { createI18n } from '../../src/i18n.ts';
import { createLogger } from '../../src/log.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import type { Services } from '../../src/services/for-flows.ts';
import { BATAM_DEMO_HOUSEHOLDS } from '../../src/services/seed/batam-residents.ts';
import { testIdentityEnv } from './services.ts';
import { servicesBinder, type IdentityEnv } from '../../src/services/for-flows.ts';
import { lastCodeSentTo, linkInPersonForTest } from './codes.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

/** A clock the test moves by hand; it starts at the real time so the seeded distribution lies ahead. */
export interface TestClock {
  (): Date;
  advance(ms: number): void;
  set(at: Date): void;
}

export function testClock(start = new Date()): TestClock {
  let now = start;
  const clock = (() => now) as TestClock;
  clock.advance = (ms) => {
    now = new Date(now.getTime() + ms);
  };
  clock.set = (at) => {
    now = at;
  };
  return clock;
}

export interface FlowHarness {
  database: TestDatabase;
  engine: Engine;
  clock: TestClock;
  /** Services outside any message, for checking what a conversation persisted. */
  services: Services;
  dispose(): Promise<void>;
}

/** The real engine, the real flows and a seeded demo city, as the service wires them. */
export async function flowHarness(
  opts: { households?: number; identity?: Partial<IdentityEnv>; sleep?: (ms: number) => Promise<void>; onQuery?: (text: string) => void } = {},
): Promise<FlowHarness> {
  const database = await createTestDatabase({ onQuery: opts.onQuery });
  const clock = testClock();
  await seedDemoCity(database, { households: opts.households ?? 100, today: clock() });
  const i18n = await createI18n('id');
  const bindServices = servicesBinder(testIdentityEnv(i18n, opts.identity));
  const engine = createEngine({
    database,
    flows,
    choiceRoutes,
    i18n,
    logger: createLogger('silent'),
    defaultLocale: 'id',
    timeZone: 'Asia/Jakarta',
    bindServices,
    clock,
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
  });
  codeReaders.set(engine, () => lastCodeSentTo(database.db));
  codeWaits.set(engine, () => clock.advance(61_000));
  inPersonLinkers.set(engine, (chatId, nik) => linkInPersonForTest(database.db, testIdentityEnv(i18n, opts.identity), chatId, nik, clock()));
  return { database, engine, clock, services: bindServices(database.db), dispose: () => database.dispose() };
}

export interface ChatDriver {
  readonly chatId: string;
  /** The replies to the last message sent. */
  readonly replies: Reply[];
  /** The last reply of the last turn. */
  readonly last: Reply;
  /** Every text of the last turn, joined by blank lines. */
  readonly text: string;
  /** The ids of the options offered in the last turn. */
  readonly options: string[];
  say(text: string): Promise<Reply[]>;
  choose(choice: string): Promise<Reply[]>;
  send(inbound: Omit<Inbound, 'channel' | 'chatId'>): Promise<Reply[]>;
  /** First contact: the welcome, then the language. Leaves the chat on the main menu. */
  start(locale: Locale): Promise<Reply[]>;
  /**
   * Opens the aid check and proves who the chat is as a resident would on the web chat: NIK, KK number, birth
   * date (the KK of a demo household is found by the NIK), then the code sent to the registry phone with the
   * answer to the date, read back from the outbox. `knowledgeOnly` stops after the three facts. A NIK without a registry phone stays
   * knowledge-only.
   */
  verify(nik: string, birthDate: string, opts?: { noKk?: string; knowledgeOnly?: boolean }): Promise<Reply[]>;
}

/** Moves a harness's clock past the one-code-a-minute wait of a registry phone. */
export const codeWaits = new WeakMap<Engine, () => void>();

/** How a harness links a chat as an officer would after seeing the KTP (flowHarness registers its engine here). */
export const inPersonLinkers = new WeakMap<Engine, (chatId: string, nik: string) => Promise<void>>();

/** How a harness reads back the last code sent to a registry phone (flowHarness registers its engine here). */
export const codeReaders = new WeakMap<Engine, () => Promise<string | undefined>>();

/** The KK number of the demo household a NIK belongs to. */
export function demoKkOf(nik: string): string | undefined {
  return BATAM_DEMO_HOUSEHOLDS.find((h) => h.members.some((m) => m.nik === nik))?.noKk;
}

let seq = 0;

/** `inline`: answers come back in the call, as the web chat's own page takes them, instead of the outbox. */
export function driver(engine: Engine, chatId = `chat-${++seq}-${Date.now()}`, opts: { inline?: boolean } = {}): ChatDriver {
  let replies: Reply[] = [];
  const send = async (inbound: Omit<Inbound, 'channel' | 'chatId'>) => {
    const result = await engine.handle({ channel: 'webchat', chatId, ...(opts.inline ? { replyInline: true } : {}), ...inbound } as Inbound);
    replies = result.replies;
    return replies;
  };
  const d: ChatDriver = {
    chatId,
    get replies() {
      return replies;
    },
    get last() {
      const r = replies[replies.length - 1];
      if (!r) throw new Error('no reply in the last turn');
      return r;
    },
    get text() {
      return replies.map((r) => r.text).join('\n\n');
    },
    get options() {
      return replies.flatMap((r) => r.options ?? []).map((o) => o.id);
    },
    say: (text) => send({ kind: 'text', text }),
    choose: (choice) => send({ kind: 'choice', choice }),
    send,
    async start(locale) {
      // Not a command word ("halo" would open the menu directly): the welcome and its language question come first.
      await send({ kind: 'text', text: 'selamat pagi' });
      return d.choose(locale);
    },
    async verify(nik, birthDate, opts = {}) {
      await d.choose('aid');
      await d.say(nik);
      await d.say(opts.noKk ?? demoKkOf(nik) ?? '0000000000000000');
      // A phone gets at most one code a minute, and the code goes out with the answer to the birth date: a
      // suite verifying the same resident again waits that out first (a check that stops at the facts need not,
      // and must not when it counts lookups per minute).
      if (!opts.knowledgeOnly) codeWaits.get(engine)?.();
      const found = await d.say(birthDate);
      if (opts.knowledgeOnly || !d.options.includes('visit')) return found;
      if (!d.options.includes('resend')) {
        // No registry phone (Dewi): the in-person proof. The officer's side is the console's; here the link
        // it makes is written directly, and the resident asks again.
        const link = inPersonLinkers.get(engine);
        if (!link) return found;
        await d.choose('visit');
        await link(chatId, nik);
        await d.say('cek bansos');
        return d.choose('again');
      }
      const code = await codeReaders.get(engine)?.();
      if (!code) throw new Error('no code was sent to the registry phone');
      return d.say(code);
    },
  };
  return d;
}

/** A fresh chat that has chosen its language and rests at the menu. */
export async function startedChat(engine: Engine, locale: Locale): Promise<ChatDriver> {
  const c = driver(engine);
  await c.start(locale);
  return c;
}

/** A fresh chat, verified as the resident of `nik`, on their invitations ("Lihat undangan"). */
export async function onInvitations(engine: Engine, locale: Locale, resident: { nik: string; birth: string }): Promise<ChatDriver> {
  const c = await startedChat(engine, locale);
  await c.verify(resident.nik, resident.birth);
  await c.say('menu');
  await c.choose('invitations');
  return c;
}
