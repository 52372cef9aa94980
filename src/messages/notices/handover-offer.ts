import { HANDOVER_FILE, HANDOVER_WAIT } from '../choices.ts';
import type { OutboundMessage } from '../types.ts';

/**
 * The offer to a resident whose wait for an officer ran long: make it a report, or keep waiting. One message,
 * whether the conversation says it (flows/handover.ts) or the job sends it (services/handover-desk/offer.ts).
 */
export function handoverOffer(t: (key: string) => string): OutboundMessage {
  return { text: t('handover:offerReport'), options: [{ id: HANDOVER_FILE, label: t('handover:options.file') }, { id: HANDOVER_WAIT, label: t('handover:options.wait') }] };
}
