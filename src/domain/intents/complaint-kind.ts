import { readWords } from '../intents.ts';
import type { COMPLAINT_CATEGORIES } from '../vocabulary.ts';

// The kind of report a resident's words already name ("mau mengadu bantuan belum diterima", "lokasi terlalu
// jauh"), so the complaint flow does not ask what the first message said. Read narrowly, by phrases: a word
// alone ("bantuan", "data") names no kind, and the list of kinds is shown as before.

type Category = (typeof COMPLAINT_CATEGORIES)[number];

const PHRASES: [Category, string[]][] = [
  [
    'not_received',
    [
      'belum diterima', 'belum terima', 'tidak diterima', 'tidak terima', 'belum dapat', 'tidak dapat bantuan', 'belum cair', 'tidak cair',
      'belum masuk', 'tidak masuk', 'dipotong', 'potongan', 'pungli', 'not received', 'has not been received', 'not been received',
      'not paid', 'did not get', 'have not received', 'has not come', 'was cut',
    ],
  ],
  ['site_too_far', ['terlalu jauh', 'kejauhan', 'lokasi jauh', 'tempatnya jauh', 'too far']],
  ['wrong_data', ['data salah', 'data keliru', 'salah data', 'nama salah', 'salah nama', 'alamat salah', 'sudah meninggal', 'sudah pindah', 'wrong data', 'data is wrong', 'has died', 'has moved']],
  ['sanggahan', ['tidak layak', 'padahal mampu', 'orang mampu', 'orang kaya', 'not eligible', 'is rich', 'well off']],
  ['usulan', ['belum terdaftar', 'tidak terdaftar', 'mau daftar', 'ingin daftar', 'minta didaftarkan', 'not registered', 'want to register']],
  ['service', ['petugas kasar', 'petugas tidak ramah', 'pelayanan buruk', 'pelayanan jelek', 'rude officer', 'bad service']],
  // Someone else in need of social care (PPKS): the office's own words for them, and how residents say it.
  [
    'ppks',
    [
      'terlantar', 'telantar', 'gelandangan', 'pengemis', 'anak jalanan', 'orang butuh bantuan', 'orang yang butuh bantuan',
      'orang membutuhkan bantuan', 'orang yang membutuhkan bantuan', 'korban banjir', 'korban kebakaran', 'korban bencana', 'korban longsor',
      'neglected', 'homeless', 'beggar', 'beggars', 'begging', 'street children', 'street child', 'person in need', 'someone in need',
      'people in need', 'flood victims', 'fire victims', 'disaster victims',
    ],
  ],
];

const SPLIT = PHRASES.map(([c, ps]) => [c, ps.map((p) => p.split(' '))] as const);

function contains(ws: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= ws.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (ws[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** The one kind of report the words name, or undefined when they name none, or more than one. */
export function readComplaintKind(text: string): Category | undefined {
  const named = namedKinds(readWords(text));
  return named.length === 1 ? named[0] : undefined;
}

function namedKinds(ws: readonly string[]): Category[] {
  return SPLIT.filter(([, ps]) => ps.some((p) => contains(ws, p))).map(([c]) => c);
}

// The writer in need themselves or their own family ("saya terlantar", "anak saya terlantar", "we are homeless"):
// that is a plea, and goes to an officer at once, not to a form. "aku", "gw" are read as "saya" already.
const OWN_WORDS = new Set(['saya', 'kami', 'ku', 'me', 'my', 'we', 'our', 'us', 'im']);
const OWN_PHRASES = [['i', 'am'], ['i', 'have'], ['i', 'was']];
// Unless the words say it is a report: "saya mau lapor ada gelandangan" ("laporkan", "melaporkan" read as "lapor").
const REPORT_WORDS = new Set(['lapor', 'report', 'reporting']);

/**
 * The words report someone else in need of social care ("ada orang tua terlantar di jalan", "there is a homeless
 * man at the market"): a PPKS report, asked as one. Not when the writer speaks of their own need, unless they
 * say they are reporting.
 */
export function reportsSomeoneInNeed(text: string): boolean {
  const ws = readWords(text);
  const named = namedKinds(ws);
  if (named.length !== 1 || named[0] !== 'ppks') return false;
  if (ws.some((w) => REPORT_WORDS.has(w))) return true;
  return !ws.some((w) => OWN_WORDS.has(w)) && !OWN_PHRASES.some((p) => contains(ws, p));
}
