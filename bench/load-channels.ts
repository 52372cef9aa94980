// What the load generator POSTs for each channel: one piece drives both webhooks, and only the request differs.
// Telegram: the update (load-updates.ts) with the webhook's secret token header. WhatsApp Cloud: Meta's webhook
// (load-cloud.ts) signed as Meta signs it, X-Hub-Signature-256 = HMAC-SHA256 of the exact bytes with the app
// secret. The generator's process builds and signs every request, so its cost stays off the service's.
import { signBody } from '../src/channels/whatsapp-cloud/signature.ts';
import { CLOUD_AID_CHECK_STEPS, cloudAidCheckWebhook, senderPhone } from './load-cloud.ts';
import { AID_CHECK_STEPS, aidCheckUpdate, type Resident } from './load-updates.ts';

export type LoadChannel = 'telegram' | 'whatsapp_cloud';

export const LOAD_CHANNELS: readonly LoadChannel[] = ['telegram', 'whatsapp_cloud'];

export interface ChannelRequests {
  /** Messages in one resident's aid check on this channel. */
  steps: number;
  /** Step `step` of `resident`, writing as chat number `chatNo`; `seq` is unique in the run. */
  request(resident: Resident, chatNo: number, step: number, seq: number): { body: string; headers: Record<string, string> };
}

/**
 * `secret`: the Telegram webhook secret or the WhatsApp app secret the service was started with.
 * `phoneNumberId`: WhatsApp only, the service's number (messages to any other number are ignored).
 */
export function channelRequests(spec: { channel: LoadChannel; secret: string; phoneNumberId?: string }): ChannelRequests {
  if (spec.channel === 'telegram') {
    const headers = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': spec.secret };
    return {
      steps: AID_CHECK_STEPS,
      request: (resident, chatNo, step, seq) => ({ body: aidCheckUpdate(resident, chatNo, step, seq), headers }),
    };
  }
  if (!spec.phoneNumberId) throw new Error('a WhatsApp Cloud load needs the phone number id the service answers for');
  const phoneNumberId = spec.phoneNumberId;
  return {
    steps: CLOUD_AID_CHECK_STEPS,
    request(resident, chatNo, step, seq) {
      const body = cloudAidCheckWebhook(resident, senderPhone(chatNo), step, seq, phoneNumberId);
      return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, spec.secret) } };
    },
  };
}
