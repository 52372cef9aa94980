import type { Db } from '../db/client.ts';
import { aidSummary } from './aid/summary.ts';
import { matchAgent } from './agents/match.ts';
import { nearbyAgents } from './agents/nearby.ts';
import { complaintStatus, fileComplaint, recentComplaints } from './complaints/file.ts';
import { residentReplied } from './complaints/lifecycle.ts';
import { availableSlots, changeSlot, confirmInvitation, declineInvitation, upcomingInvitations } from './distribution/invitations.ts';
import { declinedInvitations, restoreInvitation } from './distribution/restore.ts';
import { nameProxyAndTell } from './identity/proxy-notice.ts';
import { reportReceipt } from './distribution/receipts.ts';
import { checkCode, counterCode, sendCode } from './identity/codes.ts';
import type { IdentityEnv } from './identity/env.ts';
import { endLink } from './identity/links.ts';
import { linkByRegistryPhone } from './identity/outreach-link.ts';
import { checkIdentity, lockState, phoneOffer, proveByOwnPhone } from './identity/verify.ts';
import { noteOffer } from './handover-desk/offer.ts';
import { deskHours, fileFromHandover, handoverWait } from './handover-desk/wait.ts';
import { faqForResident } from './faq/for-residents.ts';
import { listOffices } from './offices.ts';
import { programFacts } from './programs/facts.ts';
import { familyPrograms } from './programs/family.ts';
import { matchProgram } from './programs/match.ts';
import { deleteHistory } from './rights/history.ts';
import { myData } from './rights/my-data.ts';
import { resumeMessages, stopMessages } from './rights/stop.ts';
import { pendingRating, recordRating } from './satisfaction/answer.ts';

// The explicit list of what a conversation may do, written by hand so that adding a service never widens what
// a resident's chat can reach: no staff-side lifecycle, no console queries, no imports. Each function takes
// the database (or the current transaction) first; flows get them pre-bound to the transaction of the
// message being handled, so a flow can call services but never hold the database itself. The identity
// functions also get the service's identity settings (env.ts), bound once at start-up.
function forFlows(env: IdentityEnv, filing: FilingEnv = {}) {
  return {
    aid: { aidSummary },
    identity: {
      checkIdentity: (db: Db, input: Parameters<typeof checkIdentity>[2]) => checkIdentity(db, env, input),
      lockState: (db: Db, contactId: number, now: Date) => lockState(db, env, contactId, now),
      phoneOffer: (db: Db, memberId: number) => phoneOffer(db, env, memberId),
      proveByOwnPhone: (db: Db, input: Parameters<typeof proveByOwnPhone>[2]) => proveByOwnPhone(db, env, input),
      linkByRegistryPhone: (db: Db, input: Parameters<typeof linkByRegistryPhone>[2]) => linkByRegistryPhone(db, env, input),
      sendCode: (db: Db, input: Parameters<typeof sendCode>[2]) => sendCode(db, env, input),
      checkCode: (db: Db, input: Parameters<typeof checkCode>[2]) => checkCode(db, env, input),
      counterCode,
      endLink,
    },
    complaints: {
      // The office's hours for an urgent report, and where a report with nobody on duty is warned about.
      fileComplaint: (db: Db, input: Parameters<typeof fileComplaint>[1]) => fileComplaint(db, { ...filing, ...input }),
      complaintStatus,
      recentComplaints,
      residentReplied,
    },
    invitations: {
      upcomingInvitations,
      confirmInvitation,
      availableSlots,
      changeSlot,
      declineInvitation,
      declinedInvitations,
      restoreInvitation,
      nameProxy: (db: Db, input: Parameters<typeof nameProxyAndTell>[2]) => nameProxyAndTell(db, env, input),
    },
    receipts: { reportReceipt },
    offices: { listOffices },
    faq: { faqForResident },
    handover: { deskHours, handoverWait, fileFromHandover, noteOffer },
    programs: { programFacts, familyPrograms, matchProgram },
    agents: { nearbyAgents, matchAgent },
    rights: { myData, deleteHistory, stopMessages, resumeMessages },
    // The answer to the 1–5 question after any service (flows/csat.ts).
    satisfaction: { pendingRating, recordRating },
  };
}

// What those functions hand back, for the flows that show it.
export type { AidSummary, MayBeEligibleItem, ReceivingItem } from './aid/summary.ts';
export type { MyData } from './rights/my-data.ts';
export type { UpcomingInvitation } from './distribution/invitations.ts';
export type { DeclinedInvitation } from './distribution/restore.ts';
export type { CheckIdentityResult, PhoneOffer } from './identity/verify.ts';
export type { PublicProgram } from './identity/public-view.ts';
export type { IdentityEnv } from './identity/env.ts';
export type { DeskHours } from './handover-desk/wait.ts';
export type { ResidentFaq } from './faq/for-residents.ts';
export type { ProgramFacts } from './programs/facts.ts';
export type { NearbyAgent } from './agents/nearby.ts';

type Bound<M> = {
  [K in keyof M]: M[K] extends (db: Db, ...args: infer A) => infer R ? (...args: A) => R : never;
};

type ForFlows = ReturnType<typeof forFlows>;
export type Services = { [K in keyof ForFlows]: Bound<ForFlows[K]> };

/** What filing a report needs from the running service: PPKS_URGENT_HOURS and the log (services/complaints/urgent.ts). */
export type FilingEnv = Pick<Parameters<typeof fileComplaint>[1], 'urgentHours' | 'log'>;

/** The services a flow calls, bound to one transaction. Build `bind` once per process with the settings. */
export function servicesBinder(env: IdentityEnv, filing: FilingEnv = {}): (db: Db) => Services {
  const table = forFlows(env, filing);
  return (db) => {
    const bound: Record<string, Record<string, unknown>> = {};
    for (const [name, fns] of Object.entries(table)) {
      bound[name] = Object.fromEntries(
        Object.entries(fns).map(([fname, fn]) => [fname, (...args: unknown[]) => (fn as (db: Db, ...a: unknown[]) => unknown)(db, ...args)]),
      );
    }
    return bound as Services;
  };
}
