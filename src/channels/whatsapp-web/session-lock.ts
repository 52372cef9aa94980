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
  /**
   * A database URL for a client of its own. Without it, one connection is reserved from the database's pool
   * for as long as the lock is held (and given back while on standby).
   */
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

interface Connection {
  query: postgres.Sql | postgres.ReservedSql;
  close(): Promise<void>;
}

function advisoryLock(pool: postgres.Sql, key: number, url: string | undefined): SessionLock {
  let conn: Connection | undefined;
  let held = false;

  // An advisory lock belongs to the database session that took it, so every statement about it must go
  // through the same connection: a pooled query could land anywhere.
  async function open(): Promise<Connection> {
    if (url) {
      const own = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
      return { query: own, close: () => own.end({ timeout: 5 }) };
    }
    const reserved = await pool.reserve();
    return { query: reserved, close: async () => reserved.release() };
  }

  async function drop() {
    const c = conn;
    conn = undefined;
    held = false;
    await c?.close().catch(() => {});
  }

  async function isHeld(): Promise<boolean> {
    if (!conn || !held) return false;
    try {
      // A bigint key is stored as classid (high 32 bits) + objid (low 32 bits), objsubid 1.
      const [row] = await conn.query<{ held: boolean }[]>`
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
        conn ??= await open();
        const [row] = await conn.query<{ ok: boolean }[]>`select pg_try_advisory_lock(${key}) as ok`;
        held = row?.ok === true;
      } catch {
        held = false;
      }
      // On standby the connection goes back: a waiting process should not keep one of the pool's few.
      if (!held) await drop();
      return held;
    },
    async release() {
      if (conn && held) await conn.query`select pg_advisory_unlock(${key})`.catch(() => {});
      await drop();
    },
  };
}
