import postgres from 'postgres';
import type { Database } from '../../db/client.ts';

/**
 * Who may run the WhatsApp Web client. A linked device is one browser session: two processes driving it at
 * once fight over it (WhatsApp logs one out, or both answer the same resident). Processes that do not hold the
 * lock leave WhatsApp alone and keep asking; when the holder stops or dies, the next one takes over.
 */
export interface SessionLock {
  /** Tries once, without waiting; true when this process holds the session now. */
  tryAcquire(): Promise<boolean>;
  /** Still ours? A dropped database connection silently takes a Postgres advisory lock with it. */
  isHeld(): Promise<boolean>;
  release(): Promise<void>;
}

// Any fixed number works; it only has to be the same in every Pintu process (the migrations use 727_001).
export const WHATSAPP_WEB_LOCK_KEY = 727_002;

export interface SessionLockOptions {
  key?: number;
  /** The database URL for the lock's own connection; by default the settings of the database's pool are reused. */
  url?: string;
}

/** A session-level advisory lock on one dedicated connection; on PGlite (one process) it is always ours. */
export function createSessionLock(database: Database, opts: SessionLockOptions = {}): SessionLock {
  if (database.raw.kind === 'pglite') return singleProcessLock();
  return advisoryLock(database.raw.sql, opts.key ?? WHATSAPP_WEB_LOCK_KEY, opts.url);
}

function singleProcessLock(): SessionLock {
  let held = false;
  return {
    async tryAcquire() {
      held = true;
      return true;
    },
    isHeld: async () => held,
    async release() {
      held = false;
    },
  };
}

function advisoryLock(pool: postgres.Sql, key: number, url: string | undefined): SessionLock {
  let conn: postgres.Sql | undefined;
  let held = false;

  // An advisory lock belongs to the database session that took it, so every statement about it goes through
  // one client of one connection of its own (a pooled query could land anywhere). Not a connection reserved
  // from the pool: postgres.js throws an uncaught error when a reserved connection is used after the server
  // dropped it, whereas a client of its own reconnects, and the check below then sees the lock is gone.
  function open(): postgres.Sql {
    // Never recycle the connection (postgres.js does after 30–60 minutes by default): that would drop the lock.
    const own = { max: 1, max_lifetime: null, idle_timeout: 0, connect_timeout: 10, onnotice: () => {} };
    if (url) return postgres(url, own);
    const o = pool.options;
    return postgres({
      host: o.host as unknown as string,
      port: o.port as unknown as number,
      path: o.path || undefined,
      database: o.database,
      user: o.user,
      pass: o.pass,
      ssl: o.ssl,
      connection: o.connection,
      target_session_attrs: o.target_session_attrs,
      ...own,
    } as unknown as postgres.Options<Record<string, never>>);
  }

  async function drop() {
    const c = conn;
    conn = undefined;
    held = false;
    // Nothing is pending on it (every query was awaited), and a broken connection would not end gracefully.
    await c?.end({ timeout: 0 }).catch(() => {});
  }

  async function isHeld(): Promise<boolean> {
    if (!conn || !held) return false;
    try {
      // A bigint key is stored as classid (high 32 bits) + objid (low 32 bits), objsubid 1.
      const [row] = await conn<{ held: boolean }[]>`
        select exists (
          select 1 from pg_locks
          where locktype = 'advisory' and granted and pid = pg_backend_pid()
            and classid = ${Math.floor(key / 2 ** 32)} and objid = ${key % 2 ** 32} and objsubid = 1
        ) as held`;
      if (row?.held === true) return true;
    } catch {
      // The connection is gone, and the lock with it.
    }
    await drop();
    return false;
  }

  return {
    isHeld,
    async tryAcquire() {
      if (held && (await isHeld())) return true;
      try {
        conn ??= open();
        const [row] = await conn<{ ok: boolean }[]>`select pg_try_advisory_lock(${key}) as ok`;
        held = row?.ok === true;
      } catch {
        held = false;
      }
      // On standby the connection goes back: a waiting process should not keep one of the pool's few.
      if (!held) await drop();
      return held;
    },
    async release() {
      if (conn && held) await conn`select pg_advisory_unlock(${key})`.catch(() => {});
      await drop();
    },
  };
}
