import type { Translate } from '../types.ts';

// What the reporter of a complaint (a PPKS report is one) hears when the office refers it to another agency or
// a welfare organisation, and at each change of that referral: which agency and what kind it is, in the
// resident's language. Never who reported: the message goes to the reporter only. The note of the referral
// itself is what the agency is asked to do and stays with staff; the note of a status change is the office's
// word to the resident (why it was refused, what comes next) and is passed on.

export type ReferralNoticeStatus = 'sent' | 'accepted' | 'done' | 'refused';

export function referralText(t: Translate, p: { trackingId: string; agency: string; kind: string; status: ReferralNoticeStatus; note: string }): string {
  return [
    t(`referrals:message.${p.status}`, { trackingId: p.trackingId, agency: p.agency, kind: t(`referrals:kinds.${p.kind}`) }),
    p.status !== 'sent' && p.note ? t('referrals:message.note', { note: p.note }) : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}
