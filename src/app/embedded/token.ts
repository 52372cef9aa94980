import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './write-file.ts';

// An abstract socket has no file permissions: any process on the machine could connect to it. So the holder
// writes a fresh random token to DATA_DIR/control.token, readable by its owner only, and answers only requests
// that carry it. Whoever can read DATA_DIR could open the database anyway; nobody else can run a command.

export const tokenFile = (dataDir: string) => join(dataDir, 'control.token');

export const newToken = () => randomBytes(32).toString('hex');

export async function writeToken(dataDir: string, token: string): Promise<void> {
  await writeFileAtomic(tokenFile(dataDir), `${token}\n`, 0o600);
}

export async function readToken(dataDir: string): Promise<string> {
  return (await readFile(tokenFile(dataDir), 'utf8')).trim();
}

export async function removeToken(dataDir: string): Promise<void> {
  await unlink(tokenFile(dataDir)).catch(() => {});
}

/** Constant-time, so the answer's timing tells nothing about how much of a guess was right. */
export function tokenMatches(expected: string, header: string | undefined): boolean {
  const m = /^Bearer (\S+)$/.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(m[1]!);
  return a.length === b.length && timingSafeEqual(a, b);
}
