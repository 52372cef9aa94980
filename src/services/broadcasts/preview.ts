// Before sending, staff see how many chats the segment reaches (by channel and language) and the message
// each language will read. Counts only: no resident is named, so nothing personal is read.

import type { Locale } from '../../domain/vocabulary.ts';
import type { Db } from '../../db/client.ts';
import type { BroadcastSegment } from '../../db/schema/index.ts';
import { translatorOf } from '../distribution/common.ts';
import type { Actor } from '../actor.ts';
import { canManageBroadcasts, type BroadcastOptions, type BroadcastOutcome } from './common.ts';
import { checkSegment, countSegment, type SegmentCount } from './segment.ts';
import { broadcastMessage } from './texts.ts';

export interface BroadcastPreview {
  segment: BroadcastSegment;
  total: number;
  counts: SegmentCount[];
  /** The message as a chat in each language reaches it (only when texts were given). */
  samples: { language: Locale; text: string }[];
}

export async function previewBroadcast(
  db: Db,
  actor: Actor,
  segment: BroadcastSegment,
  opts: Pick<BroadcastOptions, 'i18n' | 'defaultLocale'> & { texts?: Record<string, string> } = {},
): Promise<BroadcastOutcome<{ preview: BroadcastPreview }>> {
  canManageBroadcasts(actor);
  const checked = await checkSegment(db, actor, segment);
  if (!checked.ok) return checked;
  const defaultLocale = opts.defaultLocale ?? 'id';
  const counts = await countSegment(db, checked.segment, defaultLocale);
  const languages = [...new Set([...(checked.segment.languages ?? []), ...counts.map((c) => c.language)])].sort() as Locale[];
  const texts = opts.texts ?? {};
  const i18n = await translatorOf(opts);
  const samples = Object.keys(texts).length === 0 ? [] : (languages.length ? languages : [defaultLocale]).map((language) => ({ language, text: broadcastMessage(i18n, texts, language).text }));
  return { ok: true, preview: { segment: checked.segment, total: counts.reduce((n, c) => n + c.count, 0), counts, samples } };
}
