import type { FetchResult } from '../services/complaints/media-fetcher.ts';
import { MAX_ATTACHMENT_BYTES, REFUSED } from '../domain/attachments.ts';

export * from '../domain/attachments.ts';

// Files residents send (complaint photos, surat kuasa) are fetched from the channel's provider after the
// conversation has moved on, by a job (services/complaints/attachments.ts) through the contract in
// services/complaints/media-fetcher.ts. This file holds what every channel's fetcher shares: the limits,
// the content check, and a download that stops at the limit.

export const DOWNLOAD_TIMEOUT_MS = 60_000;

/**
 * GETs a file, reading at most MAX_ATTACHMENT_BYTES (+1 to notice more): a provider that sends a larger
 * file than it declared is cut off instead of filling memory. HTTP errors come back as reasons: 4xx
 * permanent except 401/403/408/429 (the token or the moment, not the file), everything else passing.
 */
export async function download(url: string, init: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<FetchResult> {
  let res: Response;
  try {
    res = await fetch(url, { headers: init.headers, signal: AbortSignal.timeout(init.timeoutMs ?? DOWNLOAD_TIMEOUT_MS), redirect: 'follow' });
  } catch (err) {
    return { ok: false, reason: err instanceof Error && err.name === 'TimeoutError' ? 'network: timeout' : 'network: error', permanent: false };
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    return { ok: false, reason: `download: HTTP ${res.status}`, permanent: isPermanentStatus(res.status) };
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_ATTACHMENT_BYTES) {
    await res.body?.cancel().catch(() => {});
    return { ok: false, reason: `${REFUSED.tooLarge}: ${declared} bytes`, permanent: true };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body?.getReader();
  try {
    for (;;) {
      const { done, value } = reader ? await reader.read() : { done: true as const, value: undefined };
      if (done || !value) break;
      total += value.byteLength;
      if (total > MAX_ATTACHMENT_BYTES) {
        await reader!.cancel().catch(() => {});
        return { ok: false, reason: `${REFUSED.tooLarge}: more than ${MAX_ATTACHMENT_BYTES} bytes`, permanent: true };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: 'network: download interrupted', permanent: false };
  }
  return { ok: true, bytes: Buffer.concat(chunks), ...(res.headers.get('content-type') ? { mimeType: res.headers.get('content-type')! } : {}) };
}

export function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status);
}
