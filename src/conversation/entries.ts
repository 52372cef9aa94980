import type { GlobalCommand } from '../domain/commands.ts';

/**
 * The steps the engine itself sends a chat to: the menu, a new chat's welcome, and each command's own.
 * `firstWords` reads a new chat's first message ("sy mau cek bansos"), so the request is not lost to the
 * welcome; a flow set without that step gets the welcome as before. `handoverWait` reads what a resident
 * writes while an officer has the chat (to acknowledge it, name the office hours); without it the bot is silent.
 * `elsewhere` reads a question typed where a step asked for something else ("syarat PKH apa?" at the NIK
 * prompt), with where the resident was, and sends them back there.
 */
export type Entries = Record<'menu' | 'welcome' | 'firstWords' | 'handoverWait' | 'elsewhere' | Exclude<GlobalCommand, 'menu' | 'cancel' | 'help'>, { flow: string; step: string }>;

export const DEFAULT_ENTRIES: Entries = {
  menu: { flow: 'menu', step: 'main' },
  welcome: { flow: 'welcome', step: 'greet' },
  firstWords: { flow: 'welcome', step: 'read' },
  handoverWait: { flow: 'handover', step: 'waiting' },
  elsewhere: { flow: 'menu', step: 'elsewhere' },
  language: { flow: 'language', step: 'choose' },
  officer: { flow: 'handover', step: 'start' },
  stop: { flow: 'rights', step: 'stop' },
  resume: { flow: 'rights', step: 'resume' },
  myData: { flow: 'rights', step: 'data' },
  deleteHistory: { flow: 'rights', step: 'deleteAsk' },
};
