// The checks on a visit form as the phone sends it (issue 19), pure so each refusal is told apart and tested
// alone. Anything wrong is refused whole: a half-recorded visit is worse than one sent again.

import { isRealDate, todayIn } from '../../domain/dates.ts';
import { sniffType } from '../../domain/attachments.ts';
import { FIELD_OUTCOMES, type FieldOutcome } from '../../domain/vocabulary.ts';
import type { ChecklistItem } from './checklist.ts';

export const MAX_PHOTOS = 3;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_VISIT_NOTE = 2000;
export const MAX_MOVED_TO = 300;
/** A phone's clock runs a little ahead now and then; more than this is a wrong clock or a made-up time. */
export const FUTURE_SLACK_MS = 5 * 60_000;

export interface VisitInput {
  /** 16–64 chars [A-Za-z0-9_-], made by the phone once per form. */
  clientKey: string;
  outcome: FieldOutcome;
  /** Required (non-empty, ≤ 300) when outcome 'moved'. */
  movedTo?: string;
  /** Optional, must exist. */
  movedKelurahanId?: number;
  /** Required YYYY-MM-DD, not in the future, when outcome 'deceased'. */
  diedOn?: string;
  /** Which member of the task's household it is about; required for 'deceased' when the task names none. */
  memberId?: number;
  /** Keys outside checklistFor(task.kind) are refused. */
  checklist?: Record<string, boolean>;
  note?: string;
  /** All three or none; lat −90..90, lng −180..180, accuracy > 0. */
  latitude?: number;
  longitude?: number;
  accuracyM?: number;
  /** The phone's time of filling; not more than 5 minutes in the future. */
  visitedAt: Date;
  /** JPEG/PNG/WebP by their magic bytes, each ≤ MAX_PHOTO_BYTES. */
  photos?: { bytes: Buffer; mimeType: string }[];
}

export type VisitRefusal =
  | 'not_found'
  | 'task_closed'
  | 'client_key_invalid'
  | 'invalid_outcome'
  | 'moved_to_missing'
  /** Added to the contract: a movedKelurahanId that is no kelurahan. */
  | 'moved_kelurahan_invalid'
  | 'died_on_invalid'
  | 'member_invalid'
  | 'checklist_invalid'
  | 'note_too_long'
  | 'gps_incomplete'
  | 'gps_invalid'
  | 'visited_at_invalid'
  | 'photo_not_image'
  | 'photo_too_big'
  | 'too_many_photos';

const CLIENT_KEY = /^[A-Za-z0-9_-]{16,64}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

export function validClientKey(key: unknown): key is string {
  return typeof key === 'string' && CLIENT_KEY.test(key);
}

/** The visit as it will be stored, once every check passed; photos carry the type their bytes really are. */
export interface CheckedVisit {
  outcome: FieldOutcome;
  movedTo: string | null;
  movedKelurahanId: number | null;
  diedOn: string | null;
  memberId: number | null;
  checklist: Record<string, boolean>;
  note: string | null;
  gps: { latitude: number; longitude: number; accuracyM: number } | null;
  visitedAt: Date;
  photos: { bytes: Buffer; mimeType: string }[];
}

/**
 * Everything that can be judged without the database. `taskMemberId`: the member the task is already about,
 * if any (then a death needs no member named on the form).
 */
export function checkVisitInput(
  input: VisitInput,
  ctx: { checklist: readonly ChecklistItem[]; taskMemberId: number | null; now: Date; timeZone: string },
): { ok: true; visit: CheckedVisit } | { ok: false; reason: VisitRefusal } {
  const refuse = (reason: VisitRefusal) => ({ ok: false as const, reason });
  if (!(FIELD_OUTCOMES as readonly string[]).includes(input.outcome)) return refuse('invalid_outcome');
  const outcome = input.outcome;

  const movedTo = typeof input.movedTo === 'string' ? input.movedTo.trim() : '';
  if (outcome === 'moved' && (movedTo.length === 0 || movedTo.length > MAX_MOVED_TO)) return refuse('moved_to_missing');
  // Where to, and the date of death, only mean something with their outcome; the form may keep them filled.
  if (outcome === 'moved' && input.movedKelurahanId !== undefined && !Number.isSafeInteger(input.movedKelurahanId)) return refuse('moved_kelurahan_invalid');

  let diedOn: string | null = null;
  if (outcome === 'deceased') {
    const m = typeof input.diedOn === 'string' ? ISO_DATE.exec(input.diedOn) : null;
    if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3])) || input.diedOn! > todayIn(ctx.timeZone, ctx.now) || Number(m[1]) < 1900) return refuse('died_on_invalid');
    diedOn = input.diedOn!;
  }

  if (input.memberId !== undefined && !Number.isSafeInteger(input.memberId)) return refuse('member_invalid');
  if (outcome === 'deceased' && input.memberId === undefined && ctx.taskMemberId === null) return refuse('member_invalid');

  const allowed = new Set(ctx.checklist.map((i) => i.key));
  const checklist = input.checklist ?? {};
  if (typeof checklist !== 'object' || Array.isArray(checklist)) return refuse('checklist_invalid');
  for (const [k, v] of Object.entries(checklist)) if (!allowed.has(k) || typeof v !== 'boolean') return refuse('checklist_invalid');

  const note = typeof input.note === 'string' ? input.note.trim() : '';
  if (note.length > MAX_VISIT_NOTE) return refuse('note_too_long');

  const gpsParts = [input.latitude, input.longitude, input.accuracyM].filter((v) => v !== undefined && v !== null);
  if (gpsParts.length !== 0 && gpsParts.length !== 3) return refuse('gps_incomplete');
  let gps: CheckedVisit['gps'] = null;
  if (gpsParts.length === 3) {
    const { latitude, longitude, accuracyM } = input as Required<Pick<VisitInput, 'latitude' | 'longitude' | 'accuracyM'>>;
    const finite = [latitude, longitude, accuracyM].every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!finite || Math.abs(latitude) > 90 || Math.abs(longitude) > 180 || !(accuracyM > 0)) return refuse('gps_invalid');
    gps = { latitude, longitude, accuracyM };
  }

  if (!(input.visitedAt instanceof Date) || Number.isNaN(input.visitedAt.getTime()) || input.visitedAt.getTime() > ctx.now.getTime() + FUTURE_SLACK_MS) {
    return refuse('visited_at_invalid');
  }

  const photos = input.photos ?? [];
  if (photos.length > MAX_PHOTOS) return refuse('too_many_photos');
  const checked: CheckedVisit['photos'] = [];
  for (const p of photos) {
    if (!p || !(p.bytes instanceof Uint8Array)) return refuse('photo_not_image');
    if (p.bytes.byteLength > MAX_PHOTO_BYTES) return refuse('photo_too_big');
    // The type is what the bytes are, never what the phone claimed: it is served back to officers' browsers.
    const type = sniffType(p.bytes);
    if (!type || !PHOTO_TYPES.has(type)) return refuse('photo_not_image');
    checked.push({ bytes: Buffer.from(p.bytes), mimeType: type });
  }

  return {
    ok: true,
    visit: {
      outcome,
      movedTo: outcome === 'moved' ? movedTo : null,
      movedKelurahanId: outcome === 'moved' ? (input.movedKelurahanId ?? null) : null,
      diedOn,
      memberId: input.memberId ?? null,
      checklist,
      note: note.length > 0 ? note : null,
      gps,
      visitedAt: input.visitedAt,
      photos: checked,
    },
  };
}
