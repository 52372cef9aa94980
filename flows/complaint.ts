import type { Answer, Flow, Outcome, Step, StepContext } from '../src/conversation/types.ts';
import type { Option, Reply } from '../src/messages/types.ts';
import { COMPLAINT_CATEGORIES } from '../src/domain/vocabulary.ts';
import { declaredProblem } from '../src/domain/attachments.ts';
import { maskIdNumber } from '../src/domain/mask.ts';
import { normalizeTrackingId } from '../src/domain/tracking-id.ts';
import { normalize } from '../src/domain/text.ts';
import { clean, day, mapUrl, meaningfulLength, menuOption, nikProblem, readNik, when } from './common.ts';
import type { Then } from './identity.ts';

// Pengaduan: pick what kind of report, answer the few questions that kind needs (one at a time), add a
// photo if there is one, read it back, send. The questions are data: adding one is a line here and two
// texts in locales. Checking a report's status lives here too (statusAsk), since residents think of
// "my report" as one thing.
//
// Session data: category, answers (field name → option id or the resident's text; other flows may
// preset some, e.g. the aid flow's NIK), photos (media metadata), photoAsked, fromAid, programs
// (program codes the aid summary suggested), trackingId (status), mode (what the prompt showed),
// openedAt (the resident's message that began the report: its conversation starts there).

type Category = (typeof COMPLAINT_CATEGORIES)[number];
type Answers = Record<string, string>;

interface Field {
  name: string;
  /** Option ids offered; labels are complaint:fields.<category>.<name>.options.<id>. */
  options?: readonly string[];
  /** Free text is taken besides the options. */
  text?: boolean;
  /** The text is a NIK and is checked as one. */
  nik?: boolean;
  /** A shared location answers it too (where the resident lives, for a nearer site). */
  location?: boolean;
  /** The question depends on an earlier answer (wrong_data: what is wrong). */
  promptBy?: string;
  /** Not asked in this situation. */
  skip?: (answers: Answers, ctx: StepContext) => boolean;
}

/** A verified resident proposing their own family: the registry already knows who and where they are. */
const ownFamilyKnown = (a: Answers, ctx: StepContext) => a.forWhom === 'self' && ctx.contact.memberId !== null;

const FIELDS: Record<Category, readonly Field[]> = {
  usulan: [
    { name: 'forWhom', options: ['self', 'other'] },
    { name: 'name', text: true, skip: ownFamilyKnown },
    { name: 'nik', text: true, nik: true, options: ['unknown'], skip: ownFamilyKnown },
    { name: 'address', text: true, skip: ownFamilyKnown },
    { name: 'situation', text: true },
  ],
  sanggahan: [
    { name: 'anonymous', options: ['yes', 'no'] },
    { name: 'who', text: true },
    { name: 'program', text: true, options: ['unknown'] },
    { name: 'reason', text: true },
  ],
  not_received: [
    { name: 'program', text: true },
    { name: 'problem', options: ['none', 'cut', 'late', 'other'] },
    { name: 'when', text: true },
  ],
  site_too_far: [
    { name: 'site', text: true },
    { name: 'nearer', text: true, location: true },
  ],
  wrong_data: [
    { name: 'what', options: ['name', 'address', 'died', 'moved', 'condition', 'other'] },
    { name: 'detail', text: true, promptBy: 'what' },
  ],
  service: [
    { name: 'what', text: true },
    { name: 'where', text: true },
  ],
  other: [{ name: 'what', text: true }],
};

const MAX_PHOTOS = 3;
const SKIP_WORDS = new Set(['lewati', 'skip', 'tidak', 'tidak ada', 'gak ada', 'ga ada', 'nggak ada', 'tdk ada', 'no', 'none', 'nothing', 'lanjut', 'next', 'tidak punya', 'no photo']);

function isCategory(x: unknown): x is Category {
  return typeof x === 'string' && (COMPLAINT_CATEGORIES as readonly string[]).includes(x);
}

/**
 * Remembers the message that began this report, the first time a filing step runs: from there on the chat is
 * the complaint's conversation, and what came before (an aid check, another report) is not.
 */
function opened(ctx: StepContext): void {
  if (typeof ctx.data.openedAt !== 'number') ctx.data.openedAt = ctx.messageId;
}

function answersOf(ctx: StepContext): Answers {
  const a = ctx.data.answers;
  if (a && typeof a === 'object') return a as Answers;
  const fresh: Answers = {};
  ctx.data.answers = fresh;
  return fresh;
}

function fieldsFor(ctx: StepContext, category: Category): Field[] {
  const answers = answersOf(ctx);
  return FIELDS[category].filter((f) => !f.skip?.(answers, ctx));
}

function pendingField(ctx: StepContext, category: Category): Field | undefined {
  const answers = answersOf(ctx);
  return fieldsFor(ctx, category).find((f) => answers[f.name] === undefined);
}

const fieldKey = (category: Category, field: Field) => `complaint:fields.${category}.${field.name}`;

function optionsOf(ctx: StepContext, category: Category, field: Field): Option[] {
  return (field.options ?? []).map((id) => ({ id, label: ctx.t(`${fieldKey(category, field)}.options.${id}`) }));
}

/** Where to go once an answer is in: the next question, the photo, or the read-back. */
function onward(ctx: StepContext, category: Category): Outcome {
  if (pendingField(ctx, category)) return { goto: 'question' };
  if (!ctx.data.photoAsked) return { goto: 'photo' };
  return { goto: 'confirm' };
}

// ---- choosing the kind of report -----------------------------------------------------------------------

function categoryReplies(ctx: StepContext): Reply[] {
  return [
    {
      text: ctx.t('complaint:category.prompt'),
      options: [...COMPLAINT_CATEGORIES.map((id) => ({ id, label: ctx.t(`complaint:categories.${id}`) })), menuOption(ctx.t)],
    },
  ];
}

function chooseCategory(ctx: StepContext, answer: Answer): Outcome {
  opened(ctx);
  const category = COMPLAINT_CATEGORIES.find((c) => c === answer.choice);
  if (!category) return { say: [{ text: ctx.t('complaint:category.retry') }], retry: true };
  ctx.data.category = category;
  ctx.data.answers = {};
  ctx.data.photos = [];
  delete ctx.data.photoAsked;
  ctx.data.introduced = true;
  return { say: [{ text: ctx.t(`complaint:intro.${category}`) }], ...onward(ctx, category) };
}

const category: Step = {
  prompt(ctx) {
    opened(ctx);
    return categoryReplies(ctx);
  },
  handle: chooseCategory,
};

// ---- one question at a time ----------------------------------------------------------------------------

/** Also entered from other flows with data (the aid flow's "not registered" and "propose me" options). */
const question: Step = {
  accepts: ['location'],
  async prompt(ctx) {
    opened(ctx);
    const cat = ctx.data.category;
    if (!isCategory(cat)) {
      ctx.data.mode = 'category';
      return categoryReplies(ctx);
    }
    const field = pendingField(ctx, cat);
    if (!field) {
      ctx.data.mode = 'confirm';
      return confirmReplies(ctx, cat);
    }
    ctx.data.mode = 'question';
    const answers = answersOf(ctx);
    const key = field.promptBy ? `${fieldKey(cat, field)}.prompt.${answers[field.promptBy] ?? 'other'}` : `${fieldKey(cat, field)}.prompt`;
    const replies: Reply[] = [];
    if (!ctx.data.introduced) {
      // Arrived from another flow (the aid summary's "propose me"): say once what this is.
      ctx.data.introduced = true;
      replies.push({ text: ctx.t(`complaint:intro.${cat}`) });
    }
    const options = optionsOf(ctx, cat, field);
    replies.push(options.length > 0 ? { text: ctx.t(key), options } : { text: ctx.t(key) });
    return replies;
  },
  async handle(ctx, answer) {
    const cat = ctx.data.category;
    if (ctx.data.mode === 'category' || !isCategory(cat)) return chooseCategory(ctx, answer);
    if (ctx.data.mode === 'confirm') return confirm.handle!(ctx, answer);
    const field = pendingField(ctx, cat);
    if (!field) return onward(ctx, cat);
    const answers = answersOf(ctx);

    if (answer.choice && field.options?.includes(answer.choice)) {
      answers[field.name] = answer.choice;
      return onward(ctx, cat);
    }
    if (answer.kind === 'location') {
      const url = answer.location && mapUrl(answer.location.latitude, answer.location.longitude);
      if (!field.location || !url) return { say: [{ text: ctx.t('complaint:noLocation') }], retry: true };
      answers[field.name] = url;
      return onward(ctx, cat);
    }
    if (!field.text) return { say: [{ text: ctx.t('complaint:pickOne') }], retry: true };
    if (field.nik) {
      const reading = readNik(answer.text);
      if (!reading.ok) return { say: [{ text: nikProblem(ctx.t, reading) }], retry: true };
      answers[field.name] = reading.nik;
      return onward(ctx, cat);
    }
    const text = clean(answer.text);
    if (meaningfulLength(text) < 3) return { say: [{ text: ctx.t('complaint:tooShort') }], retry: true };
    answers[field.name] = text;
    return onward(ctx, cat);
  },
};

// ---- an optional photo ---------------------------------------------------------------------------------

interface PhotoMeta {
  kind: string;
  mimeType: string;
  fileName?: string;
  size?: number;
  ref?: string;
  caption?: string;
}

function photosOf(ctx: StepContext): PhotoMeta[] {
  return Array.isArray(ctx.data.photos) ? (ctx.data.photos as PhotoMeta[]) : [];
}

const photo: Step = {
  accepts: ['photo', 'document'],
  prompt(ctx) {
    const count = photosOf(ctx).length;
    if (count === 0) return [{ text: ctx.t('complaint:photo.prompt'), options: [{ id: 'skip', label: ctx.t('complaint:photo.skip') }] }];
    return [{ text: ctx.t('complaint:photo.more', { count, max: MAX_PHOTOS }), options: [{ id: 'done', label: ctx.t('complaint:photo.done') }] }];
  },
  handle(ctx, answer) {
    if ((answer.kind === 'photo' || answer.kind === 'document') && answer.media) {
      // Only photos and PDFs up to 10 MB are kept: say so now, not after the report is sent.
      const problem = declaredProblem(answer.media.mimeType, answer.media.size);
      if (problem) return { say: [{ text: ctx.t(problem.startsWith('too_large') ? 'complaint:photo.tooLarge' : 'complaint:photo.wrongType') }], retry: true };
      const photos = photosOf(ctx);
      const meta: PhotoMeta = { kind: answer.kind, mimeType: clean(answer.media.mimeType, 100) };
      if (answer.media.fileName) meta.fileName = clean(answer.media.fileName, 200);
      if (answer.media.size !== undefined) meta.size = answer.media.size;
      if (answer.media.ref) meta.ref = clean(answer.media.ref, 500);
      if (answer.text) meta.caption = clean(answer.text, 500);
      photos.push(meta);
      ctx.data.photos = photos;
      if (photos.length >= MAX_PHOTOS) {
        ctx.data.photoAsked = true;
        return { say: [{ text: ctx.t('complaint:photo.enough', { max: MAX_PHOTOS }) }], goto: 'confirm' };
      }
      return { goto: 'photo' };
    }
    if (answer.choice === 'skip' || answer.choice === 'done' || SKIP_WORDS.has(normalize(answer.text))) {
      ctx.data.photoAsked = true;
      return { goto: 'confirm' };
    }
    return { say: [{ text: ctx.t('complaint:photo.retry') }], retry: true };
  },
};

// ---- read back, change, send ---------------------------------------------------------------------------

function valueText(ctx: StepContext, category: Category, field: Field, value: string): string {
  if (field.options?.includes(value)) return ctx.t(`${fieldKey(category, field)}.options.${value}`);
  if (field.nik) return maskIdNumber(value);
  return value.length > 300 ? `${value.slice(0, 300)}…` : value;
}

function confirmReplies(ctx: StepContext, cat: Category): Reply[] {
  const answers = answersOf(ctx);
  const lines = [ctx.t('complaint:confirm.header'), ctx.t('complaint:confirm.line', { label: ctx.t('complaint:confirm.category'), value: ctx.t(`complaint:categories.${cat}`) })];
  for (const f of fieldsFor(ctx, cat)) {
    const v = answers[f.name];
    if (v === undefined) continue;
    lines.push(ctx.t('complaint:confirm.line', { label: ctx.t(`${fieldKey(cat, f)}.label`), value: valueText(ctx, cat, f, v) }));
  }
  if (ctx.data.fromAid && cat === 'usulan' && ctx.contact.memberId !== null && answers.forWhom === 'self') {
    lines.push(ctx.t('complaint:confirm.ownFamily'));
  }
  lines.push(ctx.t('complaint:confirm.line', { label: ctx.t('complaint:confirm.photos'), value: String(photosOf(ctx).length) }));
  if (answers.anonymous === 'yes') lines.push(ctx.t('complaint:confirm.anonymous'));
  return [
    { text: lines.join('\n') },
    {
      text: ctx.t('complaint:confirm.question'),
      options: [
        { id: 'send', label: ctx.t('complaint:confirm.send') },
        { id: 'change', label: ctx.t('complaint:confirm.change') },
        { id: 'cancel', label: ctx.t('complaint:confirm.cancel') },
      ],
    },
  ];
}

/** What staff see first in their list: the resident's own words, shortest first-line form. */
function summaryOf(cat: Category, answers: Answers): string {
  const texts: string[] = [];
  for (const f of FIELDS[cat]) {
    const v = answers[f.name];
    if (!f.text || f.nik || v === undefined || f.options?.includes(v)) continue;
    texts.push(v);
  }
  const s = texts.join(' — ').replace(/\s+/g, ' ').trim();
  return (s.length > 300 ? `${s.slice(0, 299)}…` : s) || cat;
}

async function send(ctx: StepContext, cat: Category): Promise<Outcome> {
  const answers = answersOf(ctx);
  const anonymous = answers.anonymous === 'yes';
  let invitationId: number | null = null;
  if (cat === 'site_too_far' && ctx.contact.householdId !== null) {
    const [next] = await ctx.services.invitations.upcomingInvitations(ctx.contact.householdId, ctx.now);
    invitationId = next?.invitationId ?? null;
  }
  const details: Record<string, unknown> = { ...answers, photos: photosOf(ctx), language: ctx.locale };
  if (ctx.data.fromAid) details.fromAid = true;
  if (Array.isArray(ctx.data.programs) && ctx.data.programs.length > 0) details.programs = ctx.data.programs;

  const filed = await ctx.services.complaints.fileComplaint({
    contactId: ctx.contact.id,
    memberId: ctx.contact.memberId,
    category: cat,
    summary: summaryOf(cat, answers),
    details,
    anonymous,
    invitationId,
    conversationFrom: typeof ctx.data.openedAt === 'number' ? ctx.data.openedAt : ctx.messageId,
    now: ctx.now,
    timeZone: ctx.timeZone,
  });
  const view = await ctx.services.complaints.complaintStatus(filed.trackingId, { contactId: ctx.contact.id, memberId: ctx.contact.memberId });
  const next = view?.verifyDueAt ? ctx.t('complaint:filed.nextBy', { due: day(ctx, view.verifyDueAt) }) : ctx.t('complaint:filed.next');
  const say: Reply[] = [{ text: ctx.t('complaint:filed.tracking', { trackingId: filed.trackingId }) }, { text: next }];
  if (anonymous) say.push({ text: ctx.t('complaint:filed.anonymous') });
  say.push({ text: ctx.t('complaint:filed.howToCheck', { trackingId: filed.trackingId }) });
  return { say, end: true };
}

const confirm: Step = {
  prompt(ctx) {
    const cat = ctx.data.category;
    if (!isCategory(cat)) {
      ctx.data.mode = 'category';
      return categoryReplies(ctx);
    }
    ctx.data.mode = 'confirm';
    return confirmReplies(ctx, cat);
  },
  async handle(ctx, answer) {
    const cat = ctx.data.category;
    if (ctx.data.mode === 'category' || !isCategory(cat)) return chooseCategory(ctx, answer);
    switch (answer.choice) {
      case 'send':
        if (pendingField(ctx, cat)) return { goto: 'question' };
        return send(ctx, cat);
      case 'change':
        return { goto: 'edit' };
      case 'cancel':
        return { say: [{ text: ctx.t('complaint:confirm.cancelled') }], end: true };
      default:
        return { say: [{ text: ctx.t('complaint:confirm.retry') }], retry: true };
    }
  },
};

const edit: Step = {
  prompt(ctx) {
    const cat = ctx.data.category;
    const options: Option[] = [];
    if (isCategory(cat)) {
      const answers = answersOf(ctx);
      for (const f of fieldsFor(ctx, cat)) {
        if (answers[f.name] !== undefined) options.push({ id: `field:${f.name}`, label: ctx.t(`${fieldKey(cat, f)}.label`) });
      }
    }
    options.push(
      { id: 'photo', label: ctx.t('complaint:edit.photo') },
      { id: 'category', label: ctx.t('complaint:edit.category') },
      { id: 'back', label: ctx.t('complaint:edit.back') },
    );
    return [{ text: ctx.t('complaint:edit.prompt'), options }];
  },
  handle(ctx, answer) {
    const cat = ctx.data.category;
    const choice = answer.choice ?? '';
    if (choice === 'category' || !isCategory(cat)) {
      ctx.data.answers = {};
      ctx.data.photos = [];
      delete ctx.data.photoAsked;
      delete ctx.data.fromAid;
      delete ctx.data.programs;
      return { goto: 'category' };
    }
    if (choice === 'photo') {
      ctx.data.photos = [];
      return { goto: 'photo' };
    }
    if (choice === 'back') return { goto: 'confirm' };
    if (choice.startsWith('field:')) {
      const name = choice.slice('field:'.length);
      const answers = answersOf(ctx);
      delete answers[name];
      // A question worded from this answer must be asked again too.
      for (const f of FIELDS[cat]) if (f.promptBy === name) delete answers[f.name];
      return { goto: 'question' };
    }
    return { say: [{ text: ctx.t('complaint:pickOne') }], retry: true };
  },
};

// ---- status of a report --------------------------------------------------------------------------------

const statusAsk: Step = {
  prompt: ({ t }) => [{ text: t('complaint:status.prompt'), options: [menuOption(t)] }],
  handle(ctx, answer) {
    const trackingId = normalizeTrackingId(clean(answer.text, 60));
    if (!trackingId) return { say: [{ text: ctx.t('complaint:status.badFormat') }], retry: true };
    ctx.data.trackingId = trackingId;
    return { goto: 'statusShow' };
  },
};

const statusShow: Step = {
  async prompt(ctx) {
    const trackingId = typeof ctx.data.trackingId === 'string' ? ctx.data.trackingId : '';
    const view = trackingId ? await ctx.services.complaints.complaintStatus(trackingId, { contactId: ctx.contact.id, memberId: ctx.contact.memberId }) : null;
    const again = { id: 'again', label: ctx.t('complaint:status.another') };
    if (!view) {
      ctx.data.mode = 'notFound';
      const options = [again];
      if (ctx.contact.memberId === null) options.push({ id: 'identity', label: ctx.t('complaint:status.identity') });
      const key = ctx.contact.memberId === null ? 'complaint:status.notFound' : 'complaint:status.notFoundVerified';
      return [{ text: ctx.t(key, { trackingId }), options: [...options, menuOption(ctx.t)] }];
    }
    ctx.data.mode = 'found';
    const lines = [
      ctx.t('complaint:status.view', {
        trackingId: view.trackingId,
        category: ctx.t(`complaint:categories.${view.category}`),
        status: ctx.t(`complaint:statuses.${view.status}`),
        created: when(ctx, view.createdAt),
        updated: when(ctx, view.updatedAt),
      }),
    ];
    if ((view.status === 'received' || view.status === 'reopened') && view.verifyDueAt) {
      lines.push(ctx.t('complaint:status.verifyDue', { due: day(ctx, view.verifyDueAt) }));
    } else if ((view.status === 'verified' || view.status === 'in_progress') && view.answerDueAt) {
      lines.push(ctx.t('complaint:status.answerDue', { due: day(ctx, view.answerDueAt) }));
    }
    const replies: Reply[] = [{ text: lines.join('\n') }];
    if (view.lastStaffMessage) replies.push({ text: ctx.t('complaint:status.staffMessage', { message: view.lastStaffMessage }) });
    replies.push({ text: ctx.t('complaint:status.whatNext'), options: [again, menuOption(ctx.t)] });
    return replies;
  },
  handle(ctx, answer) {
    if (answer.choice === 'again') return { goto: 'statusAsk' };
    if (answer.choice === 'identity') {
      return { flow: 'identity', data: { then: 'status' satisfies Then, trackingId: ctx.data.trackingId } };
    }
    // Another tracking ID typed straight away.
    const typed = normalizeTrackingId(clean(answer.text, 60));
    if (typed) {
      ctx.data.trackingId = typed;
      return { goto: 'statusShow' };
    }
    return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
  },
};

export const complaint: Flow = {
  id: 'complaint',
  start: 'category',
  steps: { category, question, usulanDetails: question, photo, confirm, edit, statusAsk, statusShow },
};
