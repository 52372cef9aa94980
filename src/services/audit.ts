import { isIP } from 'node:net';
import { and, asc, desc, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { apiTokens, auditLog, staffUsers } from '../db/schema/index.ts';
import { requirePermission } from './access.ts';
import type { Actor } from './actor.ts';

// Who read or changed what, when and from where. The log is itself read by people, so it must never become
// a second copy of the registry: details carry ids, codes and counts, never NIK, KK, phone numbers, message
// text or secrets. `audit()` enforces that by key name and by value shape, so a careless caller is caught.

/** Only kind, id and ip are recorded, so a bare staff id (a logout) is enough. */
export type AuditActor = Actor | Pick<Actor, 'kind' | 'id' | 'ip'> | { kind: 'system' } | { kind: 'resident'; contactId: number };

export interface AuditEntry {
  /** e.g. staff.create, complaint.assign, member.read, identity.lookup */
  action: string;
  entity: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
  /** Overrides actor.ip, e.g. for a resident's request or a failed login. */
  ip?: string | null;
  /** When it happened, if not now (a conversation's own clock). */
  at?: Date;
}

const PERSONAL_WORDS = new Set(['nik', 'kk', 'nokk', 'phone', 'msisdn', 'wa', 'email', 'text', 'message', 'body', 'comment', 'password', 'secret', 'token', 'name', 'address', 'birth', 'birthdate', 'dob']);
// `messageId`, `tokenId`, `textLength` describe personal data without holding it.
const HARMLESS_LAST_WORDS = new Set(['id', 'ids', 'count', 'length']);

function personalKey(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (words.length > 1 && HARMLESS_LAST_WORDS.has(words.at(-1)!)) return false;
  return words.some((w) => PERSONAL_WORDS.has(w));
}
// 16 digits (NIK/KK) anywhere, or something that looks like an Indonesian phone number.
const FORBIDDEN_VALUE = /\d{16}|(\+?62|\b0)8\d{7,12}\b/;
export const REDACTED = '[redacted]';

/** Drops what must not be stored; exported so the rule can be tested on its own. */
export function scrubDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (personalKey(key)) out[key] = REDACTED;
    else if (typeof value === 'string') out[key] = FORBIDDEN_VALUE.test(value) ? REDACTED : value.slice(0, 200);
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null) out[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'number' || (typeof v === 'string' && !FORBIDDEN_VALUE.test(v)))) {
      out[key] = value.slice(0, 50);
    } else out[key] = REDACTED; // nested objects could hide anything; keep audit details flat
  }
  return out;
}

export async function audit(db: Db, who: AuditActor, entry: AuditEntry): Promise<void> {
  await auditing(db, who, entry);
}

/**
 * The audit row's INSERT, not yet run: awaited, it writes the row; placed in another statement (a CTE), it
 * writes the row in that statement, so an effect and its audit are one round trip and never one without the
 * other (issue 21).
 */
export function auditing(db: Db, who: AuditActor, entry: AuditEntry) {
  const actorColumns =
    who.kind === 'staff'
      ? { actorKind: 'staff' as const, staffId: who.id }
      : who.kind === 'api'
        ? { actorKind: 'api' as const, apiTokenId: who.id }
        : who.kind === 'resident'
          ? { actorKind: 'resident' as const, contactId: who.contactId }
          : { actorKind: 'system' as const };
  const ip = entry.ip !== undefined ? entry.ip : 'ip' in who ? (who.ip ?? null) : null;
  return db.insert(auditLog).values({
    ...actorColumns,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    details: entry.details ? scrubDetails(entry.details) : null,
    ip: validIp(ip),
    ...(entry.at ? { createdAt: entry.at } : {}),
  });
}

// The inet column rejects garbage; a malformed X-Forwarded-For must not make the audited action fail.
function validIp(ip: string | null): string | null {
  return ip && isIP(ip) !== 0 ? ip : null;
}

export type AuditRow = typeof auditLog.$inferSelect;

/** An audit row with who it was in words: the staff member's or the API token's name, when there is one. */
export type AuditListRow = AuditRow & { staffName: string | null; apiTokenName: string | null };

export interface AuditFilter {
  limit?: number;
  /** The id of the last row of the previous page (cursor pagination, newest first). */
  before?: number;
  action?: string;
  entity?: string;
  staffId?: number;
  /** Inclusive lower bound of createdAt. */
  from?: Date;
  /** Exclusive upper bound of createdAt. */
  to?: Date;
}

/** Newest first; `before` is the id of the last row of the previous page. Admin only. */
export async function listAudit(db: Db, actor: Actor, opts: AuditFilter = {}): Promise<AuditListRow[]> {
  requirePermission(actor, 'audit.read');
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 50), 1), 500);
  const rows = await db
    .select({ row: auditLog, staffName: staffUsers.name, apiTokenName: apiTokens.name })
    .from(auditLog)
    .leftJoin(staffUsers, eq(staffUsers.id, auditLog.staffId))
    .leftJoin(apiTokens, eq(apiTokens.id, auditLog.apiTokenId))
    .where(
      and(
        opts.before !== undefined ? lt(auditLog.id, opts.before) : undefined,
        opts.action ? eq(auditLog.action, opts.action) : undefined,
        opts.entity ? eq(auditLog.entity, opts.entity) : undefined,
        opts.staffId !== undefined ? eq(auditLog.staffId, opts.staffId) : undefined,
        opts.from ? gte(auditLog.createdAt, opts.from) : undefined,
        opts.to ? lt(auditLog.createdAt, opts.to) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.row, staffName: r.staffName, apiTokenName: r.apiTokenName }));
}

/**
 * The actions the log holds, for the page's filter: a select of what is there rather than a word to guess.
 * One pass over the log (there is no index on action); the page is opened by an admin now and then, not
 * refreshed, so this is paid per visit. audit.read.
 */
export async function auditActions(db: Db, actor: Actor): Promise<string[]> {
  requirePermission(actor, 'audit.read');
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action));
  return rows.map((r) => r.action);
}
