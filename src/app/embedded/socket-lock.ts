import { unlink } from 'node:fs/promises';
import { connect, type Server } from 'node:net';
import type { LockAddress } from './address.ts';

// Taking the lock is binding the socket: it either succeeds (ours until we close it or die) or fails with
// EADDRINUSE (someone holds it). Nothing is checked first and taken later, so two processes starting at the
// same instant cannot both win.

/** Binds `server` to the lock. True when it is ours; false when another process holds it. */
export async function bindLock(server: Server, address: LockAddress): Promise<boolean> {
  if (await listen(server, address.path)) return true;
  if (!address.isFile) return false;
  // A socket file outlives a holder that was killed. It is stale when nothing accepts on it; then it is
  // removed and bound again. (Two processes doing this at once: one binds, the other gets EADDRINUSE.)
  if (await accepts(address.path)) return false;
  await unlink(address.path).catch(() => {});
  return listen(server, address.path);
}

function listen(server: Server, path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') resolve(false);
      else reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(path);
  });
}

/** True when a process accepts connections on the lock: it is held. */
export function accepts(path: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (held: boolean) => {
      socket.destroy();
      resolve(held);
    };
    socket.setTimeout(timeoutMs, () => done(true)); // something holds the name, even if it is slow to accept
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
