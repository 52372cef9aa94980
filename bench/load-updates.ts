// The Telegram updates of one new resident's whole aid check, as Telegram would POST them to the webhook:
// "/start" (a first contact always gets the welcome and the language question), the "Bahasa Indonesia"
// button (which opens the menu), the "aid" button, the NIK, the KK number, the birth date, and then the
// resident's own number shared with the "Bagikan nomor saya" button (the registry-phone proof, which links the
// chat and shows the whole summary). Built as JSON text by hand:
// the generator makes thousands a second and must not be the bottleneck it measures.

export interface Resident {
  nik: string;
  kk: string;
  /** As a resident types it: DD-MM-YYYY. */
  birth: string;
  /** The resident's registry phone, as Telegram shares a contact (international digits). */
  phone: string;
}

/** The SQL that picks residents a check can complete for: alive, with a phone listed for their household only. */
export const RESIDENTS_SQL = `select m.nik, h.no_kk as kk, to_char(m.birth_date, 'DD-MM-YYYY') as birth, m.phone_norm as phone
  from members m join households h on h.id = m.household_id
  where not m.deceased and m.phone_norm is not null
    and not exists (select 1 from members o where o.phone_norm = m.phone_norm and o.household_id <> m.household_id)`;

export const AID_CHECK_STEPS = 7;
const BUTTONS = [undefined, 'id', 'aid'];
const BOT = '{"id":7000000001,"is_bot":true,"first_name":"Pintu","username":"PintuBenchBot"}';

/** The body of step `step` (0–6) of the aid check of `resident`, chatting from Telegram user `chatId`. */
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
  if (step === 6) {
    const contact = `{"phone_number":"${resident.phone}","first_name":"Warga","user_id":${chatId}}`;
    return `{"update_id":${updateId},"message":{"message_id":${step + 10},"from":${from},"chat":${chat},"date":${date},"contact":${contact}}}`;
  }
  const text = step === 0 ? '/start' : step === 3 ? resident.nik : step === 4 ? resident.kk : resident.birth;
  const entities = step === 0 ? ',"entities":[{"offset":0,"length":6,"type":"bot_command"}]' : '';
  return `{"update_id":${updateId},"message":{"message_id":${step + 10},"from":${from},"chat":${chat},"date":${date},"text":"${text}"${entities}}}`;
}
