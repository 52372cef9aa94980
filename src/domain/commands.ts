import { nearly } from './fuzzy.ts';
import { normalize } from './text.ts';

// stop/resume, myData and deleteHistory are the data subject's rights (UU 27/2022, flows/rights.ts): a resident
// must be able to use them from anywhere in a conversation, like menu or batal.
export const GLOBAL_COMMANDS = ['menu', 'cancel', 'language', 'officer', 'help', 'stop', 'resume', 'myData', 'deleteHistory'] as const;
export type GlobalCommand = (typeof GLOBAL_COMMANDS)[number];

// Words residents actually type, in Bahasa Indonesia and English. Matched against the whole message only,
// so "saya mau bicara dengan petugas tentang menu" inside a complaint text is not a command.
const PHRASES: Record<GlobalCommand, string[]> = {
  menu: ['menu', 'menu utama', 'main menu', 'kembali', 'kembali ke menu', 'back', 'home', 'halo', 'hai', 'hi', 'hello', 'ulang', 'restart'],
  // Not "stop" or "berhenti": those are the opt-out words every channel must honour (DESIGN.md "Outbound").
  cancel: ['batal', 'batalkan', 'cancel', 'keluar', 'exit', 'quit'],
  language: ['bahasa', 'ganti bahasa', 'ubah bahasa', 'language', 'change language', 'english', 'bahasa indonesia', 'indonesia', 'inggris', 'bahasa inggris'],
  officer: ['petugas', 'operator', 'admin', 'cs', 'bicara dengan petugas', 'hubungi petugas', 'minta petugas', 'talk to an officer', 'officer', 'human', 'agent', 'talk to a person', 'manusia', 'orang'],
  help: ['bantuan', 'tolong', 'help', 'panduan', 'cara pakai', 'bingung', '?'],
  stop: ['berhenti', 'stop', 'unsubscribe', 'unsub', 'opt out', 'optout', 'berhenti langganan', 'stop langganan', 'berhenti kirim', 'berhenti kirim pesan', 'jangan kirim lagi', 'jangan kirim pesan lagi', 'stop pesan', 'stop messages', 'stop all'],
  // "start" is also what Telegram sends when a chat opens the bot (/start): for a chat that never stopped, the
  // engine treats it as the menu, as it always did.
  resume: ['mulai', 'start', 'mulai lagi', 'langganan', 'langganan lagi', 'resume', 'subscribe', 'unstop'],
  myData: ['data saya', 'data sy', 'data sya', 'datasaya', 'dataku', 'data ku', 'data aku', 'data diri', 'data diri saya', 'data pribadi', 'data pribadi saya', 'lihat data saya', 'cek data saya', 'my data', 'my personal data', 'show my data', 'what data do you have'],
  deleteHistory: ['hapus riwayat', 'hapus riwayat chat', 'hapus riwayat percakapan', 'hapus percakapan', 'hapus chat', 'hapus pesan saya', 'delete history', 'delete my history', 'delete chat history', 'delete my chat', 'clear history', 'clear chat history'],
};

const EXACT = new Map<string, GlobalCommand>();
for (const [cmd, phrases] of Object.entries(PHRASES) as [GlobalCommand, string[]][]) {
  for (const p of phrases) EXACT.set(normalize(p) || p, cmd);
}
// Single words that are distinctive enough to forgive a typo ("bahsa", "petuags", "cancle").
const FUZZY_WORDS: [string, GlobalCommand][] = [
  ['menu', 'menu'],
  ['batal', 'cancel'],
  ['cancel', 'cancel'],
  ['bahasa', 'language'],
  ['language', 'language'],
  ['petugas', 'officer'],
  ['operator', 'officer'],
  ['bantuan', 'help'],
  ['berhenti', 'stop'],
  ['unsubscribe', 'stop'],
  // Not "stop" (close to "step", "shop") nor "mulai" (a name, "Mulia", typed as an answer would leave the step).
];

// Two-word commands with a slip in their long words ("hapus riwyat", "delet history"). Words of four letters or
// fewer must be exact: "dana saya" is not "data saya".
const FUZZY_PHRASES: [string[], GlobalCommand][] = [
  [['hapus', 'riwayat'], 'deleteHistory'],
  [['delete', 'history'], 'deleteHistory'],
  [['berhenti', 'langganan'], 'stop'],
];

function nearlyPhrase(typed: string[], phrase: string[]): boolean {
  return typed.length === phrase.length && phrase.every((w, i) => (w.length <= 4 ? typed[i] === w : nearly(typed[i]!, w)));
}

/** The global command a whole message means, or undefined. `/start` and `/menu` (Telegram style) count too. */
export function matchCommand(text: string): GlobalCommand | undefined {
  const raw = text.trim();
  if (raw === '?') return 'help';
  const n = normalize(raw.replace(/^\//, ''));
  if (!n) return undefined;
  const exact = EXACT.get(n);
  if (exact) return exact;
  if (n.includes(' ')) return FUZZY_PHRASES.find(([p]) => nearlyPhrase(n.split(' '), p))?.[1];
  return FUZZY_WORDS.find(([w]) => nearly(n, w))?.[1];
}

// Greetings open the menu at a resting chat, but are only a greeting where the chat is waiting for a person.
const GREETINGS = new Set(['halo', 'hallo', 'helo', 'hai', 'hi', 'hello']);

/** "Halo?" said to an officer who has not answered yet: a greeting, not a wish to leave. */
export function isGreeting(text: string): boolean {
  return GREETINGS.has(normalize(text));
}

/** Which language a message names, when it names one ("english", "bahasa indonesia", "en", "id"). */
export function matchLanguage(text: string): 'id' | 'en' | undefined {
  const n = normalize(text);
  if (['id', 'indonesia', 'bahasa indonesia', 'indonesian', 'b indonesia', 'indo'].includes(n)) return 'id';
  if (['en', 'english', 'inggris', 'bahasa inggris', 'eng'].includes(n)) return 'en';
  return undefined;
}
