// E-warong and agents (issue 20): where a Sembako/BPNT family collects its goods or cashes its card, kept as
// data by the office's admins ('settings.manage', as the referral agencies are). An agent is never deleted:
// complaints name it and are counted by it, so one that stops serving is deactivated and leaves the chat's list.
//
// An admin of one kecamatan changes the agents of their kecamatan; the others they read, as agencies.

import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { agents, kecamatan, kelurahan, programs } from '../../db/schema/index.ts';
import { normalizePhone } from '../../domain/phone.ts';
import { AGENT_KINDS, type AgentKind } from '../../domain/vocabulary.ts';
import { can, Forbidden, requirePermission, scopeWithin } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { agentComplaintCounts, type AgentComplaints } from './counts.ts';

export const AGENT_NAME_MAX = 200;
export const AGENT_ADDRESS_MAX = 500;
export const AGENT_HOURS_MAX = 200;
export const AGENT_PHONE_MAX = 30;

export interface AgentInput {
  name: string;
  kind: string;
  kelurahanId: number | null;
  address: string;
  /** As typed: decimal degrees, '' for none. Both or neither. */
  latitude: string;
  longitude: string;
  /** Program codes it serves. */
  programs: string[];
  hours: string;
  phone: string;
}

export type AgentField = 'name' | 'kind' | 'kelurahan' | 'address' | 'latitude' | 'longitude' | 'programs' | 'hours' | 'phone';
export type AgentProblemOfInput = { field: AgentField; problem: 'missing' | 'too_long' | 'invalid' | 'half' };

export interface Agent {
  id: number;
  name: string;
  kind: AgentKind;
  kelurahanId: number;
  kelurahanName: string;
  kecamatanId: number;
  kecamatanName: string;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  programs: string[];
  hours: string | null;
  phone: string | null;
  active: boolean;
  /** Complaints naming it in the last 90 days, by problem (counts.ts). */
  complaints: AgentComplaints;
}

export type AgentResult =
  | { ok: true; id: number }
  | { ok: false; reason: 'not_found' | 'kelurahan_unknown' }
  | { ok: false; reason: 'program_unknown'; codes: string[] };

const DEGREES = /^-?\d{1,3}(\.\d{1,6})?$/;

/** '1.1305' → 1.1305; '' → null; anything else, or outside the range, 'invalid'. Six decimals: about 10 cm. */
function degrees(raw: string, limit: 90 | 180): number | null | 'invalid' {
  const s = raw.trim().replace(',', '.');
  if (s === '') return null;
  if (!DEGREES.test(s)) return 'invalid';
  const n = Number(s);
  return Math.abs(n) <= limit ? n : 'invalid';
}

/** Every reason the form is wrong, at once; empty when it may be saved. Pure; known program codes are the service's to check. */
export function agentProblems(input: AgentInput): AgentProblemOfInput[] {
  const problems: AgentProblemOfInput[] = [];
  const name = input.name.trim();
  if (name === '') problems.push({ field: 'name', problem: 'missing' });
  else if (name.length > AGENT_NAME_MAX) problems.push({ field: 'name', problem: 'too_long' });
  if (!(AGENT_KINDS as readonly string[]).includes(input.kind)) problems.push({ field: 'kind', problem: 'invalid' });
  if (input.kelurahanId === null) problems.push({ field: 'kelurahan', problem: 'missing' });
  if (input.address.trim().length > AGENT_ADDRESS_MAX) problems.push({ field: 'address', problem: 'too_long' });
  const lat = degrees(input.latitude, 90);
  const lng = degrees(input.longitude, 180);
  if (lat === 'invalid') problems.push({ field: 'latitude', problem: 'invalid' });
  if (lng === 'invalid') problems.push({ field: 'longitude', problem: 'invalid' });
  // Half a point is no point: the chat could not say how far it is.
  if (lat !== 'invalid' && lng !== 'invalid' && (lat === null) !== (lng === null)) problems.push({ field: lat === null ? 'latitude' : 'longitude', problem: 'half' });
  // An agent serving no program would never be shown to anyone.
  if (codesOf(input.programs).length === 0) problems.push({ field: 'programs', problem: 'missing' });
  if (input.hours.trim().length > AGENT_HOURS_MAX) problems.push({ field: 'hours', problem: 'too_long' });
  const phone = input.phone.trim();
  if (phone.length > AGENT_PHONE_MAX) problems.push({ field: 'phone', problem: 'too_long' });
  else if (phone !== '' && normalizePhone(phone) === null) problems.push({ field: 'phone', problem: 'invalid' });
  return problems;
}

const codesOf = (list: string[]) => [...new Set(list.map((c) => c.trim().toUpperCase()).filter((c) => c !== ''))];

/** Whether the actor may change an agent in this kecamatan (or add one there): their own, or any for a city-wide admin. */
export function mayChangeAgent(actor: Actor, a: { kecamatanId: number | null }): boolean {
  return can(actor, 'settings.manage') && scopeWithin({ kecamatanId: a.kecamatanId, bidang: null }, { kecamatanId: actor.kecamatanId, bidang: null });
}

function requireChange(actor: Actor, a: { kecamatanId: number | null }): void {
  requirePermission(actor, 'settings.manage');
  if (!mayChangeAgent(actor, a)) throw new Forbidden('scope');
}

const blankToNull = (s: string) => (s.trim() === '' ? null : s.trim());
const fixed = (raw: string) => {
  const n = degrees(raw, 180);
  return typeof n === 'number' ? n.toFixed(6) : null;
};

function row(input: AgentInput) {
  return {
    name: input.name.trim(),
    kind: input.kind as AgentKind,
    kelurahanId: input.kelurahanId!,
    address: blankToNull(input.address),
    latitude: fixed(input.latitude),
    longitude: fixed(input.longitude),
    programs: codesOf(input.programs),
    hours: blankToNull(input.hours),
    phone: blankToNull(input.phone),
  };
}

/** Every agent, active first, by kecamatan, kelurahan and name, with its complaints of the last 90 days ('settings.manage'). */
export async function listAgents(db: Db, actor: Actor, opts: { now: Date }): Promise<Agent[]> {
  requirePermission(actor, 'settings.manage');
  const [rows, counts] = await Promise.all([
    db
      .select({ a: agents, kelurahanName: kelurahan.name, kecamatanId: kecamatan.id, kecamatanName: kecamatan.name })
      .from(agents)
      .innerJoin(kelurahan, eq(kelurahan.id, agents.kelurahanId))
      .innerJoin(kecamatan, eq(kecamatan.id, kelurahan.kecamatanId))
      .orderBy(desc(agents.active), asc(kecamatan.name), asc(kelurahan.name), asc(agents.name), asc(agents.id)),
    agentComplaintCounts(db, opts.now),
  ]);
  return rows.map((r) => ({
    id: r.a.id,
    name: r.a.name,
    kind: r.a.kind,
    kelurahanId: r.a.kelurahanId,
    kelurahanName: r.kelurahanName,
    kecamatanId: r.kecamatanId,
    kecamatanName: r.kecamatanName,
    address: r.a.address,
    latitude: r.a.latitude === null ? null : Number(r.a.latitude),
    longitude: r.a.longitude === null ? null : Number(r.a.longitude),
    programs: r.a.programs,
    hours: r.a.hours,
    phone: r.a.phone,
    active: r.a.active,
    complaints: counts.get(r.a.id) ?? { total: 0, byProblem: {} },
  }));
}

/** One agent for its edit page ('settings.manage'); null when there is none. */
export async function getAgent(db: Db, actor: Actor, id: number, opts: { now: Date }): Promise<Agent | null> {
  requirePermission(actor, 'settings.manage');
  if (!Number.isSafeInteger(id) || id < 1) return null;
  return (await listAgents(db, actor, opts)).find((a) => a.id === id) ?? null;
}

async function kecamatanOfKelurahan(tx: Db, id: number): Promise<number | null> {
  const [k] = await tx.select({ kecamatanId: kelurahan.kecamatanId }).from(kelurahan).where(eq(kelurahan.id, id));
  return k?.kecamatanId ?? null;
}

async function kecamatanOfAgent(tx: Db, id: number, lock: boolean) {
  const q = tx.select({ a: agents, kecamatanId: kelurahan.kecamatanId }).from(agents).innerJoin(kelurahan, eq(kelurahan.id, agents.kelurahanId)).where(eq(agents.id, id));
  const [found] = lock ? await q.for('update', { of: agents }) : await q;
  return found ?? null;
}

/** The codes of `wanted` no program has. */
async function unknownCodes(tx: Db, wanted: string[]): Promise<string[]> {
  if (wanted.length === 0) return [];
  const known = new Set((await tx.select({ code: programs.code }).from(programs).where(inArray(programs.code, wanted))).map((p) => p.code));
  return wanted.filter((c) => !known.has(c));
}

/**
 * Adds an agent (id null) or changes one. The caller checked agentProblems first; this checks them again
 * (throws on bad input a form would have caught), the kelurahan, the program codes and the scope, before and
 * after the change: a kecamatan admin can neither take another kecamatan's agent nor move theirs out.
 */
export async function saveAgent(db: Db, actor: Actor, id: number | null, input: AgentInput, opts: { now: Date }): Promise<AgentResult> {
  if (agentProblems(input).length > 0) throw new Error('agent input not checked');
  requirePermission(actor, 'settings.manage');
  return db.transaction(async (tx): Promise<AgentResult> => {
    const kecamatanId = await kecamatanOfKelurahan(tx, input.kelurahanId!);
    if (kecamatanId === null) return { ok: false, reason: 'kelurahan_unknown' };
    requireChange(actor, { kecamatanId });
    const values = row(input);
    const unknown = await unknownCodes(tx, values.programs);
    if (unknown.length > 0) return { ok: false, reason: 'program_unknown', codes: unknown };
    const details = { kind: values.kind, kelurahanId: values.kelurahanId, programs: values.programs };
    if (id === null) {
      const [made] = await tx
        .insert(agents)
        .values({ ...values, createdAt: opts.now, updatedAt: opts.now })
        .returning({ id: agents.id });
      await audit(tx, actor, { action: 'agent.create', entity: 'agent', entityId: made!.id, details, at: opts.now });
      return { ok: true, id: made!.id };
    }
    if (!Number.isSafeInteger(id) || id < 1) return { ok: false, reason: 'not_found' };
    const before = await kecamatanOfAgent(tx, id, true);
    if (!before) return { ok: false, reason: 'not_found' };
    requireChange(actor, before);
    await tx.update(agents).set({ ...values, updatedAt: opts.now }).where(eq(agents.id, id));
    await audit(tx, actor, {
      action: 'agent.update',
      entity: 'agent',
      entityId: id,
      details: { ...details, kelurahanIdBefore: before.a.kelurahanId, programsBefore: before.a.programs },
      at: opts.now,
    });
    return { ok: true, id };
  });
}

/** Takes an agent off the chat's list (active false) or puts it back; its complaints keep naming it. */
export async function setAgentActive(db: Db, actor: Actor, id: number, active: boolean, opts: { now: Date }): Promise<AgentResult> {
  requirePermission(actor, 'settings.manage');
  if (!Number.isSafeInteger(id) || id < 1) return { ok: false, reason: 'not_found' };
  return db.transaction(async (tx): Promise<AgentResult> => {
    const before = await kecamatanOfAgent(tx, id, true);
    if (!before) return { ok: false, reason: 'not_found' };
    requireChange(actor, before);
    if (before.a.active !== active) {
      await tx.update(agents).set({ active, updatedAt: opts.now }).where(eq(agents.id, id));
      await audit(tx, actor, { action: active ? 'agent.reactivate' : 'agent.deactivate', entity: 'agent', entityId: id, at: opts.now });
    }
    return { ok: true, id };
  });
}

/** The programs an agent may serve, for the form's checkboxes. Public reference data. */
export async function programCodes(db: Db): Promise<{ code: string; name: string }[]> {
  return db.select({ code: programs.code, name: programs.name }).from(programs).orderBy(asc(programs.code));
}
