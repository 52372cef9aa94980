import type { Context } from 'hono';
import type { AttachmentFile } from '../../../services/complaints/attachments.ts';
import { exportFile, type ExportFormat } from '../../../services/exports/file.ts';
import type { Sheet } from '../../../domain/csv.ts';

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

/**
 * An export (the complaints list, the meeting's sheet, a paper list, findings) as a download, in the console
 * and the API alike: always an attachment under a name of ours, never sniffed, never cached (the sheets hold
 * personal data, some of them full NIK and KK). `out.csv` is the CSV the service already wrote; XLSX is built
 * from the same sheet. Headers set on `c` before (the API's X-Truncated) are kept.
 */
export async function exportResponse(c: Context, out: { sheet: Sheet; csv: string }, format: ExportFormat, baseName: string): Promise<Response> {
  return attachmentResponse(c, await exportFile(out, format, baseName));
}

/** A file of ours (an export, the SK's PDF) as a download, with the headers every export carries. */
export function attachmentResponse(c: Context, file: { body: string | Uint8Array<ArrayBuffer>; contentType: string; fileName: string }): Response {
  return c.body(file.body, 200, {
    'Content-Type': file.contentType,
    'Content-Disposition': `attachment; filename="${file.fileName}"`,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
  });
}
