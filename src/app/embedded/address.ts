import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';

// The name of DATA_DIR's lock. On Linux it is an abstract-namespace unix socket: binding it is atomic, only one
// process can hold it, and the kernel lets go of it when that process dies, however it dies (SIGKILL, power
// cut of the container), so there is no stale lock file to clean up and no window between "check" and "take".
// The name comes from the directory's real path, so `./data`, `data/` and `/srv/pintu/data` (or a symlink to
// it) are the same lock. Abstract names live in the network namespace: processes sharing DATA_DIR must share
// it too, which one machine's processes do.
// Elsewhere there are no abstract sockets: the lock is a socket file in DATA_DIR (see socket-lock.ts), or a
// named pipe on Windows, which the system also frees with its process.

export interface LockAddress {
  /** What net.Server.listen and http.request's socketPath take. */
  path: string;
  /** A socket file on disk, which a dead holder leaves behind (not Linux, not Windows). */
  isFile: boolean;
}

/** The lock of an existing DATA_DIR. */
export async function lockAddress(dataDir: string, platform: NodeJS.Platform = process.platform): Promise<LockAddress> {
  const real = await realpath(dataDir);
  const id = createHash('sha256').update(real).digest('hex').slice(0, 32);
  if (platform === 'linux') return { path: `\0pintu:${id}`, isFile: false };
  if (platform === 'win32') return { path: `\\\\?\\pipe\\pintu-${id}`, isFile: false };
  return { path: join(real, 'pintu.sock'), isFile: true };
}

/** The lock of DATA_DIR, or undefined when the directory does not exist (then nobody can hold it). */
export async function existingLockAddress(dataDir: string): Promise<LockAddress | undefined> {
  try {
    return await lockAddress(dataDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
