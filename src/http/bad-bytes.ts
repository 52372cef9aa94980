import type { Context, MiddlewareHandler } from 'hono';
import { hasBadBytes } from '../domain/text.ts';
import type { AppDeps, AppEnv } from './context.ts';

// A parameter that no person could have typed (a NUL, another control character, broken percent-encoding or
// UTF-8) is answered 400 before any handler sees it. PostgreSQL refuses NUL in text, so such a value would
// otherwise become a 500 deep inside a query, and the failed query's error would carry it to the log.
// Resident messages are not refused here: the channels clean them (domain/text.ts sanitizeText), because a
// webhook refused is a webhook retried.

/** The path and every query parameter, for every request (app.ts). */
export function refuseBadUrls(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (badUrl(c.req.url)) return refuse(deps, c);
    await next();
  };
}

/**
 * Every field of a urlencoded form. Mounted where a body limit already stands (the console), because it reads
 * the body: never before the limit.
 */
export function refuseBadForms(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (await badForm(c.req.header('content-type'), () => c.req.parseBody())) return refuse(deps, c);
    await next();
  };
}

function refuse(deps: AppDeps, c: Context<AppEnv>): Response {
  const t = deps.i18n.getFixedT(c.get('locale') ?? deps.defaultLocale);
  return c.json({ error: 'bad_request', message: t('http.badRequest') }, 400);
}

function badUrl(href: string): boolean {
  const url = new URL(href);
  const path = decoded(url.pathname);
  if (path === undefined || hasBadBytes(path)) return true;
  for (const part of url.search.slice(1).split('&')) {
    if (part === '') continue;
    const piece = decoded(part.replace(/\+/g, ' '));
    if (piece === undefined || hasBadBytes(piece)) return true;
  }
  return false;
}

/** decodeURIComponent, or undefined where the percent-encoding or the UTF-8 under it is broken. */
function decoded(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/**
 * Only urlencoded forms: Hono keeps what it parsed, so the handler reads the same fields again for free.
 * Multipart bodies are uploads, read as a stream by their own handlers (never buffered here).
 */
async function badForm(type: string | undefined, parse: () => Promise<Record<string, unknown>>): Promise<boolean> {
  if (!type?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return false;
  const fields = await parse();
  return Object.entries(fields).some(([k, v]) => hasBadBytes(k) || (typeof v === 'string' && hasBadBytes(v)) || (Array.isArray(v) && v.some((x) => typeof x === 'string' && hasBadBytes(x))));
}
