import type { Answer, Flow, Outcome, Step, StepContext } from '../src/conversation/types.ts';
import type { Option, Reply } from '../src/messages/types.ts';
import { INVITATION_CHOICE_PREFIX, parseInvitationChoice } from '../src/messages/choices.ts';
import type { UpcomingInvitation } from '../src/services/for-flows.ts';
import { clean, day, hours, mapUrl, meaningfulLength, menuOption, movedSteps, timeRange } from './common.ts';
import { nikPrompt, type Then } from './identity.ts';
import { proxy } from './proxy.ts';

// "Undangan saya": the household's upcoming distribution invitations, and the four answers a resident
// can give — I'll come, another slot, I can't come, someone will come for me (kuasa, flows/proxy.ts).
// Identity first (flows/identity.ts): an invitation names the family, its place and its code.
//
// Session data: view (what the prompt showed), invitationId (the invitation being answered).

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

function detailReplies(ctx: StepContext, inv: UpcomingInvitation): Reply[] {
  const head = [
    ctx.t('invitations:detail.title', { title: inv.eventTitle }),
    ctx.t('invitations:detail.code', { code: inv.code }),
    ctx.t('invitations:detail.when', { when: timeRange(ctx, inv.startsAt, inv.endsAt) }),
    placeText(ctx, inv),
    ctx.t('invitations:detail.status', { status: ctx.t(`invitations:statuses.${inv.status}`) }),
  ];
  if (inv.round > 1) head.push(ctx.t('invitations:detail.round', { round: inv.round }));
  return [{ text: head.join('\n') }, { text: bringText(ctx, inv) }, { text: ctx.t('invitations:actions.prompt'), options: actionOptions(ctx, inv) }];
}

async function act(ctx: StepContext, answer: Answer): Promise<Outcome> {
  const householdId = householdOf(ctx);
  const invitationId = ctx.data.invitationId;
  if (householdId === null || typeof invitationId !== 'number') return { goto: 'start' };
  switch (answer.choice) {
    case 'confirm': {
      const r = await ctx.services.invitations.confirmInvitation({ invitationId, householdId, now: ctx.now });
      if (!r.ok) return { say: [{ text: ctx.t('invitations:notOpen') }], end: true };
      const inv = await current(ctx);
      const key = r.alreadyConfirmed ? 'invitations:confirmed.already' : 'invitations:confirmed.done';
      return { say: [{ text: ctx.t(key, { code: inv?.code ?? '' }) }], end: true };
    }
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
    if (list.length === 0) {
      ctx.data.view = 'none';
      return [
        { text: ctx.t('invitations:none') },
        { text: ctx.t('invitations:noneExplain'), options: [{ id: 'aid', label: ctx.t('invitations:options.aid') }, menuOption(ctx.t)] },
      ];
    }
    if (list.length === 1) {
      ctx.data.view = 'one';
      ctx.data.invitationId = list[0]!.invitationId;
      return detailReplies(ctx, list[0]!);
    }
    ctx.data.view = 'many';
    return [
      {
        text: ctx.t('invitations:list', { count: list.length }),
        options: [
          ...list.map((i) => ({ id: `inv:${i.invitationId}`, label: ctx.t('invitations:listOption', { title: i.eventTitle, day: day(ctx, i.startsAt) }) })),
          menuOption(ctx.t),
        ],
      },
    ];
  },
  async handle(ctx, answer) {
    switch (ctx.data.view) {
      case 'verify':
        // The NIK typed after the question above goes to the identity check, which comes back here once the
        // chat is verified.
        return { flow: 'identity', step: 'nik', data: { then: 'invitations' satisfies Then, mode: ctx.data.mode }, forward: true };
      case 'none':
        if (answer.choice === 'aid') return { flow: 'aid', step: 'summary' };
        return notUnderstood(ctx);
      case 'one':
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

const detail: Step = {
  async prompt(ctx) {
    const inv = await current(ctx);
    if (!inv) {
      ctx.data.view = 'gone';
      return [{ text: ctx.t('invitations:gone'), options: [{ id: 'list', label: ctx.t('invitations:options.list') }, menuOption(ctx.t)] }];
    }
    ctx.data.view = 'one';
    return detailReplies(ctx, inv);
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

async function decline(ctx: StepContext, reason: string): Promise<Outcome> {
  const householdId = householdOf(ctx);
  const invitationId = ctx.data.invitationId;
  if (householdId === null || typeof invitationId !== 'number') return { goto: 'start' };
  const r = await ctx.services.invitations.declineInvitation({ invitationId, householdId, reason, now: ctx.now });
  if (!r.ok) return { say: [{ text: ctx.t('invitations:notOpen') }], end: true };
  return { say: [{ text: ctx.t('invitations:decline.done') }], end: true };
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
    if (coded) return decline(ctx, coded);
    // A reason written out ("anak saya sakit") is as good as a button.
    const text = clean(answer.text, 500);
    if (meaningfulLength(text) >= 3) return decline(ctx, text);
    return { say: [{ text: ctx.t('invitations:decline.retry') }], retry: true };
  },
};

const declineOther: Step = {
  prompt: ({ t }) => [{ text: t('invitations:decline.other'), options: [{ id: 'back', label: t('invitations:options.back') }] }],
  async handle(ctx, answer) {
    if (answer.choice === 'back') return { goto: 'declineReason' };
    const text = clean(answer.text, 500);
    if (meaningfulLength(text) < 3) return { say: [{ text: ctx.t('invitations:decline.otherRetry') }], retry: true };
    return decline(ctx, text);
  },
};

export const invitations: Flow = {
  id: 'invitations',
  start: 'start',
  steps: {
    start,
    detail,
    fromMessage,
    slots,
    declineReason,
    declineOther,
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
