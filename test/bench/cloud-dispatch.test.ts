// The Cloud dispatch benchmark (bench/cloud-dispatch.ts) measures what the issue names only if its messages are
// what it says they are: an invitation to a number that never wrote goes as the invitation template with its
// five parameters, a message to an open window as text, and the limits are the settings' defaults. Its figures
// are read from what the fake accepted, so their arithmetic is checked here too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchCloudConfig, openingMessage, sendFigures, windowMessage } from '../../bench/cloud-dispatch.ts';
import { createWhatsappCloudSender } from '../../src/channels/whatsapp-cloud/sender.ts';
import { createLogger } from '../../src/log.ts';
import { startFakeGraph, type FakeGraph } from '../fakes/graph.ts';

describe('cloud dispatch benchmark', () => {
  let fake: FakeGraph;
  beforeAll(async () => {
    fake = await startFakeGraph();
  });
  afterAll(() => fake.close());

  it('runs at the default limits: 80 messages a second, and the daily limit it is given', () => {
    const sender = createWhatsappCloudSender(benchCloudConfig(fake, 300), { logger: createLogger('silent') });
    expect(sender.limits.perSecond).toBe(80);
    expect(sender.limits.newConversationsPerDay).toBe(300);
  });

  it('sends its invitation as the invitation template with five parameters, and its window message as text', async () => {
    fake.reset();
    const sender = createWhatsappCloudSender(benchCloudConfig(fake), { logger: createLogger('silent') });
    const closed = await sender.send({ contactId: 1, chatId: '6281200000001', language: 'id', lastInboundAt: null }, openingMessage(7));
    const open = await sender.send({ contactId: 2, chatId: '6281200000002', language: 'id', lastInboundAt: new Date() }, windowMessage(8));
    expect(closed.status).toBe('sent');
    expect(open.status).toBe('sent');
    const [template, text] = fake.sent();
    expect(template!.type).toBe('template');
    expect(template!.template.name).toBe('pintu_undangan');
    expect(template!.template.components[0].parameters).toHaveLength(5);
    expect(text!.type).toBe('text');
  });

  it('reads rate, busiest second and repeats from the arrival times', () => {
    // 5 messages over 2 s (2 a second), three of them within one second, one number twice.
    const sent = [0, 500, 900, 1600, 2000].map((at, i) => ({ to: `6281200${i % 4}`, at }));
    expect(sendFigures(sent)).toEqual({ sent: 5, rate: 2, busiestSecond: 3, duplicates: 1 });
    expect(sendFigures([])).toEqual({ sent: 0, rate: 0, busiestSecond: 0, duplicates: 0 });
  });
});
