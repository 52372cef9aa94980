import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { authenticateApiToken } from '../../services/staff/api-tokens.ts';
import { clientAddress } from '../client.ts';
import type { AppDeps } from '../context.ts';
import { errorAnswers } from '../errors.ts';
import { BODY_LIMITS } from '../limits/body.ts';
import { broadcastApiRoutes } from './broadcasts.ts';
import { checkinApiRoutes } from './checkins.ts';
import { complaintApiRoutes } from './complaints.ts';
import { apiDocsRoutes } from './docs.tsx';
import { distributionApiRoutes } from './distribution.ts';
import { disbursementApiRoutes } from './disbursements.ts';
import { qualityApiRoutes } from './quality.ts';
import { programApiRoutes } from './programs.ts';
import { reportApiRoutes } from './reports.ts';
import { apiSupport, type ApiEnv } from './support.ts';

// The JSON API for other systems under /api/v1, authenticated by `Authorization: Bearer pintu_...` tokens
// (services/api-tokens.ts). Every decision about who may see or change what is the services' (the same
// calls the console makes); this layer only validates input, checks the coarse permission up front so a
// role that lacks it gets 403, and maps results to status codes.
//
// No CSRF protection here, on purpose: a browser never attaches an Authorization header by itself, so a
// forged cross-site request carries no credential. No cookie is read or set under /api/v1.
//
// This file wires: the token check, the body limit and the error answers every route shares, then one
// route file per subject, each listing its own operations for the OpenAPI document (docs.tsx).

export type { ApiEnv } from './support.ts';

export function apiRoutes(deps: AppDeps) {
  const db = deps.database.db;
  const app = new Hono<ApiEnv>();
  const { fail } = apiSupport(deps);

  // Every answer under /api is a problem document, an unexpected failure too (the error is logged by errors.ts).
  app.use('/api/*', errorAnswers({ forbidden: (c) => fail(c, 403, 'forbidden'), internal: (c) => fail(c, 500, 'internal'), tooLarge: (c) => fail(c, 413, 'too_large') }));

  app.use('/api/v1/*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    c.header('Vary', 'Authorization, Accept-Language');
    const actor = await authenticateApiToken(db, c.req.header('authorization'), deps.clock(), clientAddress(c));
    if (!actor) {
      c.header('WWW-Authenticate', 'Bearer realm="pintu"');
      return fail(c, 401, 'unauthorized');
    }
    c.set('actor', actor);
    await next();
  });
  // A bank's result file streams to disk under its own limit (128 MB), so it is mounted before the 1 MB one.
  app.route('/', disbursementApiRoutes(deps));
  // After the token check, which reads only a header: nobody without a token gets a byte read.
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/api/v1/*', bodyLimit({ maxSize: BODY_LIMITS.api, onError: (c) => fail(c, 413, 'too_large') }));

  app.route('/', apiDocsRoutes(deps));
  app.route('/', complaintApiRoutes(deps));
  app.route('/', reportApiRoutes(deps));
  app.route('/', checkinApiRoutes(deps));
  app.route('/', distributionApiRoutes(deps));
  app.route('/', qualityApiRoutes(deps));
  app.route('/', broadcastApiRoutes(deps));
  app.route('/', programApiRoutes(deps));
  return app;
}
