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
  const ws = readWords(text);
  const named = SPLIT.filter(([, ps]) => ps.some((p) => contains(ws, p))).map(([c]) => c);
  return named.length === 1 ? named[0] : undefined;
}
