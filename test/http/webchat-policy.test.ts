import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

// Issue 15: /chat had no Content-Security-Policy. Its one inline script and style run by this response's
// nonce; nothing else runs, and the page talks only to this server.

describe('the web chat page policy', () => {
  let database: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('runs only the inline script and style that carry this response nonce', async () => {
    const first = await t.app.request('/chat');
    const policy = first.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    const page = await first.text();
    const tags = page.match(/<(script|style)\b[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThanOrEqual(2);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
    expect(page).not.toMatch(/\sstyle="/); // an inline style attribute would need 'unsafe-inline'
    // A new nonce every time: one seen in a page is no key to the next.
    const again = (await t.app.request('/chat')).headers.get('content-security-policy') ?? '';
    expect(again).not.toContain(nonce!);
  });
});
