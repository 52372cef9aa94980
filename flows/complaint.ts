import type { Answer, Flow, Outcome, Step, StepContext } from '../src/conversation/types.ts';
import type { Option, Reply } from '../src/messages/types.ts';
import { COMPLAINT_CATEGORIES } from '../src/domain/vocabulary.ts';
import { declaredProblem } from '../src/domain/attachments.ts';
import { matchCommand } from '../src/domain/commands.ts';
import { maskIdNumber } from '../src/domain/mask.ts';
import { normalize } from '../src/domain/text.ts';
import { yesOrNo } from '../src/domain/yes-no.ts';
import { statusAsk, statusShow } from './complaint-status.ts';
import { clean, day, mapUrl, meaningfulLength, menuOption, nikProblem, readNik } from './common.ts';

// Pengaduan: pick what kind of report, answer the few questions that kind needs (one at a time), add a
// photo if there is one, read it back, send. The questions are data: adding one is a line here and two
// texts in locales. Checking a report's status is a step of this flow too (statusAsk, statusShow in
// complaint-status.ts), since residents think of "my report" as one thing.
//
// Session data: suggested (the kind the first words named, until it is taken), category, answers (field name → option id or the resident's text; other flows may
// preset some, e.g. the aid flow's NIK), photos (media metadata), photoAsked, fromAid, programs
// (program codes the aid summary suggested), trackingId (status), mode (what the prompt showed),
// openedAt (the resident's message that began the report: its conversation starts there), more (the field
// whose long answer continues in the next message), resume (the step a "batal" or "menu" left, while the
// resident is asked whether to drop the draft).
//
// A draft is never dropped without asking: the steps that hold one read "menu", "halo", "batal" and the other
// leave words themselves (Step.reads) and ask first. Session expiry and a plea for an officer still end it.

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
  /** A person's name, with their NIK after it when the resident knows it (kept as `<name>Nik`). */
  withNik?: true;
  /** Not asked in this situation. */
  skip?: (answers: Answers, ctx: StepContext) => boolean;
}

/** A verified resident proposing their own family: the registry already knows who and where they are. */
const ownFamilyKnown = (a: Answers, ctx: StepContext) => a.forWhom === 'self' && ctx.contact.memberId !== null;

/**
 * Whose data is wrong, whose aid did not arrive: a verified chat's report is about its own family (the
 * complaint carries its member), but from an unverified chat nobody would know. One question takes the name
 * and, when the resident knows it, the NIK in the same message ("Siti Aminah, 2171…"): one more message, not
 * two. They are kept in the complaint's details (subjectName, subjectNik: the NIK or 'unknown'; the schema
 * has no column for them and needs none) and head the summary staff read.
 */
const verifiedChat = (_a: Answers, ctx: StepContext) => ctx.contact.memberId !== null;
const SUBJECT: readonly Field[] = [{ name: 'subjectName', text: true, withNik: true, skip: verifiedChat }];

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
    ...SUBJECT,
    { name: 'program', text: true },
    { name: 'problem', options: ['none', 'cut', 'late', 'other'] },
    { name: 'when', text: true },
  ],
  site_too_far: [
    { name: 'site', text: true },
    { name: 'nearer', text: true, location: true },
  ],
  wrong_data: [
    ...SUBJECT,
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
// "Sudah, itu saja" after a long answer: nothing more to add to it.
const DONE_WORDS = new Set([...SKIP_WORDS, 'sudah', 'udah', 'cukup', 'itu saja', 'sudah cukup', 'sudah lengkap', 'selesai', 'done', 'that s all', 'thats all', 'finished']);
// Words that ask to change the report at "Kirim laporan ini?".
const CHANGE_WORDS = new Set(['ubah', 'ganti', 'edit', 'change', 'perbaiki', 'koreksi', 'revisi', 'ada yang salah']);

/**
 * How much of a resident's own words one answer keeps. A WhatsApp or Telegram message stops at 4,096
 * characters, so 4,000 is about one full message from a phone (the web chat lets up to 5,000 through,
 * domain/text.ts MAX_TEXT); it is also the length of an officer's own reply. A longer message keeps its first
 * 4,000 and the resident is told, and asked for the rest: each further message joins the same answer, up to
 * three messages' worth. The columns (complaints.summary text, details jsonb) have no limit of their own;
 * these are what an officer can read through.
 */
export const ANSWER_PART = 4000;
export const ANSWER_MAX = 12_000;

const charCount = (s: string) => Array.from(s).length;

/** The first `max` characters (whole code points) of a text, and whether anything was left out. */
function keep(text: string, max: number): { text: string; cut: boolean } {
  const chars = Array.from(text);
  if (chars.length <= max) return { text, cut: false };
  return { text: chars.slice(0, max).join('').trimEnd(), cut: true };
}

const formatCount = (ctx: StepContext, n: number) => new Intl.NumberFormat(ctx.locale === 'id' ? 'id-ID' : 'en-US').format(n);

// ---- leaving a draft -----------------------------------------------------------------------------------

/** The engine's commands that would drop the draft: the menu (also "halo", "kembali") and batal/cancel. */
function leaveWord(text: string): 'menu' | 'cancel' | undefined {
  const command = matchCommand(text);
  return command === 'menu' || command === 'cancel' ? command : undefined;
}

/** For Step.reads: the draft steps take these words themselves, to ask before anything is dropped. */
const readsLeaveWords = (text: string) => leaveWord(text) !== undefined;

/** A leave word typed as the whole answer (a pressed or typed option is the option, whatever its label). */
const leaving = (answer: Answer) => (answer.kind === 'text' && answer.choice === undefined ? leaveWord(answer.text) : undefined);

type DraftStep = 'question' | 'photo' | 'confirm' | 'edit';

function askDiscard(ctx: StepContext, from: DraftStep): Outcome {
  ctx.data.resume = from;
  return { goto: 'discardAsk' };
}

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
  // The kind the first words named ("bantuan belum diterima"), handed here with those words by the menu.
  const suggested = answer.choice === undefined ? COMPLAINT_CATEGORIES.find((c) => c === ctx.data.suggested) : undefined;
  delete ctx.data.suggested;
  const category = suggested ?? COMPLAINT_CATEGORIES.find((c) => c === answer.choice);
  if (!category) return { say: [{ text: ctx.t('complaint:category.retry') }], retry: true };
  ctx.data.category = category;
  ctx.data.answers = {};
  ctx.data.photos = [];
  delete ctx.data.photoAsked;
  delete ctx.data.more;
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
  reads: readsLeaveWords,
  async prompt(ctx) {
    opened(ctx);
    const cat = ctx.data.category;
    if (!isCategory(cat)) {
      ctx.data.mode = 'category';
      return categoryReplies(ctx);
    }
    if (typeof ctx.data.more === 'string') {
      ctx.data.mode = 'more';
      return [{ text: ctx.t('complaint:long.more'), options: [{ id: 'done', label: ctx.t('complaint:long.done') }] }];
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
    const leave = leaving(answer);
    if (ctx.data.mode === 'category' || !isCategory(cat)) {
      // No report begun yet: the word means what it means anywhere else.
      if (leave === 'cancel') return { say: [{ text: ctx.t('chat:cancelled') }], end: true };
      if (leave === 'menu') return { end: true };
      return chooseCategory(ctx, answer);
    }
    if (leave) return askDiscard(ctx, ctx.data.mode === 'confirm' ? 'confirm' : 'question');
    if (ctx.data.mode === 'confirm') return confirm.handle!(ctx, answer);
    if (ctx.data.mode === 'more' && typeof ctx.data.more === 'string') return continued(ctx, cat, ctx.data.more, answer);
    const field = pendingField(ctx, cat);
    if (!field) return onward(ctx, cat);
    const answers = answersOf(ctx);

    if (answer.choice && field.options?.includes(answer.choice)) {
      answers[field.name] = answer.choice;
      return onward(ctx, cat);
    }
    if (field.withNik && answer.kind === 'text') {
      const person = readPerson(answer.text);
      if (!person.ok) return { say: [{ text: person.problem === 'name' ? ctx.t('complaint:subject.nameMissing') : nikProblem(ctx.t, person.reading) }], retry: true };
      const nikKey = `${field.name.replace(/Name$/, '')}Nik`;
      answers[field.name] = person.name;
      // A NIK another flow already knew (preset in the answers) stays when none is typed.
      answers[nikKey] = person.nik ?? answers[nikKey] ?? 'unknown';
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
    const text = clean(answer.text, Number.MAX_SAFE_INTEGER);
    if (meaningfulLength(text) < 3) return { say: [{ text: ctx.t('complaint:tooShort') }], retry: true };
    const kept = keep(text, ANSWER_PART);
    answers[field.name] = kept.text;
    if (kept.cut) {
      ctx.data.more = field.name;
      return { say: [{ text: ctx.t('complaint:long.cut', { limit: formatCount(ctx, ANSWER_PART) }) }], goto: 'question' };
    }
    return onward(ctx, cat);
  },
};

type PersonReading = { ok: true; name: string; nik?: string } | { ok: false; problem: 'name' } | { ok: false; problem: 'nik'; reading: Exclude<ReturnType<typeof readNik>, { ok: true }> };

/**
 * "Siti Aminah, 2171105203850001", "Siti Aminah NIK 2171 1052 0385 0001", "Siti Aminah": a name, and a NIK
 * if one is there. A long number that is not a NIK is said so (the resident meant one); a name is needed.
 */
function readPerson(text: string): PersonReading {
  const number = /(?:\bnik\b\s*[:.=-]?\s*)?(\d[\d\s.\-]{8,}\d)/i.exec(text);
  let nik: string | undefined;
  let rest = text;
  if (number) {
    const reading = readNik(number[1]!);
    if (!reading.ok) return { ok: false, problem: 'nik', reading };
    nik = reading.nik;
    rest = text.slice(0, number.index) + ' ' + text.slice(number.index + number[0].length);
  }
  const name = clean(rest.replace(/\bnik\b\s*[:.=-]?/gi, ' ').replace(/\s+/g, ' ').replace(/^[\s,;:.\-]+|[\s,;:.\-]+$/g, ''), 200);
  if (meaningfulLength(name) < 3) return { ok: false, problem: 'name' };
  return nik ? { ok: true, name, nik } : { ok: true, name };
}

/** The rest of a long answer, sent after it was cut: joined to it, or "Lanjut" when there is no more. */
function continued(ctx: StepContext, cat: Category, name: string, answer: Answer): Outcome {
  const answers = answersOf(ctx);
  const text = clean(answer.text, Number.MAX_SAFE_INTEGER);
  const done = answer.choice === 'done' || DONE_WORDS.has(normalize(text)) || yesOrNo(text) !== undefined;
  if (done || answers[name] === undefined) {
    delete ctx.data.more;
    return onward(ctx, cat);
  }
  if (answer.kind !== 'text' || meaningfulLength(text) < 1) return { say: [{ text: ctx.t('complaint:long.retry') }], retry: true };
  const sofar = answers[name]!;
  const room = Math.max(0, ANSWER_MAX - charCount(sofar) - 1);
  const take = Math.min(ANSWER_PART, room);
  const part = keep(text, take);
  answers[name] = `${sofar}\n${part.text}`;
  if (!part.cut) {
    delete ctx.data.more;
    return onward(ctx, cat);
  }
  if (room <= ANSWER_PART) {
    // Three messages' worth: what is left can go to the officer once the report has its number.
    delete ctx.data.more;
    return { say: [{ text: ctx.t('complaint:long.full', { limit: formatCount(ctx, ANSWER_MAX) }) }], ...onward(ctx, cat) };
  }
  return { say: [{ text: ctx.t('complaint:long.cut', { limit: formatCount(ctx, ANSWER_PART) }) }], goto: 'question' };
}

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
  reads: readsLeaveWords,
  prompt(ctx) {
    const count = photosOf(ctx).length;
    if (count === 0) return [{ text: ctx.t('complaint:photo.prompt'), options: [{ id: 'skip', label: ctx.t('complaint:photo.skip') }] }];
    return [{ text: ctx.t('complaint:photo.more', { count, max: MAX_PHOTOS }), options: [{ id: 'done', label: ctx.t('complaint:photo.done') }] }];
  },
  handle(ctx, answer) {
    if (leaving(answer)) return askDiscard(ctx, 'photo');
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
  if (field.withNik) {
    const nik = answersOf(ctx)[`${field.name.replace(/Name$/, '')}Nik`];
    return nik && nik !== 'unknown' ? `${value}, NIK ${maskIdNumber(nik)}` : value;
  }
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

/**
 * What staff read as the report: the resident's own words, whole. It is all an officer sees of an anonymous
 * sanggahan (its conversation stays hidden from them), so nothing is cut here beyond ANSWER_MAX per answer.
 * Whose data or aid it is (an unverified chat's report) comes first, on a line of its own.
 */
function summaryOf(ctx: StepContext, cat: Category, answers: Answers): string {
  const texts: string[] = [];
  for (const f of FIELDS[cat]) {
    const v = answers[f.name];
    if (!f.text || f.nik || v === undefined || f.options?.includes(v)) continue;
    if (f.name === 'subjectName') {
      const nik = answers.subjectNik && answers.subjectNik !== 'unknown' ? maskIdNumber(answers.subjectNik) : ctx.t('complaint:summary.nikUnknown');
      texts.push(ctx.t('complaint:summary.subject', { name: v, nik }));
      continue;
    }
    texts.push(v);
  }
  const s = texts
    .map((t) => t.replace(/[ \t]+/g, ' ').replace(/\n{3,}/g, '\n\n').trim())
    .join(' — ')
    .trim();
  return s || cat;
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
    summary: summaryOf(ctx, cat, answers),
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
  reads: readsLeaveWords,
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
    if (leaving(answer)) return askDiscard(ctx, 'confirm');
    switch (answer.choice ?? sendOrChange(answer)) {
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

/** "ya", "ok kirim", "benar" send; "tidak", "ubah", "no" open the changes (nothing is lost there). */
function sendOrChange(answer: Answer): 'send' | 'change' | undefined {
  if (answer.kind !== 'text') return undefined;
  if (CHANGE_WORDS.has(normalize(answer.text))) return 'change';
  const said = yesOrNo(answer.text);
  return said === 'yes' ? 'send' : said === 'no' ? 'change' : undefined;
}

const edit: Step = {
  reads: readsLeaveWords,
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
    // "kembali" here is the way back to the read-back, not to the menu.
    if (answer.kind === 'text' && answer.choice === undefined && ['kembali', 'back'].includes(normalize(answer.text))) return { goto: 'confirm' };
    if (leaving(answer)) return askDiscard(ctx, 'edit');
    const choice = answer.choice ?? '';
    if (choice === 'category' || !isCategory(cat)) {
      ctx.data.answers = {};
      ctx.data.photos = [];
      delete ctx.data.photoAsked;
      delete ctx.data.more;
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
      if (FIELDS[cat].some((f) => f.name === name && f.withNik)) delete answers[`${name.replace(/Name$/, '')}Nik`];
      delete ctx.data.more;
      // A question worded from this answer must be asked again too.
      for (const f of FIELDS[cat]) if (f.promptBy === name) delete answers[f.name];
      return { goto: 'question' };
    }
    return { say: [{ text: ctx.t('complaint:pickOne') }], retry: true };
  },
};

/**
 * "batal", "menu" or "halo" typed while a report is being written: asked before anything is dropped. Typing
 * "batal" or "menu" again here is the engine's as anywhere, and leaves.
 */
const discardAsk: Step = {
  // "kembali" at this question means back to the report, not to the menu.
  reads: (text) => ['kembali', 'back'].includes(normalize(text)),
  prompt: ({ t }) => [
    {
      text: t('complaint:discard.prompt'),
      options: [
        { id: 'discard', label: t('complaint:discard.yes') },
        { id: 'keep', label: t('complaint:discard.no') },
      ],
    },
  ],
  handle(ctx, answer) {
    const n = normalize(answer.text);
    const said = answer.kind === 'text' ? yesOrNo(answer.text) : undefined;
    const choice = answer.choice ?? (said === 'yes' ? 'discard' : said === 'no' || ['kembali', 'back', 'lanjut', 'lanjutkan', 'continue'].includes(n) ? 'keep' : undefined);
    if (choice === 'discard') return { say: [{ text: ctx.t('complaint:discard.done') }], end: true };
    if (choice === 'keep') {
      const to = typeof ctx.data.resume === 'string' ? ctx.data.resume : 'confirm';
      delete ctx.data.resume;
      return { goto: to };
    }
    return { say: [{ text: ctx.t('complaint:discard.retry') }], retry: true };
  },
};

export const complaint: Flow = {
  id: 'complaint',
  start: 'category',
  steps: { category, question, usulanDetails: question, photo, confirm, edit, discardAsk, statusAsk, statusShow },
};
