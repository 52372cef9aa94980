import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatPools, fuzzBatches, type FuzzCase } from '../helpers/inbound-fuzz.ts';
import { expectNoStuckChat, runLanes, startFuzzApp, type FuzzApp } from '../helpers/inbound-fuzz-run.ts';

// Issue 8: 100,000 random inbound messages across every channel's payload shapes (malformed JSON, missing
// fields, wrong types, bodies over 1 MB, unicode edge cases, badly signed webhooks, odd whatsapp-web.js
// message objects), against one service with every channel on. No 5xx at all, each refusal a 4xx with a
// reason, valid odd text answered, the service healthy throughout, and fuzzed chats still reach the menu.
// The same generators run 3,000 inputs in `npm test` (test/http/fuzz-inbound.test.ts).

const COUNT = Number(process.env.FUZZ_COUNT ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? 8);
// Chats are spread over lanes that run side by side; one chat's messages stay in order within its lane.
const LANES = 4;

describe('inbound fuzz, 100,000 inputs', () => {
  let f: FuzzApp;
  const pools = chatPools(80);
  const answered = new Map<FuzzCase['channel'], Set<string>>();

  beforeAll(async () => {
    f = await startFuzzApp();
  }, 180_000);
  afterAll(async () => {
    await f?.close();
  });

  it(`handles ${COUNT} random inputs: no 5xx, refusals with a reason, answers to valid ones`, async () => {
    const failures: string[] = [];
    const kinds = new Map<string, number>();
    let sent = 0;
    for (const batch of fuzzBatches(pools, COUNT, SEED, 1000)) {
      failures.push(
        ...(await runLanes(f, batch, LANES, (c, problem) => {
          kinds.set(`${c.channel}/${c.expect}`, (kinds.get(`${c.channel}/${c.expect}`) ?? 0) + 1);
          if (!problem && c.expect === 'reply') (answered.get(c.channel) ?? answered.set(c.channel, new Set()).get(c.channel)!).add(c.chatId);
        })),
      );
      sent += batch.length;
      // Healthy all along, not only at the end.
      if (sent % 10_000 === 0) expect((await fetch(`${f.app.base}/health`)).status, `health after ${sent}`).toBe(200);
      if (failures.length > 200) break; // enough to see the pattern; the report below lists the first ones
    }
    expect(failures.slice(0, 20), `${failures.length} failed`).toEqual([]);
    expect(sent).toBe(COUNT);
    for (const [k, n] of kinds) expect(n, k).toBeGreaterThan(0);
    expect([...kinds.keys()].sort()).toEqual(
      expect.arrayContaining(['telegram/reply', 'telegram/either', 'telegram/reject', 'telegram/unauthorized', 'whatsapp_cloud/reply', 'whatsapp_cloud/either', 'whatsapp_cloud/reject', 'whatsapp_cloud/unauthorized', 'webchat/reply', 'webchat/either', 'webchat/reject', 'whatsapp_web/reply', 'whatsapp_web/either']),
    );
    expect((await fetch(`${f.app.base}/health`)).status).toBe(200);
  }, 3_600_000);

  it('leaves no chat stuck: 20 fuzzed chats type "menu" and get the menu', async () => {
    await expectNoStuckChat(f, answered);
  }, 120_000);
});
