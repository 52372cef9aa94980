import type { StepContext } from '../src/conversation/types.ts';
import type { Option } from '../src/messages/types.ts';
import { COMPLAINT_CATEGORIES, PPKS_KINDS } from '../src/domain/vocabulary.ts';
import { aboutAgent, AGENT_ISSUES, agentChoices, programChoices, type Choices } from './complaint-about.ts';

// The questions of a pengaduan, per kind of report. The questions are data: adding one is a line in FIELDS
// and two texts in locales (complaint:fields.<category>.<name>.prompt and .label); the steps that ask them
// (complaint.ts), read them back and change them (complaint-confirm.ts) only walk this table. Here too are the
// draft's answers and photos as the session keeps them, which every one of those steps reads.

export type Category = (typeof COMPLAINT_CATEGORIES)[number];
export type Answers = Record<string, string>;

export interface Field {
  name: string;
  /** Option ids offered; labels are complaint:fields.<category>.<name>.options.<id>. */
  options?: readonly string[];
  /** Buttons drawn from the registry for this chat, before the options (complaint-about.ts). */
  choices?: Choices;
  /** Free text is taken besides the options. */
  text?: boolean;
  /** The text is a NIK and is checked as one. */
  nik?: boolean;
  /** A shared location answers it too (where the resident lives, for a nearer site). */
  location?: boolean;
  /** Its answer (an option's label) heads the summary staff read: what kind of PPKS report this is. */
  heads?: true;
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

export const FIELDS: Record<Category, readonly Field[]> = {
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
  // A Sembako family collects goods at an e-warong: bad or short goods, a closed agent or a high price are
  // reports about that agent, and name it (counted per agent; complaint-about.ts).
  not_received: [
    ...SUBJECT,
    { name: 'program', text: true, choices: programChoices },
    { name: 'problem', options: ['none', 'cut', 'late', ...AGENT_ISSUES, 'other'] },
    { name: 'agent', text: true, choices: agentChoices, options: ['unknown'], skip: (a) => !aboutAgent(a) },
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
  // Someone else in need of social care (PPKS), reported by a resident. Whether they are in danger now comes
  // right after the kind, before the longer questions: it decides how fast the office moves (the service reads
  // `urgent` from the details, 'yes'/'no'). The place takes a shared location; `anonymous` as for a sanggahan.
  ppks: [
    { name: 'kind', options: PPKS_KINDS, heads: true },
    { name: 'urgent', options: ['yes', 'no'] },
    { name: 'where', text: true, location: true },
    { name: 'who', text: true, options: ['unknown'] },
    { name: 'situation', text: true },
    { name: 'anonymous', options: ['yes', 'no'] },
  ],
};

export function isCategory(x: unknown): x is Category {
  return typeof x === 'string' && (COMPLAINT_CATEGORIES as readonly string[]).includes(x);
}

export function answersOf(ctx: StepContext): Answers {
  const a = ctx.data.answers;
  if (a && typeof a === 'object') return a as Answers;
  const fresh: Answers = {};
  ctx.data.answers = fresh;
  return fresh;
}

export function fieldsFor(ctx: StepContext, category: Category): Field[] {
  const answers = answersOf(ctx);
  return FIELDS[category].filter((f) => !f.skip?.(answers, ctx));
}

export function pendingField(ctx: StepContext, category: Category): Field | undefined {
  const answers = answersOf(ctx);
  return fieldsFor(ctx, category).find((f) => answers[f.name] === undefined);
}

export const fieldKey = (category: Category, field: Field) => `complaint:fields.${category}.${field.name}`;

export function optionsOf(ctx: StepContext, category: Category, field: Field): Option[] {
  return (field.options ?? []).map((id) => ({ id, label: ctx.t(`${fieldKey(category, field)}.options.${id}`) }));
}

export interface PhotoMeta {
  kind: string;
  mimeType: string;
  fileName?: string;
  size?: number;
  ref?: string;
  caption?: string;
}

/** A shared location, as the channel gave it, kept beside the map link the answer shows. */
export interface Place {
  latitude: number;
  longitude: number;
}

/** The shared locations of the draft, by the field they answered (`where`, `nearer`). */
export function placesOf(ctx: StepContext): Record<string, Place> {
  const p = ctx.data.places;
  if (p && typeof p === 'object' && !Array.isArray(p)) return p as Record<string, Place>;
  const fresh: Record<string, Place> = {};
  ctx.data.places = fresh;
  return fresh;
}

export function photosOf(ctx: StepContext): PhotoMeta[] {
  return Array.isArray(ctx.data.photos) ? (ctx.data.photos as PhotoMeta[]) : [];
}
