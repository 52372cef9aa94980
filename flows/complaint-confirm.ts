import type { Answer, Outcome, Step, StepContext } from '../src/conversation/types.ts';
import type { Option, Reply } from '../src/messages/types.ts';
import { maskIdNumber } from '../src/domain/mask.ts';
import { normalize } from '../src/domain/text.ts';
import { yesOrNo } from '../src/domain/yes-no.ts';
import { day } from './common.ts';
import { reportAbout } from './complaint-about.ts';
import { askDiscard, leaving, readsLeaveWords } from './complaint-draft.ts';
import { answersOf, FIELDS, fieldKey, fieldsFor, isCategory, pendingField, photosOf, placesOf, type Answers, type Category, type Field } from './complaint-fields.ts';

// The end of a pengaduan: the answers read back ("Kirim laporan ini?"), sent as a complaint, or changed one
// at a time first. The read-back step itself is complaint.ts's `confirm` (it also stands in for the kind of
// report when none is chosen yet); what it shows and what its answer does are here, and so is the edit step.
// Nothing here asks a question of its own: changing an answer goes back to complaint.ts's question step.

// Words that ask to change the report at "Kirim laporan ini?".
const CHANGE_WORDS = new Set(['ubah', 'ganti', 'edit', 'change', 'perbaiki', 'koreksi', 'revisi', 'ada yang salah']);

function valueText(ctx: StepContext, category: Category, field: Field, value: string): string {
  if (field.options?.includes(value)) return ctx.t(`${fieldKey(category, field)}.options.${value}`);
  if (field.nik) return maskIdNumber(value);
  if (field.withNik) {
    const nik = answersOf(ctx)[`${field.name.replace(/Name$/, '')}Nik`];
    return nik && nik !== 'unknown' ? `${value}, NIK ${maskIdNumber(nik)}` : value;
  }
  return value.length > 300 ? `${value.slice(0, 300)}…` : value;
}

export function confirmReplies(ctx: StepContext, cat: Category): Reply[] {
  const answers = answersOf(ctx);
  const lines = [ctx.t('complaint:confirm.header'), ctx.t('complaint:confirm.line', { label: ctx.t('complaint:confirm.category'), value: ctx.t(`complaint:categories.${cat}`) })];
  const anonymous = answers.anonymous === 'yes';
  for (const f of fieldsFor(ctx, cat)) {
    const v = answers[f.name];
    if (v === undefined) continue;
    // "Rahasiakan pelapor: Ya" is said in a sentence of its own, below.
    if (f.name === 'anonymous' && anonymous) continue;
    lines.push(ctx.t('complaint:confirm.line', { label: ctx.t(`${fieldKey(cat, f)}.label`), value: valueText(ctx, cat, f, v) }));
  }
  if (ctx.data.fromAid && cat === 'usulan' && ctx.contact.memberId !== null && answers.forWhom === 'self') {
    lines.push(ctx.t('complaint:confirm.ownFamily'));
  }
  lines.push(ctx.t('complaint:confirm.line', { label: ctx.t('complaint:confirm.photos'), value: String(photosOf(ctx).length) }));
  if (anonymous) lines.push(ctx.t('complaint:confirm.anonymous'));
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

/** The answer to "Kirim laporan ini?": send, change, or drop the report. */
export async function confirmAnswer(ctx: StepContext, cat: Category, answer: Answer): Promise<Outcome> {
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
}

/** "ya", "ok kirim", "benar" send; "tidak", "ubah", "no" open the changes (nothing is lost there). */
function sendOrChange(answer: Answer): 'send' | 'change' | undefined {
  if (answer.kind !== 'text') return undefined;
  if (CHANGE_WORDS.has(normalize(answer.text))) return 'change';
  const said = yesOrNo(answer.text);
  return said === 'yes' ? 'send' : said === 'no' ? 'change' : undefined;
}

/**
 * What staff read as the report: the resident's own words, whole. It is all an officer sees of an anonymous
 * sanggahan (its conversation stays hidden from them), so nothing is cut here beyond ANSWER_MAX per answer
 * (complaint.ts). Whose data or aid it is (an unverified chat's report) comes first, on a line of its own.
 */
function summaryOf(ctx: StepContext, cat: Category, answers: Answers): string {
  const texts: string[] = [];
  for (const f of FIELDS[cat]) {
    const v = answers[f.name];
    if (f.heads && v !== undefined && f.options?.includes(v)) {
      texts.push(ctx.t(`${fieldKey(cat, f)}.options.${v}`));
      continue;
    }
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
  // Someone in danger now: the office takes it as urgent (a deadline in hours, the duty officer out of hours).
  const urgent = cat === 'ppks' && answers.urgent === 'yes';
  let invitationId: number | null = null;
  if (cat === 'site_too_far' && ctx.contact.householdId !== null) {
    const [next] = await ctx.services.invitations.upcomingInvitations(ctx.contact.householdId, ctx.now);
    invitationId = next?.invitationId ?? null;
  }
  const details: Record<string, unknown> = { ...answers, photos: photosOf(ctx), language: ctx.locale };
  // Only the places of answers still standing (a changed answer took its place with it).
  const places = Object.fromEntries(Object.entries(placesOf(ctx)).filter(([name]) => answers[name] !== undefined));
  if (Object.keys(places).length > 0) details.places = places;
  if (ctx.data.fromAid) details.fromAid = true;
  if (Array.isArray(ctx.data.programs) && ctx.data.programs.length > 0) details.programs = ctx.data.programs;

  // The program and agent the answers name: the program's bidang answers it, the agent has it counted.
  const about = await reportAbout(ctx, answers, new Set(fieldsFor(ctx, cat).map((f) => f.name)));
  const filed = await ctx.services.complaints.fileComplaint({
    ...about,
    contactId: ctx.contact.id,
    memberId: ctx.contact.memberId,
    category: cat,
    summary: summaryOf(ctx, cat, answers),
    details,
    anonymous,
    urgent,
    invitationId,
    conversationFrom: typeof ctx.data.openedAt === 'number' ? ctx.data.openedAt : ctx.messageId,
    now: ctx.now,
    timeZone: ctx.timeZone,
  });
  const view = await ctx.services.complaints.complaintStatus(filed.trackingId, { contactId: ctx.contact.id, memberId: ctx.contact.memberId });
  // Its answer may still take hours, and 112 does not: the resident is told so, not only the due time.
  const next = urgent
    ? ctx.t('complaint:filed.urgent')
    : view?.verifyDueAt
      ? ctx.t('complaint:filed.nextBy', { due: day(ctx, view.verifyDueAt) })
      : ctx.t('complaint:filed.next');
  const say: Reply[] = [{ text: ctx.t('complaint:filed.tracking', { trackingId: filed.trackingId }) }, { text: next }];
  if (anonymous) say.push({ text: ctx.t('complaint:filed.anonymous') });
  say.push({ text: ctx.t('complaint:filed.howToCheck', { trackingId: filed.trackingId }) });
  return { say, end: true };
}

/** "Ubah": which answer to change (asked again at the question step), the photos, or the kind of report. */
export const edit: Step = {
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
      ctx.data.places = {};
      delete ctx.data.photoAsked;
      delete ctx.data.more;
      delete ctx.data.fromAid;
      delete ctx.data.programs;
      delete ctx.data.picks;
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
      delete placesOf(ctx)[name];
      if (FIELDS[cat].some((f) => f.name === name && f.withNik)) delete answers[`${name.replace(/Name$/, '')}Nik`];
      delete ctx.data.more;
      // A question worded from this answer must be asked again too.
      for (const f of FIELDS[cat]) if (f.promptBy === name) delete answers[f.name];
      return { goto: 'question' };
    }
    return { say: [{ text: ctx.t('complaint:pickOne') }], retry: true };
  },
};
