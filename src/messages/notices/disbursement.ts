import type { Translate } from '../types.ts';

// What a family hears when a bank or distributor reports its transfer for a tranche failed or came back
// (issue 20): which program and period, that the money has not arrived, and where to go. Never the account
// number, not even masked: the family knows its own account, and a chat may be read over a shoulder.

export interface TransferProblemNotice {
  status: 'failed' | 'returned';
  program: string;
  period: string;
  /** The office to contact, with its phone when it has one. */
  office: { name: string; phone: string | null } | null;
}

export function transferProblemText(t: Translate, n: TransferProblemNotice): string {
  const contact = n.office ? t('disbursements:notice.contact', { office: n.office.name, phone: n.office.phone ? ` (${n.office.phone})` : '' }) : t('disbursements:notice.contactAny');
  return [t(`disbursements:notice.${n.status}`, { program: n.program, period: n.period }), contact].join(' ');
}
