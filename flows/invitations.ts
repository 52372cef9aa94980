import type { Flow, Step } from '../src/conversation/types.ts';
import { INVITATION_CHOICE_PREFIX, parseInvitationChoice } from '../src/messages/choices.ts';
import { requestIn } from '../src/domain/intents/invitation-want.ts';
import { day, menuOption, movedSteps, titleOf } from './common.ts';
import { nikPrompt, type Then } from './identity.ts';
import { act, confirm, notUnderstood } from './invitations-answers.ts';
import { declineConfirm, declineOther, declineReason } from './invitations-decline.ts';
import { slots } from './invitations-slots.ts';
import { current, currentDeclined, declined, declinedReplies, detailHead, detailReplies, householdOf, restoreAsk, upcoming } from './invitations-view.ts';
import { proxy } from './proxy.ts';

// "Undangan saya": the household's upcoming distribution invitations, and the four answers a resident
// can give — I'll come, another slot, I can't come, someone will come for me (kuasa, flows/proxy.ts).
// Identity first (flows/identity.ts): an invitation names the family, its place and its code.
//
// This file holds the flow: which invitation (start, detail, want, fromMessage) and the step after a
// decline. Reading and showing invitations is flows/invitations-view.ts; what each answer does (and taking a
// decline back) is flows/invitations-answers.ts; the steps of another slot and of "I can't come" are
// flows/invitations-slots.ts and flows/invitations-decline.ts. Step names are kept as they are: saved
// sessions refer to them.
//
// Session data: view (what the prompt showed), invitationId (the invitation being answered), declineReason
// (the reason given, while the decline waits for its confirmation), want and relation (what the resident's
// own words asked for, domain/intents/invitation-want.ts, carried through the identity check).

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
        return { flow: 'identity', step: 'nik', data: { then: 'invitations' satisfies Then, mode: ctx.data.mode, ...requestIn(ctx.data) }, forward: true };
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

// "mau konfirmasi hadir", "sy tdk bisa datang", "mau diwakilkan suami": the words said what to do, so once the
// chat is verified it is done (confirming) or its first question asked (the reason, another slot, the kuasa)
// under the invitation itself, rather than the four answers asked again. Entered with `forward` from the menu
// and from the identity check. Only with one open invitation: with several, or none, the list as always.
const want: Step = {
  prompt: (ctx) => start.prompt(ctx),
  async handle(ctx) {
    const { want: what, relation } = requestIn(ctx.data);
    const householdId = householdOf(ctx);
    if (householdId === null) return { flow: 'invitations', data: requestIn(ctx.data) };
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

// ---- after a decline -------------------------------------------------------------------------------------

// Right after a decline (flows/invitations-decline.ts): the only answer offered is taking it back (or the menu).
// Here, not with the decline steps, because it falls back on `start` when there is no declined invitation to show
// (and the decline steps are imported here, so they cannot import `start`).
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
