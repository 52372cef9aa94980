import { readWords } from '../intents.ts';

// What a resident who writes about an invitation wants done with it, read from the same words that sent them
// to their invitations: "mau konfirmasi hadir", "sy tdk bisa datang", "undangan mau diwakilkan suami". The
// invitations flow acts on it once the chat is verified, instead of asking again what the first message
// already said. Read narrowly: a question ("kapan saya harus datang?") or anything unclear wants nothing, and
// the resident gets the invitation with its four answers as before.

export type InvitationWant = 'confirm' | 'decline' | 'proxy' | 'slot';
/** The kuasa's relations to the resident the kuasa flow offers as buttons (any other is written out). */
export const PROXY_RELATIONS = ['spouse', 'child', 'parent', 'sibling'] as const;
export type ProxyRelation = (typeof PROXY_RELATIONS)[number];

// 't' is what is left of "can't", "won't" once the apostrophe is gone.
const NEGATIONS = new Set(['tidak', 'belum', 'not', 'cannot', 'unable', 'no', 't', 'berhalangan', 'batal', 'absen']);
const ATTEND = new Set(['hadir', 'attend', 'come', 'ambil', 'collect', 'go', 'make']);
const QUESTION = new Set(['kapan', 'dimana', 'berapa', 'bagaimana', 'apa', 'apakah', 'when', 'where', 'what', 'how', 'jam']);
const PROXY = new Set(['wakil', 'kuasa', 'proxy', 'behalf', 'ambilkan', 'diambilkan', 'ambilin', 'diambilin', 'titip', 'represent']);
const COLLECT = new Set(['ambil', 'collect', 'pick', 'mengambil', 'take']);
const CONFIRM = new Set(['konfirmasi', 'confirm', 'confirmed']);
const WILL = new Set(['akan', 'pasti', 'siap', 'insyaallah', 'will', 'bisa']);
const SLOT_VERB = new Set(['ganti', 'pindah', 'ubah', 'tukar', 'change', 'move', 'reschedule']);
const SLOT_NOUN = new Set(['jadwal', 'lokasi', 'tempat', 'hari', 'jam', 'schedule', 'place', 'location', 'day', 'time', 'slot']);

const RELATIONS: [ProxyRelation, readonly string[]][] = [
  ['spouse', ['suami', 'istri', 'isteri', 'husband', 'wife', 'laki', 'bini']],
  ['child', ['anak', 'son', 'daughter', 'child']],
  ['parent', ['ayah', 'mother', 'father', 'parent', 'parents', 'mama', 'mamak', 'emak', 'bapak']],
  ['sibling', ['kakak', 'adik', 'abang', 'saudara', 'brother', 'sister', 'sibling']],
];

/** A negation among the three words before word i. */
const negatedAt = (ws: readonly string[], i: number) => ws.slice(Math.max(0, i - 3), i).some((x) => NEGATIONS.has(x));

// A type, not an interface: it travels as a session's data (Record<string, unknown>).
export type InvitationRequest = {
  want?: InvitationWant;
  relation?: ProxyRelation;
};

export function readInvitationRequest(text: string): InvitationRequest {
  const ws = readWords(text);
  const has = (set: Set<string>) => ws.some((w) => set.has(w));
  // Someone of the family collecting: "my husband will collect it", "anak saya yang ambil".
  // Not "saya tidak bisa ambil, anak saya sakit": a negated collecting is the resident's own.
  const relative = RELATIONS.some(([, words]) => ws.some((w) => words.includes(w) && w !== 'bapak'));
  const collects = ws.some((w, i) => COLLECT.has(w) && !negatedAt(ws, i));
  if (has(PROXY) || (relative && collects)) {
    // "bapak" alone is how a resident addresses the officer ("pak"): a parent only as "bapak saya".
    const relation = RELATIONS.find(([, words]) => ws.some((w, i) => words.includes(w) && (w !== 'bapak' || ws[i + 1] === 'saya')))?.[0];
    return { want: 'proxy', ...(relation ? { relation } : {}) };
  }
  if (has(QUESTION)) return {};
  // A negation just before attending: "tidak bisa hadir", "can not come", "belum bisa datang".
  const declines = ws.some((w, i) => ATTEND.has(w) && negatedAt(ws, i)) || ws.includes('berhalangan');
  if (declines) return { want: 'decline' };
  if (ws.some((w, i) => SLOT_VERB.has(w) && ws.slice(i + 1, i + 3).some((x) => SLOT_NOUN.has(x))) || ws.includes('reschedule')) return { want: 'slot' };
  if (has(NEGATIONS)) return {};
  const attends = ws.some((w, i) => ATTEND.has(w) && ws.slice(Math.max(0, i - 2), i).some((x) => WILL.has(x)));
  if (has(CONFIRM) || attends) return { want: 'confirm' };
  return {};
}

const WANTS: readonly InvitationWant[] = ['confirm', 'decline', 'proxy', 'slot'];

/** The request as a session keeps it (`want`, `relation` among the flow's data), carried from flow to flow. */
export function requestIn(data: Record<string, unknown>): InvitationRequest {
  const out: InvitationRequest = {};
  const want = WANTS.find((w) => w === data.want);
  const relation = PROXY_RELATIONS.find((r) => r === data.relation);
  if (want) out.want = want;
  if (relation) out.relation = relation;
  return out;
}
