import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeReaders, driver, flowHarness, type FlowHarness } from '../helpers/chat.ts';

// What one message costs the database (issue 21): every statement is a round trip, and on a busy service the
// round trips are the turn's largest cost. These are the counts of the aid check's steps today; a change that
// adds a statement to a turn changes a number here on purpose. BEGIN, COMMIT and the step's savepoint are not
// counted.
// The birth date step is the identity check (the chat's lock with its hour, its address's hour and the city's
// minute; the registry with the member's chats of the day; failures cleared with the family's registry phones;
// the public view with the lookup's audit) and the code sent to the registry phone (the phone with its last
// code; the code stored with its audit; the phone's chat; the message). The code step links the chat (the code
// used with the household read back; the link, its audit and the chat in one; the household's chats and registry
// phone; the notice to the phone) and shows the whole answer (the family with the read's audit, the programs, the
// transfers, the programs' rules, the next invitation, the rating asked, the nearby agents). Every other step is
// the turn itself: the chat's lock, the message and session, the replies, the session written back.
const BUDGET = { menu: 5, nik: 4, kk: 4, birth: 12, code: 20 };

const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|savepoint|release)\b/i;

let h: FlowHarness;
let statements: string[] = [];

beforeAll(async () => {
  // PGlite's driver sends BEGIN and COMMIT as statements of its own; postgres.js does not show them.
  h = await flowHarness({ onQuery: (text) => void (TRANSACTION_CONTROL.test(text) || statements.push(text)) });
}, 120_000);
afterAll(() => h.dispose());

async function cost(step: () => Promise<unknown>): Promise<string[]> {
  statements = [];
  await step();
  return statements;
}

describe('statements per message of the aid check', () => {
  it('stays within what each step needs', async () => {
    const c = driver(h.engine);
    await c.start('id');
    const counts = {
      menu: (await cost(() => c.choose('aid'))).length,
      nik: (await cost(() => c.say('2171105203850001'))).length,
      kk: (await cost(() => c.say('2171100207180005'))).length,
      birth: (await cost(() => c.say('12-03-1985'))).length,
    };
    const code = (await codeReaders.get(h.engine)!())!;
    Object.assign(counts, { code: (await cost(() => c.say(code))).length });
    expect(counts).toEqual(BUDGET);
  });
});
