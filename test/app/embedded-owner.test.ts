import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockAddress } from '../../src/app/embedded/address.ts';
import { takeOwnership } from '../../src/app/embedded/owner.ts';
import { Browser, csrfIn } from '../helpers/console.ts';
import { runScript, startServiceProcess, TSX_LOADER, waitForStatus, type ServiceProcess } from '../helpers/process.ts';
import { cookieFor } from '../helpers/webchat.ts';

// One owner for the embedded database (PGlite must never be opened by two processes): the service owns
// DATA_DIR, and `npm run import|cli|seed` run inside it while it runs, or open DATA_DIR themselves under the
// lock when it does not. Real processes on a fresh DATA_DIR.

const START_WAIT_MS = 60_000; // the first start seeds the demo city
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const IMPORT = 'src/cli/import/main.ts';
const CLI = 'src/cli/main.ts';

const REGISTRY_HEADER = 'nik,no_kk,nama,tanggal_lahir,jenis_kelamin,hubungan,alamat,rt,rw,kelurahan,kecamatan,desil,telepon,disabilitas,meninggal';
// Belian, Batam Kota (21.71.10) of the demo city; the NIKs agree with the birth dates (day + 40 for women).
const HEAD = { nik: '2171101203850901', kk: '2171100101099901', born: '12-03-1985' };
const LATER = { nik: '2171104507900902', kk: '2171100101099903', born: '05-07-1990' };
const registryCsv = (rows: string[]) => [REGISTRY_HEADER, ...rows].join('\n') + '\n';
const FIRST_FILE = registryCsv([
  `${HEAD.nik},2171100101099901,Warga Pertama,1985-03-12,L,kepala,Jl. Ahmad Yani No. 9,001,002,Belian,Batam Kota,2,,tidak,tidak`,
  '2171104101100903,2171100101099901,Anak Pertama,2010-01-01,P,anak,Jl. Ahmad Yani No. 9,001,002,Belian,Batam Kota,2,,tidak,tidak',
  '2171100101100904,2171100101099902,Warga Kedua,2010-01-01,L,kepala,Jl. Ahmad Yani No. 10,001,002,Belian,Batam Kota,3,,tidak,tidak',
]);
const LATER_FILE = registryCsv([
  `${LATER.nik},2171100101099903,Warga Ketiga,1990-07-05,P,kepala,Jl. Ahmad Yani No. 11,001,002,Belian,Batam Kota,1,,tidak,tidak`,
]);

const passwordIn = (stdout: string) => /Password \(shown only this once\): (\S+)/.exec(stdout)?.[1];

async function signsIn(base: string, email: string, password: string): Promise<boolean> {
  const b = new Browser(base);
  const form = await (await b.fetch('/console/login')).text();
  const res = await b.post('/console/login', { _csrf: csrfIn(form), email, password });
  return res.status === 303 && res.headers.get('location') === '/console/complaints';
}

let chats = 0;
/**
 * The web chat's aid check for a NIK, as a resident types it: the last turn's texts. NIK, KK and birth date are
 * knowledge, so a match shows the public view (these imported families are on no program) and the in-person
 * proof (they have no registry phone); a miss would say "not found".
 */
const FOUND = 'This NIK is registered, but it is not recorded as receiving any aid program now.';
const NO_PHONE = 'We have no phone number on record for this family.';
async function aidCheck(base: string, nik: string, kk: string, born: string): Promise<string> {
  const chatId = `embedded-owner-${process.pid}-${++chats}`;
  let texts = '';
  for (const message of [{ text: 'selamat pagi' }, { choice: 'en' }, { choice: 'aid' }, { text: nik }, { text: kk }, { text: born }]) {
    const res = await fetch(`${base}/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookieFor(chatId) },
      body: JSON.stringify(message),
    });
    expect(res.status).toBe(200);
    texts = ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
  }
  return texts;
}

async function startService(dataDir: string): Promise<ServiceProcess & { base: string }> {
  const svc = await startServiceProcess({ DATA_DIR: dataDir });
  await waitForStatus(`http://127.0.0.1:${svc.port}/health`, 200, START_WAIT_MS, svc.output);
  return Object.assign(svc, { base: `http://127.0.0.1:${svc.port}` });
}

async function stop(svc: ServiceProcess): Promise<void> {
  svc.child.kill('SIGTERM');
  expect(await svc.exited, svc.output()).toBe(0);
}

describe('the lock on DATA_DIR', () => {
  it('is taken once: a second take is refused, and after release it is free again, with no files left', async () => {
    const dir = tempDir('pintu-lock-');
    const first = await takeOwnership(dir, 'npm run import');
    expect(first).not.toBeNull();
    try {
      expect(await takeOwnership(dir, 'npm run cli')).toBeNull();
      // The same directory by another name is the same lock.
      const link = join(tempDir('pintu-link-'), 'data');
      symlinkSync(dir, link);
      expect(await takeOwnership(`${link}/`, 'npm run cli')).toBeNull();

      expect(JSON.parse(readFileSync(join(dir, 'pintu.lock'), 'utf8'))).toMatchObject({ pid: process.pid, role: 'npm run import' });
      expect(statSync(join(dir, 'control.token')).mode & 0o777).toBe(0o600);
    } finally {
      await first!.release();
    }
    expect(existsSync(join(dir, 'pintu.lock'))).toBe(false);
    expect(existsSync(join(dir, 'control.token'))).toBe(false);
    const again = await takeOwnership(dir, 'npm run cli');
    expect(again).not.toBeNull();
    await again!.release();
  });

  it('answers only a request that carries the token', async () => {
    const dir = tempDir('pintu-lock-');
    const owner = (await takeOwnership(dir, 'npm run seed'))!;
    try {
      const token = readFileSync(join(dir, 'control.token'), 'utf8').trim();
      const ask = (headers: Record<string, string>) => unixGet(owner.address.path, '/holder', headers);
      expect((await ask({})).status).toBe(403);
      expect((await ask({ authorization: 'Bearer 0123' })).status).toBe(403);
      const ok = await ask({ authorization: `Bearer ${token}` });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toMatchObject({ pid: process.pid, role: 'npm run seed' });
    } finally {
      await owner.release();
    }
  });

  it('is freed by the kernel when its holder is killed with SIGKILL', async () => {
    const dir = tempDir('pintu-lock-');
    const child = spawn(
      process.execPath,
      [
        '--import',
        TSX_LOADER,
        '--input-type=module',
        '-e',
        `import { takeOwnership } from ${JSON.stringify(join(process.cwd(), 'src/app/embedded/owner.ts'))};
         const owner = await takeOwnership(process.env.DIR, 'npm run import');
         console.log(owner ? 'held' : 'refused');
         setInterval(() => {}, 1000);`,
      ],
      { env: { PATH: process.env.PATH ?? '', DIR: dir }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const first = await new Promise<string>((resolve) => child.stdout!.once('data', (d) => resolve(String(d).trim())));
      expect(first).toBe('held');
      expect(await takeOwnership(dir, 'npm run cli')).toBeNull();
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    // The killed holder left its files behind; they lock nobody out.
    expect(existsSync(join(dir, 'pintu.lock'))).toBe(true);
    const after = await takeOwnership(dir, 'npm run cli');
    expect(after).not.toBeNull();
    await after!.release();
  }, 30_000);
});

describe('a command when DATA_DIR is held by something other than a running service', () => {
  it('held by a command: one line naming it, exit 1; --help is not held up', async () => {
    const dir = tempDir('pintu-held-');
    const owner = (await takeOwnership(dir, 'npm run import'))!;
    try {
      const r = await runScript(CLI, ['create-user', '--email', 'x@y.test', '--role', 'operator'], { env: { DATA_DIR: dir } });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^pintu: ${dir} is in use by npm run import \\(pid ${process.pid}, since \\d\\d:\\d\\d\\); try again when it ends$`)),
      ]);
      // --help needs no database, so it is not held up.
      const help = await runScript(IMPORT, ['--help'], { env: { DATA_DIR: dir } });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: npm run import');
    } finally {
      await owner.release();
    }
    expect(existsSync(join(dir, 'pglite'))).toBe(false); // nothing opened a copy of the database
  }, 60_000);

  it('held by a process that does not answer: one line naming it, exit 1', async () => {
    const dir = tempDir('pintu-hung-');
    const sockets: Socket[] = [];
    const hung: Server = createNetServer((s) => sockets.push(s)); // accepts, never answers
    await listenOn(hung, (await lockAddress(dir)).path);
    writeFileSync(join(dir, 'pintu.lock'), JSON.stringify({ pid: 4242, role: 'npm start', startedAt: new Date().toISOString(), port: 3000 }));
    writeFileSync(join(dir, 'control.token'), 'whatever', { mode: 0o600 });
    try {
      const started = Date.now();
      const r = await runScript(IMPORT, ['registry', 'x.csv'], { env: { DATA_DIR: dir } });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^pintu: ${dir} is in use by npm start \\(pid 4242, port 3000, since \\d\\d:\\d\\d\\), which does not answer; `)),
      ]);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => hung.close(r));
    }
  }, 60_000);

  it('a connection that drops mid-command is reported as an unknown outcome, never as success', async () => {
    const dir = tempDir('pintu-drop-');
    const token = 'a'.repeat(64);
    writeFileSync(join(dir, 'control.token'), token, { mode: 0o600 });
    // A service that starts the command and dies halfway.
    const fake = createHttpServer((req, res) => {
      if (req.url === '/holder') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ pid: 4343, role: 'npm start', startedAt: new Date().toISOString(), port: 3001 }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"out":"Import #1 (registry) of x.csv in 0.1 s"}\n');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    await listenOn(fake, (await lockAddress(dir)).path);
    try {
      const r = await runScript(IMPORT, ['registry', 'x.csv'], { env: { DATA_DIR: dir } });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('Import #1 (registry) of x.csv in 0.1 s\n');
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^pintu: lost the connection to npm start \(pid 4343, .*unknown.*check in the console/)]);
    } finally {
      fake.closeAllConnections();
      await new Promise((r) => fake.close(r));
    }
  }, 60_000);
});

describe('one owner: the service runs the commands while it runs', () => {
  it('imports and creates a user through the running service, refuses a second service, and keeps it all over restarts', async () => {
    const dataDir = tempDir('pintu-owner-');
    const work = tempDir('pintu-owner-files-');
    writeFileSync(join(work, 'households.csv'), FIRST_FILE);
    mkdirSync(join(work, 'later'));
    writeFileSync(join(work, 'later', 'households.csv'), LATER_FILE);
    const env = { DATA_DIR: dataDir };

    // 1. The service owns DATA_DIR.
    let svc = await startService(dataDir);
    let operator: string;
    try {
      // 2. A second `npm start` on it is refused with one line naming the first.
      const second = await startServiceProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
      expect(await second.exited).toBe(1);
      expect(second.output().trim().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(`^pintu: start-up failed: DATA_DIR ${dataDir} is already in use by npm start \\(pid ${svc.child.pid}, port ${svc.port}, since \\d\\d:\\d\\d\\); stop it first or set another DATA_DIR$`),
        ),
      ]);

      // 3. The import runs in the service; the file is named relative to the command's own directory.
      const imported = await runScript(IMPORT, ['registry', 'households.csv'], { env, cwd: work });
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(/^Import #\d+ \(registry\) of households\.csv in [\d.]+ s\n +rows read +3\n +inserted +3\n/);
      expect(imported.stdout).toContain('households inserted 2');
      // A refusal is the same as when run directly, the file named as typed.
      const missing = await runScript(IMPORT, ['registry', 'missing.csv'], { env, cwd: work });
      expect(missing).toEqual({ code: 1, stdout: '', stderr: 'import: no such file: missing.csv\n' });

      // 4. So does create-user; the password is printed here.
      const created = await runScript(CLI, ['create-user', '--email', 'x@y.z', '--role', 'operator'], { env });
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      operator = passwordIn(created.stdout)!;
      expect(operator).toBeDefined();

      // 5. The service sees both at once: the web chat finds the resident, the new operator signs in.
      const check = await aidCheck(svc.base, HEAD.nik, HEAD.kk, HEAD.born);
      expect(check).toContain(FOUND);
      expect(check).toContain(NO_PHONE);
      expect(await signsIn(svc.base, 'x@y.z', operator)).toBe(true);
      expect(svc.output()).toContain('running a command for a terminal');
    } finally {
      await stop(svc);
    }
    expect(existsSync(join(dataDir, 'pintu.lock'))).toBe(false);

    // 6. With no service, a command opens DATA_DIR itself...
    const alone = await runScript(IMPORT, ['registry', join('later', 'households.csv')], { env, cwd: work });
    expect(alone.stderr).toBe('');
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('households inserted 1');
    expect(existsSync(join(dataDir, 'pintu.lock'))).toBe(false); // ...and lets go of it when done

    // 7. After a restart everything is there: both imports and the user.
    svc = await startService(dataDir);
    try {
      expect(await signsIn(svc.base, 'x@y.z', operator)).toBe(true);
      expect(await aidCheck(svc.base, HEAD.nik, HEAD.kk, HEAD.born)).toContain(FOUND);
      // The later import's family, by its own KK number.
      expect(await aidCheck(svc.base, LATER.nik, LATER.kk, LATER.born)).toContain(FOUND);
    } finally {
      await stop(svc);
    }
  }, 150_000);
});

function unixGet(socketPath: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function listenOn(server: Server | ReturnType<typeof createHttpServer>, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
}
