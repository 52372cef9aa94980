// What a visit's outcome does to its task (issue 19). A visit changes the registry only through a supervisor's
// decision (review.ts): the worker at the door records, the office decides.
//
//   moved, deceased        → the visit waits for a decision ('pending'), the task is 'visited'.
//   found                  → on a report or a record that someone died or moved, the person is there and alive:
//                            that too is for a supervisor to confirm (approval accepts the finding).
//                            On a duplicate NIK: recorded for the registry desk, decided like the others.
//   not_found, refused     → nothing is settled: the visit is kept, the task stays 'open', someone goes again.
// A task of a kind with nothing to confirm (none are made yet besides findings) is simply done when found.

import type { FieldOutcome, FieldReview, FieldTaskStatus } from '../../domain/vocabulary.ts';

const CONFIRMED_BY_FINDING_A_PERSON = new Set(['reported_deceased', 'deceased_enrolled', 'reported_moved', 'duplicate_nik']);

export function visitEffect(outcome: FieldOutcome, reason: string): { review: FieldReview; taskStatus: FieldTaskStatus } {
  if (outcome === 'not_found' || outcome === 'refused') return { review: 'not_needed', taskStatus: 'open' };
  if (outcome === 'moved' || outcome === 'deceased' || CONFIRMED_BY_FINDING_A_PERSON.has(reason)) return { review: 'pending', taskStatus: 'visited' };
  return { review: 'not_needed', taskStatus: 'done' };
}
