import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServiceProcess, waitForStatus } from '../helpers/process.ts';

// The newcomer's path: no settings at all, embedded database, demo city seeded on first start. The time it
// takes is measured by .ci/run (target: 20 s); here the wait is generous so a busy machine does not fail it.
const START_WAIT_MS = 60_000;
describe('start-up on the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pintu-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('migrates, seeds, serves /health, and stops cleanly on SIGTERM', async () => {
    const svc = await startServiceProcess({ DATA_DIR: dataDir });
    try {
      await waitForStatus(`http://127.0.0.1:${svc.port}/health`, 200, START_WAIT_MS, svc.output);
      const health = await (await fetch(`http://127.0.0.1:${svc.port}/health`)).json();
      expect(health.database).toEqual({ status: 'up', kind: 'pglite' });
      expect(svc.output()).toContain('demo city seeded');
      expect(svc.output()).toMatch(/Sign in as admin@pintu\.local with the password: \S{10,}/);
    } finally {
      svc.child.kill('SIGTERM');
    }
    expect(await svc.exited).toBe(0);
    expect(svc.output()).toContain('Pintu stopped');
  }, 90_000);

  it('keeps its data: a second start reuses the database and does not seed again', async () => {
    const svc = await startServiceProcess({ DATA_DIR: dataDir });
    try {
      await waitForStatus(`http://127.0.0.1:${svc.port}/health`, 200, START_WAIT_MS, svc.output);
      expect(svc.output()).not.toContain('seeding the demo city');
      expect(svc.output()).not.toContain('Sign in as'); // the password is shown once only
    } finally {
      svc.child.kill('SIGINT');
    }
    expect(await svc.exited).toBe(0);
  }, 90_000);

  it('stops with one line and exit 1 when the database cannot be reached', async () => {
    const svc = await startServiceProcess({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', LOG_LEVEL: 'silent' });
    expect(await svc.exited).toBe(1);
    expect(svc.output().trim().split('\n')).toEqual([expect.stringMatching(/^pintu: start-up failed: .*ECONNREFUSED/)]);
  }, 30_000);
});
