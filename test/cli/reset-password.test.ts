import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetPasswordCommand } from '../../src/cli/reset-password.ts';
import { auditLog } from '../../src/db/schema/index.ts';
import { login } from '../../src/services/staff/sessions.ts';
import { Browser, csrfIn } from '../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { runScript, startServiceProcess, waitForStatus } from '../helpers/process.ts';
import { staffActor } from '../services/staff/fixtures.ts';

// `npm run cli -- reset-password EMAIL`: in-process on the test database (PGlite or Postgres), and end to end
// through a running service on the embedded database, the way an operator whose only admin forgot the
// password gets back in.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.dispose();
});

async function inProcess(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const open = async () => Object.assign(Object.create(database) as TestDatabase, { close: async () => {} });
  const code = await resetPasswordCommand(argv, { env: {}, out: (l) => out.push(l), err: (l) => err.push(l), open });
  return { code, out, err };
}

const passwordIn = (text: string) => /Password \(shown only this once\): (\S+)/.exec(text)?.[1];

describe('reset-password', () => {
  it('prints a new password once, which works at once from the address that was held; the old one no longer does', async () => {
    const u = await staffActor(database.db, { role: 'admin' });
    for (let i = 0; i < 5; i++) await login(database.db, { email: u.email, password: `wrong-${i}`, ip: '10.60.0.1' });
    expect(await login(database.db, { email: u.email, password: u.password, ip: '10.60.0.1' })).toEqual({ ok: false, reason: 'throttled' });

    const r = await inProcess([u.email.toUpperCase()]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const password = passwordIn(r.out.join('\n'));
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(r.out.join('\n').split(password!)).toHaveLength(2); // exactly once
    expect((await login(database.db, { email: u.email, password: password!, ip: '10.60.0.1' })).ok).toBe(true);
    expect((await login(database.db, { email: u.email, password: u.password, ip: '10.60.0.2' })).ok).toBe(false);
    const [entry] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'staff.password_reset'), eq(auditLog.entityId, String(u.id))));
    expect(entry).toMatchObject({ actorKind: 'system' });
  });

  it('refuses an unknown e-mail and bad arguments with one line', async () => {
    expect(await inProcess(['nobody@dinsos.test'])).toEqual({ code: 1, out: [], err: ['reset-password: no staff user with this email'] });
    expect(await inProcess([])).toEqual({ code: 2, out: [], err: ['reset-password: EMAIL is required (npm run cli -- help)'] });
    expect(await inProcess(['a@b.test', 'c@d.test'])).toEqual({ code: 2, out: [], err: [`reset-password: unexpected argument 'c@d.test' (npm run cli -- help)`] });
    expect((await inProcess(['--help'])).out[0]).toMatch(/^Usage: npm run cli -- reset-password EMAIL/);
  });
});

describe('npm run cli -- reset-password, through the running service', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pintu-reset-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('gets the first admin back in while the service runs, after an outsider held the account here', async () => {
    const svc = await startServiceProcess({ DATA_DIR: dataDir, SEED_DEMO: 'false' });
    try {
      const base = `http://127.0.0.1:${svc.port}`;
      await waitForStatus(`${base}/health`, 200, 60_000, svc.output);
      const first = /Sign in as admin@pintu\.local with the password: (\S+)/.exec(svc.output())?.[1];
      expect(first).toBeDefined();
      const signIn = async (password: string) => {
        const b = new Browser(base);
        const form = await (await b.fetch('/console/login')).text();
        return (await b.post('/console/login', { _csrf: csrfIn(form), email: 'admin@pintu.local', password })).status;
      };
      for (let i = 0; i < 5; i++) expect(await signIn(`guess-${i}-guess`)).toBe(401);
      expect(await signIn(first!)).toBe(401); // held on this address

      const r = await runScript('src/cli/main.ts', ['reset-password', 'admin@pintu.local'], { env: { DATA_DIR: dataDir } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const password = passwordIn(r.stdout);
      expect(password).toBeDefined();
      expect(svc.output()).not.toContain(password!); // printed by the command only, never in the service's log
      expect(await signIn(first!)).toBe(401);
      expect(await signIn(password!)).toBe(303);
    } finally {
      svc.child.kill('SIGTERM');
    }
    expect(await svc.exited).toBe(0);
  }, 120_000);
});
