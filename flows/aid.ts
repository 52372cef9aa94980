import type { Flow, Step, StepContext } from '../src/conversation/types.ts';
import type { Reply } from '../src/messages/types.ts';
import { todayIn } from '../src/domain/dates.ts';
import { formatRupiah } from '../src/domain/money.ts';
import { dayLabel, periodLabel } from '../src/messages/period.ts';
import type { AidSummary, ReceivingItem } from '../src/services/for-flows.ts';
import { menuOption, movedSteps, nameOf, readNik, when } from './common.ts';
import { agentsNearby } from './agents.ts';
import { identity, nikPrompt } from './identity.ts';

// "Cek bansos": identity first (NIK + birth date, flows/identity.ts, which comes back to the summary), then a
// summary of what the family receives, what it may be proposed for, and the next distribution.
//
// Session data: mode (what the prompt showed), mayBeEligible (the program codes the summary offered to propose),
// agentsNear (the summary offered the nearest e-warong and agents).

/** DTSEN targeting: most bansos go to desil 1–4. Above it a resident is told so plainly. */
const USUAL_DESIL_LINE = 4;

function setMode(ctx: StepContext, mode: string) {
  ctx.data.mode = mode;
}

// ---- the summary ---------------------------------------------------------------------------------------

function amountText(ctx: StepContext, item: { amount: number | null; benefitPeriod: ReceivingItem['benefitPeriod']; benefitType?: ReceivingItem['benefitType'] }): string {
  if (item.benefitType && item.benefitType !== 'cash') return ctx.t(`aid:benefit.${item.benefitType}`);
  if (item.amount === null) return ctx.t('aid:benefit.noAmount');
  return ctx.t(`aid:per.${item.benefitPeriod}`, { amount: formatRupiah(item.amount, ctx.locale) });
}

/** '2026-11' → "November 2026", '2026-Q4' → "triwulan IV 2026" (messages/period.ts, shared with the notices). */
function periodText(ctx: StepContext, period: string): string {
  return periodLabel(ctx.t, ctx.locale, period);
}

/**
 * What the bank's latest result file says about this period's money (issue 20): "Dana PKH triwulan IV 2026
 * sudah ditransfer 12 November 2026." or, failed or returned, where to go. Null when no file has named it yet.
 */
function transferText(ctx: StepContext, r: ReceivingItem): string | null {
  const news = r.transfer;
  if (!news) return null;
  const vars = { program: r.code, period: periodText(ctx, r.period) };
  if (news.status === 'transferred') return ctx.t('aid:transfer.transferred', { ...vars, date: dayLabel(news.date, ctx.locale) });
  const office = news.office
    ? ctx.t('aid:transfer.office', { name: ctx.locale === 'en' && news.office.nameEn ? news.office.nameEn : news.office.name, phone: news.office.phone ? ` (${news.office.phone})` : '' })
    : ctx.t('aid:transfer.officeAny');
  return ctx.t(`aid:transfer.${news.status}`, { ...vars, office });
}

function receivingLine(ctx: StepContext, r: ReceivingItem): string {
  return ctx.t('aid:summary.receivingLine', {
    name: nameOf(ctx, r),
    who: r.memberMaskedName ? ctx.t('aid:summary.forMember', { name: r.memberMaskedName }) : '',
    status: ctx.t(`aid:status.${r.status}`),
    period: periodText(ctx, r.period),
    amount: amountText(ctx, r),
  }) + (r.transfer ? `\n  ${transferText(ctx, r)}` : '');
}

/** "PKH, Sembako dan LANSIA" / "PKH, Sembako and LANSIA". */
function listOf(ctx: StepContext, names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${ctx.t('aid:answer.and')} ${names[names.length - 1]}`;
}

/**
 * The answer first, in one short bubble: whether the family receives, which programs, the next invitation;
 * or why not and what may be proposed. The figures (desil, periods, amounts) are one tap away ("Rincian"), and
 * amounts are shown only for aid the family receives.
 */
function answerReplies(ctx: StepContext, s: AidSummary, details: boolean): Reply[] {
  const { t } = ctx;
  const desil = s.household.desil;
  const aboveLine = s.aboveLine || (desil !== null && desil > USUAL_DESIL_LINE);
  const inv = s.nextInvitation;

  const options = [];
  if (!details) options.push({ id: 'details', label: t('aid:options.details') });
  if (inv) options.push({ id: 'invitations', label: t('aid:options.invitation') });
  if (ctx.data.agentsNear === true) options.push({ id: 'agents', label: t('aid:options.agents') });
  if (s.mayBeEligible.length > 0) options.push({ id: 'usulan', label: t('aid:options.propose') });
  if (aboveLine || s.notRanked) options.push({ id: 'resurvey', label: t('aid:options.resurvey') });
  options.push({ id: 'other', label: t('aid:options.otherNik') }, menuOption(t));

  if (details) {
    // One subject a bubble, each short enough for a small screen: who and where with the rank, what is
    // received, what may be proposed and how.
    const bubbles = [
      [
        t('aid:summary.who', { name: s.member.name, age: s.member.age, kelurahan: s.household.kelurahan, kecamatan: s.household.kecamatan, count: s.household.memberCount }),
        s.notRanked || desil === null ? t('aid:summary.notRanked') : t('aid:summary.desil', { desil }),
      ].join('\n\n'),
    ];
    if (s.receiving.length > 0) bubbles.push([t('aid:summary.receivingHeader'), ...s.receiving.map((r) => receivingLine(ctx, r))].join('\n'));
    const eligible: string[] = [];
    if (s.mayBeEligible.length > 0) eligible.push([t('aid:summary.eligibleHeader'), ...s.mayBeEligible.map((p) => `• ${nameOf(ctx, p)}`)].join('\n'), t('aid:summary.howToPropose'));
    if (aboveLine) eligible.push(t('aid:summary.resurvey'));
    if (eligible.length > 0) bubbles.push(eligible.join('\n\n'));
    return [...bubbles.map((text) => ({ text })), { text: t('aid:summary.whatNext'), options }];
  }

  const first: string[] = [];
  if (s.receiving.length > 0) first.push(t('aid:answer.receiving', { programs: listOf(ctx, s.receiving.map((r) => nameOf(ctx, r))) }));
  else first.push(t('aid:answer.none'));
  for (const r of s.receiving) {
    const news = transferText(ctx, r);
    if (news) first.push(news);
  }
  if (inv) first.push(t('aid:answer.invitation', { when: when(ctx, inv.startsAt), site: inv.siteName }));
  if (s.notRanked || desil === null) first.push(t('aid:answer.notRanked'));
  else if (aboveLine) first.push(t('aid:answer.aboveLine', { desil, line: USUAL_DESIL_LINE }));
  if (s.mayBeEligible.length > 0) first.push(t('aid:answer.mayPropose', { programs: listOf(ctx, s.mayBeEligible.map((p) => nameOf(ctx, p))) }));
  return [{ text: first.join(' '), options }];
}

const summary: Step = {
  async prompt(ctx) {
    const memberId = ctx.contact.memberId;
    if (memberId === null) {
      setMode(ctx, 'unverified');
      return [{ text: ctx.t('aid:needCheck'), options: [{ id: 'other', label: ctx.t('aid:options.check') }, menuOption(ctx.t)] }];
    }
    setMode(ctx, 'summary');
    // Every summary shown is audited (services/aid/summary.ts does it when told which chat reads it), and the
    // answer shown is an aid check the resident is later asked to rate.
    const s = await ctx.services.aid.aidSummary(memberId, { today: todayOf(ctx), now: ctx.now, contactId: ctx.contact.id, served: true });
    ctx.data.mayBeEligible = s.mayBeEligible.map((p) => p.code);
    // A family whose program is collected at an e-warong (Sembako/BPNT) is offered the nearest ones (flows/agents.ts).
    ctx.data.agentsNear = (await ctx.services.agents.nearbyAgents(memberId)).length > 0;
    const details = ctx.data.details === true;
    delete ctx.data.details;
    return answerReplies(ctx, s, details);
  },
  handle(ctx, answer) {
    switch (answer.choice) {
      case 'details':
        ctx.data.details = true;
        return { goto: 'summary' };
      case 'invitations':
        return { flow: 'invitations' };
      case 'agents':
        return { goto: 'agents' };
      case 'usulan':
        return {
          flow: 'complaint',
          step: 'usulanDetails',
          data: { category: 'usulan', fromAid: true, answers: { forWhom: 'self' }, programs: ctx.data.mayBeEligible ?? [] },
        };
      case 'resurvey':
        return { flow: 'complaint', step: 'question', data: { category: 'wrong_data', fromAid: true, answers: { what: 'condition' } } };
      case 'other':
        return { flow: 'identity' };
      default:
        return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
    }
  },
};

/** The calendar day in the office's zone, as the service expects it (YYYY-MM-DD). */
function todayOf(ctx: StepContext): string {
  return todayIn(ctx.timeZone, ctx.now);
}

// ---- entry ---------------------------------------------------------------------------------------------

/** A verified chat may see its summary again at once; anyone else starts with the NIK. */
const start: Step = {
  // Until the chat is verified this step asks for the NIK (identity.ts's nik prompt): its answer is a document fact.
  private: true,
  async prompt(ctx) {
    const memberId = ctx.contact.memberId;
    if (memberId === null) {
      const ask = await nikPrompt(ctx);
      if (ctx.data.mode === 'locked') return ask;
      return [{ text: ctx.t('aid:intro') }, ...ask];
    }
    setMode(ctx, 'verified');
    const s = await ctx.services.aid.aidSummary(memberId, { today: todayOf(ctx), now: ctx.now, contactId: ctx.contact.id });
    return [
      {
        text: ctx.t('aid:alreadyVerified', { name: s.member.name }),
        options: [{ id: 'again', label: ctx.t('aid:options.showAgain') }, { id: 'other', label: ctx.t('aid:options.otherNik') }, menuOption(ctx.t)],
      },
    ];
  },
  handle(ctx, answer) {
    // The NIK typed after the question above goes to the identity check, which comes back to the summary.
    if (ctx.data.mode !== 'verified') return { flow: 'identity', step: 'nik', data: { mode: ctx.data.mode }, forward: true };
    if (answer.choice === 'again') return { goto: 'summary' };
    if (answer.choice === 'other') return { flow: 'identity' };
    // A NIK typed here means "check another NIK".
    if (readNik(answer.text).ok) return { flow: 'identity', step: 'nik', data: {}, forward: true };
    return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
  },
};

export const aid: Flow = {
  id: 'aid',
  start: 'start',
  steps: {
    start,
    summary,
    agents: agentsNearby,
    // Where the identity steps were before flows/identity.ts, for sessions saved there.
    ...movedSteps(identity, { nik: 'nik', birth: 'birth', mismatch: 'mismatch', notFound: 'notFound', deceased: 'deceased' }),
  },
};
