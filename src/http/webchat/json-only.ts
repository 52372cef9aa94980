import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';

/**
 * The web chat's posts take only `Content-Type: application/json`. A form or a plain `fetch` from another
 * site can send no such post without the browser first asking us (CORS preflight, which we never allow), so
 * together with the SameSite cookie no other site can post into a resident's chat or log it out.
 */
export function jsonOnly(deps: Pick<AppDeps, 'i18n'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      return c.json({ error: 'not_json', message: deps.i18n.t('webchat:errors.not_json', { lng: c.get('locale') }) }, 415);
    }
    await next();
  };
}
