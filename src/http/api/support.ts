import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { REPLY_VARIABLES } from '../../domain/reply-variables.ts';
import { hasBadBytes } from '../../domain/text.ts';
import type { Actor } from '../../services/actor.ts';
import type { AppDeps, AppEnv } from '../context.ts';

// What every /api/v1 route file shares: the error shape (RFC 9457 problem details with a stable code and a
// message in the caller's language), body parsing with zod, and ids from the path. One copy, so complaints and distributions answer
// bad input the same way.

export interface ApiEnv {
  Variables: AppEnv['Variables'] & { actor: Actor };
}
export type ApiContext = Context<ApiEnv>;

const PLACEHOLDERS = REPLY_VARIABLES.map((v) => `{{${v}}}`).join(', ');

export function apiSupport(deps: AppDeps) {
  /**
   * An error as RFC 9457 problem details: `type` names the problem (a stable URN per code), `title` and
   * `detail` say it in the caller's language, `status` repeats the HTTP status. `error` (the code) and
   * `message` stay as extension members, so a client can branch on the code without parsing a URN.
   */
  const fail = (c: Context, status: ContentfulStatusCode, error: string, extra: Record<string, unknown> = {}) => {
    const message = deps.i18n.t(`api:errors.${error}`, { lng: c.get('locale'), vars: PLACEHOLDERS });
    const problem = { type: `urn:pintu:problem:${error}`, title: message, status, detail: message, instance: c.req.path, error, message, ...extra };
    return c.body(JSON.stringify(problem), status, { 'Content-Type': 'application/problem+json; charset=utf-8' });
  };

  const invalid = (c: Context, error: z.ZodError) =>
    fail(c, 400, 'bad_request', {
      reason: error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '),
      issues: error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
    });

  /** A positive integer id from the path, else the thing simply does not exist. */
  const idOf = (c: Context, name = 'id'): number | null => {
    const raw = c.req.param(name) ?? '';
    const id = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
    return Number.isSafeInteger(id) && id >= 1 && id <= 2_147_483_647 ? id : null;
  };

  async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<{ ok: true; data: z.infer<S> } | { ok: false; res: Response }> {
    const text = await c.req.text();
    let raw: unknown = {};
    if (text.trim() !== '') {
      try {
        raw = JSON.parse(text);
      } catch {
        return { ok: false, res: fail(c, 400, 'bad_request', { reason: 'body is not valid JSON' }) };
      }
    }
    // A NUL cannot be stored in PostgreSQL text: refused here with a reason, not as a 500 from a query.
    if (holdsBadBytes(raw)) return { ok: false, res: fail(c, 400, 'bad_request', { reason: 'body holds control characters or broken text' }) };
    const parsed = schema.safeParse(raw);
    return parsed.success ? { ok: true, data: parsed.data } : { ok: false, res: invalid(c, parsed.error) };
  }

  return { fail, invalid, idOf, jsonBody };
}
export type ApiSupport = ReturnType<typeof apiSupport>;

/** Any string anywhere in a parsed JSON value (keys included) that no person types. */
function holdsBadBytes(value: unknown): boolean {
  if (typeof value === 'string') return hasBadBytes(value);
  if (Array.isArray(value)) return value.some(holdsBadBytes);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => hasBadBytes(k) || holdsBadBytes(v));
  return false;
}
