import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import type { AppDeps, AppEnv } from '../../src/http/context.ts';
import { emptyNotFound, errorAnswers, onError, refusedFor } from '../../src/http/errors.ts';
import { createI18n } from '../../src/i18n.ts';
import { createLogger } from '../../src/log.ts';
import { BodyTimeout } from '../../src/http/limits/body.ts';
import { Forbidden } from '../../src/services/access.ts';

// The one onError, as the app mounts it: areas are sub-apps mounted with app.route() that define no onError
// of their own, so Hono hands their errors to the parent's; each says how it answers a Forbidden.

async function appWithAreas() {
  const deps = { i18n: await createI18n('id'), logger: createLogger('silent'), defaultLocale: 'id' } as unknown as AppDeps;
  const area = new Hono<AppEnv>();
  area.use('/area/*', errorAnswers({ forbidden: (c) => c.html('<h1>not here</h1>', 404) }));
  area.get('/area/page', () => {
    throw new Forbidden('scope');
  });
  area.get('/area/fragment', errorAnswers(emptyNotFound), () => {
    throw new Forbidden('scope');
  });
  area.get('/area/broken', () => {
    throw new Error('boom');
  });
  const api = new Hono<AppEnv>();
  api.use('/api/*', errorAnswers({ forbidden: (c) => c.json({ error: 'forbidden' }, 403), internal: (c) => c.json({ error: 'internal' }, 500) }));
  api.get('/api/thing', () => {
    throw new Forbidden('reports.read');
  });
  api.get('/api/broken', () => {
    throw new HTTPException(400);
  });
  const other = new Hono<AppEnv>();
  other.get('/plain', () => {
    throw new Forbidden('scope');
  });
  other.get('/bad', () => {
    throw new HTTPException(400, { message: 'nope' });
  });

  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('locale', 'id');
    await next();
  });
  app.route('/', area);
  app.route('/', api);
  app.route('/', other);
  app.onError(onError(deps));
  return app;
}

describe('onError', () => {
  it("answers a service's Forbidden with the answer of the area it came from", async () => {
    const app = await appWithAreas();
    const page = await app.request('/area/page');
    expect(page.status).toBe(404);
    expect(await page.text()).toBe('<h1>not here</h1>');
    const api = await app.request('/api/thing');
    expect(api.status).toBe(403);
    expect(await api.json()).toEqual({ error: 'forbidden' });
  });

  it("lets one route's answer win over its area's", async () => {
    const res = await (await appWithAreas()).request('/area/fragment');
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('');
  });

  it('answers a Forbidden no area answers for as the app answers a path it does not know', async () => {
    const res = await (await appWithAreas()).request('/plain');
    expect(res.status).toBe(404);
    expect((await res.json()).error).toBe('not_found');
  });

  it('keeps a client error a client error, and anything else a 500 in the words of the area', async () => {
    const app = await appWithAreas();
    const bad = await app.request('/bad');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'bad_request', message: 'nope' });
    const broken = await app.request('/area/broken');
    expect(broken.status).toBe(500);
    expect((await broken.json()).error).toBe('internal');
    const apiBroken = await app.request('/api/broken');
    expect(apiBroken.status).toBe(500);
    expect(await apiBroken.json()).toEqual({ error: 'internal' });
  });

  it('answers a body over its limit 413 in the words of its area, and a body too slow 408, logging neither', async () => {
    const logged: unknown[] = [];
    const deps = { i18n: await createI18n('id'), logger: { ...createLogger('silent'), error: (...a: unknown[]) => logged.push(a) }, defaultLocale: 'id' } as unknown as AppDeps;
    const app = new Hono<AppEnv>();
    const api = new Hono<AppEnv>();
    api.use('/api/*', errorAnswers({ forbidden: (c) => c.json({ error: 'forbidden' }, 403), internal: (c) => c.json({ error: 'internal' }, 500), tooLarge: (c) => c.json({ error: 'api_too_large' }, 413) }));
    // hono/body-limit with no answer of its own throws HTTPException(413).
    api.post('/api/upload', bodyLimit({ maxSize: 10 }), (c) => c.text('ok'));
    const plain = new Hono<AppEnv>();
    plain.post('/upload', bodyLimit({ maxSize: 10 }), (c) => c.text('ok'));
    plain.post('/slow', () => {
      throw new BodyTimeout();
    });
    app.route('/', api);
    app.route('/', plain);
    app.onError(onError(deps));
    const big = { method: 'POST', body: 'x'.repeat(100) };
    const fromApi = await app.request('/api/upload', big);
    expect(fromApi.status).toBe(413);
    expect(await fromApi.json()).toEqual({ error: 'api_too_large' });
    const fromPlain = await app.request('/upload', big);
    expect(fromPlain.status).toBe(413);
    expect(await fromPlain.json()).toEqual({ error: 'too_large', message: 'Isi permintaan terlalu besar.' });
    const slow = await app.request('/slow', { method: 'POST' });
    expect(slow.status).toBe(408);
    expect((await slow.json()).error).toBe('too_slow');
    expect(logged).toEqual([]);
  });

  it('tells the Forbidden a form explains from the one it does not', () => {
    expect(refusedFor(new Forbidden('scope'), 'scope', 'rank')).toBe('scope');
    expect(refusedFor(new Forbidden('users.manage'), 'scope', 'rank')).toBeUndefined();
    expect(refusedFor(new Error('scope'), 'scope')).toBeUndefined();
  });
});
