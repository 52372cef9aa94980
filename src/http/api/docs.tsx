import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { broadcastOperations } from './broadcasts.ts';
import { checkinOperations } from './checkins.ts';
import { complaintOperations } from './complaints.ts';
import { distributionOperations } from './distribution.ts';
import { openApiDocument, type ApiOperation } from './openapi.ts';
import { qualityOperations } from './quality.ts';
import { disbursementOperations } from './disbursements.ts';
import { programOperations } from './programs.ts';
import { reportOperations } from './reports.ts';

// /api/openapi.json and a plain page at /api/docs that lists every operation from the same document. No
// third-party viewer: the page loads nothing from elsewhere and runs no script.

/** Every operation of /api/v1, from the route file of each subject. */
export function apiOperations(): readonly ApiOperation[] {
  return [...complaintOperations, ...reportOperations, ...checkinOperations, ...distributionOperations, ...broadcastOperations, ...qualityOperations, ...programOperations, ...disbursementOperations];
}
export const API_VERSION = '1.0.0';

type Operation = { tags: string[]; summary: string; description: string; parameters: { name: string; in: string; required: boolean }[]; requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, { description: string }> };

export function apiDocsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const document = openApiDocument(apiOperations(), { version: API_VERSION });

  app.get('/api/openapi.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(document);
  });

  app.get('/api/docs', (c) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const paths = document.paths as Record<string, Record<string, Operation>>;
    const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const list = byTag.get(op.tags[0]!) ?? [];
        list.push({ method, path, op });
        byTag.set(op.tags[0]!, list);
      }
    }
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
    return c.html(
      <html lang={c.get('locale')}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{t('api:docs.title')}</title>
          <style>{`body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#111}
code,pre{font-family:ui-monospace,monospace;font-size:.9rem}pre{background:#f4f6f5;padding:.6rem;overflow:auto;border-radius:.3rem}
section{border-top:1px solid #cfd8d3;padding:.4rem 0}.m{display:inline-block;min-width:4rem;font-weight:700;text-transform:uppercase}`}</style>
        </head>
        <body>
          <h1>{t('api:docs.title')}</h1>
          <p>{t('api:docs.intro')}</p>
          <p>
            <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1)
          </p>
          {[...byTag.entries()].map(([tag, ops]) => (
            <>
              <h2>{tag}</h2>
              {ops.map(({ method, path, op }) => (
                <section>
                  <h3>
                    <span class="m">{method}</span> <code>{path}</code>
                  </h3>
                  <p>{op.summary}</p>
                  <p>{op.description}</p>
                  {op.parameters.length > 0 ? (
                    <p>
                      {t('api:docs.parameters')}: {op.parameters.map((p) => `${p.name} (${p.in}${p.required ? ', required' : ''})`).join(', ')}
                    </p>
                  ) : null}
                  {op.requestBody ? <pre>{JSON.stringify(op.requestBody.content['application/json']?.schema, null, 2)}</pre> : null}
                  <p>
                    {t('api:docs.responses')}: {Object.entries(op.responses).map(([status, r]) => `${status} ${r.description}`).join(' · ')}
                  </p>
                </section>
              ))}
            </>
          ))}
        </body>
      </html>,
    );
  });
  return app;
}
