import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin } from '../../src/app/first-admin.ts';
import { staffUsers } from '../../src/db/schema/index.ts';
import { createLogger } from '../../src/log.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startServiceProcess, waitForStatus } from '../helpers/process.ts';

// The first admin's password is printed on the embedded default only. On a server database (DATABASE_URL)
// nobody is created behind the operator's back and nothing is printed, SEED_DEMO=true included; the log says
// how to create the first admin with the CLI.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.dispose();
});

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('first admin', () => {
  it('on a server database: creates nobody, prints nothing, and the log says to use create-user', async () => {
    const { logger, lines } = capture();
    const printed: string[] = [];
    await firstAdmin(database, { embedded: false, logger, write: (t) => printed.push(t) });
    expect(printed).toEqual([]);
    expect(await database.db.select().from(staffUsers)).toEqual([]);
    expect(lines.join('')).toContain('npm run cli -- create-user --email <email> --role admin');
  });

  it('on the embedded default: creates admin@pintu.local once and prints its password once, not to the log', async () => {
    const { logger, lines } = capture();
    const printed: string[] = [];
    await firstAdmin(database, { embedded: true, logger, write: (t) => printed.push(t) });
    expect(printed).toHaveLength(1);
    const password = /Sign in as admin@pintu\.local with the password: (\S+)/.exec(printed[0]!)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(lines.join('')).not.toContain(password!);
    await firstAdmin(database, { embedded: true, logger, write: (t) => printed.push(t) });
    expect(printed).toHaveLength(1);
    // With a staff user, the server-database hint is not repeated either.
    await firstAdmin(database, { embedded: false, logger, write: (t) => printed.push(t) });
    expect(lines.join('')).not.toContain('create-user');
  });

  // The whole service on a fresh PostgreSQL database with the demo city asked for: the hole was there.
  it.skipIf(!process.env.TEST_DATABASE_URL)('npm start on PostgreSQL with SEED_DEMO=true prints no password', async () => {
    const fresh = await createTestDatabase();
    try {
      const svc = await startServiceProcess({ DATABASE_URL: fresh.url!, SEED_DEMO: 'true' });
      try {
        await waitForStatus(`http://127.0.0.1:${svc.port}/health`, 200, 90_000, svc.output);
        expect(svc.output()).toContain('demo city seeded');
        expect(svc.output()).not.toContain('Sign in as');
        expect(svc.output()).not.toMatch(/password: \S/);
        expect(svc.output()).toContain('npm run cli -- create-user');
        expect(await fresh.db.select().from(staffUsers)).toEqual([]);
      } finally {
        svc.child.kill('SIGTERM');
      }
      expect(await svc.exited).toBe(0);
    } finally {
      await fresh.dispose();
    }
  }, 150_000);
});
