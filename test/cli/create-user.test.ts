import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserCommand, parseCreateUserArgs } from '../../src/cli/create-user.ts';
import { openDatabase } from '../../src/db/client.ts';
import { staffUsers } from '../../src/db/schema/index.ts';
import { login } from '../../src/services/staff/sessions.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { kelurahanIn, twoKecamatan } from '../services/staff/fixtures.ts';
import { staffKelurahan } from '../../src/db/schema/index.ts';

const run = promisify(execFile);

let database: TestDatabase;
let kec: { sagulung: number; nongsa: number };
beforeAll(async () => {
  database = await createTestDatabase();
  kec = await twoKecamatan(database.db);
});
afterAll(async () => {
  await database?.dispose();
});

/** Runs the command in-process against the test database, capturing what it prints. */
async function inProcess(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  // The command closes what it opened; the test database must outlive it.
  const open = async () => Object.assign(Object.create(database) as TestDatabase, { close: async () => {} });
  const code = await createUserCommand(argv, { env: {}, out: (l) => out.push(l), err: (l) => err.push(l), open });
  return { code, out, err };
}

const passwordIn = (lines: string[]) => lines.join('\n').match(/Password \(shown only this once\): (\S+)/)?.[1];

describe('create-user', () => {
  it('prints a generated password once, and the user can log in with it', async () => {
    const r = await inProcess(['--email', 'Kepala@Dinsos.test', '--role', 'admin', '--name', 'Kepala Dinas']);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    const password = passwordIn(r.out);
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(r.out.join('\n').split(password!)).toHaveLength(2); // exactly once
    const result = await login(database.db, { email: 'kepala@dinsos.test', password: password! });
    expect(result.ok && result.staff).toMatchObject({ role: 'admin', name: 'Kepala Dinas', kecamatanId: null });
  });

  it('scopes to a kecamatan by code and a bidang', async () => {
    const r = await inProcess(['--email=op@dinsos.test', '--role=operator', '--kecamatan', '99.71.02', '--bidang', 'Rehsos']);
    expect(r.code).toBe(0);
    const [row] = await database.db.select().from(staffUsers).where(eq(staffUsers.email, 'op@dinsos.test'));
    expect(row).toMatchObject({ role: 'operator', kecamatanId: kec.nongsa, bidang: 'Rehsos', name: 'op' });
  });

  it('creates a field worker with their field role and the kelurahan they cover, by code', async () => {
    const kel = await kelurahanIn(database.db, kec.sagulung, ['Tembesi', 'Sungai Lekop']);
    const r = await inProcess(['--email', 'tksk@dinsos.test', '--field-role', 'tksk', '--kecamatan', '99.71.01', '--kelurahan', `99.71.${kec.sagulung}.Tembesi, 99.71.${kec.sagulung}.Sungai Lekop`]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^Created staff user #\d+ \(field_officer, tksk\)\.$/);
    const [row] = await database.db.select().from(staffUsers).where(eq(staffUsers.email, 'tksk@dinsos.test'));
    expect(row).toMatchObject({ role: 'field_officer', fieldRole: 'tksk', kecamatanId: kec.sagulung });
    const covered = await database.db.select().from(staffKelurahan).where(eq(staffKelurahan.staffId, row!.id));
    expect(covered.map((k) => k.kelurahanId).sort()).toEqual([kel.Tembesi!, kel['Sungai Lekop']!].sort());
    // An unknown kelurahan, or kelurahan without a field role: a clear line, nothing written.
    const unknown = await inProcess(['--email', 'psm@dinsos.test', '--field-role', 'psm', '--kecamatan', '99.71.01', '--kelurahan', '00.00']);
    expect(unknown).toEqual({ code: 1, out: [], err: [`create-user: no kelurahan with code '00.00'`] });
    expect((await inProcess(['--email', 'psm@dinsos.test', '--role', 'operator', '--kelurahan', '00.00'])).code).toBe(2);
    expect(await database.db.select().from(staffUsers).where(eq(staffUsers.email, 'psm@dinsos.test'))).toEqual([]);
  });

  it('refuses an unknown kecamatan or a taken email with one line and exit 1', async () => {
    const unknown = await inProcess(['--email', 'x@dinsos.test', '--role', 'viewer', '--kecamatan', '00.00.00']);
    expect(unknown).toEqual({ code: 1, out: [], err: [`create-user: no kecamatan with code '00.00.00'`] });
    await inProcess(['--email', 'dup@dinsos.test', '--role', 'viewer']);
    const dup = await inProcess(['--email', 'dup@dinsos.test', '--role', 'viewer']);
    expect(dup).toEqual({ code: 1, out: [], err: ['create-user: a staff user with this email already exists'] });
  });

  it('rejects bad arguments before touching the database', () => {
    const message = (argv: string[]) => {
      try {
        parseCreateUserArgs(argv);
        return 'parsed';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(message(['--email', 'a@b'])).toBe('--role is required');
    expect(message(['--role', 'admin'])).toBe('--email is required');
    expect(message(['--email', 'a@b', '--role', 'boss'])).toBe(`--role must be one of admin, supervisor, operator, field_officer, viewer, got 'boss'`);
    expect(message(['--email', 'a@b', '--role', 'viewer', '--bidang', 'Keuangan'])).toMatch(/^--bidang must be one of/);
    expect(message(['--email', '--role', 'admin'])).toBe('--email needs a value');
    expect(message(['--email', 'a@b', '--role', 'admin', '--force'])).toBe(`unknown argument '--force'`);
  });
});

describe('npm run cli', () => {
  const cli = (args: string[], env: Record<string, string>) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 60_000,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('a bad role gives one line on stderr and a non-zero exit', async () => {
    const r = await cli(['create-user', '--email', 'a@b.test', '--role', 'boss'], {});
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      `create-user: --role must be one of admin, supervisor, operator, field_officer, viewer, got 'boss' (npm run cli -- help)`,
    ]);
  });

  it('an unknown command or a bad setting is refused with one line', async () => {
    expect(await cli(['make-coffee'], {})).toMatchObject({ code: 2, stderr: `pintu: unknown command 'make-coffee' (npm run cli -- help)\n` });
    const bad = await cli(['create-user', '--email', 'a@b.test', '--role', 'viewer'], { DATABASE_URL: 'mysql://nope' });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual(['Invalid setting DATABASE_URL: must be a postgres:// or postgresql:// URL']);
  });

  it('creates a user in the configured database, end to end', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pintu-cli-'));
    try {
      const env: Record<string, string> = database.url ? { DATABASE_URL: database.url } : { DATA_DIR: dataDir };
      const r = await cli(['create-user', '--email', 'e2e@dinsos.test', '--role', 'supervisor'], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const password = passwordIn([r.stdout]);
      expect(password).toBeDefined();
      const target = database.url ? database : await openDatabase({ dataDir });
      try {
        const result = await login(target.db, { email: 'e2e@dinsos.test', password: password! });
        expect(result.ok && result.staff.role).toBe('supervisor');
      } finally {
        if (target !== database) await target.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
