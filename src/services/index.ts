import type { Db } from '../db/client.ts';
import * as aid from './aid.ts';
import * as complaints from './complaints.ts';
import * as receipts from './distribution/receipts.ts';
import * as identity from './identity.ts';
import * as invitations from './invitations.ts';
import * as offices from './offices.ts';
import * as residentComplaints from './resident-complaints.ts';

// Every use case takes the database (or the current transaction) first. Flows get them pre-bound to the
// transaction of the message being handled, so a flow can call services but never hold the database itself.
const modules = { aid, complaints, identity, invitations, offices, residentComplaints, receipts };

type Bound<M> = {
  [K in keyof M as M[K] extends (db: Db, ...args: never[]) => unknown ? K : never]: M[K] extends (db: Db, ...args: infer A) => infer R
    ? (...args: A) => R
    : never;
};

export type Services = { [K in keyof typeof modules]: Bound<(typeof modules)[K]> };

export function bindServices(db: Db): Services {
  const bound: Record<string, Record<string, unknown>> = {};
  for (const [name, mod] of Object.entries(modules)) {
    const fns: Record<string, unknown> = {};
    for (const [fname, fn] of Object.entries(mod)) {
      if (typeof fn === 'function') fns[fname] = (...args: unknown[]) => (fn as (db: Db, ...a: unknown[]) => unknown)(db, ...args);
    }
    bound[name] = fns;
  }
  return bound as Services;
}
