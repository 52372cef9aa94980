import type { Flow, Outcome, Step, StepContext } from '../src/conversation/types.ts';
import type { Reply } from '../src/messages/types.ts';
import { formatDate, parseBirthDate, todayIn } from '../src/domain/dates.ts';
import { formatRupiah } from '../src/domain/money.ts';
import type { AidSummary, MayBeEligibleItem, ReceivingItem } from '../src/services/for-flows.ts';
import { clean, menuOption, nikProblem, readNik, when } from './common.ts';

// "Cek bansos": identity first (NIK + birth date, checked and counted by the identity service), then a
// summary of what the family receives, what it may be proposed for, and the next distribution.
//
// Session data: nik, birthDate (only between the two questions), remaining (tries left after a mismatch),
// pendingNik (kept after "not found" so a report can carry it), then ('invitations' | 'status': where a
// flow that needed identity continues), trackingId (with then = 'status'), mode (what the prompt showed).

/** DTSEN targeting: most bansos go to desil 1–4. Above it a resident is told so plainly. */
const USUAL_DESIL_LINE = 4;

type Then = 'invitations' | 'status';

function setMode(ctx: StepContext, mode: string) {
  ctx.data.mode = mode;
}

/** The NIK question, or the lock notice when this chat may not try now. Shared with the invitations flow. */
export async function nikPrompt(ctx: StepContext): Promise<Reply[]> {
  const lock = await ctx.services.identity.lockState(ctx.contact.id, ctx.now);
  if (lock.locked) {
    setMode(ctx, 'locked');
    return [{ text: ctx.t('aid:locked', { until: when(ctx, lock.until) }), options: [menuOption(ctx.t)] }];
  }
  setMode(ctx, 'nik');
  return [{ text: ctx.t('aid:nik.prompt'), options: [menuOption(ctx.t)] }];
}

const nik: Step = {
  prompt: nikPrompt,
  async handle(ctx, answer) {
    if (ctx.data.mode === 'locked') {
      const lock = await ctx.services.identity.lockState(ctx.contact.id, ctx.now);
      if (lock.locked) return { say: [{ text: ctx.t('aid:locked', { until: when(ctx, lock.until) }) }], end: true };
    }
    const reading = readNik(answer.text);
    if (!reading.ok) return { say: [{ text: nikProblem(ctx.t, reading) }], retry: true };
    ctx.data.nik = reading.nik;
    delete ctx.data.pendingNik;
    return { goto: 'birth' };
  },
};

const birth: Step = {
  prompt: ({ t }) => [{ text: t('aid:birth.prompt'), options: [menuOption(t)] }],
  async handle(ctx, answer) {
    const birthDate = parseBirthDate(clean(answer.text, 100), ctx.now, ctx.timeZone);
    if (!birthDate) return { say: [{ text: ctx.t('aid:birth.retry') }], retry: true };
    const typed = typeof ctx.data.nik === 'string' ? ctx.data.nik : undefined;
    if (!typed) return { goto: 'nik' };
    delete ctx.data.nik;

    const result = await ctx.services.identity.checkIdentity({
      contactId: ctx.contact.id,
      nik: typed,
      birthDate,
      now: ctx.now,
      failedLookupsPerMinute: ctx.settings?.identityFailedLookupsPerMinute,
    });
    switch (result.outcome) {
      case 'busy':
        // Many failed checks city-wide in the last minute (someone probing NIKs): the registry was not read.
        return { say: [{ text: ctx.t('aid:busy') }], end: true };
      case 'locked':
        return { say: [{ text: ctx.t('aid:locked', { until: when(ctx, result.until) }) }], end: true };
      case 'locked_now':
        return { say: [{ text: ctx.t('aid:lockedNow', { until: when(ctx, result.until) }) }], end: true };
      case 'invalid_nik':
        return { say: [{ text: ctx.t('aid:nik.invalid') }], goto: 'nik' };
      case 'mismatch':
        ctx.data.remaining = result.remaining;
        return { goto: 'mismatch' };
      case 'not_found':
        // Kept for a "not registered" report, which needs the NIK to propose the family; dropped on leaving.
        ctx.data.pendingNik = typed;
        return { goto: 'notFound' };
      case 'match':
        return matched(ctx, result.memberId, result.householdId, result.deceased);
    }
  },
};

function matched(ctx: StepContext, memberId: number, householdId: number, deceased: boolean): Outcome {
  if (deceased) return { goto: 'deceased' };
  ctx.chat.linkMember(memberId, householdId);
  const then = ctx.data.then as Then | undefined;
  const verified = { text: ctx.t('aid:verified') };
  if (then === 'invitations') return { say: [verified], flow: 'invitations' };
  if (then === 'status' && typeof ctx.data.trackingId === 'string') {
    return { say: [verified], flow: 'complaint', step: 'statusShow', data: { trackingId: ctx.data.trackingId } };
  }
  return { goto: 'summary' };
}

const mismatch: Step = {
  prompt: ({ t, data }) => [
    {
      text: t('aid:mismatch', { remaining: Number(data.remaining ?? 0) }),
      options: [{ id: 'again', label: t('aid:options.tryAgain') }, menuOption(t)],
    },
  ],
  handle: ({ t }, answer) => {
    if (answer.choice === 'again') return { goto: 'nik' };
    // Someone who types a NIK straight away means "again".
    if (readNik(answer.text).ok) return { goto: 'nik' };
    return { say: [{ text: t('chat:notUnderstood') }], retry: true };
  },
};

const notFound: Step = {
  prompt: ({ t }) => [
    { text: t('aid:notFound.title') },
    { text: t('aid:notFound.dtsen') },
    {
      text: t('aid:notFound.offer'),
      options: [{ id: 'usulan', label: t('aid:options.reportNotRegistered') }, { id: 'again', label: t('aid:options.otherNik') }, menuOption(t)],
    },
  ],
  handle(ctx, answer) {
    if (answer.choice === 'usulan') {
      const answers: Record<string, string> = { forWhom: 'self' };
      if (typeof ctx.data.pendingNik === 'string') answers.nik = ctx.data.pendingNik;
      return { flow: 'complaint', step: 'usulanDetails', data: { category: 'usulan', fromAid: true, answers } };
    }
    if (answer.choice === 'again') return { goto: 'nik' };
    return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
  },
};

const deceased: Step = {
  prompt: ({ t }) => [
    {
      text: t('aid:deceased'),
      options: [{ id: 'wrong_data', label: t('aid:options.reportWrongData') }, menuOption(t)],
    },
  ],
  handle: ({ t }, answer) => {
    if (answer.choice === 'wrong_data') return { flow: 'complaint', step: 'question', data: { category: 'wrong_data', answers: { what: 'died' } } };
    return { say: [{ text: t('chat:notUnderstood') }], retry: true };
  },
};

// ---- the summary ---------------------------------------------------------------------------------------

function amountText(ctx: StepContext, item: { amount: number | null; benefitPeriod: ReceivingItem['benefitPeriod']; benefitType?: ReceivingItem['benefitType'] }): string {
  if (item.benefitType && item.benefitType !== 'cash') return ctx.t(`aid:benefit.${item.benefitType}`);
  if (item.amount === null) return ctx.t('aid:benefit.noAmount');
  return ctx.t(`aid:per.${item.benefitPeriod}`, { amount: formatRupiah(item.amount) });
}

/** '2026-11' → "November 2026", '2026-Q4' → "triwulan IV 2026", '2026' → "2026"; anything else as stored. */
function periodText(ctx: StepContext, period: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    const m = Number(month[2]);
    if (m >= 1 && m <= 12) return formatDate(`${month[1]}-${month[2]}-01`, ctx.locale).replace(/^[^,]*, 1 /, '');
  }
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) return ctx.t('aid:period.quarter', { year: quarter[1], number: quarter[2], quarter: ['I', 'II', 'III', 'IV'][Number(quarter[2]) - 1] });
  return period;
}

function receivingLine(ctx: StepContext, r: ReceivingItem): string {
  return ctx.t('aid:summary.receivingLine', {
    name: r.name,
    who: r.memberMaskedName ? ctx.t('aid:summary.forMember', { name: r.memberMaskedName }) : '',
    status: ctx.t(`aid:status.${r.status}`),
    period: periodText(ctx, r.period),
    amount: amountText(ctx, r),
  });
}

function eligibleLine(ctx: StepContext, p: MayBeEligibleItem): string {
  // Insurance and in-kind programs have no amount; their name says enough.
  if (p.amount === null) return ctx.t('aid:summary.eligibleLineNoAmount', { name: p.name });
  return ctx.t('aid:summary.eligibleLine', { name: p.name, amount: amountText(ctx, p) });
}

function summaryReplies(ctx: StepContext, s: AidSummary): Reply[] {
  const { t } = ctx;
  const first = [t('aid:summary.who', { name: s.member.maskedName, age: s.member.age, kelurahan: s.household.kelurahan, kecamatan: s.household.kecamatan, count: s.household.memberCount })];
  if (s.notRanked || s.household.desil === null) first.push(t('aid:summary.notRanked'));
  else first.push(t('aid:summary.desil', { desil: s.household.desil }));

  const second: string[] = [];
  if (s.receiving.length > 0) second.push([t('aid:summary.receivingHeader'), ...s.receiving.map((r) => receivingLine(ctx, r))].join('\n'));
  else second.push(t('aid:summary.noneReceiving'));
  const inv = s.nextInvitation;
  if (inv) second.push(t('aid:summary.invitation', { title: inv.eventTitle, when: when(ctx, inv.startsAt), site: inv.siteName }));

  const third: string[] = [];
  const desil = s.household.desil;
  const aboveLine = s.aboveLine || (desil !== null && desil > USUAL_DESIL_LINE);
  if (aboveLine && desil !== null) third.push(t('aid:summary.aboveLine', { desil, line: USUAL_DESIL_LINE }));
  if (s.mayBeEligible.length > 0) {
    third.push([t('aid:summary.eligibleHeader'), ...s.mayBeEligible.map((p) => eligibleLine(ctx, p))].join('\n'));
    third.push(t('aid:summary.howToPropose'));
  }
  if (aboveLine) third.push(t('aid:summary.resurvey'));

  const options = [];
  if (inv) options.push({ id: 'invitations', label: t('aid:options.invitation') });
  if (s.mayBeEligible.length > 0) options.push({ id: 'usulan', label: t('aid:options.propose') });
  if (aboveLine || s.notRanked) options.push({ id: 'resurvey', label: t('aid:options.resurvey') });
  options.push({ id: 'other', label: t('aid:options.otherNik') }, menuOption(t));

  const replies: Reply[] = [{ text: first.join('\n\n') }, { text: second.join('\n\n') }];
  if (third.length > 0) replies.push({ text: third.join('\n\n') });
  replies.push({ text: t('aid:summary.whatNext'), options });
  return replies;
}

const summary: Step = {
  async prompt(ctx) {
    const memberId = ctx.contact.memberId;
    if (memberId === null) {
      setMode(ctx, 'unverified');
      return [{ text: ctx.t('aid:needCheck'), options: [{ id: 'other', label: ctx.t('aid:options.check') }, menuOption(ctx.t)] }];
    }
    setMode(ctx, 'summary');
    const s = await ctx.services.aid.aidSummary(memberId, { today: todayOf(ctx), now: ctx.now });
    ctx.data.mayBeEligible = s.mayBeEligible.map((p) => p.code);
    return summaryReplies(ctx, s);
  },
  handle(ctx, answer) {
    switch (answer.choice) {
      case 'invitations':
        return { flow: 'invitations' };
      case 'usulan':
        return {
          flow: 'complaint',
          step: 'usulanDetails',
          data: { category: 'usulan', fromAid: true, answers: { forWhom: 'self' }, programs: ctx.data.mayBeEligible ?? [] },
        };
      case 'resurvey':
        return { flow: 'complaint', step: 'question', data: { category: 'wrong_data', fromAid: true, answers: { what: 'condition' } } };
      case 'other':
        return { goto: 'nik' };
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
  async prompt(ctx) {
    const memberId = ctx.contact.memberId;
    if (memberId === null) {
      const ask = await nikPrompt(ctx);
      if (ctx.data.mode === 'locked') return ask;
      return [{ text: ctx.t('aid:intro') }, ...ask];
    }
    setMode(ctx, 'verified');
    const s = await ctx.services.aid.aidSummary(memberId, { today: todayOf(ctx), now: ctx.now });
    return [
      {
        text: ctx.t('aid:alreadyVerified', { name: s.member.maskedName }),
        options: [{ id: 'again', label: ctx.t('aid:options.showAgain') }, { id: 'other', label: ctx.t('aid:options.otherNik') }, menuOption(ctx.t)],
      },
    ];
  },
  handle(ctx, answer) {
    if (ctx.data.mode !== 'verified') return { flow: 'aid', step: 'nik', data: { ...ctx.data }, forward: true };
    if (answer.choice === 'again') return { goto: 'summary' };
    if (answer.choice === 'other') return { goto: 'nik' };
    // A NIK typed here means "check another NIK".
    if (readNik(answer.text).ok) return { flow: 'aid', step: 'nik', data: {}, forward: true };
    return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
  },
};

export const aid: Flow = {
  id: 'aid',
  start: 'start',
  steps: { start, nik, birth, mismatch, notFound, deceased, summary },
};
