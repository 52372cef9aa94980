import type { Db } from '../db/client.ts';
import { aidSummary } from './aid/summary.ts';
import { complaintStatus, fileComplaint } from './complaints/file.ts';
import { pendingCsat, recordCsat, residentReplied } from './complaints/lifecycle.ts';
import { availableSlots, changeSlot, confirmInvitation, declineInvitation, nameProxy, upcomingInvitations } from './distribution/invitations.ts';
import { reportReceipt } from './distribution/receipts.ts';
import { checkIdentity, lockState } from './identity/verify.ts';
import { listOffices } from './offices.ts';

// The explicit list of what a conversation may do, written by hand so that adding a service never widens what
// a resident's chat can reach: no staff-side lifecycle, no console queries, no imports. Each function takes
// the database (or the current transaction) first; flows get them pre-bound to the transaction of the
// message being handled, so a flow can call services but never hold the database itself.
const forFlows = {
  aid: { aidSummary },
  identity: { checkIdentity, lockState },
  complaints: { fileComplaint, complaintStatus, residentReplied, pendingCsat, recordCsat },
  invitations: { upcomingInvitations, confirmInvitation, availableSlots, changeSlot, declineInvitation, nameProxy },
  receipts: { reportReceipt },
  offices: { listOffices },
};

// What those functions hand back, for the flows that show it.
export type { AidSummary, MayBeEligibleItem, ReceivingItem } from './aid/summary.ts';
export type { UpcomingInvitation } from './distribution/invitations.ts';

type Bound<M> = {
  [K in keyof M]: M[K] extends (db: Db, ...args: infer A) => infer R ? (...args: A) => R : never;
};

export type Services = { [K in keyof typeof forFlows]: Bound<(typeof forFlows)[K]> };

export function bindServices(db: Db): Services {
  const bound: Record<string, Record<string, unknown>> = {};
  for (const [name, fns] of Object.entries(forFlows)) {
    bound[name] = Object.fromEntries(
      Object.entries(fns).map(([fname, fn]) => [fname, (...args: unknown[]) => (fn as (db: Db, ...a: unknown[]) => unknown)(db, ...args)]),
    );
  }
  return bound as Services;
}
