import { nearly } from './fuzzy.ts';
import { words } from './text.ts';

export const INTENTS = ['aid', 'invitations', 'complaint', 'status', 'faq', 'officer', 'language', 'myData', 'deleteHistory'] as const;
export type Intent = (typeof INTENTS)[number];

// Keywords that point at a menu entry, in both languages. Each keyword carries a weight: strong words
// decide alone ("bansos"), weak ones only with a partner ("cek" + "status").
const KEYWORDS: Record<Intent, [string, number][]> = {
  aid: [
    ['bansos', 3], ['bantuan', 2], ['dapat', 1], ['terima', 1], ['penerima', 2], ['terdaftar', 2], ['daftar', 1],
    ['pkh', 3], ['bpnt', 3], ['sembako', 2], ['blt', 3], ['dtks', 3], ['dtsen', 3], ['desil', 3], ['aid', 3],
    ['assistance', 3], ['benefit', 2], ['receive', 1], ['eligible', 3], ['registered', 2], ['cek', 1], ['check', 1], ['lansia', 2],
  ],
  invitations: [
    ['undangan', 3], ['jadwal', 3], ['pembagian', 3], ['pencairan', 3], ['penyaluran', 3], ['kapan', 2], ['cair', 3],
    ['ambil', 2], ['pengambilan', 3], ['invitation', 3], ['schedule', 3], ['when', 2], ['distribution', 3], ['collect', 2], ['kuasa', 2], ['proxy', 2],
  ],
  complaint: [
    ['lapor', 3], ['laporan', 2], ['pengaduan', 3], ['adu', 3], ['mengadu', 3], ['keluhan', 3], ['komplain', 3], ['aduan', 3],
    ['complaint', 3], ['report', 3], ['complain', 3], ['usul', 3], ['usulan', 3], ['sanggah', 3], ['sanggahan', 3], ['problem', 2], ['masalah', 2],
  ],
  status: [['status', 2], ['tiket', 3], ['lacak', 3], ['track', 3], ['tracking', 3], ['nomor', 1]],
  faq: [['faq', 3], ['pertanyaan', 3], ['tanya', 2], ['syarat', 3], ['dokumen', 3], ['alamat', 2], ['kantor', 2], ['question', 3], ['questions', 3], ['documents', 3], ['office', 2], ['hours', 2], ['jam', 2]],
  officer: [['petugas', 3], ['operator', 3], ['officer', 3], ['manusia', 3], ['human', 3]],
  language: [['bahasa', 3], ['language', 3], ['english', 3], ['inggris', 3]],
  // The data subject's rights (flows/rights.ts), read from a sentence at the menu ("saya mau lihat data saya").
  // "data" alone decides only against nothing stronger: "cek data bansos" is the aid check. There is no
  // free-text way to BERHENTI: "bantuan saya berhenti" means the aid stopped, not the messages; only the
  // whole-message command stops them.
  myData: [['data', 2], ['dataku', 3], ['pribadi', 1], ['privasi', 3], ['privacy', 3]],
  // Two words needed: "hapus" alone is one slip from "harus" ("apa yang harus saya bawa").
  deleteHistory: [['hapus', 1], ['riwayat', 1], ['percakapan', 1], ['delete', 1], ['history', 1], ['erase', 1]],
};

/**
 * The menu entry a free-text message most likely means, or undefined when nothing scores.
 * "cek status laporan" is a status check, not a new complaint: status words outrank when they co-occur.
 */
export function matchIntent(text: string): Intent | undefined {
  const ws = words(text).slice(0, 40);
  if (ws.length === 0) return undefined;
  const score = new Map<Intent, number>();
  for (const intent of INTENTS) {
    let s = 0;
    for (const w of ws) {
      const hit = KEYWORDS[intent].find(([k]) => nearly(w, k));
      if (hit) s += hit[1];
    }
    if (s > 0) score.set(intent, s);
  }
  if ((score.get('status') ?? 0) >= 2 && (score.get('complaint') ?? 0) > 0) return 'status';
  let best: Intent | undefined;
  let bestScore = 1; // a lone weak word ("cek") decides nothing
  for (const [intent, s] of score) {
    if (s > bestScore) {
      best = intent;
      bestScore = s;
    }
  }
  return best;
}
