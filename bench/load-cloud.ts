// The WhatsApp Cloud webhooks of one new resident's aid check, as Meta POSTs them (one message per POST, with
// Meta's envelope: entry → changes → value with metadata, contacts and messages): a greeting (a first contact
// gets the welcome and the language question), the "Bahasa Indonesia" button (which opens the menu), "Cek
// bansos saya" from the menu's list, the NIK, the KK number and the birth date. Built as JSON text by hand, like
// load-updates.ts: the generator makes thousands a second and must not be the bottleneck it measures.
//
// The senders are numbers that are NOT registry phones (SENDER_PREFIX is none of the seed's prefixes, and the
// bench checks the registry holds none of them). A message from a family's registry phone links the chat at once
// (identity "registry_phone"), a different and shorter turn than Telegram's. From another number the check ends
// as Telegram's does before its last step: found by knowledge only, the public view shown and the code sent to
// the registry phone. There is no seventh step: WhatsApp has no "share my number" button, and the code goes to a
// phone the generator does not hold.
import type { Resident } from './load-updates.ts';

export const CLOUD_AID_CHECK_STEPS = 6;

/** 0899…: a real Indonesian mobile prefix the demo generator never draws (src/services/seed/generate.ts). */
export const SENDER_PREFIX = '62899';

/** The WhatsApp number (wa_id, international digits) chat number `chatNo` writes from. */
export function senderPhone(chatNo: number): string {
  return `${SENDER_PREFIX}${String(chatNo % 100_000_000).padStart(8, '0')}`;
}

const BUSINESS_ACCOUNT_ID = '102290129340398';
const DISPLAY_PHONE = '6281100009999';
// The option ids as the service renders them (render.ts puts an option's id in the button or list row).
const CHOICES: (undefined | { type: 'button_reply' | 'list_reply'; id: string; title: string })[] = [
  undefined,
  { type: 'button_reply', id: 'id', title: 'Bahasa Indonesia' },
  // The menu has more than three entries, so it goes as a list.
  { type: 'list_reply', id: 'aid', title: 'Cek bansos saya' },
];

/**
 * The body of step `step` (0–5) of the aid check of `resident`, written from WhatsApp number `phone` to our
 * number `phoneNumberId`; `seq` makes the message id (wamid) unique in the run.
 */
export function cloudAidCheckWebhook(resident: Resident, phone: string, step: number, seq: number, phoneNumberId: string): string {
  const id = `wamid.HBgN${phone}FQIAEhgU${seq.toString(16).toUpperCase().padStart(16, '0')}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const choice = CHOICES[step];
  let message: string;
  if (choice) {
    // Meta names the message that carried the button in `context`; which one it was does not matter to the engine.
    const context = `{"from":"${DISPLAY_PHONE}","id":"wamid.HBgN${phone}FQIAERgS${step}"}`;
    message = `{"context":${context},"from":"${phone}","id":"${id}","timestamp":"${timestamp}","type":"interactive","interactive":{"type":"${choice.type}","${choice.type}":{"id":"${choice.id}","title":"${choice.title}"}}}`;
  } else {
    const text = step === 0 ? 'Halo' : step === 3 ? resident.nik : step === 4 ? resident.kk : resident.birth;
    message = `{"from":"${phone}","id":"${id}","timestamp":"${timestamp}","text":{"body":"${text}"},"type":"text"}`;
  }
  const value = `{"messaging_product":"whatsapp","metadata":{"display_phone_number":"${DISPLAY_PHONE}","phone_number_id":"${phoneNumberId}"},"contacts":[{"profile":{"name":"Warga"},"wa_id":"${phone}"}],"messages":[${message}]}`;
  return `{"object":"whatsapp_business_account","entry":[{"id":"${BUSINESS_ACCOUNT_ID}","changes":[{"value":${value},"field":"messages"}]}]}`;
}
