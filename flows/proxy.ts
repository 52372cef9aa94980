import type { Answer, Flow, Outcome, Step, StepContext } from '../src/conversation/types.ts';
import type { Reply } from '../src/messages/types.ts';
import { declaredProblem } from '../src/domain/attachments.ts';
import { maskIdNumber } from '../src/domain/mask.ts';
import { normalize } from '../src/domain/text.ts';
import { yesOrNo } from '../src/domain/yes-no.ts';
import { PROXY_REASONS } from '../src/domain/vocabulary.ts';
import { PROXY_RELATIONS } from '../src/domain/intents/invitation-want.ts';
import { clean, meaningfulLength, menuOption, nikProblem, readNik } from './common.ts';

// "Someone will come for me": naming a kuasa for one invitation — who (name, NIK, how related), why, and the
// signed surat kuasa if it is at hand — then sending it to the office. What the resident already said is not
// asked again: the NIK typed with the name, the relation in the first words ("diwakilkan suami"). Entered
// from an invitation's answers (flows/invitations.ts) with the invitation's id; the chat is verified for its household by then.
//
// Session data: invitationId (the invitation the kuasa is for), proxy (the kuasa being named: name, nik,
// relation, reason, reasonNote, and the photo of the surat kuasa if one was sent: its media metadata, fetched
// by the attachments job once the kuasa is saved).

type ProxyReason = (typeof PROXY_REASONS)[number];
const RELATIONS = PROXY_RELATIONS;

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

function draft(ctx: StepContext): ProxyDraft {
  const d = ctx.data.proxy;
  if (d && typeof d === 'object') return d as ProxyDraft;
  const fresh: ProxyDraft = {};
  ctx.data.proxy = fresh;
  return fresh;
}

function notUnderstood(ctx: StepContext): Outcome {
  return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
}

/** The question after the one answered: what the draft still lacks (the relation may come from the first words). */
function nextQuestion(d: ProxyDraft): Outcome {
  if (!d.nik) return { goto: 'nik' };
  if (!d.relation) return { goto: 'relation' };
  if (!d.reason) return { goto: 'reason' };
  return { goto: 'confirm' };
}

/** "Rahmat Hidayat, NIK 2171 1003 0682 0001": the name, with the number and the word for it taken out. */
function nameBeside(text: string): string {
  return text
    .replace(/\b(nik|no\.?|nomor|ktp)\b\s*:?/gi, ' ')
    .replace(/[\d][\d\s.-]*[\d]/g, ' ')
    .replace(/[,;:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const name: Step = {
  prompt: ({ t }) => [{ text: t('invitations:proxy.name'), options: [menuOption(t)] }],
  handle(ctx, answer) {
    let typed = clean(answer.text, 100).replace(/\s+/g, ' ');
    // The NIK may come in the same message; a wrong one is asked again at its own question.
    const reading = readNik(typed);
    if (reading.ok) typed = nameBeside(typed);
    const letters = (typed.match(/\p{L}/gu) ?? []).length;
    if (/\d/.test(typed) || letters < 3) return { say: [{ text: ctx.t('invitations:proxy.nameRetry') }], retry: true };
    const d = draft(ctx);
    d.name = typed;
    if (reading.ok) d.nik = reading.nik;
    return nextQuestion(d);
  },
};

const nik: Step = {
  prompt: ({ t, data }) => [{ text: t('invitations:proxy.nik', { name: (data.proxy as ProxyDraft | undefined)?.name ?? '' }), options: [menuOption(t)] }],
  handle(ctx, answer) {
    const reading = readNik(answer.text);
    if (!reading.ok) return { say: [{ text: nikProblem(ctx.t, reading) }], retry: true };
    const d = draft(ctx);
    d.nik = reading.nik;
    return nextQuestion(d);
  },
};

const relation: Step = {
  prompt: ({ t }) => [
    {
      text: t('invitations:proxy.relation'),
      options: [...RELATIONS.map((id) => ({ id, label: t(`invitations:proxy.relations.${id}`) })), { id: 'other', label: t('invitations:proxy.relations.other') }],
    },
  ],
  handle(ctx, answer) {
    if (answer.choice === 'other') return { goto: 'relationOther' };
    const coded = RELATIONS.find((r) => r === answer.choice);
    if (coded) {
      draft(ctx).relation = coded;
      return { goto: 'reason' };
    }
    const text = clean(answer.text, 100);
    if (meaningfulLength(text) >= 3 && !/\d/.test(text)) {
      draft(ctx).relation = text;
      return { goto: 'reason' };
    }
    return { say: [{ text: ctx.t('complaint:pickOne') }], retry: true };
  },
};

const relationOther: Step = {
  prompt: ({ t }) => [{ text: t('invitations:proxy.relationOther') }],
  handle(ctx, answer) {
    const text = clean(answer.text, 100);
    if (meaningfulLength(text) < 3) return { say: [{ text: ctx.t('invitations:proxy.relationOtherRetry') }], retry: true };
    draft(ctx).relation = text;
    return { goto: 'reason' };
  },
};

const reason: Step = {
  prompt: ({ t }) => [{ text: t('invitations:proxy.reason'), options: PROXY_REASONS.map((id) => ({ id, label: t(`invitations:proxy.reasons.${id}`) })) }],
  handle(ctx, answer) {
    if (answer.choice === 'other') return { goto: 'reasonOther' };
    const coded = PROXY_REASONS.find((r) => r === answer.choice);
    if (coded) {
      draft(ctx).reason = coded;
      delete draft(ctx).reasonNote;
      return { goto: 'confirm' };
    }
    const text = clean(answer.text, 500);
    if (meaningfulLength(text) >= 3) {
      Object.assign(draft(ctx), { reason: 'other', reasonNote: text });
      return { goto: 'confirm' };
    }
    return { say: [{ text: ctx.t('complaint:pickOne') }], retry: true };
  },
};

const reasonOther: Step = {
  prompt: ({ t }) => [{ text: t('invitations:proxy.reasonOther') }],
  handle(ctx, answer) {
    const text = clean(answer.text, 500);
    if (meaningfulLength(text) < 3) return { say: [{ text: ctx.t('invitations:proxy.reasonOtherRetry') }], retry: true };
    Object.assign(draft(ctx), { reason: 'other', reasonNote: text });
    return { goto: 'confirm' };
  },
};

/**
 * The signed surat kuasa, photographed, if the resident has it at hand: it helps staff decide, but the kuasa
 * brings the paper to the site anyway, so it is never required. One file is enough. Sent whenever the read-back
 * is shown (no question of its own), or at the photo question of a session saved before.
 */
function takePhoto(ctx: StepContext, answer: Answer): Outcome | undefined {
  if (!((answer.kind === 'photo' || answer.kind === 'document') && answer.media)) return undefined;
  // Only photos and PDFs up to 10 MB are kept: say so now, not after the kuasa is sent.
  const problem = declaredProblem(answer.media.mimeType, answer.media.size);
  if (problem) return { say: [{ text: ctx.t(problem.startsWith('too_large') ? 'invitations:proxy.photo.tooLarge' : 'invitations:proxy.photo.wrongType') }], retry: true };
  const file: PhotoMeta = { mimeType: clean(answer.media.mimeType, 100) };
  if (answer.media.fileName) file.fileName = clean(answer.media.fileName, 200);
  if (answer.media.size !== undefined) file.size = answer.media.size;
  if (answer.media.ref) file.ref = clean(answer.media.ref, 500);
  draft(ctx).photo = file;
  return { say: [{ text: ctx.t('invitations:proxy.photo.received') }], goto: 'confirm' };
}

const photo: Step = {
  accepts: ['photo', 'document'],
  prompt: ({ t }) => [{ text: t('invitations:proxy.photo.prompt'), options: [{ id: 'skip', label: t('invitations:proxy.photo.skip') }] }],
  handle(ctx, answer) {
    const taken = takePhoto(ctx, answer);
    if (taken) return taken;
    if (answer.choice === 'skip' || SKIP_WORDS.has(normalize(answer.text))) {
      delete draft(ctx).photo;
      return { goto: 'confirm' };
    }
    return { say: [{ text: ctx.t('invitations:proxy.photo.retry') }], retry: true };
  },
};

function relationText(ctx: StepContext, relation: string): string {
  return (RELATIONS as readonly string[]).includes(relation) ? ctx.t(`invitations:proxy.relations.${relation}`) : relation;
}

/** The invitation's code, for the line that tells the kuasa what to bring ('' if it closed meanwhile). */
async function invitationCode(ctx: StepContext, householdId: number, invitationId: number): Promise<string> {
  const open = await ctx.services.invitations.upcomingInvitations(householdId, ctx.now);
  return open.find((i) => i.invitationId === invitationId)?.code ?? '';
}

const confirm: Step = {
  accepts: ['photo', 'document'],
  prompt(ctx) {
    const d = draft(ctx);
    const why = d.reason ? ctx.t(`invitations:proxy.reasons.${d.reason}`) : '';
    return [
      {
        text: ctx.t('invitations:proxy.confirm', {
          name: d.name ?? '',
          nik: d.nik ? maskIdNumber(d.nik) : '',
          relation: d.relation ? relationText(ctx, d.relation) : '',
          reason: d.reasonNote ? `${why} (${d.reasonNote})` : why,
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
    const taken = takePhoto(ctx, answer);
    if (taken) return taken;
    if (answer.choice === 'change') {
      ctx.data.proxy = {};
      return { goto: 'name' };
    }
    // "ya", "ok kirim" send it, as at every yes-or-no question; "tidak" is a cancel.
    const typed = answer.choice ? undefined : yesOrNo(answer.text);
    if (answer.choice === 'cancel' || typed === 'no') return { say: [{ text: ctx.t('invitations:proxy.cancelled') }], end: true };
    if (answer.choice !== 'send' && typed !== 'yes') return notUnderstood(ctx);

    const d = draft(ctx);
    if (!d.name) return { goto: 'name' };
    if (!d.nik) return { goto: 'nik' };
    if (!d.relation) return { goto: 'relation' };
    if (!d.reason) return { goto: 'reason' };
    const householdId = ctx.contact.householdId;
    const invitationId = ctx.data.invitationId;
    if (householdId === null || typeof invitationId !== 'number') return { flow: 'invitations' };

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
      if (r.reason === 'invalid_nik') return { say: [{ text: ctx.t('aid:nik.invalid') }], goto: 'nik' };
      if (r.reason === 'invalid_name') return { say: [{ text: ctx.t('invitations:proxy.nameRetry') }], goto: 'name' };
      return { say: [{ text: ctx.t('invitations:notOpen') }], end: true };
    }
    delete ctx.data.proxy;
    const say: Reply[] = [{ text: ctx.t('invitations:proxy.sent') }];
    if (r.replaced > 0) say.push({ text: ctx.t('invitations:proxy.replaced') });
    say.push({ text: ctx.t('invitations:proxy.bring', { code: await invitationCode(ctx, householdId, invitationId) }) });
    return { say, end: true };
  },
};

export const proxy: Flow = {
  id: 'proxy',
  start: 'name',
  steps: { name, nik, relation, relationOther, reason, reasonOther, photo, confirm },
};
