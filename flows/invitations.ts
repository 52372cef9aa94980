import type { Answer, Flow, Outcome, Step, StepContext } from '../src/conversation/types.ts';
import type { Option, Reply } from '../src/messages/types.ts';
import { normalize } from '../src/domain/text.ts';
import { PROXY_REASONS } from '../src/domain/vocabulary.ts';
import { declaredProblem } from '../src/domain/attachments.ts';
import { maskNumber } from '../src/domain/mask.ts';
import { INVITATION_CHOICE_PREFIX, parseInvitationChoice } from '../src/messages/choices.ts';
import type { UpcomingInvitation } from '../src/services/for-flows.ts';
import { nikPrompt } from './aid.ts';
import { clean, day, hours, mapUrl, meaningfulLength, menuOption, nikProblem, readNik, timeRange } from './common.ts';

// "Undangan saya": the household's upcoming distribution invitations, and the four answers a resident
// can give — I'll come, another slot, I can't come, someone will come for me (kuasa). Identity first:
// an invitation names the family, its place and its code.
//
// Session data: view (what the prompt showed), invitationId (the invitation being answered), proxy (the
// kuasa being named: name, nik, relation, reason, reasonNote, and the photo of the surat kuasa if one was
// sent: its media metadata, fetched by the attachments job once the kuasa is saved).

type ProxyReason = (typeof PROXY_REASONS)[number];
const DECLINE_REASONS = ['sick', 'working_away', 'at_sea', 'elderly_disabled'] as const;
const RELATIONS = ['spouse', 'child', 'parent', 'sibling'] as const;

interface ProxyDraft {
  name?: string;
  nik?: string;
  relation?: string;
  reason?: ProxyReason;
  reasonNote?: string;
  photo?: PhotoMeta;
}

/** A file as the chat described it (the shape services/complaint-attachments.ts records). */
interface PhotoMeta {
  mimeType: string;
  fileName?: string;
  size?: number;
  ref?: string;
}

/** Typed instead of pressing "Lewati" on the photo question. */
const SKIP_WORDS = new Set(['lewati', 'skip', 'tidak', 'tidak ada', 'gak ada', 'ga ada', 'nggak ada', 'tdk ada', 'no', 'none', 'lanjut', 'next', 'tidak punya', 'belum ada']);

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
      ctx.data.proxy = {};
      return { say: [{ text: ctx.t('invitations:proxy.intro') }], goto: 'proxyName' };
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
        // The identity check lives in the aid flow; it comes back here once the chat is verified.
        return { flow: 'aid', step: 'nik', data: { then: 'invitations', mode: ctx.data.mode }, forward: true };
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
    if (householdOf(ctx) === null) return { goto: 'start' };
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

// ---- kuasa ---------------------------------------------------------------------------------------------

function draft(ctx: StepContext): ProxyDraft {
  const d = ctx.data.proxy;
  if (d && typeof d === 'object') return d as ProxyDraft;
  const fresh: ProxyDraft = {};
  ctx.data.proxy = fresh;
  return fresh;
}

const proxyName: Step = {
  prompt: ({ t }) => [{ text: t('invitations:proxy.name'), options: [menuOption(t)] }],
  handle(ctx, answer) {
    const name = clean(answer.text, 100).replace(/\s+/g, ' ');
    const letters = (name.match(/\p{L}/gu) ?? []).length;
    if (/\d/.test(name) || letters < 3) return { say: [{ text: ctx.t('invitations:proxy.nameRetry') }], retry: true };
    draft(ctx).name = name;
    return { goto: 'proxyNik' };
  },
};

const proxyNik: Step = {
  prompt: ({ t, data }) => [{ text: t('invitations:proxy.nik', { name: (data.proxy as ProxyDraft | undefined)?.name ?? '' }), options: [menuOption(t)] }],
  handle(ctx, answer) {
    const reading = readNik(answer.text);
    if (!reading.ok) return { say: [{ text: nikProblem(ctx.t, reading) }], retry: true };
    draft(ctx).nik = reading.nik;
    return { goto: 'proxyRelation' };
  },
};

const proxyRelation: Step = {
  prompt: ({ t }) => [
    {
      text: t('invitations:proxy.relation'),
      options: [...RELATIONS.map((id) => ({ id, label: t(`invitations:proxy.relations.${id}`) })), { id: 'other', label: t('invitations:proxy.relations.other') }],
    },
  ],
  handle(ctx, answer) {
    if (answer.choice === 'other') return { goto: 'proxyRelationOther' };
    const coded = RELATIONS.find((r) => r === answer.choice);
    if (coded) {
      draft(ctx).relation = coded;
      return { goto: 'proxyReason' };
    }
    const text = clean(answer.text, 100);
    if (meaningfulLength(text) >= 3 && !/\d/.test(text)) {
      draft(ctx).relation = text;
      return { goto: 'proxyReason' };
    }
    return { say: [{ text: ctx.t('complaint:pickOne') }], retry: true };
  },
};

const proxyRelationOther: Step = {
  prompt: ({ t }) => [{ text: t('invitations:proxy.relationOther') }],
  handle(ctx, answer) {
    const text = clean(answer.text, 100);
    if (meaningfulLength(text) < 3) return { say: [{ text: ctx.t('invitations:proxy.relationOtherRetry') }], retry: true };
    draft(ctx).relation = text;
    return { goto: 'proxyReason' };
  },
};

const proxyReason: Step = {
  prompt: ({ t }) => [{ text: t('invitations:proxy.reason'), options: PROXY_REASONS.map((id) => ({ id, label: t(`invitations:proxy.reasons.${id}`) })) }],
  handle(ctx, answer) {
    if (answer.choice === 'other') return { goto: 'proxyReasonOther' };
    const coded = PROXY_REASONS.find((r) => r === answer.choice);
    if (coded) {
      draft(ctx).reason = coded;
      delete draft(ctx).reasonNote;
      return { goto: 'proxyPhoto' };
    }
    const text = clean(answer.text, 500);
    if (meaningfulLength(text) >= 3) {
      Object.assign(draft(ctx), { reason: 'other', reasonNote: text });
      return { goto: 'proxyPhoto' };
    }
    return { say: [{ text: ctx.t('complaint:pickOne') }], retry: true };
  },
};

const proxyReasonOther: Step = {
  prompt: ({ t }) => [{ text: t('invitations:proxy.reasonOther') }],
  handle(ctx, answer) {
    const text = clean(answer.text, 500);
    if (meaningfulLength(text) < 3) return { say: [{ text: ctx.t('invitations:proxy.reasonOtherRetry') }], retry: true };
    Object.assign(draft(ctx), { reason: 'other', reasonNote: text });
    return { goto: 'proxyPhoto' };
  },
};

// The signed surat kuasa, photographed, if the resident has it at hand: it helps staff decide, but the kuasa
// brings the paper to the site anyway, so it is never required. One file is enough.
const proxyPhoto: Step = {
  accepts: ['photo', 'document'],
  prompt: ({ t }) => [{ text: t('invitations:proxy.photo.prompt'), options: [{ id: 'skip', label: t('invitations:proxy.photo.skip') }] }],
  handle(ctx, answer) {
    if ((answer.kind === 'photo' || answer.kind === 'document') && answer.media) {
      // Only photos and PDFs up to 10 MB are kept: say so now, not after the kuasa is sent.
      const problem = declaredProblem(answer.media.mimeType, answer.media.size);
      if (problem) return { say: [{ text: ctx.t(problem.startsWith('too_large') ? 'invitations:proxy.photo.tooLarge' : 'invitations:proxy.photo.wrongType') }], retry: true };
      const photo: PhotoMeta = { mimeType: clean(answer.media.mimeType, 100) };
      if (answer.media.fileName) photo.fileName = clean(answer.media.fileName, 200);
      if (answer.media.size !== undefined) photo.size = answer.media.size;
      if (answer.media.ref) photo.ref = clean(answer.media.ref, 500);
      draft(ctx).photo = photo;
      return { say: [{ text: ctx.t('invitations:proxy.photo.received') }], goto: 'proxyConfirm' };
    }
    if (answer.choice === 'skip' || SKIP_WORDS.has(normalize(answer.text))) {
      delete draft(ctx).photo;
      return { goto: 'proxyConfirm' };
    }
    return { say: [{ text: ctx.t('invitations:proxy.photo.retry') }], retry: true };
  },
};

function relationText(ctx: StepContext, relation: string): string {
  return (RELATIONS as readonly string[]).includes(relation) ? ctx.t(`invitations:proxy.relations.${relation}`) : relation;
}

const proxyConfirm: Step = {
  prompt(ctx) {
    const d = draft(ctx);
    const reason = d.reason ? ctx.t(`invitations:proxy.reasons.${d.reason}`) : '';
    return [
      {
        text: ctx.t('invitations:proxy.confirm', {
          name: d.name ?? '',
          nik: d.nik ? maskNumber(d.nik) : '',
          relation: d.relation ? relationText(ctx, d.relation) : '',
          reason: d.reasonNote ? `${reason} (${d.reasonNote})` : reason,
          photo: ctx.t(d.photo ? 'invitations:proxy.photo.attached' : 'invitations:proxy.photo.none'),
        }),
        options: [
          { id: 'send', label: ctx.t('invitations:proxy.send') },
          { id: 'change', label: ctx.t('invitations:proxy.change') },
          { id: 'cancel', label: ctx.t('invitations:proxy.cancel') },
        ],
      },
    ];
  },
  async handle(ctx, answer) {
    if (answer.choice === 'change') {
      ctx.data.proxy = {};
      return { goto: 'proxyName' };
    }
    if (answer.choice === 'cancel') return { say: [{ text: ctx.t('invitations:proxy.cancelled') }], end: true };
    if (answer.choice !== 'send') return notUnderstood(ctx);

    const d = draft(ctx);
    if (!d.name) return { goto: 'proxyName' };
    if (!d.nik) return { goto: 'proxyNik' };
    if (!d.relation) return { goto: 'proxyRelation' };
    if (!d.reason) return { goto: 'proxyReason' };
    const householdId = householdOf(ctx);
    const invitationId = ctx.data.invitationId;
    if (householdId === null || typeof invitationId !== 'number') return { goto: 'start' };

    const r = await ctx.services.invitations.nameProxy({
      invitationId,
      householdId,
      name: d.name,
      nik: d.nik,
      relation: d.relation,
      reason: d.reason,
      reasonNote: d.reasonNote ?? null,
      photos: d.photo ? [d.photo] : [],
      contactId: ctx.contact.id,
      now: ctx.now,
    });
    if (!r.ok) {
      if (r.reason === 'invalid_nik') return { say: [{ text: ctx.t('aid:nik.invalid') }], goto: 'proxyNik' };
      if (r.reason === 'invalid_name') return { say: [{ text: ctx.t('invitations:proxy.nameRetry') }], goto: 'proxyName' };
      return { say: [{ text: ctx.t('invitations:notOpen') }], end: true };
    }
    delete ctx.data.proxy;
    const inv = await current(ctx);
    const say: Reply[] = [{ text: ctx.t('invitations:proxy.sent') }];
    if (r.replaced > 0) say.push({ text: ctx.t('invitations:proxy.replaced') });
    say.push({ text: ctx.t('invitations:proxy.bring', { code: inv?.code ?? '' }) });
    return { say, end: true };
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
    proxyName,
    proxyNik,
    proxyRelation,
    proxyRelationOther,
    proxyReason,
    proxyReasonOther,
    proxyPhoto,
    proxyConfirm,
  },
};

/** Answer buttons sent with invitations and reminders come back here from anywhere (flows/index.ts). */
export const INVITATION_ROUTE = { prefix: INVITATION_CHOICE_PREFIX, flow: 'invitations', step: 'fromMessage' };
