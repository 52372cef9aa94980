// Before sending, staff see whom the segment reaches: the chats (by channel and language), and when chosen
// the registry phones on WhatsApp, the households reached by neither (with why), whether the WhatsApp
// template may write first, when Meta's daily limit lets the last first message go, and the message each
// language will read. Counts only: no resident is named, and nothing is written (a registry phone's chat is
// created only when the broadcast is sent).

import { asc, inArray } from 'drizzle-orm';
import type { Locale } from '../../domain/vocabulary.ts';
import { todayIn } from '../../domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { kecamatan, kelurahan, type BroadcastSegment } from '../../db/schema/index.ts';
import { translatorOf, zoneOf } from '../distribution/common.ts';
import { nextSendable } from '../distribution/reminder-times.ts';
import type { PhoneChannel } from '../outreach/env.ts';
import { forRecipient } from '../outreach/first-message.ts';
import { planOpenings } from '../outreach/quota.ts';
import type { TemplateRefusal } from '../outreach/templates.ts';
import type { Actor } from '../actor.ts';
import { canManageBroadcasts, type BroadcastOptions, type BroadcastOutcome } from './common.ts';
import { broadcastTemplate, notReachedCounts, registryPart, type NotReachedReason } from './reach.ts';
import { checkSegment, countChatHouseholds, countSegment, type SegmentCount } from './segment.ts';
import { broadcastMessage } from './texts.ts';

export interface BroadcastPreview {
  segment: BroadcastSegment;
  /**
   * The areas the segment names, by name, for the confirmation before sending; null when it names none,
   * which is the whole city (a kecamatan-scoped officer's blank area was already narrowed to theirs).
   */
  area: { kecamatan: string[]; kelurahan: string[] } | null;
  /** Messages it would queue: one per chat, one per registry phone. */
  total: number;
  /** Of which to linked chats. */
  chats: number;
  counts: SegmentCount[];
  /** The households of the segment by how they are reached (a household with two chats counts once). */
  households: { chat: number; registryPhone: number; notReached: number; notReachedReasons: Partial<Record<NotReachedReason, number>> };
  toRegistryPhones: boolean;
  /** The channel registry phones are written on; null when none is on. */
  phoneChannel: PhoneChannel | null;
  /** The Cloud API template, and why it may not write first (then the broadcast is refused when scheduled). */
  template: { name: string; refused: TemplateRefusal | null } | null;
  /** When the last first message to a registry phone may go under Meta's daily limit, when that is after today. */
  lastOpeningAt: Date | null;
  /** Meta's limit the estimate used. */
  dailyLimit: number | null;
  /** The message as a chat in each language reaches it (only when texts were given). */
  samples: { language: Locale; text: string }[];
  /** The first message to a registry phone that never wrote (WhatsApp Web: the text with who writes and how to stop). */
  firstSample: string | null;
}

export interface PreviewOptions extends Pick<BroadcastOptions, 'i18n' | 'defaultLocale' | 'timeZone' | 'outreach'> {
  /** The clock; the real one when absent. */
  now?: Date;
  texts?: Record<string, string>;
  toRegistryPhones?: boolean;
  template?: string | null;
  /** When it is scheduled for: Meta's daily limit is counted from then. */
  scheduledAt?: Date | null;
}

export async function previewBroadcast(db: Db, actor: Actor, segment: BroadcastSegment, opts: PreviewOptions = {}): Promise<BroadcastOutcome<{ preview: BroadcastPreview }>> {
  canManageBroadcasts(actor);
  const checked = await checkSegment(db, actor, segment);
  if (!checked.ok) return checked;
  const now = opts.now ?? new Date();
  const defaultLocale = opts.defaultLocale ?? 'id';
  const day = { defaultLocale, today: todayIn(zoneOf(opts), now) };
  const target = { segment: checked.segment, toRegistryPhones: opts.toRegistryPhones === true, template: opts.template ?? null };
  const counts = await countSegment(db, checked.segment, day);
  const chatHouseholds = await countChatHouseholds(db, checked.segment, day);
  const part = await registryPart(db, target, day, opts.outreach);
  const chats = counts.reduce((n, c) => n + c.count, 0);
  const registryPhones = part.reach.recipients.size;
  const left = notReachedCounts(part);

  const env = opts.outreach;
  const choice = await broadcastTemplate(db, target, part.reach, env);
  const template = choice.ok ? (choice.template ? { name: choice.template.name, refused: null } : null) : { name: choice.name, refused: choice.reason };
  const cloud = env?.phoneChannel === 'whatsapp_cloud' ? env.cloud : undefined;
  let lastOpeningAt: Date | null = null;
  if (cloud && registryPhones > 0 && choice.ok) {
    // Every registry phone counted as an opening: an upper bound (one that wrote within 24 hours opens none).
    const from = opts.scheduledAt && opts.scheduledAt.getTime() > now.getTime() ? opts.scheduledAt : now;
    const plan = await planOpenings(db, registryPhones, cloud.dailyNewConversations, nextSendable(from, zoneOf(opts)));
    if (plan.days > 1) lastOpeningAt = plan.lastAt;
  }

  // Registry phones read the default language.
  const read = [...(checked.segment.languages ?? []), ...counts.map((c) => c.language), ...(registryPhones > 0 ? [defaultLocale] : [])];
  const languages = [...new Set(read)].sort() as Locale[];
  const texts = opts.texts ?? {};
  const i18n = await translatorOf(opts);
  const samples = Object.keys(texts).length === 0 ? [] : (languages.length ? languages : [defaultLocale]).map((language) => ({ language, text: broadcastMessage(i18n, texts, language).text }));
  const phoneChannel = env?.phoneChannel ?? null;
  const firstSample =
    Object.keys(texts).length > 0 && registryPhones > 0 && phoneChannel && phoneChannel !== 'whatsapp_cloud'
      ? forRecipient(broadcastMessage(i18n, texts, defaultLocale), { householdId: 0, contactId: 0, channel: phoneChannel, language: null, path: 'whatsapp', firstContact: true, windowClosed: true }, { i18n, defaultLocale }).message.text
      : null;
  return {
    ok: true,
    preview: {
      segment: checked.segment,
      area: await areaNames(db, checked.segment),
      total: chats + registryPhones,
      chats,
      counts,
      households: { chat: chatHouseholds, registryPhone: registryPhones, notReached: left.total, notReachedReasons: left.reasons },
      toRegistryPhones: target.toRegistryPhones,
      phoneChannel,
      template,
      lastOpeningAt,
      dailyLimit: cloud?.dailyNewConversations ?? null,
      samples,
      firstSample,
    },
  };
}

async function areaNames(db: Db, segment: BroadcastSegment): Promise<BroadcastPreview['area']> {
  const kec = segment.kecamatanIds ?? [];
  const kel = segment.kelurahanIds ?? [];
  if (kec.length === 0 && kel.length === 0) return null;
  const kecNames = kec.length ? (await db.select({ name: kecamatan.name }).from(kecamatan).where(inArray(kecamatan.id, kec)).orderBy(asc(kecamatan.name))).map((r) => r.name) : [];
  const kelNames = kel.length ? (await db.select({ name: kelurahan.name }).from(kelurahan).where(inArray(kelurahan.id, kel)).orderBy(asc(kelurahan.name))).map((r) => r.name) : [];
  return { kecamatan: kecNames, kelurahan: kelNames };
}
