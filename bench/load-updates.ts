// The Telegram updates of one new resident's whole aid check, as Telegram would POST them to the webhook:
// "/start" (a first contact always gets the welcome and the language question), the "Bahasa Indonesia"
// button (which opens the menu), the "aid" button, the NIK, then the birth date. Built as JSON text by hand:
// the generator makes thousands a second and must not be the bottleneck it measures.

export interface Resident {
  nik: string;
  /** As a resident types it: DD-MM-YYYY. */
  birth: string;
}

export const AID_CHECK_STEPS = 5;
const BUTTONS = [undefined, 'id', 'aid'];
const BOT = '{"id":7000000001,"is_bot":true,"first_name":"Pintu","username":"PintuBenchBot"}';

/** The body of step `step` (0–4) of the aid check of `resident`, chatting from Telegram user `chatId`. */
export function aidCheckUpdate(resident: Resident, chatId: number, step: number, updateId: number): string {
  const from = `{"id":${chatId},"is_bot":false,"first_name":"Warga","language_code":"id"}`;
  const chat = `{"id":${chatId},"first_name":"Warga","type":"private"}`;
  const date = Math.floor(Date.now() / 1000);
  const button = BUTTONS[step];
  if (button) {
    // Which bot message carried the button does not matter to the engine, only its data.
    const message = `{"message_id":${step},"from":${BOT},"chat":${chat},"date":${date},"text":"Pilih"}`;
    return `{"update_id":${updateId},"callback_query":{"id":"${chatId}00${updateId}","from":${from},"chat_instance":"-${chatId}","data":"${button}","message":${message}}}`;
  }
  const text = step === 0 ? '/start' : step === 3 ? resident.nik : resident.birth;
  const entities = step === 0 ? ',"entities":[{"offset":0,"length":6,"type":"bot_command"}]' : '';
  return `{"update_id":${updateId},"message":{"message_id":${step + 10},"from":${from},"chat":${chat},"date":${date},"text":"${text}"${entities}}}`;
}
