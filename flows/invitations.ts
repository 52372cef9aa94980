import type { Answer, Flow, Outcome, Step, StepContext } from '../src/conversation/types.ts';
import type { Option, Reply } from '../src/messages/types.ts';
import { INVITATION_CHOICE_PREFIX, parseInvitationChoice } from '../src/messages/choices.ts';
import { invitationQr } from '../src/messages/notices/distribution.ts';
import type { DeclinedInvitation, UpcomingInvitation } from '../src/services/for-flows.ts';
import type { InvitationWant, ProxyRelation } from '../src/domain/intents/invitation-want.ts';
import { normalize } from '../src/domain/text.ts';
import { clean, day, hours, mapUrl, meaningfulLength, menuOption, movedSteps, timeRange, titleOf } from './common.ts';
import { nikPrompt, type Then } from './identity.ts';
import { proxy } from './proxy.ts';

// "Undangan saya": the household's upcoming distribution invitations, and the four answers a resident
// can give — I'll come, another slot, I can't come, someone will come for me (kuasa, flows/proxy.ts).
// Identity first (flows/identity.ts): an invitation names the family, its place and its code.
//
// "I can't come" is asked twice (the reason, then what it means) and is not final: a declined invitation stays
// on the list, marked, with "Saya jadi bisa hadir" until its distribution is over (services/distribution/
// restore.ts decides, not this flow). Every view of one open invitation carries its QR, as the pushed
// invitation does (invitationQr).
//
// Session data: view (what the prompt showed), invitationId (the invitation being answered), declineReason
// (the reason given, while the decline waits for its confirmation), want and relation (what the resident's
// own words asked for, domain/intents/invitation-want.ts, carried through the identity check).

const DECLINE_REASONS = ['sick', 'working_away', 'at_sea', 'elderly_disabled'] as const;

function householdOf(ctx: StepContext): number | null {
  return ctx.contact.householdId;
}

async function upcoming(ctx: StepContext): Promise<UpcomingInvitation[]> {
  const householdId = householdOf(ctx);
  return householdId === null ? [] : ctx.services.invitations.upcomingInvitations(householdId, ctx.now);
}

async function current(ctx: StepContext): Promise<UpcomingInvitation | undefined> {
  const id = ctx.data.invitationId;
  if (typeof id !== 'number') return undefined;
  return (await upcoming(ctx)).find((i) => i.invitationId === id);
}

/** Declined invitations the household may still take back (their distribution is not over). */
async function declined(ctx: StepContext): Promise<DeclinedInvitation[]> {
  const householdId = householdOf(ctx);
  return householdId === null ? [] : ctx.services.invitations.declinedInvitations(householdId, ctx.now);
}

async function currentDeclined(ctx: StepContext): Promise<DeclinedInvitation | undefined> {
  const id = ctx.data.invitationId;
  if (typeof id !== 'number') return undefined;
  return (await declined(ctx)).find((i) => i.invitationId === id);
}

function notUnderstood(ctx: StepContext): Outcome {
  return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
}

// ---- one invitation ------------------------------------------------------------------------------------

function placeText(ctx: StepContext, p: { siteName: string; siteAddress: string; latitude: number | null; longitude: number | null }): string {
  const lines = [ctx.t('invitations:detail.site', { site: p.siteName }), ctx.t('invitations:detail.address', { address: p.siteAddress })];
  const url = mapUrl(p.latitude, p.longitude);
  if (url) lines.push(ctx.t('invitations:detail.map', { url }));
  return lines.join('\n');
}

function bringText(ctx: StepContext, inv: UpcomingInvitation): string {
  const docs = inv.documents.map((d) => `• ${ctx.t(`invitations:documents.${d}`, { code: inv.code })}`);
  return [ctx.t('invitations:detail.bring'), ...docs].join('\n');
}

function actionOptions(ctx: StepContext, inv: UpcomingInvitation): Option[] {
  const options: Option[] = [];
  if (inv.status !== 'confirmed') options.push({ id: 'confirm', label: ctx.t('invitations:actions.confirm') });
  options.push(
    { id: 'slot', label: ctx.t('invitations:actions.slot') },
    { id: 'decline', label: ctx.t('invitations:actions.decline') },
    { id: 'proxy', label: ctx.t('invitations:actions.proxy') },
    menuOption(ctx.t),
  );
  return options;
}

/** The invitation itself: what, its code, when, where, its status, with its QR. */
function detailHead(ctx: StepContext, inv: UpcomingInvitation): Reply {
  const head = [
    ctx.t('invitations:detail.title', { title: titleOf(ctx, inv) }),
    ctx.t('invitations:detail.code', { code: inv.code }),
    ctx.t('invitations:detail.when', { when: timeRange(ctx, inv.startsAt, inv.endsAt) }),
    placeText(ctx, inv),
    ctx.t('invitations:detail.status', { status: ctx.t(`invitations:statuses.${inv.status}`) }),
  ];
  if (inv.round > 1) head.push(ctx.t('invitations:detail.round', { round: inv.round }));
  return { text: head.join('\n'), ...invitationQr(inv.code) };
}

function detailReplies(ctx: StepContext, inv: UpcomingInvitation): Reply[] {
  ctx.data.view = 'one';
  return [detailHead(ctx, inv), { text: bringText(ctx, inv) }, { text: ctx.t('invitations:actions.prompt'), options: actionOptions(ctx, inv) }];
}

// ---- one declined invitation -------------------------------------------------------------------------

/** What "Saya jadi bisa hadir" offers, alone: right after declining, and under a declined invitation. */
function restoreAsk(ctx: StepContext, inv: DeclinedInvitation): Reply {
  ctx.data.view = 'declined';
  return {
    text: ctx.t('invitations:declined.ask', { day: day(ctx, inv.startsAt) }),
    options: [{ id: 'restore', label: ctx.t('invitations:declined.restore') }, menuOption(ctx.t)],
  };
}

// No QR: the code of a declined invitation is refused at check-in until it is taken back.
function declinedReplies(ctx: StepContext, inv: DeclinedInvitation): Reply[] {
  const head = [
    ctx.t('invitations:detail.title', { title: titleOf(ctx, inv) }),
    ctx.t('invitations:detail.code', { code: inv.code }),
    ctx.t('invitations:declined.day', { day: day(ctx, inv.startsAt) }),
    ctx.t('invitations:declined.status'),
  ];
  return [{ text: head.join('\n') }, restoreAsk(ctx, inv)];
}

async function restore(ctx: StepContext): Promise<Outcome> {
  const householdId = householdOf(ctx);
  const invitationId = ctx.data.invitationId;
  if (householdId === null || typeof invitationId !== 'number') return { goto: 'start' };
  const r = await ctx.services.invitations.restoreInvitation({ invitationId, householdId, contactId: ctx.contact.id, now: ctx.now, timeZone: ctx.timeZone });
  if (!r.ok) return { say: [{ text: ctx.t(r.reason === 'full' ? 'invitations:restored.full' : 'invitations:notOpen') }], end: true };
  const inv = await current(ctx);
  const say: Reply[] = [];
  if (!r.sameSlot) say.push({ text: ctx.t('invitations:restored.otherSlot') });
  say.push({ text: ctx.t(r.status === 'confirmed' ? 'invitations:restored.confirmed' : 'invitations:restored.invited', { code: inv?.code ?? '' }) });
  if (inv) say.push({ text: [ctx.t('invitations:detail.when', { when: timeRange(ctx, inv.startsAt, inv.endsAt) }), placeText(ctx, inv)].join('\n'), ...invitationQr(inv.code) });
  return { say, end: true };
}

async function confirm(ctx: StepContext, householdId: number, invitationId: number, before: Reply[] = []): Promise<Outcome> {
  const r = await ctx.services.invitations.confirmInvitation({ invitationId, householdId, now: ctx.now });
  if (!r.ok) return { say: [{ text: ctx.t('invitations:notOpen') }], end: true };
  const inv = await current(ctx);
  const key = r.alreadyConfirmed ? 'invitations:confirmed.already' : 'invitations:confirmed.done';
  return { say: [...before, { text: ctx.t(key, { code: inv?.code ?? '' }) }], end: true };
}

async function act(ctx: StepContext, answer: Answer): Promise<Outcome> {
  const householdId = householdOf(ctx);
  const invitationId = ctx.data.invitationId;
  if (householdId === null || typeof invitationId !== 'number') return { goto: 'start' };
  // A declined invitation has one answer; the others wait until it is taken back.
  if (ctx.data.view === 'declined') return answer.choice === 'restore' ? restore(ctx) : notUnderstood(ctx);
  switch (answer.choice) {
    case 'confirm':
      return confirm(ctx, householdId, invitationId);
    case 'slot':
      return { goto: 'slots' };
    case 'decline':
      return { goto: 'declineReason' };
    case 'proxy':
      return { say: [{ text: ctx.t('invitations:proxy.intro') }], flow: 'proxy', data: { invitationId } };
    default:
      return notUnderstood(ctx);
  }
}

// ---- entry: who is asking, and which invitation --------------------------------------------------------

const start: Step = {
  async prompt(ctx) {
    if (householdOf(ctx) === null) {
      ctx.data.view = 'verify';
      return [{ text: ctx.t('invitations:needIdentity') }, ...(await nikPrompt(ctx))];
    }
    const list = await upcoming(ctx);
    const off = await declined(ctx);
    if (list.length === 0 && off.length === 1) {
      ctx.data.invitationId = off[0]!.invitationId;
      return declinedReplies(ctx, off[0]!);
    }
    if (list.length === 0 && off.length === 0) {
      ctx.data.view = 'none';
      return [
        { text: ctx.t('invitations:none') },
        { text: ctx.t('invitations:noneExplain'), options: [{ id: 'aid', label: ctx.t('invitations:options.aid') }, menuOption(ctx.t)] },
      ];
    }
    if (list.length === 1 && off.length === 0) {
      ctx.data.invitationId = list[0]!.invitationId;
      return detailReplies(ctx, list[0]!);
    }
    ctx.data.view = 'many';
    return [
      {
        text: ctx.t('invitations:list', { count: list.length + off.length }),
        options: [
          ...list.map((i) => ({ id: `inv:${i.invitationId}`, label: ctx.t('invitations:listOption', { title: titleOf(ctx, i), day: day(ctx, i.startsAt) }) })),
          ...off.map((i) => ({ id: `inv:${i.invitationId}`, label: ctx.t('invitations:listOptionDeclined', { title: titleOf(ctx, i), day: day(ctx, i.startsAt) }) })),
          menuOption(ctx.t),
        ],
      },
    ];
  },
  async handle(ctx, answer) {
    switch (ctx.data.view) {
      case 'verify':
        // The NIK typed after the question above goes to the identity check, which comes back here once the
        // chat is verified (with what the resident asked for, if they said).
        return { flow: 'identity', step: 'nik', data: { then: 'invitations' satisfies Then, mode: ctx.data.mode, ...wanted(ctx) }, forward: true };
      case 'none':
        if (answer.choice === 'aid') return { flow: 'aid', step: 'summary' };
        return notUnderstood(ctx);
      case 'one':
      case 'declined':
        return act(ctx, answer);
      case 'many': {
        const id = answer.choice?.startsWith('inv:') ? Number(answer.choice.slice(4)) : NaN;
        if (!Number.isSafeInteger(id)) return notUnderstood(ctx);
        ctx.data.invitationId = id;
        return { goto: 'detail' };
      }
      default:
        return { goto: 'start' };
    }
  },
};

/** What the resident asked for in their own words, to carry on. */
function wanted(ctx: StepContext): { want?: InvitationWant; relation?: ProxyRelation } {
  const out: { want?: InvitationWant; relation?: ProxyRelation } = {};
  if (typeof ctx.data.want === 'string') out.want = ctx.data.want as InvitationWant;
  if (typeof ctx.data.relation === 'string') out.relation = ctx.data.relation as ProxyRelation;
  return out;
}

// "mau konfirmasi hadir", "sy tdk bisa datang", "mau diwakilkan suami": the words said what to do, so once the
// chat is verified it is done (confirming) or its first question asked (the reason, another slot, the kuasa)
// under the invitation itself, rather than the four answers asked again. Entered with `forward` from the menu
// and from the identity check. Only with one open invitation: with several, or none, the list as always.
const want: Step = {
  prompt: (ctx) => start.prompt(ctx),
  async handle(ctx) {
    const { want: what, relation } = wanted(ctx);
    const householdId = householdOf(ctx);
    if (householdId === null) return { flow: 'invitations', data: wanted(ctx) };
    const list = await upcoming(ctx);
    const inv = list.length === 1 && (await declined(ctx)).length === 0 ? list[0]! : undefined;
    delete ctx.data.want;
    delete ctx.data.relation;
    if (!what || !inv) return { goto: 'start' };
    ctx.data.invitationId = inv.invitationId;
    ctx.data.view = 'one';
    const head = detailHead(ctx, inv);
    switch (what) {
      case 'confirm':
        return confirm(ctx, householdId, inv.invitationId, [head]);
      case 'decline':
        return { say: [head], goto: 'declineReason' };
      case 'slot':
        return { say: [head], goto: 'slots' };
      case 'proxy':
        return { say: [head, { text: ctx.t('invitations:proxy.intro') }], flow: 'proxy', data: { invitationId: inv.invitationId, proxy: relation ? { relation } : {} } };
    }
  },
};

const detail: Step = {
  async prompt(ctx) {
    const inv = await current(ctx);
    if (inv) return detailReplies(ctx, inv);
    const off = await currentDeclined(ctx);
    if (off) return declinedReplies(ctx, off);
    ctx.data.view = 'gone';
    return [{ text: ctx.t('invitations:gone'), options: [{ id: 'list', label: ctx.t('invitations:options.list') }, menuOption(ctx.t)] }];
  },
  handle(ctx, answer) {
    if (ctx.data.view === 'gone') return answer.choice === 'list' ? { goto: 'start' } : notUnderstood(ctx);
    return act(ctx, answer);
  },
};

// ---- a button on an invitation, reminder or move message --------------------------------------------

// "inv:<id>:confirm|slot|decline|proxy" (or "inv:<id>" from the list above) may be pressed days after the
// message, wherever the chat is. The invitation must still be open and belong to the household this chat
// is verified for now: a forwarded message or a chat unlinked since then gets nothing.
const fromMessage: Step = {
  prompt: (ctx) => start.prompt(ctx),
  async handle(ctx, answer) {
    const parsed = parseInvitationChoice(answer.choice ?? '');
    if (!parsed) return { goto: 'start' };
    if (householdOf(ctx) === null) {
      // The office wrote first to the family's registry phone, and the answer comes from that number: it links
      // the chat by possession (services/identity/outreach-link.ts). Any other unlinked chat is asked who it is.
      const proved = await ctx.services.identity.linkByRegistryPhone({ contactId: ctx.contact.id, now: ctx.now });
      if (!proved.linked) return { goto: 'start' };
      ctx.chat.linkMember(proved.memberId, proved.householdId);
      // Read again as the family's chat: the same press, now from a linked chat.
      return { flow: 'invitations', step: 'fromMessage', forward: true };
    }
    const inv = (await upcoming(ctx)).find((i) => i.invitationId === parsed.invitationId);
    if (!inv) {
      // A button of the invitation pressed after declining it: the declined invitation, with its way back.
      if ((await declined(ctx)).some((i) => i.invitationId === parsed.invitationId)) {
        ctx.data.invitationId = parsed.invitationId;
        return { goto: 'detail' };
      }
      ctx.data.view = 'gone';
      return { say: [{ text: ctx.t('invitations:gone') }], end: true };
    }
    ctx.data.invitationId = inv.invitationId;
    ctx.data.view = 'one';
    if (!parsed.action) return { goto: 'detail' };
    return act(ctx, { ...answer, choice: parsed.action });
  },
};

// ---- another slot --------------------------------------------------------------------------------------

const slots: Step = {
  async prompt(ctx) {
    const invitationId = ctx.data.invitationId;
    const list = typeof invitationId === 'number' ? await ctx.services.invitations.availableSlots(invitationId, ctx.now) : [];
    const back = { id: 'back', label: ctx.t('invitations:options.back') };
    if (list.length === 0) {
      ctx.data.view = 'noSlots';
      return [{ text: ctx.t('invitations:slots.none'), options: [back, { id: 'proxy', label: ctx.t('invitations:actions.proxy') }, menuOption(ctx.t)] }];
    }
    ctx.data.view = 'slots';
    // Labels stay short for small screens and WhatsApp lists: the day goes in the question when it is one day.
    const days = new Set(list.map((s) => day(ctx, s.startsAt)));
    const oneDay = days.size === 1 ? [...days][0]! : undefined;
    const options = list.map((s) => ({
      id: `slot:${s.slotId}`,
      label: ctx.t('invitations:slots.option', {
        when: oneDay ? hours(ctx, s.startsAt, s.endsAt) : `${day(ctx, s.startsAt)}, ${hours(ctx, s.startsAt, s.endsAt)}`,
        site: s.siteName,
        left: s.seatsLeft,
      }),
    }));
    const text = oneDay ? ctx.t('invitations:slots.promptDay', { day: oneDay }) : ctx.t('invitations:slots.prompt');
    return [{ text, options: [...options, back, menuOption(ctx.t)] }];
  },
  async handle(ctx, answer) {
    if (answer.choice === 'back') return { goto: 'detail' };
    if (answer.choice === 'proxy') return act(ctx, answer);
    const slotId = answer.choice?.startsWith('slot:') ? Number(answer.choice.slice(5)) : NaN;
    const householdId = householdOf(ctx);
    const invitationId = ctx.data.invitationId;
    if (!Number.isSafeInteger(slotId)) return { say: [{ text: ctx.t('invitations:slots.retry') }], retry: true };
    if (householdId === null || typeof invitationId !== 'number') return { goto: 'start' };

    const r = await ctx.services.invitations.changeSlot({ invitationId, householdId, slotId, now: ctx.now });
    if (!r.ok) {
      if (r.reason === 'full' || r.reason === 'no_such_slot') return { say: [{ text: ctx.t('invitations:slots.full') }], goto: 'slots' };
      return { say: [{ text: ctx.t('invitations:notOpen') }], end: true };
    }
    const inv = await current(ctx);
    const say: Reply[] = [{ text: ctx.t('invitations:slots.changed') }];
    if (inv) say.push({ text: [ctx.t('invitations:detail.when', { when: timeRange(ctx, inv.startsAt, inv.endsAt) }), placeText(ctx, inv)].join('\n') });
    return { say, end: true };
  },
};

// ---- cannot come ---------------------------------------------------------------------------------------

/** Typed at "Yakin tidak bisa hadir?" instead of pressing a button. */
const YES_WORDS = new Set(['ya', 'y', 'iya', 'ya benar', 'benar', 'betul', 'yakin', 'ya yakin', 'yes', 'yes sure', 'sure', 'ok', 'oke']);
const BACK_WORDS = new Set(['kembali', 'tidak', 'tidak jadi', 'batal', 'gak jadi', 'ga jadi', 'nggak jadi', 'back', 'no']);

/** The reason is kept until the resident says yes to what declining means. */
function askToConfirm(ctx: StepContext, reason: string): Outcome {
  ctx.data.declineReason = reason;
  return { goto: 'declineConfirm' };
}

async function decline(ctx: StepContext, reason: string): Promise<Outcome> {
  const householdId = householdOf(ctx);
  const invitationId = ctx.data.invitationId;
  if (householdId === null || typeof invitationId !== 'number') return { goto: 'start' };
  const before = await current(ctx);
  const r = await ctx.services.invitations.declineInvitation({ invitationId, householdId, reason, now: ctx.now, contactId: ctx.contact.id });
  delete ctx.data.declineReason;
  if (!r.ok) return { say: [{ text: ctx.t('invitations:notOpen') }], end: true };
  const say: Reply[] = [{ text: ctx.t('invitations:decline.done', { title: before ? titleOf(ctx, before) : '' }) }];
  // What comes next, and the way back while there is one (the step below offers it).
  if (await currentDeclined(ctx)) return { say, goto: 'declined' };
  return { say, end: true };
}

const declineReason: Step = {
  prompt: ({ t }) => [
    {
      text: t('invitations:decline.prompt'),
      options: [
        ...DECLINE_REASONS.map((id) => ({ id, label: t(`invitations:decline.reasons.${id}`) })),
        { id: 'other', label: t('invitations:decline.reasons.other') },
        { id: 'proxy', label: t('invitations:decline.proxyInstead') },
        { id: 'back', label: t('invitations:options.back') },
      ],
    },
  ],
  async handle(ctx, answer) {
    const choice = answer.choice;
    if (choice === 'back') return { goto: 'detail' };
    if (choice === 'proxy') return act(ctx, answer);
    if (choice === 'other') return { goto: 'declineOther' };
    const coded = DECLINE_REASONS.find((r) => r === choice);
    if (coded) return askToConfirm(ctx, coded);
    // A reason written out ("anak saya sakit") is as good as a button.
    const text = clean(answer.text, 500);
    if (meaningfulLength(text) >= 3) return askToConfirm(ctx, text);
    return { say: [{ text: ctx.t('invitations:decline.retry') }], retry: true };
  },
};

const declineOther: Step = {
  prompt: ({ t }) => [{ text: t('invitations:decline.other'), options: [{ id: 'back', label: t('invitations:options.back') }] }],
  async handle(ctx, answer) {
    // "Kembali ke undangan" says where it goes: the invitation, not the list of reasons.
    if (answer.choice === 'back') return { goto: 'detail' };
    const text = clean(answer.text, 500);
    if (meaningfulLength(text) < 3) return { say: [{ text: ctx.t('invitations:decline.otherRetry') }], retry: true };
    return askToConfirm(ctx, text);
  },
};

// What declining means, before it is done: this invitation is cancelled, and the aid can still come through a
// kuasa or another date. Only a clear yes declines.
const declineConfirm: Step = {
  async prompt(ctx) {
    const inv = await current(ctx);
    if (!inv) {
      ctx.data.view = 'gone';
      return [{ text: ctx.t('invitations:gone'), options: [{ id: 'list', label: ctx.t('invitations:options.list') }, menuOption(ctx.t)] }];
    }
    ctx.data.view = 'confirmDecline';
    return [
      {
        text: ctx.t('invitations:decline.confirm', { title: titleOf(ctx, inv), day: day(ctx, inv.startsAt) }),
        options: [
          { id: 'yes', label: ctx.t('invitations:decline.yes') },
          { id: 'back', label: ctx.t('invitations:decline.back') },
        ],
      },
    ];
  },
  async handle(ctx, answer) {
    if (ctx.data.view === 'gone') return answer.choice === 'list' ? { goto: 'start' } : notUnderstood(ctx);
    const typed = normalize(answer.text);
    const reason = ctx.data.declineReason;
    if (answer.choice === 'back' || (!answer.choice && BACK_WORDS.has(typed))) {
      delete ctx.data.declineReason;
      return { goto: 'detail' };
    }
    if (answer.choice === 'yes' || (!answer.choice && YES_WORDS.has(typed))) {
      if (typeof reason !== 'string' || reason === '') return { goto: 'declineReason' };
      return decline(ctx, reason);
    }
    return { say: [{ text: ctx.t('invitations:decline.confirmRetry') }], retry: true };
  },
};

// Right after a decline: the only answer offered is taking it back (or the menu).
const declinedStep: Step = {
  async prompt(ctx) {
    const off = await currentDeclined(ctx);
    if (!off) return start.prompt(ctx);
    return [restoreAsk(ctx, off)];
  },
  handle: (ctx, answer) => (ctx.data.view === 'declined' ? act(ctx, answer) : start.handle!(ctx, answer)),
};

export const invitations: Flow = {
  id: 'invitations',
  start: 'start',
  steps: {
    start,
    want,
    detail,
    fromMessage,
    slots,
    declineReason,
    declineOther,
    declineConfirm,
    declined: declinedStep,
    // Where the kuasa steps were before flows/proxy.ts, for sessions saved there.
    ...movedSteps(proxy, {
      proxyName: 'name',
      proxyNik: 'nik',
      proxyRelation: 'relation',
      proxyRelationOther: 'relationOther',
      proxyReason: 'reason',
      proxyReasonOther: 'reasonOther',
      proxyPhoto: 'photo',
      proxyConfirm: 'confirm',
    }),
  },
};

/** Answer buttons sent with invitations and reminders come back here from anywhere (flows/index.ts). */
export const INVITATION_ROUTE = { prefix: INVITATION_CHOICE_PREFIX, flow: 'invitations', step: 'fromMessage' };
