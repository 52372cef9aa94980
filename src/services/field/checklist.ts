// What a worker ticks at the door, per kind of task. Keys only: the labels are locales field:checklist.<key>,
// so the office reads them in its own words and the stored answers stay comparable across languages. A key
// shared by several kinds means the same question in each.

import type { FieldTaskKind } from '../../domain/vocabulary.ts';

export interface ChecklistItem {
  key: string;
}

const items = (...keys: string[]): readonly ChecklistItem[] => Object.freeze(keys.map((key) => Object.freeze({ key })));

const CHECKLISTS: Record<FieldTaskKind, readonly ChecklistItem[]> = {
  // A data-quality finding: who was met and what was seen that backs the outcome.
  finding: items('met_household', 'checked_family_card', 'asked_rt_rw', 'saw_document'),
  // A proposal (usulan) before the kelurahan meeting: the poverty indicators the office checks at the house.
  proposal: items(
    'met_household',
    'floor_earth',
    'wall_poor',
    'no_own_toilet',
    'no_electricity',
    'cooking_wood',
    'no_clean_water',
    'income_below_minimum',
    'no_savings_or_assets',
  ),
  // A family that missed every distribution round: did they know, can they reach the site.
  missed_rounds: items('met_household', 'knew_invitation', 'can_reach_site', 'wants_proxy'),
  // A call-down invitation: the family is reachable and will come.
  calldown: items('met_household', 'phone_reachable', 'will_attend'),
  // A person in need reported by a resident (PPKS).
  ppks: items('person_found', 'in_danger_now', 'needs_shelter', 'referred_on'),
};

export function checklistFor(kind: FieldTaskKind): readonly ChecklistItem[] {
  return CHECKLISTS[kind];
}
