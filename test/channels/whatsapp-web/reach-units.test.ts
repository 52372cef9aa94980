import pkg from 'whatsapp-web.js';
import { describe, expect, it } from 'vitest';
import { ACK_ERROR_REASON, reportOfAck } from '../../../src/channels/whatsapp-web/acks.ts';
import { createNumberCheck } from '../../../src/channels/whatsapp-web/number-check.ts';
import { FakeWhatsapp } from '../../fakes/wwebjs.ts';

const { MessageAck } = pkg;
const at = new Date('2025-03-01T02:00:00Z');

describe('whatsapp web acks as delivery reports', () => {
  it('reads two ticks as delivered, blue ticks or played as read, the red mark as failed, the rest as nothing new', () => {
    expect(reportOfAck('id1', MessageAck.ACK_DEVICE, at)).toEqual({ providerMessageId: 'id1', status: 'delivered', at });
    expect(reportOfAck('id1', MessageAck.ACK_READ, at)).toEqual({ providerMessageId: 'id1', status: 'read', at });
    expect(reportOfAck('id1', MessageAck.ACK_PLAYED, at)).toEqual({ providerMessageId: 'id1', status: 'read', at });
    expect(reportOfAck('id1', MessageAck.ACK_ERROR, at)).toEqual({ providerMessageId: 'id1', status: 'failed', reason: ACK_ERROR_REASON, unreachable: false, at });
    expect(reportOfAck('id1', MessageAck.ACK_SERVER, at)).toEqual({ providerMessageId: 'id1', status: 'noted' });
    expect(reportOfAck('id1', MessageAck.ACK_PENDING, at)).toEqual({ providerMessageId: 'id1', status: 'noted' });
  });
});

describe('whatsapp web number check', () => {
  it('remembers a yes, never a no, and only so many', async () => {
    const world = new FakeWhatsapp();
    const client = world.createClient();
    const numbers = createNumberCheck(2);
    const [a, b, c, gone] = ['6281200000001@c.us', '6281200000002@c.us', '6281200000003@c.us', '6281200000004@c.us'];
    world.unregistered.add(gone!);

    expect(await numbers.check(client, a!)).toBe('on_whatsapp');
    expect(await numbers.check(client, a!)).toBe('on_whatsapp');
    expect(await numbers.check(client, gone!)).toBe('not_on_whatsapp');
    expect(await numbers.check(client, gone!)).toBe('not_on_whatsapp');
    expect(world.numberChecks).toEqual([a, gone, gone]);

    // Two remembered at most: the one used longest ago goes.
    await numbers.check(client, b!);
    await numbers.check(client, a!); // a is used again: b is now the oldest
    await numbers.check(client, c!);
    world.numberChecks.length = 0;
    await numbers.check(client, a!);
    await numbers.check(client, c!);
    await numbers.check(client, b!);
    expect(world.numberChecks).toEqual([b]);

    // After a failed send the number is asked again, and a "no" then forgets the earlier "yes".
    world.unregistered.add(c!);
    expect(await numbers.askAgain(client, c!)).toBe('not_on_whatsapp');
    expect(await numbers.check(client, c!)).toBe('not_on_whatsapp');

    // A LID chat exists because its person wrote to us; it cannot be looked up anyway.
    expect(await numbers.check(client, '123456789012345@lid')).toBe('on_whatsapp');
    world.numberCheckError = new Error('Session closed');
    expect(await numbers.check(client, '6281200000009@c.us')).toBe('error');
  });
});
