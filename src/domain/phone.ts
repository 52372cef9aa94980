import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { parsePhoneNumberFromString as parseMobile } from 'libphonenumber-js/mobile';

// Phone numbers as the registry and the channels write them: "0812-3456-789", "+62 812 3456 789",
// "6281234567890", WhatsApp's wa_id "6281234567890", whatsapp-web.js's "6281234567890@c.us", a Telegram
// contact's "+6281234567890". One form for comparing them: the international digits without "+"
// ("6281234567890"), which is also what WhatsApp calls the number. Indonesian numbers written nationally
// (leading 0) are read as +62.
//
// The database keeps the same form for registry phones in `members.phone_norm` (a generated column, so every
// way a member is written fills it); registrySqlNormalForm below is that column's expression, and the
// domain test checks both agree on the same table of inputs.

/** The comparable form of a phone number, or null when it is not a number WhatsApp could reach. */
export function normalizePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const trimmed = raw.replace(/@c\.us$/, '').trim();
  if (!/\d/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  const international = trimmed.startsWith('+') || /^62/.test(digits) ? `+${digits}` : trimmed;
  const parsed = parsePhoneNumberFromString(international, 'ID');
  if (!parsed || !parsed.isValid()) return null;
  return `${parsed.countryCallingCode}${parsed.nationalNumber}`;
}

/**
 * A registry phone the office may write to on WhatsApp: an Indonesian mobile number, by libphonenumber's
 * mobile metadata (a landline such as 0778-…, an unassigned prefix, too few or too many digits: null). The
 * generated column members.phone_norm computes the same in SQL (registrySqlNormalForm below); the database
 * test holds the two to one table of inputs.
 */
export function normalizeMobile(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const digits = raw.replace(/[\s().-]/g, '');
  if (!/^\+?\d+$/.test(digits)) return null;
  const parsed = parseMobile(digits.startsWith('+') || digits.startsWith('62') ? `+${digits.replace(/^\+/, '')}` : digits, 'ID');
  if (!parsed || !parsed.isValid() || parsed.countryCallingCode !== '62') return null;
  return `62${parsed.nationalNumber}`;
}

/** A phone masked for showing to someone who does not hold it yet: "0812****7890". */
export function maskPhone(normal: string): string {
  const national = normal.startsWith('62') ? `0${normal.slice(2)}` : `+${normal}`;
  if (national.length <= 8) return `${national.slice(0, 2)}****`;
  return `${national.slice(0, 4)}****${national.slice(-4)}`;
}

/**
 * The SQL form of normalizePhone for Indonesian numbers, as the registry holds them: digits only, a leading
 * 0 becomes 62, a leading 62 stays; anything else (too short, no country) is null. Used by the generated
 * column, which must not call into JavaScript.
 */
export const registrySqlNormalForm = `case
  when regexp_replace(phone, '[^0-9]', '', 'g') ~ '^08[1-35-9][0-9]{7,10}$' then '62' || substr(regexp_replace(phone, '[^0-9]', '', 'g'), 2)
  when regexp_replace(phone, '[^0-9]', '', 'g') ~ '^628[1-35-9][0-9]{7,10}$' then regexp_replace(phone, '[^0-9]', '', 'g')
  else null end`;

/** How a channel that speaks to phone numbers names the chat of one: wa_id digits, or whatsapp-web.js's "@c.us". */
export function phoneChatId(channel: string, phone: string): string {
  return channel === 'whatsapp_web' ? `${phone}@c.us` : phone;
}

/** The channels whose chat id is the resident's phone number: their sender proves the number. */
export const PHONE_CHANNELS: readonly string[] = ['whatsapp_cloud', 'whatsapp_web', 'demo_phone'];
