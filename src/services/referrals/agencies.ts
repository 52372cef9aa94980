// The places a case can be referred to (issue 19): other agencies (Dukcapil, Dinas Kesehatan, the police's
// PPA unit) and welfare organisations (LKS: panti, rumah singgah), kept as data by the office's admins
// ('settings.manage'). An agency is never deleted: referrals name it and the figures count by it, so one the
// office no longer works with is deactivated, and leaves the referral form's list.
//
// An admin of one kecamatan changes the agencies of their kecamatan; the city-wide ones (and those of other
// kecamatan) they read, as they are the list their own staff refer to.

import { asc, count, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { agencies, kecamatan, referrals } from '../../db/schema/index.ts';
import { AGENCY_KINDS, type AgencyKind } from '../../domain/vocabulary.ts';
import { normalizePhone } from '../../domain/phone.ts';
import { can, Forbidden, requirePermission, scopeWithin } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';

export const AGENCY_NAME_MAX = 200;
export const AGENCY_SERVICES_MAX = 1000;
export const AGENCY_ADDRESS_MAX = 500;
export const AGENCY_PHONE_MAX = 30;
export const AGENCY_EMAIL_MAX = 254;

export interface AgencyInput {
  name: string;
  kind: string;
  /** Where it works; null for the whole city. */
  kecamatanId: number | null;
  services: string;
  phone: string;
  email: string;
  address: string;
}

export type AgencyField = 'name' | 'kind' | 'kecamatan' | 'services' | 'phone' | 'email' | 'address';
export type AgencyProblem = { field: AgencyField; problem: 'missing' | 'too_long' | 'invalid' };

export interface Agency {
  id: number;
  name: string;
  kind: AgencyKind;
  kecamatanId: number | null;
  kecamatanName: string | null;
  services: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  active: boolean;
  /** How many referrals name it, ever. */
  referrals: number;
}

export type AgencyResult = { ok: true; id: number } | { ok: false; reason: 'not_found' | 'kecamatan_unknown' };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// The national emergency and service lines agencies answer on (110, 112, 129 SAPA): too short to be a
// phone number libphonenumber accepts, and exactly what staff dial.
const SERVICE_LINE = /^\d{3,5}$/;

/** Every reason the form is wrong, at once; empty when it may be saved. Pure: the page shows them next to what was typed. */
export function agencyProblems(input: AgencyInput): AgencyProblem[] {
  const problems: AgencyProblem[] = [];
  const name = input.name.trim();
  if (name === '') problems.push({ field: 'name', problem: 'missing' });
  else if (name.length > AGENCY_NAME_MAX) problems.push({ field: 'name', problem: 'too_long' });
  if (!(AGENCY_KINDS as readonly string[]).includes(input.kind)) problems.push({ field: 'kind', problem: 'invalid' });
  if (input.services.trim().length > AGENCY_SERVICES_MAX) problems.push({ field: 'services', problem: 'too_long' });
  if (input.address.trim().length > AGENCY_ADDRESS_MAX) problems.push({ field: 'address', problem: 'too_long' });
  const phone = input.phone.trim();
  if (phone.length > AGENCY_PHONE_MAX) problems.push({ field: 'phone', problem: 'too_long' });
  else if (phone !== '' && !SERVICE_LINE.test(phone) && normalizePhone(phone) === null) problems.push({ field: 'phone', problem: 'invalid' });
  const email = input.email.trim();
  if (email.length > AGENCY_EMAIL_MAX) problems.push({ field: 'email', problem: 'too_long' });
  else if (email !== '' && !EMAIL.test(email)) problems.push({ field: 'email', problem: 'invalid' });
  return problems;
}

/** Whether the actor may change this agency (or add one with this area): within their own kecamatan. */
export function mayChangeAgency(actor: Actor, a: { kecamatanId: number | null }): boolean {
  return can(actor, 'settings.manage') && scopeWithin({ kecamatanId: a.kecamatanId, bidang: null }, { kecamatanId: actor.kecamatanId, bidang: null });
}

function requireChange(actor: Actor, a: { kecamatanId: number | null }): void {
  requirePermission(actor, 'settings.manage');
  if (!mayChangeAgency(actor, a)) throw new Forbidden('scope');
}

const blankToNull = (s: string) => (s.trim() === '' ? null : s.trim());

function row(input: AgencyInput) {
  return {
    name: input.name.trim(),
    kind: input.kind as AgencyKind,
    kecamatanId: input.kecamatanId,
    services: blankToNull(input.services),
    phone: blankToNull(input.phone),
    email: blankToNull(input.email),
    address: blankToNull(input.address),
  };
}

/** Every agency, active first, by kind and name, with how often it was referred to ('settings.manage'). */
export async function listAgencies(db: Db, actor: Actor): Promise<Agency[]> {
  requirePermission(actor, 'settings.manage');
  const used = db.select({ agencyId: referrals.agencyId, n: count().as('n') }).from(referrals).groupBy(referrals.agencyId).as('used');
  const rows = await db
    .select({ a: agencies, kecamatanName: kecamatan.name, n: used.n })
    .from(agencies)
    .leftJoin(kecamatan, eq(kecamatan.id, agencies.kecamatanId))
    .leftJoin(used, eq(used.agencyId, agencies.id))
    .orderBy(desc(agencies.active), asc(agencies.kind), asc(agencies.name), asc(agencies.id));
  return rows.map((r) => ({
    id: r.a.id,
    name: r.a.name,
    kind: r.a.kind,
    kecamatanId: r.a.kecamatanId,
    kecamatanName: r.kecamatanName,
    services: r.a.services,
    phone: r.a.phone,
    email: r.a.email,
    address: r.a.address,
    active: r.a.active,
    referrals: Number(r.n ?? 0),
  }));
}

/** One agency for its edit page ('settings.manage'); null when there is none. */
export async function getAgency(db: Db, actor: Actor, id: number): Promise<Agency | null> {
  requirePermission(actor, 'settings.manage');
  if (!Number.isSafeInteger(id) || id < 1) return null;
  return (await listAgencies(db, actor)).find((a) => a.id === id) ?? null;
}

async function kecamatanExists(tx: Db, id: number | null): Promise<boolean> {
  if (id === null) return true;
  const [k] = await tx.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.id, id));
  return k !== undefined;
}

/**
 * Adds an agency (id null) or changes one. The caller checked agencyProblems first; this checks them again
 * (throws on bad input a form would have caught), the kecamatan, and the scope, before and after the change:
 * a kecamatan admin can neither take a city-wide agency nor move theirs out of their kecamatan.
 */
export async function saveAgency(db: Db, actor: Actor, id: number | null, input: AgencyInput, opts: { now: Date }): Promise<AgencyResult> {
  if (agencyProblems(input).length > 0) throw new Error('agency input not checked');
  requireChange(actor, { kecamatanId: input.kecamatanId });
  return db.transaction(async (tx): Promise<AgencyResult> => {
    if (!(await kecamatanExists(tx, input.kecamatanId))) return { ok: false, reason: 'kecamatan_unknown' };
    if (id === null) {
      const [made] = await tx
        .insert(agencies)
        .values({ ...row(input), createdAt: opts.now, updatedAt: opts.now })
        .returning({ id: agencies.id });
      await audit(tx, actor, { action: 'agency.create', entity: 'agency', entityId: made!.id, details: { kind: input.kind, kecamatanId: input.kecamatanId }, at: opts.now });
      return { ok: true, id: made!.id };
    }
    const [before] = await tx.select().from(agencies).where(eq(agencies.id, id)).for('update');
    if (!before) return { ok: false, reason: 'not_found' };
    requireChange(actor, before);
    await tx.update(agencies).set({ ...row(input), updatedAt: opts.now }).where(eq(agencies.id, id));
    await audit(tx, actor, {
      action: 'agency.update',
      entity: 'agency',
      entityId: id,
      details: { kind: input.kind, kindBefore: before.kind, kecamatanId: input.kecamatanId, kecamatanIdBefore: before.kecamatanId },
      at: opts.now,
    });
    return { ok: true, id };
  });
}

/** Takes an agency off the referral form (active false) or puts it back; its referrals keep naming it. */
export async function setAgencyActive(db: Db, actor: Actor, id: number, active: boolean, opts: { now: Date }): Promise<AgencyResult> {
  requirePermission(actor, 'settings.manage');
  if (!Number.isSafeInteger(id) || id < 1) return { ok: false, reason: 'not_found' };
  return db.transaction(async (tx): Promise<AgencyResult> => {
    const [before] = await tx.select().from(agencies).where(eq(agencies.id, id)).for('update');
    if (!before) return { ok: false, reason: 'not_found' };
    requireChange(actor, before);
    if (before.active !== active) {
      await tx.update(agencies).set({ active, updatedAt: opts.now }).where(eq(agencies.id, id));
      await audit(tx, actor, { action: active ? 'agency.reactivate' : 'agency.deactivate', entity: 'agency', entityId: id, at: opts.now });
    }
    return { ok: true, id };
  });
}

/** The agencies a referral may go to now, for the form's select (grouped by kind there). */
export async function activeAgencies(db: Db): Promise<{ id: number; name: string; kind: AgencyKind; kecamatanName: string | null }[]> {
  return db
    .select({ id: agencies.id, name: agencies.name, kind: agencies.kind, kecamatanName: kecamatan.name })
    .from(agencies)
    .leftJoin(kecamatan, eq(kecamatan.id, agencies.kecamatanId))
    .where(eq(agencies.active, true))
    .orderBy(asc(agencies.kind), asc(agencies.name), asc(agencies.id));
}
