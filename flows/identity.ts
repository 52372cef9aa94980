import type { Flow, Outcome, Step, StepContext } from '../src/conversation/types.ts';
import type { Reply } from '../src/messages/types.ts';
import { parseBirthDate } from '../src/domain/dates.ts';
import { clean, menuOption, nikProblem, readNik, when } from './common.ts';

// "Who are you?": the NIK and the birth date, checked and counted by the identity service. Knowledge only
// (DESIGN.md "Identity"), but it is what the aid check, the invitations and the status of a report filed
// from another chat all ask first.
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
// Session data: then, trackingId (with then = 'status'), mode (what the NIK prompt showed: 'nik' | 'locked'),
// nik (only between the two questions), remaining (tries left after a mismatch), pendingNik (kept after "not
// found" so a report can carry it). The texts stay in the aid namespace, where they began.

/** Where a verified chat goes next, named by the flow that sent it here. */
export type Then = 'invitations' | 'status';

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
  // The aid check: its summary, which opens with who was found, is the answer.
  return { flow: 'aid', step: 'summary' };
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

export const identity: Flow = {
  id: 'identity',
  start: 'nik',
  steps: { nik, birth, mismatch, notFound, deceased },
};
