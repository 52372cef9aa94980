import type { Answer, Flow, Outcome, Step, StepContext } from '../src/conversation/types.ts';
import type { Reply } from '../src/messages/types.ts';
import { COMPLAINT_CATEGORIES } from '../src/domain/vocabulary.ts';
import { declaredProblem } from '../src/domain/attachments.ts';
import { normalize } from '../src/domain/text.ts';
import { yesOrNo } from '../src/domain/yes-no.ts';
import { statusAsk, statusShow } from './complaint-status.ts';
import { confirmAnswer, confirmReplies, edit } from './complaint-confirm.ts';
import { askDiscard, discardAsk, leaving, readsLeaveWords } from './complaint-draft.ts';
import { takePick } from './complaint-about.ts';
import { answersOf, fieldKey, isCategory, optionsOf, pendingField, photosOf, placesOf, type Category, type PhotoMeta } from './complaint-fields.ts';
import { clean, mapUrl, meaningfulLength, menuOption, nikProblem, readNik } from './common.ts';

// Pengaduan: pick what kind of report, answer the few questions that kind needs (one at a time), add a
// photo if there is one, read it back, send. This file holds the flow and its asking steps: the kind of
// report, the questions, the photo. The questions themselves are data (complaint-fields.ts); the read-back,
// sending and changing are in complaint-confirm.ts; leaving a draft half written (never without asking) is
// complaint-draft.ts. Checking a report's status is a step of this flow too (statusAsk, statusShow in
// complaint-status.ts), since residents think of "my report" as one thing.
//
// Session data: suggested (the kind the first words named, until it is taken), category, answers (field name → option id or the resident's text; other flows may
// preset some, e.g. the aid flow's NIK), places (field name → a shared location's coordinates), photos (media metadata), photoAsked, fromAid, programs
// (program codes the aid summary suggested), trackingId (status), mode (what the prompt showed),
// openedAt (the resident's message that began the report: its conversation starts there), more (the field
// whose long answer continues in the next message), resume (the step a "batal" or "menu" left, while the
// resident is asked whether to drop the draft), picks (the buttons pressed for the program and agent
// questions, complaint-about.ts).

const MAX_PHOTOS = 3;
const SKIP_WORDS = new Set(['lewati', 'skip', 'tidak', 'tidak ada', 'gak ada', 'ga ada', 'nggak ada', 'tdk ada', 'no', 'none', 'nothing', 'lanjut', 'next', 'tidak punya', 'no photo']);
// "Sudah, itu saja" after a long answer: nothing more to add to it.
const DONE_WORDS = new Set([...SKIP_WORDS, 'sudah', 'udah', 'cukup', 'itu saja', 'sudah cukup', 'sudah lengkap', 'selesai', 'done', 'that s all', 'thats all', 'finished']);

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

/**
 * Remembers the message that began this report, the first time a filing step runs: from there on the chat is
 * the complaint's conversation, and what came before (an aid check, another report) is not.
 */
function opened(ctx: StepContext): void {
  if (typeof ctx.data.openedAt !== 'number') ctx.data.openedAt = ctx.messageId;
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
  ctx.data.places = {};
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
    const options = [...(field.choices ? (await field.choices(ctx)).map(({ id, label }) => ({ id, label })) : []), ...optionsOf(ctx, cat, field)];
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
    if (field.choices && (await takePick(ctx, field.name, field.choices, answer.choice, answers))) return onward(ctx, cat);
    // A yes-or-no question answered in words ("ya", "tidak", "iya pak"), as anywhere else in the chat.
    const said = answer.kind === 'text' && isYesNo(field) ? yesOrNo(answer.text) : undefined;
    if (said) {
      answers[field.name] = said;
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
      const at = answer.location;
      const url = at && mapUrl(at.latitude, at.longitude);
      if (!field.location || !at || !url) return { say: [{ text: ctx.t('complaint:noLocation') }], retry: true };
      // The link reads back to the resident and to staff; the coordinates go with the report (a field visit's map).
      answers[field.name] = url;
      placesOf(ctx)[field.name] = { latitude: at.latitude, longitude: at.longitude };
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

const isYesNo = (field: { options?: readonly string[] }) => field.options?.length === 2 && field.options.includes('yes') && field.options.includes('no');

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

// ---- read back -----------------------------------------------------------------------------------------

/** "Kirim laporan ini?": what it shows and does is complaint-confirm.ts's; with no kind chosen, it asks that. */
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
    return confirmAnswer(ctx, cat, answer);
  },
};

export const complaint: Flow = {
  id: 'complaint',
  start: 'category',
  steps: { category, question, usulanDetails: question, photo, confirm, edit, discardAsk, statusAsk, statusShow },
};
