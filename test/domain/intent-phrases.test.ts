import { describe, expect, it } from 'vitest';
import { INTENTS, matchIntent } from '../../src/domain/intents.ts';
import { NOTHING_EN, NOTHING_ID, PHRASES_EN, PHRASES_ID, type Row } from './intent-phrases.ts';

// Issue 17, "Intents at every step": the recogniser's table. Every phrase a resident might type lands on the
// intent the table gives it, and what means nothing (names, numbers, "then what?") lands nowhere, so that the
// step asks again rather than jumping somewhere the resident did not ask for.

const LANGUAGES = [
  { name: 'Bahasa Indonesia', phrases: PHRASES_ID, nothing: NOTHING_ID },
  { name: 'English', phrases: PHRASES_EN, nothing: NOTHING_EN },
] as const;

describe.each(LANGUAGES)('matchIntent in $name', ({ phrases, nothing }) => {
  it.each(phrases.map(([phrase, intent]) => ({ phrase, intent })))('reads $phrase as $intent', ({ phrase, intent }) => {
    expect(matchIntent(phrase)).toBe(intent);
  });

  it.each(nothing.map((phrase) => ({ phrase })))('reads $phrase as nothing', ({ phrase }) => {
    expect(matchIntent(phrase)).toBeUndefined();
  });
});

describe.each(LANGUAGES)('the table in $name', ({ phrases, nothing }) => {
  const count = (rows: readonly Row[], intent: string) => rows.filter(([, i]) => i === intent).length;

  it('has at least 200 phrases, and at least 15 that mean nothing', () => {
    expect(phrases.length + nothing.length).toBeGreaterThanOrEqual(200);
    expect(nothing.length).toBeGreaterThanOrEqual(15);
  });

  it.each([...INTENTS])('has at least 8 phrases for %s', (intent) => {
    expect(count(phrases, intent)).toBeGreaterThanOrEqual(8);
  });

  it('lists each phrase once', () => {
    const all = [...phrases.map(([p]) => p), ...nothing];
    expect(all.filter((p, i) => all.indexOf(p) !== i)).toEqual([]);
  });
});
