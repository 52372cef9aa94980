import type { Channel } from '../../domain/vocabulary.ts';
import type { ChannelLimits, ChannelSender, SendResult } from '../../outbox/sender.ts';

/**
 * The demo phones' way out: the embedded demo's stand-in for WhatsApp, so codes and family notices for the
 * demo city's registry phones leave the outbox as they would on a real deployment. There is no network and
 * no handset: sending is accepting the row. The demo phone page shows what was sent from `messages`, which
 * enqueue already wrote, so nothing needs to be handed anywhere.
 */
export class DemoPhoneSender implements ChannelSender {
  readonly channel: Channel = 'demo_phone';
  // Nobody to protect from a burst; the per-chat order still holds (claim.ts).
  readonly limits: ChannelLimits = { perSecond: 1000, perChatIntervalMs: 0 };

  async send(): Promise<SendResult> {
    return { status: 'sent' };
  }
}
