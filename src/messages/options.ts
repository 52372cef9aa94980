import { normalize } from '../domain/text.ts';
import type { Option } from './types.ts';

/**
 * Which offered option an answer picks: a pressed button, its number in the list ("2", "2.", "no 2"),
 * or its label typed out. Stale buttons from earlier steps pick nothing.
 */
export function pickOption(offered: Option[], answer: { choice?: string; text: string }): Option | undefined {
  if (offered.length === 0) return undefined;
  if (answer.choice !== undefined) return offered.find((o) => o.id === answer.choice);
  const n = normalize(answer.text);
  if (!n) return undefined;
  const num = /^(?:no |nomor |pilih |pilihan |option |number )?(\d{1,2})$/.exec(n);
  if (num) return offered[Number(num[1]) - 1];
  return offered.find((o) => normalize(o.label) === n || normalize(o.id) === n);
}
