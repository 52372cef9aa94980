import type { ErrorHandler, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { Forbidden } from '../services/access.ts';
import type { AppDeps, AppEnv, ErrorAnswers } from './context.ts';
import { BodyTimeout } from './limits/body.ts';

// The one error handler of the HTTP surface. Services throw Forbidden when an actor may not do or see a
// thing; handlers let it fly, and this answers it in the words of the area it came from: a console page
// answers with its own not-found or forbidden page (a complaint of another kecamatan looks exactly like a
// missing one), the API with its problem document. Refusals a person can correct (a form's bad input) are
// results the handlers show next to what was typed, not errors; they never reach here.
//
// Hono gives a sub-app mounted with app.route() the parent's onError only when the sub-app has none of its
// own, so no sub-app defines one.

/**
 * The answers of the pages under a path (`app.use('/console/handovers/*', errorAnswers(...))`), or of one
 * route when given among its handlers; the nearer one wins, because it runs later.
 */
export function errorAnswers<E extends AppEnv>(answers: ErrorAnswers<E>): MiddlewareHandler<E> {
  return async (c, next) => {
    // Read back only by onError, on this same context, which is of this area's environment.
    c.set('errorAnswers', answers as unknown as ErrorAnswers);
    await next();
  };
}

/**
 * A Forbidden a form can explain next to what was typed (another's scope, a higher rank, one's own
 * account): which of `kinds` it is, or undefined for anything else, which then goes on to onError.
 */
export function refusedFor<K extends Forbidden['permission']>(err: unknown, ...kinds: K[]): K | undefined {
  return err instanceof Forbidden && (kinds as string[]).includes(err.permission) ? (err.permission as K) : undefined;
}

/** An htmx fragment or an event stream: nothing to render, only "there is nothing here". */
export const emptyNotFound: ErrorAnswers = { forbidden: (c) => c.text('', 404) };

export function onError(deps: AppDeps): ErrorHandler<AppEnv> {
  return (err, c) => {
    const t = deps.i18n.getFixedT(c.get('locale') ?? deps.defaultLocale);
    const answers = c.get('errorAnswers');
    // A Forbidden nobody answered for is still not something to show: the thing does not exist for this person.
    if (err instanceof Forbidden) return answers ? answers.forbidden(c) : c.json({ error: 'not_found', message: t('http.notFound') }, 404);
    // A body over its limit, or one that did not arrive in time (http/limits/body.ts): the client's doing, not
    // a failure to log. The slow one's connection is already closed; the answer is for the record.
    if (err instanceof HTTPException && err.status === 413) {
      return answers?.tooLarge ? answers.tooLarge(c) : c.json({ error: 'too_large', message: t('limits:tooLarge') }, 413);
    }
    if (err instanceof BodyTimeout) return c.json({ error: 'too_slow', message: t('limits:tooSlow') }, 408);
    if (err instanceof HTTPException && err.status < 500 && !answers?.internal) {
      return c.json({ error: 'bad_request', message: err.message || t('http.badRequest') }, err.status);
    }
    deps.logger.error({ err, path: c.req.path }, 'unhandled error');
    if (answers?.internal) return answers.internal(c);
    return c.json({ error: 'internal', message: t('http.internalError') }, 500);
  };
}
