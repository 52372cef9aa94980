import type { Flow, Step, StepContext, Translate } from '../src/conversation/types.ts';
import type { Option } from '../src/messages/types.ts';
import { formatDate, formatDateTime, formatTime, todayIn, zonedParts, zoneAbbreviation } from '../src/domain/dates.ts';
import { isValidNik, readIdNumber } from '../src/domain/nik.ts';

// Small pieces the resident-facing flows share: the menu button, reading a typed NIK, cleaning free text
// before it is stored, the office's way of writing a time and place, and the old places of moved steps.

export const menuOption = (t: Translate): Option => ({ id: 'cmd:menu', label: t('chat:backToMenu') });

/**
 * A name the office keeps as data in both languages (a program, an event's title, an office, its hours): the
 * form for the chat's language, the Indonesian one when no English form was given.
 */
export function inLanguage(ctx: Pick<StepContext, 'locale'>, id: string, en: string | null | undefined): string {
  return ctx.locale === 'en' && en ? en : id;
}

/** The same, for a record that carries its English form beside its name (nameEn). */
export const nameOf = (ctx: Pick<StepContext, 'locale'>, x: { name: string; nameEn: string | null }) => inLanguage(ctx, x.name, x.nameEn);

/** The same, for an invitation's event title. */
export const titleOf = (ctx: Pick<StepContext, 'locale'>, x: { eventTitle: string; eventTitleEn: string | null }) => inLanguage(ctx, x.eventTitle, x.eventTitleEn);

export type NikReading = { ok: true; nik: string } | { ok: false; problem: 'empty' | 'notDigits' | 'invalid' } | { ok: false; problem: 'length'; count: number };

/**
 * A NIK as people type it: spaces, dots and dashes between the groups are fine, "NIK:" in front too, and so
 * is a sentence around it ("nik saya 2171 1052 0385 0001"): domain/nik.ts's readIdNumber finds the number.
 */
export function readNik(text: string): NikReading {
  const reading = readIdNumber(text, /\bnik\b/i);
  switch (reading.kind) {
    case 'none':
      return { ok: false, problem: 'empty' };
    case 'letter':
      return { ok: false, problem: 'notDigits' };
    case 'length':
      return { ok: false, problem: 'length', count: reading.count };
    case 'number':
      return isValidNik(reading.digits) ? { ok: true, nik: reading.digits } : { ok: false, problem: 'invalid' };
  }
}

/** Why a typed NIK was not taken, in the resident's language (texts live in the aid namespace). */
export function nikProblem(t: Translate, reading: Exclude<NikReading, { ok: true }>): string {
  if (reading.problem === 'length') return t('aid:nik.wrongLength', { count: reading.count });
  return t(`aid:nik.${reading.problem}`);
}

/** Free text the resident wrote, safe to keep in the session and in a report, and not endless. */
export function clean(text: string, max = 1000): string {
  // Control characters are already gone: the engine sanitises every inbound text (conversation/sanitize.ts).
  const s = text.replace(/[ \t]+/g, ' ').trim();
  return Array.from(s).slice(0, max).join('').trim();
}

/** Letters or digits a text has: "ok", "??" and a lone emoji are not a description. */
export function meaningfulLength(text: string): number {
  return (text.match(/[\p{L}\p{N}]/gu) ?? []).length;
}

/** "Senin, 7 Desember 2026 pukul 09.00 WIB". */
export function when(ctx: StepContext, instant: Date): string {
  return formatDateTime(instant, ctx.locale, ctx.timeZone);
}

/** "Senin, 7 Desember 2026 pukul 09.00 WIB sampai 11.00 WIB". */
export function timeRange(ctx: StepContext, startsAt: Date, endsAt: Date): string {
  return ctx.t('invitations:range', { start: when(ctx, startsAt), end: formatTime(endsAt, ctx.locale, ctx.timeZone) });
}

/** "09.00–11.00 WIB": a slot on a day already named. */
export function hours(ctx: StepContext, startsAt: Date, endsAt: Date): string {
  const sep = ctx.locale === 'id' ? '.' : ':';
  const hm = (d: Date) => {
    const p = zonedParts(d, ctx.timeZone);
    return `${String(p.hour).padStart(2, '0')}${sep}${String(p.minute).padStart(2, '0')}`;
  };
  return `${hm(startsAt)}–${hm(endsAt)} ${zoneAbbreviation(ctx.timeZone)}`;
}

/** The calendar day of an instant in the office's zone: "Kamis, 26 November 2026". */
export function day(ctx: StepContext, instant: Date): string {
  return formatDate(todayIn(ctx.timeZone, instant), ctx.locale);
}

export function mapUrl(latitude: number | null, longitude: number | null): string | undefined {
  if (latitude === null || longitude === null || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  return `https://maps.google.com/?q=${latitude},${longitude}`;
}

/**
 * Steps that moved to another flow, under their old ids (old id → id in `flow`). A session rests at its step
 * for up to 30 minutes, so one saved at an old place before a release takes its next answer at the new place,
 * with its data, as if it had waited there. They may go once no such session can be left.
 */
export function movedSteps(flow: Flow, ids: Record<string, string>): Record<string, Step> {
  const moved: Record<string, Step> = {};
  for (const [old, id] of Object.entries(ids)) {
    const to = flow.steps[id];
    if (!to) throw new Error(`no step ${flow.id}.${id}`);
    moved[old] = {
      prompt: (ctx) => to.prompt(ctx),
      handle: (ctx) => ({ flow: flow.id, step: id, data: ctx.data, forward: true }),
      ...(to.accepts ? { accepts: to.accepts } : {}),
      ...(to.private ? { private: true as const } : {}),
    };
  }
  return moved;
}
