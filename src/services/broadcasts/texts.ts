// A broadcast's texts: one per language, the Indonesian one the default for every chat without its own.
// The resident reads the text with a short signature of the office (locales/<lang>/broadcasts.json); on
// WhatsApp Cloud outside the 24-hour window the same text goes as the parameter of the notice template.

import { LOCALES, type Locale } from '../../domain/vocabulary.ts';
import type { OutboundMessage } from '../../messages/types.ts';
import type { BroadcastSegment } from '../../db/schema/index.ts';
import type { Translator } from '../../i18n.ts';
import { refuse, type BroadcastOutcome } from './common.ts';

export const MAX_TEXT = 4000;
export const MAX_TITLE = 200;
export const DEFAULT_TEXT_LANGUAGE: Locale = 'id';

/** Texts trimmed, blanks dropped; refused when a chosen language would have nothing to read. */
export function checkTexts(raw: Record<string, unknown>, segment: BroadcastSegment): BroadcastOutcome<{ texts: Record<string, string> }> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refuse('invalid_text');
  const texts: Record<string, string> = {};
  for (const [lang, value] of Object.entries(raw)) {
    if (!(LOCALES as readonly string[]).includes(lang) || (value !== undefined && value !== null && typeof value !== 'string')) return refuse('invalid_text');
    const text = typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : '';
    if (text === '') continue;
    if (text.length > MAX_TEXT) return refuse('text_too_long');
    texts[lang] = text;
  }
  const chosen = segment.languages ?? [];
  const covered = texts[DEFAULT_TEXT_LANGUAGE] !== undefined || (chosen.length > 0 && chosen.every((l) => texts[l] !== undefined));
  return covered ? { ok: true, texts } : refuse('text_missing');
}

/** The text a chat in `language` reads: its own, else the default one. */
export function textFor(texts: Record<string, string>, language: Locale): string {
  return texts[language] ?? texts[DEFAULT_TEXT_LANGUAGE] ?? Object.values(texts)[0] ?? '';
}

/** The message as queued: the text with the office's signature, and the notice template for a closed window. */
export function broadcastMessage(i18n: Translator, texts: Record<string, string>, language: Locale): OutboundMessage {
  const text = i18n.t('broadcasts:resident.message', { lng: language, text: textFor(texts, language) });
  return { text, template: { kind: 'notice', params: [text] } };
}
