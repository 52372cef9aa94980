import { isGreeting, matchLanguage, type GlobalCommand } from '../domain/commands.ts';
import type { InboundKind } from './types.ts';

// What a resident's message does while an officer has the chat (contacts.handover_at is set). Most of it is
// for the officer: the engine hands it to the waiting step (Entries.handoverWait), which may acknowledge it
// or name the office hours. A few words still reach the bot. Decided here from the words alone, so the rule
// reads in one place; the engine (engine.ts) carries it out, since that touches the session and the contact.

export type HandoverMove =
  /** "English" while waiting: the officer's words are theirs, but what the bot says from now on follows. */
  | { move: 'language'; locale: 'id' | 'en' }
  /** Anything else is for the officer: the waiting step reads it. */
  | { move: 'wait' }
  /** MENU or BATAL ends the handover and goes to the menu; BERHENTI or MULAI ends it and then runs as anywhere. */
  | { move: 'leave'; then?: 'stop' | 'resume' };

/** `command` is what the message matched (engine.ts: the words, or a "cmd:" button), `text` the words sanitized. */
export function handoverMove(command: GlobalCommand | undefined, kind: InboundKind, text: string): HandoverMove {
  // BERHENTI and MULAI are honoured even while an officer has the chat (they used to mean batal and menu).
  const optOut = command === 'stop' || command === 'resume';
  // "Halo?" to an officer who has not answered is a nudge, not MENU: it must not end the wait.
  const leaves = (command === 'menu' && !isGreeting(text)) || command === 'cancel';
  const named = command === 'language' && kind === 'text' ? matchLanguage(text) : undefined;
  if (named) return { move: 'language', locale: named };
  if (!leaves && !optOut) return { move: 'wait' };
  return optOut ? { move: 'leave', then: command } : { move: 'leave' };
}
