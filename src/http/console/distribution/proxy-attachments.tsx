import { Hono } from 'hono';
import { readProxyAttachment } from '../../../services/distribution/proxy-attachments.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { requireStaff, type ConsoleEnv } from '../shell/session.ts';
import { notFound, parseId } from './shared.tsx';
import { fileResponse } from '../shell/file-response.ts';

// The photo of a surat kuasa in the console (its line in the kuasa list is views/proxy-photo.tsx): the route
// that streams it from the database for the officer deciding the kuasa. The service checks the role and the
// household's area and audits the read; anything the officer may not see, or that is not stored, is a plain
// 404. The headers are the complaint attachment route's: the file's checked type, no sniffing, nothing it
// could load or run, never cached.

export function proxyAttachmentRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;

  // A photo the person may not see is one that is not stored: the same 404.
  app.get('/console/distribution/proxies/:proxyId/attachments/:attachmentId', requireStaff(deps), errorAnswers<ConsoleEnv>({ forbidden: (c) => notFound(deps, c) }), async (c) => {
    const proxyId = parseId(c.req.param('proxyId'));
    const attachmentId = parseId(c.req.param('attachmentId'));
    const file = proxyId === null || attachmentId === null ? null : await readProxyAttachment(db, c.get('session').actor, proxyId, attachmentId, { now: deps.clock() });
    if (!file) return notFound(deps, c);
    return fileResponse(c, file, 'surat-kuasa');
  });

  return app;
}
