import { mkdir } from 'node:fs/promises';
import { lockAddress, type LockAddress } from './address.ts';
import { createControlServer, type CommandRunner } from './control-server.ts';
import { removeHolderFile, writeHolderFile, type HolderInfo } from './holder.ts';
import { bindLock } from './socket-lock.ts';
import { newToken, removeToken, writeToken } from './token.ts';

// Holding DATA_DIR: the one process that may open its PGlite. Taking it binds the lock socket with the control
// server on it, then writes a fresh token and the holder file; letting go removes both files first and unbinds
// last, so no other process can take the lock while this one still has the database or the files.

export interface Ownership {
  readonly address: LockAddress;
  readonly info: HolderInfo;
  /** Records the service's HTTP port in the holder file and in /holder, for refusals to name it. */
  setPort(port: number): Promise<void>;
  /** The service: from now on `npm run import|cli|seed` run here. */
  serveCommands(run: CommandRunner): void;
  /** Stops taking commands and waits for the running ones. The lock is still held. */
  drain(): Promise<void>;
  /** Lets go of DATA_DIR. Call it after the database is closed. */
  release(): Promise<void>;
}

/** Takes DATA_DIR for `role`, or answers null when another process holds it. Creates DATA_DIR if needed. */
export async function takeOwnership(dataDir: string, role: string): Promise<Ownership | null> {
  await mkdir(dataDir, { recursive: true });
  const address = await lockAddress(dataDir);
  const info: HolderInfo = { pid: process.pid, role, startedAt: new Date().toISOString() };
  const token = newToken();
  const control = createControlServer({ token, holder: () => info });
  if (!(await bindLock(control.server, address))) return null;
  // Not a reason to keep a finished command alive: the entry point lets go explicitly.
  control.server.unref();

  let released: Promise<void> | undefined;
  const release = () =>
    (released ??= (async () => {
      await control.drain();
      await removeToken(dataDir);
      await removeHolderFile(dataDir);
      await new Promise<void>((resolve) => {
        control.server.close(() => resolve());
        control.server.closeAllConnections();
      });
    })());

  try {
    await writeToken(dataDir, token);
    await writeHolderFile(dataDir, info);
  } catch (e) {
    await release();
    throw e;
  }
  return {
    address,
    info,
    async setPort(port) {
      info.port = port;
      await writeHolderFile(dataDir, info);
    },
    serveCommands: (run) => control.serveCommands(run),
    drain: () => control.drain(),
    release,
  };
}
