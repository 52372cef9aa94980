import { hasBadBytes } from '../../domain/text.ts';
import { FIELD_OUTCOMES, type FieldOutcome } from '../../domain/vocabulary.ts';
import type { ChecklistItem, VisitInput, VisitRefusal } from '../../services/field/index.ts';

// The visit form as posted by the phone (multipart: the photos come with it), read into the service's
// VisitInput. Only the shape is read here: every rule (which outcome needs what, the GPS triple, the photos'
// real type and size, the phone's clock) is the service's, so the page and any later client cannot differ.
// What was typed comes back as `typed`, so a refused form is shown again as it was.

/** What the form holds, as strings, for showing it again. */
export interface TypedVisit {
  clientKey: string;
  outcome: string;
  movedTo: string;
  movedKelurahanId: string;
  diedOn: string;
  memberId: string;
  checklist: Record<string, boolean>;
  note: string;
  latitude: string;
  longitude: string;
  accuracyM: string;
  visitedAt: string;
  /** Photos were attached: the browser cannot put them back, so the page asks for them again. */
  hadPhotos: boolean;
}

export type ReadVisit =
  | { ok: true; input: VisitInput; typed: TypedVisit }
  | { ok: false; reason: VisitRefusal | 'bad_request'; typed: TypedVisit };

export const emptyTyped = (clientKey: string): TypedVisit => ({
  clientKey,
  outcome: '',
  movedTo: '',
  movedKelurahanId: '',
  diedOn: '',
  memberId: '',
  checklist: {},
  note: '',
  latitude: '',
  longitude: '',
  accuracyM: '',
  visitedAt: '',
  hadPhotos: false,
});

const text = (form: FormData, name: string): string => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

const ID = /^[1-9]\d{0,14}$/;
// A decimal as a phone's Geolocation API writes it ("1.0456", "-0.5", "12"): nothing else becomes a number.
const DECIMAL = /^-?\d{1,4}(\.\d{1,15})?$/;

/**
 * Reads the posted form. `items`: the checklist of the task's kind, so that every item is answered (an
 * unticked box is "no", not "not asked"); a posted key outside it goes to the service, which refuses it.
 * `now`: the visit's time when the page ran without its script (which otherwise sends the phone's time).
 */
export async function readVisitForm(form: FormData, items: readonly ChecklistItem[], now: Date): Promise<ReadVisit> {
  const checklist: Record<string, boolean> = Object.fromEntries(items.map((i) => [i.key, false]));
  for (const [name, value] of form.entries()) {
    if (name.startsWith('checklist.') && typeof value === 'string') checklist[name.slice('checklist.'.length)] = value === '1' || value === 'on';
  }
  const files = form.getAll('photos').filter((f): f is File => typeof f !== 'string' && f.size > 0);
  const typed: TypedVisit = {
    clientKey: text(form, 'clientKey'),
    outcome: text(form, 'outcome'),
    movedTo: text(form, 'movedTo'),
    movedKelurahanId: text(form, 'movedKelurahanId'),
    diedOn: text(form, 'diedOn'),
    memberId: text(form, 'memberId'),
    checklist,
    note: text(form, 'note'),
    latitude: text(form, 'latitude'),
    longitude: text(form, 'longitude'),
    accuracyM: text(form, 'accuracyM'),
    visitedAt: text(form, 'visitedAt'),
    hadPhotos: files.length > 0,
  };
  const refuse = (reason: VisitRefusal | 'bad_request'): ReadVisit => ({ ok: false, reason, typed });

  // A NUL or a control character no keyboard types: PostgreSQL would refuse it deep in a query.
  const texts = [typed.clientKey, typed.outcome, typed.movedTo, typed.movedKelurahanId, typed.diedOn, typed.memberId, typed.note, typed.latitude, typed.longitude, typed.accuracyM, typed.visitedAt];
  if (texts.some(hasBadBytes) || Object.keys(checklist).some(hasBadBytes)) return refuse('bad_request');

  if (!(FIELD_OUTCOMES as readonly string[]).includes(typed.outcome)) return refuse('invalid_outcome');
  const outcome = typed.outcome as FieldOutcome;

  // Only the fields of the chosen outcome count: the no-script page shows every fieldset, and what was typed
  // under "moved" before choosing "deceased" is not part of a death.
  const movedTo = outcome === 'moved' ? typed.movedTo.trim() : '';
  const movedKelurahan = outcome === 'moved' ? typed.movedKelurahanId.trim() : '';
  if (movedKelurahan !== '' && !ID.test(movedKelurahan)) return refuse('moved_kelurahan_invalid');
  const diedOn = outcome === 'deceased' ? typed.diedOn.trim() : '';
  // Which member: asked with the date of death (a finding from the chat names nobody).
  const member = outcome === 'deceased' ? typed.memberId.trim() : '';
  if (member !== '' && !ID.test(member)) return refuse('member_invalid');

  const gps = [typed.latitude, typed.longitude, typed.accuracyM].map((s) => s.trim());
  if (gps.some((s) => s !== '' && !DECIMAL.test(s))) return refuse('gps_invalid');
  const [lat, lng, acc] = gps.map((s) => (s === '' ? undefined : Number(s)));

  let visitedAt = now;
  if (typed.visitedAt.trim() !== '') {
    const at = new Date(typed.visitedAt.trim());
    if (Number.isNaN(at.getTime())) return refuse('visited_at_invalid');
    visitedAt = at;
  }

  const photos = await Promise.all(files.map(async (f) => ({ bytes: Buffer.from(await f.arrayBuffer()), mimeType: f.type })));
  const note = typed.note.trim();
  const input: VisitInput = {
    clientKey: typed.clientKey.trim(),
    outcome,
    ...(movedTo !== '' ? { movedTo } : {}),
    ...(movedKelurahan !== '' ? { movedKelurahanId: Number(movedKelurahan) } : {}),
    ...(diedOn !== '' ? { diedOn } : {}),
    ...(member !== '' ? { memberId: Number(member) } : {}),
    checklist,
    ...(note !== '' ? { note } : {}),
    ...(lat !== undefined ? { latitude: lat } : {}),
    ...(lng !== undefined ? { longitude: lng } : {}),
    ...(acc !== undefined ? { accuracyM: acc } : {}),
    visitedAt,
    photos,
  };
  return { ok: true, input, typed };
}
