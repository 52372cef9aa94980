import { choiceRoutes, flows } from '../../flows/index.ts';
import type { Locale } from '../../src/domain/vocabulary.ts';
import { createEngine, type Engine } from '../../src/conversation/engine.ts';
import type { Inbound } from '../../src/conversation/types.ts';
import type { Reply } from '../../src/messages/types.ts';
import { createI18n } from '../../src/i18n.ts';
import { createLogger } from '../../src/log.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { bindServices, type Services } from '../../src/services/for-flows.ts';
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
export async function flowHarness(opts: { households?: number } = {}): Promise<FlowHarness> {
  const database = await createTestDatabase();
  const clock = testClock();
  await seedDemoCity(database, { households: opts.households ?? 100, today: clock() });
  const engine = createEngine({
    database,
    flows,
    choiceRoutes,
    i18n: await createI18n('id'),
    logger: createLogger('silent'),
    defaultLocale: 'id',
    timeZone: 'Asia/Jakarta',
    bindServices,
    clock,
  });
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
  /** Start (if `locale` given), open the aid check and pass the identity check. */
  verify(nik: string, birthDate: string): Promise<Reply[]>;
}

let seq = 0;

export function driver(engine: Engine, chatId = `chat-${++seq}-${Date.now()}`): ChatDriver {
  let replies: Reply[] = [];
  const send = async (inbound: Omit<Inbound, 'channel' | 'chatId'>) => {
    const result = await engine.handle({ channel: 'webchat', chatId, ...inbound } as Inbound);
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
    async verify(nik, birthDate) {
      await d.choose('aid');
      await d.say(nik);
      return d.say(birthDate);
    },
  };
  return d;
}
