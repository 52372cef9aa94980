// Referrals (issue 19): agencies and welfare organisations as data, cases referred to them, and the reporter
// told as the referral moves. The console and, later, the API call these; they check scope themselves.

export * from './agencies.ts';
export { createReferral } from './create.ts';
export { caseToRefer, getReferral, listReferrals, parseFilter, LIST_LIMIT, type ReferralDetail, type ReferralEventRow, type ReferralFilter, type ReferralRow, type ReferralSourceRef } from './read.ts';
export { MOVES, NOTE_MAX, type NewReferral, type ReferralOptions, type ReferralRefusal, type ReferralResult } from './shared.ts';
export { mayRefer, type ReferralCase } from './sources.ts';
export { setReferralStatus } from './status.ts';
