import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { households, importRuns } from '../../src/db/schema/index.ts';
import { importCommand } from '../../src/cli/import/command.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { NOW, person, registryCsv, tempFiles } from '../services/registry/import/fixtures.ts';

const run = promisify(execFile);
const files = tempFiles();

// `npm run import` as a real process against a seeded database: the test database on real Postgres, or a
// PGlite data directory seeded here (an in-memory PGlite cannot be shared with another process).
let database: TestDatabase | undefined;
let target: Database;
let env: Record<string, string>;
beforeAll(async () => {
  database = await createTestDatabase();
  if (database.url) {
    target = database;
    env = { DATABASE_URL: database.url };
  } else {
    await database.dispose();
    database = undefined;
    target = await openDatabase({ dataDir: files.dir });
    await target.migrate();
    env = { DATA_DIR: files.dir };
  }
  await seedDemoCity(target, { households: 0, today: NOW });
}, 120_000);
afterAll(async () => {
  if (database) await database.dispose();
  else await target?.close();
  files.cleanup();
});

const cli = async (args: string[], extraEnv: Record<string, string> = env) => {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/import/main.ts', ...args], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', ...extraEnv },
      timeout: 90_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
};

describe('npm run import (a real process)', () => {
  it('imports a registry file, prints the report, and refuses a missing file or a bad setting with one line', async () => {
    const kk = '2171100101095001';
    const path = files.write(registryCsv([person(1, kk), { ...person(2, kk, { hubungan: 'anak' }), desil: 'x' }]), 'dtsen.csv');
    // The PGlite data directory has one owner at a time: the test lets go of it while the child runs.
    if (!database) await target.close();
    const ok = await cli(['registry', path]);
    const missing = await cli(['registry', `${files.dir}/missing.csv`]);
    const badKind = await cli(['members', path]);
    const badSetting = await cli(['registry', path], { DATABASE_URL: 'mysql://nope' });
    if (!database) target = await openDatabase({ dataDir: files.dir });

    expect(ok.stderr).toBe(''); // no progress bar: stderr is not a TTY here
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/rows read +2\n +inserted +1\n +updated +0\n +unchanged +0\n +skipped +1\n/);
    expect(ok.stdout).toContain('line 3: desil_invalid');
    expect(ok.stdout).not.toMatch(/\d{16}/); // no NIK or KK on the terminal

    expect(missing).toEqual({ code: 1, stdout: '', stderr: `import: no such file: ${files.dir}/missing.csv\n` });
    expect(badKind).toEqual({ code: 2, stdout: '', stderr: `import: unknown kind 'members', expected registry or enrollments\n` });
    expect(badSetting.code).toBe(1);
    expect(badSetting.stderr.trim().split('\n')).toEqual(['Invalid setting DATABASE_URL: must be a postgres:// or postgresql:// URL']);

    const [h] = await target.db.select({ id: households.id }).from(households).where(eq(households.noKk, kk));
    expect(h).toBeDefined();
    const runs = await target.db.select({ n: sql<number>`count(*)::int` }).from(importRuns);
    expect(runs[0]!.n).toBe(1); // the refused runs left nothing behind
  }, 120_000);
});

describe('importCommand', () => {
  it('a file with the wrong header is refused with one line and exit 1, and no run is stored', async () => {
    const path = files.write('program;nik;no_kk;status;periode\nPKH;;1;active;2026\n', 'penerima.csv');
    const err: string[] = [];
    const before = await target.db.select({ n: sql<number>`count(*)::int` }).from(importRuns);
    const open = async () => Object.assign(Object.create(target) as Database, { close: async () => {} });
    const code = await importCommand(['enrollments', path], { env: {}, out: () => {}, err: (l) => err.push(l), open });
    expect(code).toBe(1);
    expect(err).toEqual([
      'import: penerima.csv: the header must be "program,nik,no_kk,status,periode,nominal" (comma or semicolon), got "program,nik,no_kk,status,periode"',
    ]);
    const after = await target.db.select({ n: sql<number>`count(*)::int` }).from(importRuns);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('a database failure mid-import is one line, exit 1, and the run is stored as failed', async () => {
    const path = files.write(registryCsv([person(9, '2171100101095009')]));
    const err: string[] = [];
    // A database without the reference data's kelurahan ids would pass the checks; a broken one must fail cleanly.
    const broken = Object.assign(Object.create(target) as Database, {
      close: async () => {},
      raw: { kind: 'postgres', sql: { begin: async () => { throw new Error('connection reset'); } } },
    });
    const code = await importCommand(['registry', path], { env: {}, out: () => {}, err: (l) => err.push(l), open: async () => broken });
    expect(code).toBe(1);
    expect(err).toEqual(['import failed, nothing was changed: connection reset']);
    const [last] = await target.db.select().from(importRuns).orderBy(sql`id desc`).limit(1);
    expect(last).toMatchObject({ status: 'failed', error: 'Error: connection reset', rowsRead: 0 });
  });
});
