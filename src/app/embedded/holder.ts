import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './write-file.ts';

// Who holds DATA_DIR. The socket is the lock; this file (DATA_DIR/pintu.lock) only lets a refusal name the
// holder when the holder cannot be asked (it hangs, or the caller may not read its token). It is written after
// the socket is bound and removed before it is let go, so while the socket is held the file is the holder's.
// A holder killed hard leaves the file behind; the next holder overwrites it, and nobody reads it unless the
// socket is held, so a stale file never locks anyone out.

export interface HolderInfo {
  pid: number;
  /** `npm start`, `npm run import`, ... */
  role: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** The service's HTTP port, once it listens. */
  port?: number;
}

export const holderFile = (dataDir: string) => join(dataDir, 'pintu.lock');

export async function writeHolderFile(dataDir: string, info: HolderInfo): Promise<void> {
  await writeFileAtomic(holderFile(dataDir), `${JSON.stringify(info)}\n`, 0o644);
}

export async function readHolderFile(dataDir: string): Promise<HolderInfo | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(holderFile(dataDir), 'utf8'));
    return isHolderInfo(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export async function removeHolderFile(dataDir: string): Promise<void> {
  await unlink(holderFile(dataDir)).catch(() => {});
}

export function isHolderInfo(v: unknown): v is HolderInfo {
  if (typeof v !== 'object' || v === null) return false;
  const h = v as Record<string, unknown>;
  return (
    Number.isSafeInteger(h.pid) &&
    typeof h.role === 'string' &&
    typeof h.startedAt === 'string' &&
    (h.port === undefined || Number.isSafeInteger(h.port))
  );
}

/** "npm start (pid 1234, port 3000, since 16:02)": the holder as an operator needs it to find it. */
export function describeHolder(info: HolderInfo | undefined): string {
  if (!info) return 'another process (it did not say which)';
  const parts = [`pid ${info.pid}`];
  if (info.port !== undefined) parts.push(`port ${info.port}`);
  const since = sinceText(info.startedAt);
  if (since) parts.push(`since ${since}`);
  return `${info.role} (${parts.join(', ')})`;
}

// The operator's own clock: the time of day when it is today, with the date when it is not.
function sinceText(iso: string, now = new Date()): string | undefined {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  const sameDay = at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
  return sameDay ? time : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}
