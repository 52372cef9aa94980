import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import type { Actor } from '../../src/services/actor.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { createApiToken } from '../../src/services/staff/api-tokens.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { PASSWORD, signedIn } from '../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

// Issue 15, "logs and errors": a NUL in an API search answered 500, and the failed query's error put the
// search (a full NIK) in the log with its parameters. Bad bytes in any parameter now answer 400, and an
// error's parameters never reach the log.

const NIK = '2171105203850001';

describe('bad bytes in parameters, and what errors log', () => {
  let database: TestDatabase;
  let t: TestApp;
  let token: string;
  const lines: string[] = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    }),
  );

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 5 });
    t = await createTestApp(database, { logger });
    const created = await createStaffUser(database.db, 'system', { email: 'admin.bytes@pintu.test', name: 'Admin', role: 'admin', password: PASSWORD });
    const admin: Actor = { kind: 'staff', id: created.id, role: 'admin', kecamatanId: null, bidang: null };
    token = (await createApiToken(database.db, admin, { name: 'Dasbor', role: 'supervisor' })).token;
  });
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  const api = (path: string) => t.app.request(path, { headers: { authorization: `Bearer ${token}` } });

  it('answers 400 to a NUL, a control character or broken encoding in a search, and logs no part of it', async () => {
    lines.length = 0;
    for (const search of [`${NIK}%00`, `%00`, `${NIK}%01x`, `%E0%A4%A`, `%FF${NIK}`, `%ED%A0%80`]) {
      const res = await api(`/api/v1/complaints?search=${search}`);
      expect(res.status, search).toBe(400);
    }
    // The same search without the bad byte is an ordinary search.
    expect((await api(`/api/v1/complaints?search=${NIK}`)).status).toBe(200);
    expect(lines.join('')).not.toContain(NIK);
    expect(lines.join('')).not.toContain('params');
  });

  it('answers 400 to bad bytes in a path, a JSON body and a console form', async () => {
    expect((await api('/api/v1/complaints/1%00')).status).toBe(400);
    const json = await t.app.request('/api/v1/broadcasts', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'a\u0000b' }),
    });
    expect(json.status).toBe(400);

    const { b, csrf } = await signedIn(await t.listen(), 'admin.bytes@pintu.test');
    const form = await b.post('/console/password', { _csrf: csrf, current: `x\u0000`, next: 'y', confirm: 'y' });
    expect(form.status).toBe(400);
    // Tabs and line breaks are text a person types: a reply may hold them.
    expect((await api('/api/v1/complaints?search=a%09b%0Ac')).status).toBe(200);
  });

  it("logs a failed query's statement, never its parameters, its detail or a message's text", async () => {
    lines.length = 0;
    const secret = `Siti Aminah\n${NIK}\n0812-3456-7890`;
    const err = await database.db.execute(sql`select ${secret}::integer`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    logger.error({ err }, 'unhandled error');
    const out = lines.join('');
    expect(out).toContain('unhandled error');
    for (const leak of ['Siti', 'Aminah', NIK, '3456', '7890']) expect(out, leak).not.toContain(leak);
    const logged = JSON.parse(lines.at(-1)!) as { err: { type: string; message: string; cause?: { code?: string } } };
    expect(logged.err.message).toContain('select $1::integer');
    expect(logged.err.cause?.code).toBe('22P02'); // invalid_text_representation: still there to debug
  });
});
