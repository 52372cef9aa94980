import { describe, expect, it } from 'vitest';
import {
  aboveAllCeilings,
  evaluateEligibility,
  type EligibilityInput,
  type EligibilityMember,
  type EligibilityProgram,
} from '../../src/domain/eligibility.ts';

const TODAY = '2026-06-15';

const PKH: EligibilityProgram = { code: 'PKH', unit: 'household', rules: { maxDesil: 4 }, activeFrom: null, activeUntil: null };
const SEMBAKO: EligibilityProgram = { code: 'SEMBAKO', unit: 'household', rules: { maxDesil: 4 }, activeFrom: null, activeUntil: null };
const LANSIA: EligibilityProgram = {
  code: 'LANSIA',
  unit: 'person',
  rules: { maxDesil: 5, minAge: 60, excludedWith: ['PKH'] },
  activeFrom: '2026-01-01',
  activeUntil: '2026-12-31',
};
const DISABIL: EligibilityProgram = {
  code: 'DISABIL',
  unit: 'person',
  rules: { maxDesil: 4, requiresDisability: true },
  activeFrom: null,
  activeUntil: null,
};
const ELDER_DISABLED: EligibilityProgram = {
  code: 'LANSIA_DIS',
  unit: 'person',
  rules: { minAge: 60, requiresDisability: true },
  activeFrom: null,
  activeUntil: null,
};
const OLD_GRANT: EligibilityProgram = { code: 'OLD', unit: 'household', rules: { maxDesil: 4 }, activeFrom: '2024-01-01', activeUntil: '2025-12-31' };
const FUTURE_GRANT: EligibilityProgram = { code: 'NEW', unit: 'household', rules: { maxDesil: 4 }, activeFrom: '2026-07-01', activeUntil: null };
const HOUSEHOLD_ELDER: EligibilityProgram = { code: 'RUMAH_LANSIA', unit: 'household', rules: { minAge: 60 }, activeFrom: null, activeUntil: null };
const OPEN: EligibilityProgram = { code: 'OPEN', unit: 'household', rules: {}, activeFrom: null, activeUntil: null };

const adult = (id: number, extra: Partial<EligibilityMember> = {}): EligibilityMember => ({
  id,
  birthDate: '1985-03-12',
  disability: false,
  deceased: false,
  ...extra,
});
const elder = (id: number, extra: Partial<EligibilityMember> = {}) => adult(id, { birthDate: '1952-01-05', ...extra });

function run(partial: Partial<EligibilityInput> & { programs: EligibilityProgram[] }) {
  return evaluateEligibility({ desil: 2, members: [adult(1)], receiving: [], today: TODAY, ...partial });
}

describe('evaluateEligibility', () => {
  it.each<[string, Partial<EligibilityInput>, EligibilityProgram, { eligible: boolean; reasons: string[]; memberIds?: number[] }]>([
    ['desil within ceiling', { desil: 4 }, PKH, { eligible: true, reasons: [] }],
    ['desil 1 within ceiling', { desil: 1 }, PKH, { eligible: true, reasons: [] }],
    ['desil above ceiling', { desil: 5 }, PKH, { eligible: false, reasons: ['desil_above'] }],
    ['unranked', { desil: null }, PKH, { eligible: false, reasons: ['not_ranked'] }],
    ['unranked but the program has no desil rule', { desil: null }, OPEN, { eligible: true, reasons: [] }],
    ['program ended', {}, OLD_GRANT, { eligible: false, reasons: ['inactive'] }],
    ['program not started', {}, FUTURE_GRANT, { eligible: false, reasons: ['inactive'] }],
    ['first day of the program', { today: '2026-07-01' }, FUTURE_GRANT, { eligible: true, reasons: [] }],
    ['last day of the program', { today: '2025-12-31' }, OLD_GRANT, { eligible: true, reasons: [] }],
    ['inactive and above the line: both said', { desil: 7 }, OLD_GRANT, { eligible: false, reasons: ['inactive', 'desil_above'] }],
    ['elder qualifies', { members: [adult(1), elder(2)] }, LANSIA, { eligible: true, reasons: [], memberIds: [2] }],
    ['exactly 60 today', { members: [adult(1, { birthDate: '1966-06-15' })] }, LANSIA, { eligible: true, reasons: [], memberIds: [1] }],
    ['60 tomorrow', { members: [adult(1, { birthDate: '1966-06-16' })] }, LANSIA, { eligible: false, reasons: ['no_member_old_enough'], memberIds: [] }],
    ['nobody old enough', { members: [adult(1), adult(2)] }, LANSIA, { eligible: false, reasons: ['no_member_old_enough'], memberIds: [] }],
    ['deceased elder never qualifies', { members: [adult(1), elder(2, { deceased: true })] }, LANSIA, { eligible: false, reasons: ['no_member_old_enough'], memberIds: [] }],
    ['two elders', { members: [elder(1), elder(2), adult(3)] }, LANSIA, { eligible: true, reasons: [], memberIds: [1, 2] }],
    ['excluded by PKH', { members: [elder(1)], receiving: ['PKH'] }, LANSIA, { eligible: false, reasons: ['excluded_with'], memberIds: [1] }],
    ['not excluded by SEMBAKO', { members: [elder(1)], receiving: ['SEMBAKO'] }, LANSIA, { eligible: true, reasons: [], memberIds: [1] }],
    ['desil 5 within LANSIA ceiling', { desil: 5, members: [elder(1)] }, LANSIA, { eligible: true, reasons: [], memberIds: [1] }],
    ['disabled member', { members: [adult(1), adult(2, { disability: true })] }, DISABIL, { eligible: true, reasons: [], memberIds: [2] }],
    ['no disabled member', { members: [adult(1)] }, DISABIL, { eligible: false, reasons: ['requires_disability'], memberIds: [] }],
    ['deceased disabled member', { members: [adult(1), adult(2, { disability: true, deceased: true })] }, DISABIL, { eligible: false, reasons: ['requires_disability'], memberIds: [] }],
    ['old and disabled is one person', { members: [elder(1, { disability: true })] }, ELDER_DISABLED, { eligible: true, reasons: [], memberIds: [1] }],
    ['old and disabled are different people', { members: [elder(1), adult(2, { disability: true })] }, ELDER_DISABLED, { eligible: false, reasons: ['no_member_old_enough', 'requires_disability'], memberIds: [] }],
    ['only young disabled', { members: [adult(2, { disability: true })] }, ELDER_DISABLED, { eligible: false, reasons: ['no_member_old_enough'], memberIds: [] }],
    ['nobody at all', { members: [] }, PKH, { eligible: false, reasons: ['no_living_member'] }],
    ['everybody deceased', { members: [elder(1, { deceased: true })] }, LANSIA, { eligible: false, reasons: ['no_living_member'], memberIds: [] }],
    ['household program met by any member', { members: [adult(1), elder(2)] }, HOUSEHOLD_ELDER, { eligible: true, reasons: [] }],
    ['household program met by nobody', { members: [adult(1)] }, HOUSEHOLD_ELDER, { eligible: false, reasons: ['no_member_old_enough'] }],
    ['everything wrong at once', { desil: 9, members: [adult(1)], receiving: ['PKH'], today: '2027-01-01' }, LANSIA, { eligible: false, reasons: ['inactive', 'desil_above', 'excluded_with', 'no_member_old_enough'], memberIds: [] }],
  ])('%s', (_label, input, program, expected) => {
    const [result] = run({ ...input, programs: [program] });
    expect(result).toEqual({ code: program.code, ...expected });
  });

  it('leaves out programs already received and keeps the order of the rest', () => {
    const results = run({ members: [elder(1)], receiving: ['SEMBAKO'], programs: [PKH, SEMBAKO, LANSIA, DISABIL] });
    expect(results.map((r) => r.code)).toEqual(['PKH', 'LANSIA', 'DISABIL']);
    expect(results.map((r) => r.eligible)).toEqual([true, true, false]);
  });

  it('returns nothing when everything is received', () => {
    expect(run({ receiving: ['PKH', 'SEMBAKO'], programs: [PKH, SEMBAKO] })).toEqual([]);
  });

  it('omits memberIds for household programs', () => {
    const [result] = run({ programs: [PKH] });
    expect(result).not.toHaveProperty('memberIds');
  });
});

describe('aboveAllCeilings', () => {
  it.each<[string, number | null, EligibilityProgram[], string | undefined, boolean]>([
    ['desil 5 above desil-4 programs', 5, [PKH, SEMBAKO], undefined, true],
    ['desil 4 not above', 4, [PKH, SEMBAKO], undefined, false],
    ['desil 5 within LANSIA', 5, [PKH, LANSIA], TODAY, false],
    ['LANSIA inactive, so desil 5 is above the rest', 5, [PKH, LANSIA], '2027-02-01', true],
    ['inactive programs count when no date is given', 5, [PKH, LANSIA], undefined, false],
    ['unranked is never above', null, [PKH], undefined, false],
    ['no ceilings at all', 9, [OPEN], undefined, false],
    ['no programs', 9, [], undefined, false],
    ['programs without a ceiling are ignored', 6, [PKH, OPEN], undefined, true],
  ])('%s', (_label, desil, programs, today, expected) => {
    expect(aboveAllCeilings(desil, programs, today)).toBe(expected);
  });
});
