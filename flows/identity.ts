import type { Flow, Outcome, Step, StepContext } from '../src/conversation/types.ts';
import type { Option } from '../src/messages/types.ts';
import type { Reply } from '../src/messages/types.ts';
import { parseBirthDate } from '../src/domain/dates.ts';
import { requestIn } from '../src/domain/intents/invitation-want.ts';
import { nikAgrees, readIdNumber } from '../src/domain/nik.ts';
import type { PublicProgram } from '../src/services/for-flows.ts';
import { clean, menuOption, nameOf, nikProblem, readNik, when } from './common.ts';

// "Who are you?" (DESIGN.md "Identity"). The NIK, the KK number and the birth date find the person; they are
// knowledge, printed on every photocopy, so alone they show only what the public Cek Bansos shows and allow no
// action. The chat speaks for the person once it proves possession: WhatsApp from the registry phone links at
// once; elsewhere the resident asks for a code on that phone (or shares their own Telegram number), or reads
// a counter code to an officer who sees the KTP. The aid check, the invitations and the status of a report
// filed from another chat all come here first.
//
// A flow of its own, which those flows enter and which sends the chat on once the check succeeds, rather than
// a function that copies these steps into each of them: the resident meets one check, with one lock, one count
// of tries left and one "not found", whichever question brought them here, and a session waiting for a birth
// date is in the same place whoever asked for the NIK.
//
// The caller names where to go in `then`, with the values sessions held when these steps lived in the aid
// flow ('invitations', 'status' with trackingId, none for the aid summary), and aid.ts keeps the old step ids
// pointing here: a session saved before this file existed carries on.
//
// Session data: then, trackingId (with then = 'status'), want and relation (with then = 'invitations': what the
// resident's words asked to do with the invitation), mode (what the NIK prompt showed: 'nik' | 'locked'),
// nik and noKk (only between the questions), lastKk (the KK number this chat typed for its last check, while
// it stays in this flow), remaining (tries left after a mismatch), dateOff (the last mismatch's birth date
// disagreed with the NIK's own digits), pendingNik (kept after "not found" so a report can carry it),
// candidate (the member found by knowledge, never shown), programs (what the public view showed), masked (the
// registry phone as shown). Texts of the possession steps live in the identity namespace; the older ones stay
// in aid, where they began. Every string holding 16 digits is sealed in the session (conversation/seal.ts).
//
// The KK number where the NIK is asked. Both are 16 digits, and a KK number has the NIK's very shape (area,
// then its date of issue as DDMMYY, then a serial), so no rule on the digits tells them apart. Nor does the
// registry here: "that is a KK number" from a lookup would tell a stranger, free and uncounted, that a family
// with that KK exists, which the check never says (a wrong KK is the same mismatch as a wrong date). So the
// chat is answered from what it typed itself, in the same words whoever it is: the same number at the NIK and
// the KK question, the KK number of its own last check typed as a NIK, or a NIK and KK typed the wrong way
// round (the "KK" agrees with the birth date, the "NIK" does not, read from the digits alone). None of these
// reaches the registry or counts as a try; the check that follows is counted as every check is.

/** Where a verified chat goes next, named by the flow that sent it here. */
export type Then = 'invitations' | 'status' | 'myData';

/**
 * The NIK question, or the lock notice when this chat may not try now. A caller with a lead-in of its own
 * (aid's intro, the invitations' "we need to know who you are") says both in its prompt and forwards the
 * answer to `identity.nik` with the `mode` this left in its data.
 */
export async function nikPrompt(ctx: StepContext): Promise<Reply[]> {
  const lock = await ctx.services.identity.lockState(ctx.contact.id, ctx.now);
  if (lock.locked) {
    ctx.data.mode = 'locked';
    return [{ text: ctx.t('aid:locked', { until: when(ctx, lock.until) }), options: [menuOption(ctx.t)] }];
  }
  ctx.data.mode = 'nik';
  return [{ text: ctx.t('aid:nik.prompt'), options: [menuOption(ctx.t)] }];
}

const nik: Step = {
  private: true,
  prompt: nikPrompt,
  async handle(ctx, answer) {
    if (ctx.data.mode === 'locked') {
      const lock = await ctx.services.identity.lockState(ctx.contact.id, ctx.now);
      if (lock.locked) return { say: [{ text: ctx.t('aid:locked', { until: when(ctx, lock.until) }) }], end: true };
    }
    const reading = readNik(answer.text);
    if (!reading.ok) return { say: [{ text: nikProblem(ctx.t, reading) }], retry: true };
    delete ctx.data.pendingNik;
    const heldKk = typeof ctx.data.noKk === 'string' ? ctx.data.noKk : undefined;
    if (heldKk === reading.nik) {
      // Kept as the KK number below, and typed here once more: the resident says it is the NIK after all.
      delete ctx.data.noKk;
      ctx.data.nik = reading.nik;
      return { goto: 'kk' };
    }
    if (heldKk === undefined && reading.nik === ctx.data.lastKk) {
      // The KK number of this chat's last check: said where the NIK is, kept as the KK, not a try.
      ctx.data.noKk = reading.nik;
      return { say: [{ text: ctx.t('identity:kk.typedAsNik') }], retry: true };
    }
    ctx.data.nik = reading.nik;
    // The KK number is already known when the resident gave it first (see the kk step).
    return { goto: heldKk === undefined ? 'kk' : 'birth' };
  },
};

const kk: Step = {
  private: true,
  prompt: ({ t }) => [{ text: t('identity:kk.prompt'), options: [menuOption(t)] }],
  handle(ctx, answer) {
    // "No. KK 2171 1002 0718 0005", or the number inside a sentence, as with the NIK.
    const reading = readIdNumber(answer.text, /\bkk\b/i);
    if (reading.kind !== 'number') return { say: [{ text: ctx.t('identity:kk.retry') }], retry: true };
    const digits = reading.digits;
    ctx.data.noKk = digits;
    if (digits === ctx.data.nik) {
      // The same number twice. The NIK prompt sends people to the Kartu Keluarga, whose most visible number is
      // the KK's, and this question asks for the number at its top: most likely that number both times. Kept
      // as the KK number, and the NIK asked again, saying where it is; typed a third time, it is the NIK.
      delete ctx.data.nik;
      return { say: [{ text: ctx.t('identity:kk.sameAsNik') }], goto: 'nik' };
    }
    return { goto: 'birth' };
  },
};

const birth: Step = {
  private: true,
  prompt: ({ t }) => [{ text: t('aid:birth.prompt'), options: [menuOption(t)] }],
  async handle(ctx, answer) {
    const birthDate = parseBirthDate(clean(answer.text, 100), ctx.now, ctx.timeZone);
    if (!birthDate) return { say: [{ text: ctx.t('aid:birth.retry') }], retry: true };
    let typed = typeof ctx.data.nik === 'string' ? ctx.data.nik : undefined;
    let noKk = typeof ctx.data.noKk === 'string' ? ctx.data.noKk : undefined;
    if (!typed) return { goto: 'nik' };
    if (!noKk) return { goto: 'kk' };
    delete ctx.data.nik;
    delete ctx.data.noKk;
    // The two numbers the wrong way round: the "KK" carries this birth date in its digits and the "NIK" does not.
    // Read from the digits alone, so it tells nothing about the registry; the check runs with each in its place.
    const swapped = !nikAgrees(typed, birthDate) && nikAgrees(noKk, birthDate);
    if (swapped) [typed, noKk] = [noKk, typed];
    ctx.data.lastKk = noKk;
    const outcome = await check(ctx, typed, noKk, birthDate);
    if (!swapped) return outcome;
    return { ...outcome, say: [{ text: ctx.t('identity:kk.swapped') }, ...(outcome.say ?? [])] };
  },
};

/** The counted check of the three facts, and where its answer sends the chat. */
async function check(ctx: StepContext, typed: string, noKk: string, birthDate: string): Promise<Outcome> {
  const result = await ctx.services.identity.checkIdentity({
    contactId: ctx.contact.id,
    nik: typed,
    noKk,
    birthDate,
    now: ctx.now,
    timeZone: ctx.timeZone,
    clientAddress: ctx.clientAddress,
  });
  // A flood city-wide slows every new lookup's answer a little; nobody is turned away for it.
  if (result.paceMs) ctx.chat.holdReplies(result.paceMs);
  switch (result.outcome) {
    case 'limited':
      return { say: [{ text: limitedText(ctx, result.scope, result.until) }], end: true };
    case 'locked':
      return { say: [{ text: ctx.t('aid:locked', { until: when(ctx, result.until) }) }], end: true };
    case 'locked_now':
      return { say: [{ text: ctx.t('aid:lockedNow', { until: when(ctx, result.until) }) }], end: true };
    case 'invalid_nik':
      return { say: [{ text: ctx.t('aid:nik.invalid') }], goto: 'nik' };
    case 'mismatch':
      ctx.data.remaining = result.remaining;
      // The NIK's digits 7–12 are its holder's birth date: whether the typed date disagrees with them is
      // known from the two typed values alone, so saying so tells nothing of the registry (nor the date in it).
      ctx.data.dateOff = !nikAgrees(typed, birthDate);
      return { goto: 'mismatch' };
    case 'not_found':
      // Kept for a "not registered" report, which needs the NIK to propose the family; dropped on leaving.
      ctx.data.pendingNik = typed;
      return { goto: 'notFound' };
    case 'deceased':
      return { goto: 'deceased' };
    case 'linked':
      return linked(ctx, result.memberId, result.householdId, 'identity:linked.registryPhone');
    case 'knowledge':
      ctx.data.candidate = result.memberId;
      ctx.data.programs = result.programs;
      ctx.data.offer = result.offer.kind;
      if (result.offer.kind === 'code') ctx.data.masked = result.offer.masked;
      else delete ctx.data.masked;
      if (result.offer.kind !== 'code') return { goto: 'knowledge' };
      // The code goes to the registry phone at once, without a button to ask for it: a press that anyone who
      // got this far could make anyway (so it protects nothing), and one message fewer for every resident.
      // The public view comes first, then why the code, then the code's own prompt.
      return withBefore(await sendCode(ctx, result.memberId), [{ text: publicLines(ctx, result.programs) }, { text: ctx.t('identity:knowledge.why') }]);
  }
}

/** An outcome with bubbles said before its own. */
function withBefore(outcome: Outcome, before: Reply[]): Outcome {
  return { ...outcome, say: [...before, ...(outcome.say ?? [])] };
}

function limitedText(ctx: StepContext, scope: 'address' | 'member', until: Date | undefined): string {
  if (scope === 'address' && until) return ctx.t('identity:limited.address', { until: when(ctx, until) });
  return ctx.t('identity:limited.member');
}

/** The chat proved possession: say so, and go where the resident was going. */
function linked(ctx: StepContext, memberId: number, householdId: number, key: string): Outcome {
  ctx.chat.linkMember(memberId, householdId);
  for (const k of ['candidate', 'programs', 'offer', 'masked']) delete ctx.data[k];
  const then = ctx.data.then as Then | undefined;
  const verified = { text: ctx.t(key) };
  if (then === 'invitations') {
    // What the resident asked for in their first words ("mau konfirmasi hadir") is done now.
    const request = requestIn(ctx.data);
    if (request.want) return { say: [verified], flow: 'invitations', step: 'want', data: request, forward: true };
    return { say: [verified], flow: 'invitations' };
  }
  if (then === 'myData') return { say: [verified], flow: 'rights', step: 'data' };
  if (then === 'status' && typeof ctx.data.trackingId === 'string') {
    return { say: [verified], flow: 'complaint', step: 'statusShow', data: { trackingId: ctx.data.trackingId } };
  }
  // The aid check: its summary, which opens with who was found, is the answer.
  return { say: [verified], flow: 'aid', step: 'summary' };
}

function publicLines(ctx: StepContext, programs: PublicProgram[]): string {
  if (programs.length === 0) return ctx.t('identity:public.none');
  const lines = programs.map((p) => ctx.t('identity:public.line', { name: nameOf(ctx, p), status: ctx.t(p.active ? 'identity:public.active' : 'identity:public.inactive') }));
  return [ctx.t('identity:public.header'), ...lines].join('\n');
}

/** The ways to prove possession this chat can take now. */
function proofOptions(ctx: StepContext): Option[] {
  const options: Option[] = [];
  if (ctx.data.offer === 'code' && typeof ctx.data.masked === 'string') options.push({ id: 'code', label: ctx.t('identity:options.sendCode') });
  // Telegram can share the account's own number with one press; the channel checks it is the sender's own.
  if (ctx.contact.channel === 'telegram') options.push({ id: 'share_phone', label: ctx.t('identity:options.sharePhone'), requestPhone: true });
  options.push({ id: 'visit', label: ctx.t('identity:options.visit') }, menuOption(ctx.t));
  return options;
}

/** Found by knowledge only: the public view, then how to prove possession. */
const knowledge: Step = {
  accepts: ['contact'],
  prompt(ctx) {
    const programs = Array.isArray(ctx.data.programs) ? (ctx.data.programs as PublicProgram[]) : [];
    const how =
      ctx.data.offer === 'code' && typeof ctx.data.masked === 'string'
        ? ctx.t('identity:knowledge.howCode', { phone: ctx.data.masked })
        : ctx.t('identity:knowledge.howVisit');
    return [{ text: publicLines(ctx, programs) }, { text: ctx.t('identity:knowledge.why') }, { text: how, options: proofOptions(ctx) }];
  },
  async handle(ctx, answer) {
    const candidate = typeof ctx.data.candidate === 'number' ? ctx.data.candidate : undefined;
    if (candidate === undefined) return { goto: 'nik' };
    if (answer.kind === 'contact') return sharedPhone(ctx, candidate, answer.sharedContact?.own === true);
    // A NIK typed here means "check another one".
    if (readNik(answer.text).ok) {
      const keep = Object.fromEntries(['then', 'trackingId', 'lastKk', 'want', 'relation'].filter((k) => ctx.data[k] !== undefined).map((k) => [k, ctx.data[k]]));
      return { flow: 'identity', step: 'nik', data: keep, forward: true };
    }
    switch (answer.choice) {
      case 'code':
        return sendCode(ctx, candidate);
      case 'visit':
        return { goto: 'visit' };
      default:
        return { say: [{ text: ctx.t('identity:knowledge.pick') }], retry: true };
    }
  },
};

async function sharedPhone(ctx: StepContext, candidate: number, own: boolean): Promise<Outcome> {
  // A contact card of someone else proves nothing about this chat.
  if (!own) return { say: [{ text: ctx.t('identity:phone.notOwn') }], retry: true };
  const proved = await ctx.services.identity.proveByOwnPhone({ contactId: ctx.contact.id, memberId: candidate, now: ctx.now });
  if (proved.linked) return linked(ctx, candidate, proved.householdId, 'identity:linked.registryPhone');
  return { say: [{ text: ctx.t('identity:phone.notRegistry') }], retry: true };
}

async function sendCode(ctx: StepContext, candidate: number): Promise<Outcome> {
  const sent = await ctx.services.identity.sendCode({ contactId: ctx.contact.id, memberId: candidate, locale: ctx.locale, now: ctx.now });
  switch (sent.kind) {
    case 'sent':
      ctx.data.masked = sent.masked;
      return { goto: 'code' };
    case 'too_soon':
      return { say: [{ text: ctx.t('identity:code.tooSoon', { seconds: Math.max(1, Math.ceil((sent.retryAt.getTime() - ctx.now.getTime()) / 1000)) }) }], goto: 'code' };
    case 'no_phone':
      return { say: [{ text: ctx.t('identity:knowledge.howVisit') }], goto: 'visit' };
  }
}

/** Waiting for the code sent to the registry phone (or, on Telegram, the account's own number shared). */
const code: Step = {
  private: true,
  accepts: ['contact'],
  prompt: (ctx) => {
    const { t, data } = ctx;
    const options: Option[] = [{ id: 'resend', label: t('identity:options.resend') }];
    if (ctx.contact.channel === 'telegram') options.push({ id: 'share_phone', label: t('identity:options.sharePhone'), requestPhone: true });
    options.push({ id: 'visit', label: t('identity:options.visit') }, menuOption(t));
    return [{ text: t('identity:code.prompt', { phone: typeof data.masked === 'string' ? data.masked : '' }), options }];
  },
  async handle(ctx, answer) {
    const candidate = typeof ctx.data.candidate === 'number' ? ctx.data.candidate : undefined;
    if (candidate === undefined) return { goto: 'nik' };
    if (answer.kind === 'contact') return sharedPhone(ctx, candidate, answer.sharedContact?.own === true);
    if (answer.choice === 'resend') return sendCode(ctx, candidate);
    if (answer.choice === 'visit') return { goto: 'visit' };
    const digits = answer.text.replace(/[\s.-]/g, '');
    if (!/^\d{6}$/.test(digits)) return { say: [{ text: ctx.t('identity:code.format') }], retry: true };
    const checked = await ctx.services.identity.checkCode({ contactId: ctx.contact.id, code: digits, now: ctx.now });
    switch (checked.kind) {
      case 'linked':
        return linked(ctx, checked.memberId, checked.householdId, 'identity:linked.code');
      case 'wrong':
        return { say: [{ text: ctx.t('identity:code.wrong', { remaining: checked.remaining }) }], retry: true };
      case 'expired':
        return { say: [{ text: ctx.t('identity:code.expired') }], retry: true };
    }
  },
};

/** The in-person proof: a code to read to the officer, who links this chat after seeing the KTP. */
const visit: Step = {
  async prompt(ctx) {
    const counter = await ctx.services.identity.counterCode({ contactId: ctx.contact.id, now: ctx.now });
    return [{ text: ctx.t('identity:visit.code', { code: counter.code, until: when(ctx, counter.expiresAt) }), options: [menuOption(ctx.t)] }];
  },
  next: { end: true },
};

/**
 * A NIK typed where "Coba lagi" or "Cek NIK lain" is offered answers the question the button leads to: taken
 * there at once (or told what is wrong with it) rather than thrown away and asked for again. Something that
 * is plainly an attempt at one counts too: a number of twelve digits or more, or sixteen that are no NIK.
 */
function nikTypedAhead(ctx: StepContext, text: string): Outcome | undefined {
  const reading = readNik(text);
  const meant = reading.ok || reading.problem === 'invalid' || (reading.problem === 'length' && reading.count >= 12);
  return meant ? { flow: 'identity', step: 'nik', data: ctx.data, forward: true } : undefined;
}

const mismatch: Step = {
  // Its answer may be a NIK typed straight away.
  private: true,
  prompt: ({ t, data }) => [
    {
      text: t(data.dateOff === true ? 'aid:mismatchDate' : 'aid:mismatch', { remaining: Number(data.remaining ?? 0) }),
      options: [{ id: 'again', label: t('aid:options.tryAgain') }, menuOption(t)],
    },
  ],
  handle: (ctx, answer) => {
    if (answer.choice === 'again') return { goto: 'nik' };
    return nikTypedAhead(ctx, answer.text) ?? { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
  },
};

const notFound: Step = {
  // Its answer may be another NIK typed straight away.
  private: true,
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
    return nikTypedAhead(ctx, answer.text) ?? { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
  },
};

const deceased: Step = {
  prompt: ({ t }) => [
    {
      text: t('aid:deceased'),
      options: [{ id: 'wrong_data', label: t('aid:options.reportWrongData') }, menuOption(t)],
    },
  ],
  handle: (ctx, answer) => {
    const { t } = ctx;
    // The NIK typed is the one the report is about: only the name is asked (the chat is not verified).
    if (answer.choice === 'wrong_data') {
      const subjectNik = typeof ctx.data.nik === 'string' ? ctx.data.nik : undefined;
      return { flow: 'complaint', step: 'question', data: { category: 'wrong_data', answers: { what: 'died', ...(subjectNik ? { subjectNik } : {}) } } };
    }
    return { say: [{ text: t('chat:notUnderstood') }], retry: true };
  },
};

export const identity: Flow = {
  id: 'identity',
  start: 'nik',
  steps: { nik, kk, birth, mismatch, notFound, deceased, knowledge, code, visit },
};
