import { nearly } from './fuzzy.ts';
import { normalize } from './text.ts';

export const GLOBAL_COMMANDS = ['menu', 'cancel', 'language', 'officer', 'help'] as const;
export type GlobalCommand = (typeof GLOBAL_COMMANDS)[number];

// Words residents actually type, in Bahasa Indonesia and English. Matched against the whole message only,
// so "saya mau bicara dengan petugas tentang menu" inside a complaint text is not a command.
const PHRASES: Record<GlobalCommand, string[]> = {
  menu: ['menu', 'menu utama', 'main menu', 'kembali', 'kembali ke menu', 'back', 'home', 'mulai', 'start', 'halo', 'hai', 'hi', 'hello', 'ulang', 'restart'],
  cancel: ['batal', 'batalkan', 'cancel', 'stop', 'berhenti', 'keluar', 'exit', 'quit'],
  language: ['bahasa', 'ganti bahasa', 'ubah bahasa', 'language', 'change language', 'english', 'bahasa indonesia', 'indonesia', 'inggris', 'bahasa inggris'],
  officer: ['petugas', 'operator', 'admin', 'cs', 'bicara dengan petugas', 'hubungi petugas', 'minta petugas', 'talk to an officer', 'officer', 'human', 'agent', 'talk to a person', 'manusia', 'orang'],
  help: ['bantuan', 'tolong', 'help', 'panduan', 'cara pakai', 'bingung', '?'],
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
];

/** The global command a whole message means, or undefined. `/start` and `/menu` (Telegram style) count too. */
export function matchCommand(text: string): GlobalCommand | undefined {
  const raw = text.trim();
  if (raw === '?') return 'help';
  const n = normalize(raw.replace(/^\//, ''));
  if (!n) return undefined;
  const exact = EXACT.get(n);
  if (exact) return exact;
  if (n.includes(' ')) return undefined;
  return FUZZY_WORDS.find(([w]) => nearly(n, w))?.[1];
}

/** Which language a message names, when it names one ("english", "bahasa indonesia", "en", "id"). */
export function matchLanguage(text: string): 'id' | 'en' | undefined {
  const n = normalize(text);
  if (['id', 'indonesia', 'bahasa indonesia', 'indonesian', 'b indonesia', 'indo'].includes(n)) return 'id';
  if (['en', 'english', 'inggris', 'bahasa inggris', 'eng'].includes(n)) return 'en';
  return undefined;
}
