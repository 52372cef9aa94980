import type { Context } from 'hono';
import type { AttachmentFile } from '../../../services/complaints/attachments.ts';

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' };

/**
 * A resident's stored file (a complaint photo, a surat kuasa) as the console serves it: shown inline under a
 * safe name of ours (the resident's own file name could carry anything), never sniffed into another type,
 * never cached, and with a policy that lets it do nothing but be shown.
 */
export function fileResponse(c: Context, file: AttachmentFile, namePrefix: string): Response {
  return c.body(new Uint8Array(file.bytes), 200, {
    'Content-Type': file.mimeType,
    'Content-Length': String(file.bytes.byteLength),
    'Content-Disposition': `inline; filename="${namePrefix}-${file.id}.${EXTENSIONS[file.mimeType] ?? 'bin'}"`,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
}
