import type { StepContext } from '../src/conversation/types.ts';
import { zonedParts } from '../src/domain/dates.ts';
import { readWords, type AnswerIntent } from '../src/domain/intents.ts';
import { formatRupiah } from '../src/domain/money.ts';
import { describeSchedule } from '../src/domain/office-hours.ts';
import type { Reply } from '../src/messages/types.ts';
import type { ProgramFacts } from '../src/services/for-flows.ts';
import { inLanguage, nameOf } from './common.ts';

// Answers to what a resident asks in passing — a greeting, thanks, a common question — said wherever they are
// (at the menu, at the NIK prompt, at a list of choices), after which they go on where they were. The FAQ
// topics (flows/faq.ts) say the same answers from the same functions.

/** Pagi until 11, siang until 15, sore until 18, malam after: how a greeting is returned in Indonesian. */
function dayPart(ctx: StepContext): 'morning' | 'midday' | 'afternoon' | 'evening' {
  const h = zonedParts(ctx.now, ctx.timeZone).hour;
  if (h >= 4 && h < 11) return 'morning';
  if (h >= 11 && h < 15) return 'midday';
  if (h >= 15 && h < 18) return 'afternoon';
  return 'evening';
}

export async function officeAnswer(ctx: StepContext): Promise<string> {
  const offices = await ctx.services.offices.listOffices();
  const lines = offices.map((o) => {
    const line = ctx.t('faq:officeLine', { name: inLanguage(ctx, o.name, o.nameEn), address: o.address, hours: o.schedule ? describeSchedule(o.schedule, ctx.locale, ctx.timeZone) : inLanguage(ctx, o.hours, o.hoursEn) });
    // No "Telepon: -": an office without a number simply has no phone line.
    return o.phone ? `${line}\n${ctx.t('faq:officePhone', { phone: o.phone })}` : line;
  });
  return lines.length ? lines.join('\n\n') : ctx.t('faq:noOffice');
}

/** The programs a question names ("syarat PKH"), by code or by every word of the name; none named: all. */
function named(programs: ProgramFacts[], text: string): ProgramFacts[] {
  const ws = new Set(readWords(text));
  const hits = programs.filter((p) => ws.has(p.code.toLowerCase()) || [p.name, p.nameEn].some((n) => n !== null && readWords(n).every((w) => ws.has(w))));
  return hits.length > 0 ? hits : programs;
}

function whoFor(ctx: StepContext, p: ProgramFacts): string {
  const parts: string[] = [];
  if (p.maxDesil !== null) parts.push(ctx.t('faq:program.desil', { max: p.maxDesil }));
  if (p.minAge !== null) parts.push(ctx.t('faq:program.minAge', { age: p.minAge }));
  if (p.requiresDisability) parts.push(ctx.t('faq:program.disability'));
  return parts.length > 0 ? parts.join(', ') : ctx.t('faq:program.anyone');
}

function whatItGives(ctx: StepContext, p: ProgramFacts): string {
  if (p.amount === null) return ctx.t(`aid:benefit.${p.benefitType}`);
  const per = ctx.t(`aid:per.${p.period}`, { amount: formatRupiah(p.amount, ctx.locale) });
  return p.amountVaries ? ctx.t('faq:program.atMost', { amount: per }) : per;
}

/** Staff's text in the resident's language, else whichever language it was written in; null when in none. */
function wordsOf(ctx: StepContext, id: string | null, en: string | null): string | null {
  return id === null && en === null ? null : inLanguage(ctx, id ?? en ?? '', en);
}

async function programAnswer(ctx: StepContext, text: string, what: 'requirements' | 'amount'): Promise<string> {
  const programs = named(await ctx.services.programs.programFacts({ now: ctx.now, timeZone: ctx.timeZone }), text);
  if (programs.length === 0) return ctx.t('faq:program.none');
  const lines = programs.map((p) => {
    const fact = what === 'requirements' ? ctx.t('faq:program.requirementsLine', { name: nameOf(ctx, p), who: whoFor(ctx, p) }) : ctx.t('faq:program.amountLine', { name: nameOf(ctx, p), what: whatItGives(ctx, p) });
    // The office's own words under the fact drawn from the rules: what to bring, or when it is paid.
    const own = what === 'requirements' ? wordsOf(ctx, p.requirements, p.requirementsEn) : wordsOf(ctx, p.schedule, p.scheduleEn);
    return own === null ? fact : `${fact}\n${own}`;
  });
  return [...lines, ctx.t(what === 'requirements' ? 'faq:program.requirementsAfter' : 'faq:program.amountAfter')].join('\n');
}

/**
 * A built-in FAQ topic's answer as the office keeps it now (the admin's FAQ page), else the locale's words: a
 * question asked in passing gets the same answer as the FAQ menu. A topic hidden from the menu is still
 * answered when asked: hiding shortens the list, it does not make the office silent.
 */
async function faqWords(ctx: StepContext, key: 'documents' | 'dtsen' | 'proposal'): Promise<string> {
  const own = (await ctx.services.faq.faqForResident(ctx.locale)).builtIn[key];
  return own?.answer ?? ctx.t(`faq:answers.${key}`);
}

/** The answer to an intent that is answered in place. */
export async function answerFor(ctx: StepContext, intent: AnswerIntent, text: string): Promise<Reply[]> {
  switch (intent) {
    case 'greeting': {
      const salam = readWords(text).includes('salam');
      return [{ text: salam ? ctx.t('menu:replies.salam') : ctx.t(`menu:replies.greeting.${dayPart(ctx)}`) }];
    }
    case 'thanks':
      return [{ text: ctx.t('menu:replies.thanks') }];
    case 'faqDocuments':
      return [{ text: await faqWords(ctx, 'documents') }];
    case 'faqDtsen':
      return [{ text: await faqWords(ctx, 'dtsen') }];
    case 'faqProposal':
      return [{ text: await faqWords(ctx, 'proposal') }];
    case 'faqLostDocument':
      return [{ text: ctx.t('faq:answers.lostDocument') }];
    case 'faqOffice':
      return [{ text: await officeAnswer(ctx) }];
    case 'faqRequirements':
      return [{ text: await programAnswer(ctx, text, 'requirements') }];
    case 'faqAmount':
      return [{ text: await programAnswer(ctx, text, 'amount') }];
  }
}
