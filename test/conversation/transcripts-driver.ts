import type { Reply } from '../../src/messages/types.ts';
import { lastCodeSentTo } from '../helpers/codes.ts';
import { codeWaits, driver, type ChatDriver, type FlowHarness } from '../helpers/chat.ts';

// Records a conversation with the real engine as a resident has it: what they typed or which button they
// pressed (by its label), and every bubble of each answer. Renders it as a plain transcript with the values
// that change from run to run (dates, codes, tracking IDs) replaced by placeholders, and measures it.

export type Lang = 'id' | 'en';

export interface Turn {
  /** What the resident did: typed text, or a button's label as `[B: label]`. */
  said: string;
  /** The one-time code read from the registry phone (the outbox) and typed back. */
  code?: boolean;
  replies: Reply[];
}

export class Recorder {
  readonly turns: Turn[] = [];
  readonly chat: ChatDriver;

  /** `chatId`: a chat the resident used before (a report filed in it); by default a fresh one. */
  constructor(
    private readonly h: FlowHarness,
    chatId?: string,
  ) {
    // Inline: the web chat's page takes answers in the call.
    this.chat = driver(h.engine, chatId, { inline: true });
  }

  /** The resident types `text`. */
  async say(text: string): Promise<Reply[]> {
    const replies = await this.chat.say(text);
    this.turns.push({ said: text, replies });
    return replies;
  }

  /** The resident presses the button `id` of the last answer; fails when that answer offered no such button. */
  async press(id: string): Promise<Reply[]> {
    const last = this.turns[this.turns.length - 1];
    const option = last?.replies.flatMap((r) => r.options ?? []).find((o) => o.id === id);
    if (!option) {
      const offered = last?.replies.flatMap((r) => r.options ?? []).map((o) => o.id) ?? [];
      throw new Error(`no button ${id} offered; offered: ${offered.join(', ') || 'none'}\n${render(this.turns)}`);
    }
    const replies = await this.chat.choose(id);
    this.turns.push({ said: `[B: ${option.label}]`, replies });
    return replies;
  }

  /** Moves the test clock past the one-code-a-minute wait of a registry phone. */
  waitOutCodeMinute(): void {
    codeWaits.get(this.h.engine)?.();
  }

  /**
   * Types back the code that arrived on the registry phone (read from the outbox, as the resident reads it on
   * their phone). It went there with the answer to the birth date; `button` asks for a new one first.
   */
  async proveByCode(button?: string): Promise<void> {
    if (button) {
      this.waitOutCodeMinute();
      await this.press(button);
    }
    const code = await lastCodeSentTo(this.h.database.db);
    if (!code) throw new Error(`no code was sent to the registry phone\n${render(this.turns)}`);
    const replies = await this.chat.say(code);
    this.turns.push({ said: code, code: true, replies });
  }

  /** The texts of the last answer, joined. */
  get text(): string {
    return (this.turns[this.turns.length - 1]?.replies ?? []).map((r) => r.text).join('\n\n');
  }

  /** The button ids of the last answer. */
  get options(): string[] {
    return (this.turns[this.turns.length - 1]?.replies ?? []).flatMap((r) => r.options ?? []).map((o) => o.id);
  }
}

// ---- rendering -----------------------------------------------------------------------------------------

const indent = (text: string) => text.split('\n').join('\n  ');

/** The transcript as read by a reviewer, before placeholders. */
export function render(turns: readonly Turn[]): string {
  const out: string[] = [];
  for (const turn of turns) {
    out.push(`> ${turn.code ? '<KODE-OTP>' : turn.said}`);
    if (turn.replies.length === 0) out.push('< (no reply)');
    for (const r of turn.replies) {
      out.push(`< ${indent(r.text)}`);
      const options = r.options ?? [];
      if (options.length > 0) out.push(`  ${options.map((o, i) => `[${i + 1}] ${o.label}`).join('  ')}`);
    }
    out.push('');
  }
  return out.join('\n');
}

const MONTHS_ID = 'Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Nopember|Desember';
const MONTHS_EN = 'January|February|March|April|May|June|July|August|September|October|November|December';
const MONTHS = `${MONTHS_ID}|${MONTHS_EN}`;
/** Short forms (id-ID and en-GB): "Des", "Agu", "Sept". */
const MONTHS_SHORT = 'Jan|Feb|Mar|Apr|Mei|May|Jun|Jul|Agu|Agt|Aug|Sept|Sep|Okt|Oct|Nov|Des|Dec';
const WEEKDAYS = 'Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
/** Years the test clock can make (a birth date's 1985 is not one). */
const YEAR = '20[2-9]\\d';

/**
 * Values that change between runs, replaced by placeholders: what the test clock makes of dates (the harness
 * starts at the real day; the time of day is fixed by the test), ages, periods and tranches, and the codes and
 * numbers the services draw. Examples in the wording ("Contoh: ADU-2611-00042", "For example: November 2026")
 * are the same every day and stay.
 */
const PLACEHOLDERS: [RegExp, string][] = [
  // Tracking IDs: ADU-<yymm>-<serial>.
  [/\bADU-\d{4}-\d{5}\b/g, '<ADU>'],
  // A whole date, with or without its weekday: "Senin, 7 Desember 2026", "Monday, 7 December 2026".
  [new RegExp(`\\b(?:(?:${WEEKDAYS}),? )?\\d{1,2} (?:${MONTHS}) ${YEAR}\\b`, 'g'), '<TANGGAL>'],
  // A short date, as a list of reports shows it: "7 Des 2026", "7 Dec 2026", "7 Sept 2026".
  [new RegExp(`\\b\\d{1,2} (?:${MONTHS_SHORT})\\.? ${YEAR}\\b`, 'g'), '<TANGGAL>'],
  // "Monday, December 7, 2026", should English dates be written the American way.
  [new RegExp(`\\b(?:(?:${WEEKDAYS}),? )?(?:${MONTHS}) \\d{1,2},? ${YEAR}\\b`, 'g'), '<TANGGAL>'],
  // A period: a month ("November 2026"), a quarter ("triwulan IV 2026", "Q4 2026"), a tranche ("2026 Tahap IV", "2026-Q4").
  [new RegExp(`\\b(?:${MONTHS}) ${YEAR}\\b`, 'g'), '<BULAN>'],
  [new RegExp(`\\b(?:[IV]+ ${YEAR}|Q[1-4] ${YEAR})\\b`, 'g'), '<TRIWULAN>'],
  [new RegExp(`\\b${YEAR} (?:Tahap|Tranche|Stage) [IVX]+\\b`, 'g'), '<TAHAP>'],
  [new RegExp(`\\b${YEAR}-(?:Q[1-4]|0[1-9]|1[0-2])\\b`, 'g'), '<TAHAP>'],
  // An age, counted from the birth date to the test clock's day.
  [/\(\d{1,3} (tahun|years old)\)/g, '(<UMUR> $1)'],
  // Six-digit one-time and counter codes (not the digits of a masked NIK, 217110******0001).
  [/(?<![\d*])\d{6}(?![\d*])/g, '<KODE-OTP>'],
];

/** An example the wording gives: the same every day. */
const EXAMPLE = /(?:contoh|misalnya|example|e\.g\.)\s*:?\s*$/i;

/**
 * The transcript with the values that change between runs replaced: first the ones the test knows exactly
 * (`known`: an invitation's code, whatever its letters), then by their shape.
 */
export function stable(text: string, known: Record<string, string> = {}): string {
  let s = text;
  for (const [value, placeholder] of Object.entries(known)) if (value) s = s.split(value).join(placeholder);
  for (const [re, to] of PLACEHOLDERS) {
    const one = new RegExp(re.source, re.flags.replace('g', ''));
    const before = s;
    s = s.replace(re, (match: string, ...rest: unknown[]) => {
      const offset = rest.find((x) => typeof x === 'number') as number;
      if (EXAMPLE.test(before.slice(Math.max(0, offset - 20), offset))) return match;
      return match.replace(one, to);
    });
  }
  return s;
}

// ---- figures -------------------------------------------------------------------------------------------

export interface Figures {
  /** Resident messages, from the first words of a fresh chat to the task done (the typed-back code counts). */
  messages: number;
  /** The longest single bubble. */
  bubble: number;
  /** The longest first bubble of a reply. */
  firstBubble: number;
  /** The longest reply: the bubbles of one turn together. */
  reply: number;
  /** Bubbles that say "not understood". */
  notUnderstood: number;
}

export type Figure = keyof Figures;

/** Characters as a resident's phone counts them (code points, not UTF-16 units). */
const length = (s: string) => Array.from(s).length;

export function measure(turns: readonly Turn[], notUnderstood: readonly string[]): Figures {
  const bubbles = turns.flatMap((t) => t.replies.map((r) => r.text));
  return {
    messages: turns.length,
    bubble: Math.max(0, ...bubbles.map(length)),
    firstBubble: Math.max(0, ...turns.map((t) => (t.replies[0] ? length(t.replies[0].text) : 0))),
    reply: Math.max(0, ...turns.map((t) => t.replies.reduce((sum, r) => sum + length(r.text), 0))),
    notUnderstood: bubbles.filter((b) => notUnderstood.some((n) => b.includes(n))).length,
  };
}
