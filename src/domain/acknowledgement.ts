import { FILLER_WORDS, madeOf, phraseSet } from './phrase-set.ts';
import { normalize } from './text.ts';
import type { Locale } from './vocabulary.ts';

// "Baik pak, terima kasih infonya", "ok siap", "👍": a resident acknowledging an officer's answer. Such a
// message is kept with the report, but it asks for nothing, so it must not reopen an answered report with a
// new deadline (services/complaints/lifecycle.ts residentReplied). Only a message with something more in it
// does: a question, "belum selesai", "masih belum cair", "not solved". Data per language; both are read,
// since residents mix them.

/** Thanks and acknowledgements, as whole phrases; a message made only of these (and filler) is one. */
export const ACKNOWLEDGEMENTS: Record<Locale, readonly string[]> = {
  id: [
    'terima kasih', 'terimakasih', 'trima kasih', 'trimakasih', 'makasih', 'makasi', 'maksih', 'mksh', 'mkasih', 'trims', 'trmksh', 'tks', 'tengkyu',
    'terima kasih banyak', 'terima kasih atas', 'matur nuwun', 'hatur nuhun',
    'ok', 'oke', 'okay', 'okey', 'okee', 'okk', 'baik', 'baiklah', 'siap', 'sip', 'sipp', 'mantap', 'mantab', 'noted', 'iya', 'ya', 'yaa', 'oh begitu', 'oh gitu', 'begitu', 'gitu',
    'paham', 'mengerti', 'dimengerti', 'jelas', 'sudah jelas', 'sudah paham', 'cukup', 'alhamdulillah', 'amin', 'aamiin', 'semoga',
    'sudah cair', 'sudah diterima', 'sudah terima', 'sudah masuk', 'sudah beres', 'sudah selesai', 'sudah dapat', 'sudah', 'udah', 'sdh', 'beres', 'selesai',
    'infonya', 'informasinya', 'jawabannya', 'bantuannya', 'responnya', 'tanggapannya', 'penjelasannya', 'atas', 'banyak', 'sekali',
  ],
  en: [
    'thanks', 'thank you', 'thankyou', 'thx', 'tq', 'ty', 'thnx', 'thanx', 'tnx', 'cheers', 'many thanks', 'thanks a lot', 'thank you very much', 'thank you so much',
    'ok', 'okay', 'noted', 'got it', 'understood', 'i see', 'all right', 'alright', 'fine', 'great', 'good', 'perfect', 'clear', 'solved', 'resolved', 'received', 'done',
    'for the', 'for your', 'for', 'information', 'answer', 'reply', 'help', 'very much', 'so much', 'a lot',
  ],
};

// Around thanks: address and filler, and the words thanks are said with ("yang", "the", "your", "so much").
const FILLER = new Set([...FILLER_WORDS, 'petugas', 'yg', 'yang', 'nya', 'you', 'your', 'very', 'so', 'much', 'a', 'lot']);

// Anything that still wants something: a question, "not yet", "still", "but". One of these and the message is
// not a mere acknowledgement, whatever thanks stand around it.
const WANTS_MORE = new Set([
  'belum', 'blm', 'masih', 'tidak', 'tdk', 'gak', 'ga', 'nggak', 'enggak', 'tapi', 'tp', 'namun', 'kenapa', 'knp', 'mengapa', 'kapan', 'kpn', 'bagaimana', 'gimana', 'gmn', 'apa', 'apakah', 'berapa', 'dimana', 'mana', 'siapa', 'tolong', 'mohon', 'minta',
  'not', 'no', 'still', 'but', 'yet', 'why', 'when', 'how', 'what', 'where', 'who', 'please', 'unsolved',
]);

const ACK_EMOJI = /[\u{1F44D}\u{1F44C}\u{1F64F}\u{2705}\u{2764}\u{1F60A}\u{1F642}\u{263A}\u{1F970}\u{1F60D}\u{1F4AA}]/u;

const PHRASES = phraseSet(ACKNOWLEDGEMENTS);

/**
 * True when the whole message only thanks or acknowledges ("baik pak terima kasih infonya", "ok", "👍"). A
 * question mark, a word that still wants something ("belum", "masih", "kapan", "not"), or any other word
 * makes it a message that asks for more.
 */
export function isAcknowledgement(text: string): boolean {
  if (text.includes('?')) return false;
  const n = normalize(text);
  if (!n) return ACK_EMOJI.test(text);
  const ws = n.split(' ');
  if (ws.length > 15 || ws.some((w) => WANTS_MORE.has(w))) return false;
  return madeOf(ws, PHRASES, FILLER) || ACK_EMOJI.test(text);
}
