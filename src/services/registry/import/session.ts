import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Database } from '../../../db/client.ts';

// One transaction on either driver, with the three things an import needs: plain SQL, rows back, and
// COPY FROM STDIN. On PostgreSQL the rows stream through postgres.js's COPY writable. PGlite has no
// stdin, but reads COPY from a '/dev/blob' it is handed: the rows go in as blobs of a few megabytes,
// so COPY is still used there and the file never sits in memory whole.

export interface ImportSession {
  kind: Database['kind'];
  exec(text: string): Promise<void>;
  query<T extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** COPY text format lines (each ending in \n) into `table (columns)`. */
  copyIn(table: string, columns: readonly string[], chunks: AsyncIterable<string>): Promise<void>;
}

const PGLITE_BLOB_CHARS = 4 * 1024 * 1024;

export async function inTransaction<T>(database: Database, fn: (session: ImportSession) => Promise<T>): Promise<T> {
  const raw = database.raw;
  if (raw.kind === 'postgres') {
    return (await raw.sql.begin(async (tx) =>
      fn({
        kind: 'postgres',
        exec: async (text) => {
          await tx.unsafe(text);
        },
        query: async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
          (await tx.unsafe(text, params as never[])) as unknown as R[],
        copyIn: async (table, columns, chunks) => {
          const writable = await tx.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`).writable();
          await pipeline(Readable.from(chunks), writable);
        },
      }),
    )) as T;
  }
  return raw.pglite.transaction(async (tx) =>
    fn({
      kind: 'pglite',
      exec: async (text) => {
        await tx.exec(text);
      },
      query: async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await tx.query<R>(text, params)).rows,
      copyIn: async (table, columns, chunks) => {
        const copy = `copy ${table} (${columns.join(', ')}) from '/dev/blob'`;
        let parts: string[] = [];
        let size = 0;
        const flush = async () => {
          if (size === 0) return;
          await tx.query(copy, [], { blob: new Blob(parts) });
          parts = [];
          size = 0;
        };
        for await (const chunk of chunks) {
          parts.push(chunk);
          size += chunk.length;
          if (size >= PGLITE_BLOB_CHARS) await flush();
        }
        await flush();
      },
    }),
  );
}

/** A value in COPY's text format: \N for null, and backslash, tab and line breaks escaped. */
export function copyValue(v: string | number | boolean | null): string {
  if (v === null) return '\\N';
  if (typeof v !== 'string') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}

/** Joins rows of COPY text into chunks of about 64 KB, so the driver sees few, large writes. */
export async function* copyChunks(rows: AsyncIterable<string>): AsyncGenerator<string> {
  let buf = '';
  for await (const line of rows) {
    buf += line;
    if (buf.length >= 65_536) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
