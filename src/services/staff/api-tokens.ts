import { and, asc, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiTokens } from '../../db/schema/index.ts';
import { type StaffRole } from '../../domain/vocabulary.ts';
import { Forbidden, requirePermission, scopeWithin } from '../access.ts';
import type { Actor } from '../actor.ts';
import type { Bidang } from '../../domain/vocabulary.ts';
import { audit } from '../audit.ts';
import { randomToken, sha256 } from './secrets.ts';
import { checkGrant, checkRoleAndScope, StaffInputError, type Scope } from './users.ts';

// Tokens for other systems on /api/v1 (`Authorization: Bearer pintu_...`). Shown once at creation and kept
// only as a SHA-256; each carries a role and scope like a staff user, so the same service checks apply. Each
// also ends: a token handed to an integration that was later forgotten must not work for ever, so from its
// expiry on it is refused exactly like a revoked one, and the office makes a new one.

export const API_TOKEN_PREFIX = 'pintu_';
/** The lifetimes an admin may choose, in days; a year unless they choose less. */
export const API_TOKEN_LIFETIMES_DAYS = [30, 90, 365] as const;
export type ApiTokenLifetime = (typeof API_TOKEN_LIFETIMES_DAYS)[number];
export const DEFAULT_API_TOKEN_DAYS: ApiTokenLifetime = 365;
const DAY_MS = 86_400_000;
// lastUsedAt is for "is this integration still alive?", not an access log; a write per request is waste.
const LAST_USED_GRANULARITY_MS = 60_000;

export interface NewApiToken {
  name: string;
  role: StaffRole;
  kecamatanId?: number | null;
  bidang?: Bidang | null;
  /** How long it works; DEFAULT_API_TOKEN_DAYS when absent. */
  days?: ApiTokenLifetime;
  now?: Date;
}

export async function createApiToken(db: Db, actor: Actor, input: NewApiToken): Promise<{ id: number; token: string; expiresAt: Date }> {
  requirePermission(actor, 'users.manage');
  const name = input.name.trim();
  if (!name) throw new StaffInputError('name_missing', 'name must not be empty');
  const scope: Scope = { kecamatanId: input.kecamatanId ?? null, bidang: input.bidang ?? null };
  checkRoleAndScope(input.role, scope);
  // Another system reads and reports; it never manages users or settings, so a leaked token cannot either.
  if (input.role === 'admin') throw new Forbidden('rank', 'an API token cannot have the admin role');
  checkGrant(actor, input.role, scope);
  const days = input.days ?? DEFAULT_API_TOKEN_DAYS;
  if (!API_TOKEN_LIFETIMES_DAYS.includes(days)) throw new StaffInputError('lifetime_invalid', `days must be one of ${API_TOKEN_LIFETIMES_DAYS.join(', ')}`);
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + days * DAY_MS);

  const token = API_TOKEN_PREFIX + randomToken();
  const [row] = await db
    .insert(apiTokens)
    .values({ name, role: input.role, ...scope, tokenHash: sha256(token), createdBy: actor.kind === 'staff' ? actor.id : null, expiresAt, createdAt: now })
    .returning({ id: apiTokens.id });
  await audit(db, actor, {
    action: 'api_token.create',
    entity: 'api_token',
    entityId: row!.id,
    details: { role: input.role, kecamatanId: scope.kecamatanId, bidang: scope.bidang, days },
  });
  return { id: row!.id, token, expiresAt };
}

/** Accepts the bare token or a whole `Bearer ...` header value. Null for unknown, revoked or expired tokens. */
export async function authenticateApiToken(db: Db, bearer: string | null | undefined, now: Date = new Date(), ip?: string): Promise<Actor | null> {
  const token = bearer?.replace(/^Bearer\s+/i, '').trim();
  if (!token || !token.startsWith(API_TOKEN_PREFIX) || token.length > 100) return null;
  const tokenHash = sha256(token);
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)));
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    const stale = new Date(now.getTime() - LAST_USED_GRANULARITY_MS);
    await db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(apiTokens.id, row.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, stale))));
  }
  return { kind: 'api', id: row.id, role: row.role, kecamatanId: row.kecamatanId, bidang: row.bidang, ...(ip ? { ip } : {}) };
}

/** True when the token was live and is now revoked; revoking twice is harmless. */
export async function revokeApiToken(db: Db, actor: Actor, id: number, now: Date = new Date()): Promise<boolean> {
  requirePermission(actor, 'users.manage');
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
  if (!row || !scopeWithin(row, actor)) return false;
  const [revoked] = await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  if (revoked) await audit(db, actor, { action: 'api_token.revoke', entity: 'api_token', entityId: id });
  return revoked !== undefined;
}

export interface ApiTokenSummary {
  id: number;
  name: string;
  role: StaffRole;
  kecamatanId: number | null;
  bidang: Bidang | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date;
  createdAt: Date;
}

/** Admin only; the hash is never listed. */
export async function listApiTokens(db: Db, actor: Actor): Promise<ApiTokenSummary[]> {
  requirePermission(actor, 'users.manage');
  const rows = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      kecamatanId: apiTokens.kecamatanId,
      bidang: apiTokens.bidang,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      expiresAt: apiTokens.expiresAt,
      createdAt: apiTokens.createdAt,
    })
    .from(apiTokens)
    .orderBy(asc(apiTokens.id));
  return rows.filter((r) => scopeWithin(r, actor));
}
