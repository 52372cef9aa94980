import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatPools, fuzzBatches, type FuzzCase } from '../helpers/inbound-fuzz.ts';
import { expectNoStuckChat, runLanes, startFuzzApp, type FuzzApp } from '../helpers/inbound-fuzz-run.ts';

// Issue 8, the quick version: a few thousand random inbound messages across every channel's payload shapes
// (the 100,000 run is test/reliability/fuzz.test.ts, with the same generators). No 5xx, every refusal a 4xx
// with a reason, valid odd text answered, the service healthy, and fuzzed chats still reach the menu.

const COUNT = Number(process.env.FUZZ_COUNT ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);

describe('inbound fuzz (every channel)', () => {
  let f: FuzzApp;
  const pools = chatPools(30);
  const answered = new Map<FuzzCase['channel'], Set<string>>();

  beforeAll(async () => {
    f = await startFuzzApp();
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it(`answers ${COUNT} random inputs without a 5xx, refusing bad ones with a reason`, async () => {
    const failures: string[] = [];
    const kinds = new Map<string, number>();
    for (const batch of fuzzBatches(pools, COUNT, SEED)) {
      const failed = await runLanes(f, batch, 1, (c, problem) => {
        kinds.set(`${c.channel}/${c.expect}`, (kinds.get(`${c.channel}/${c.expect}`) ?? 0) + 1);
        if (!problem && c.expect === 'reply') (answered.get(c.channel) ?? answered.set(c.channel, new Set()).get(c.channel)!).add(c.chatId);
      });
      failures.push(...failed);
    }
    expect(failures.slice(0, 15), `${failures.length} of ${COUNT} failed`).toEqual([]);
    // Every channel and every kind of case was exercised.
    for (const k of ['telegram/reply', 'telegram/either', 'telegram/reject', 'whatsapp_cloud/reply', 'whatsapp_cloud/either', 'whatsapp_cloud/unauthorized', 'webchat/reply', 'webchat/reject', 'whatsapp_web/reply', 'whatsapp_web/either']) {
      expect(kinds.get(k) ?? 0, k).toBeGreaterThan(0);
    }
    const health = await fetch(`${f.app.base}/health`);
    expect(health.status).toBe(200);
  }, 900_000);

  it('leaves no chat stuck: 20 fuzzed chats type "menu" and get the menu', async () => {
    await expectNoStuckChat(f, answered);
  }, 120_000);
});
