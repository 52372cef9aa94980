import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { secretsEqual } from '../../../services/staff/secrets.ts';
import type { ConsoleContext } from './session.ts';

// A console upload streamed to a temporary file: the form's fields, then one file written to `dir` as it
// arrives. The CSRF field must come before the file (the forms put it first), so not a byte of a forged
// upload is written; reading stops the moment the body passes `maxBytes` and its envelope.

export type Upload = { fields: ReadonlyMap<string, string>; file: { path: string; fileName: string } | null } | { error: 'csrf' | 'noFile' | 'tooLarge' };

/** Around the file: the boundaries, the part headers, the CSRF token and the other fields. */
export const ENVELOPE_BYTES = 64 * 1024;

class UploadTooLarge extends Error {}

export async function receiveUpload(c: ConsoleContext, dir: string, opts: { csrfToken: string; maxBytes: number }): Promise<Upload> {
  const body = c.req.raw.body;
  const type = c.req.header('content-type') ?? '';
  if (!body || !type.startsWith('multipart/form-data')) return { error: 'noFile' };
  const fields = new Map<string, string>();
  let file: { path: string; fileName: string } | null = null;
  let csrfFailed = false;
  // Loaded on the first upload: only staff importing a file need the multipart parser, not the inbound path.
  const { default: Busboy } = await import('busboy');
  const busboy = Busboy({ headers: { 'content-type': type }, limits: { files: 1, fields: 10, fileSize: opts.maxBytes } });
  let received = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      done(received > opts.maxBytes + ENVELOPE_BYTES ? new UploadTooLarge() : null, chunk);
    },
  });
  const writes: Promise<void>[] = [];
  busboy.on('field', (name, value) => fields.set(name, value.slice(0, 200)));
  busboy.on('file', (_name, stream, info) => {
    if (!secretsEqual(opts.csrfToken, fields.get('_csrf') ?? '')) {
      csrfFailed = true;
      stream.resume();
      return;
    }
    const path = join(dir, 'upload');
    file = { path, fileName: (info.filename || 'upload.csv').replace(/[^\w.\- ]+/g, '_').slice(0, 120) };
    stream.on('limit', () => counted.destroy(new UploadTooLarge()));
    writes.push(pipeline(stream, createWriteStream(path)));
  });
  try {
    await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream), counted, busboy);
  } catch (err) {
    await Promise.allSettled(writes);
    if (err instanceof UploadTooLarge) return { error: 'tooLarge' };
    throw err;
  }
  await Promise.all(writes);
  if (csrfFailed || !secretsEqual(opts.csrfToken, fields.get('_csrf') ?? '')) return { error: 'csrf' };
  return { fields, file };
}
