import type { Channel } from '../../domain/vocabulary.ts';

// What the attachments job (attachments.ts) needs from a channel to get a resident's file back: the job
// owns when and what is stored, each channel (channels/*/media.ts) owns how its provider is asked.

export type FetchResult =
  | { ok: true; bytes: Buffer; /** What the provider says; the stored type comes from the bytes. */ mimeType?: string; fileName?: string }
  /** `permanent`: trying again cannot help (unknown or expired file id, a file over the limit). */
  | { ok: false; reason: string; permanent: boolean };

/** One channel's way to get a file back by the id its provider gave (`attachments.ref`). */
export interface MediaFetcher {
  readonly channel: Channel;
  /** False while this process cannot fetch (WhatsApp Web held by another process); rows wait for one that can. */
  ready?(): boolean;
  fetch(ref: string): Promise<FetchResult>;
}

/** Fetchers by channel, keeping only the ones that can fetch in this process now. */
export function readyFetchers(fetchers: readonly MediaFetcher[]): Map<Channel, MediaFetcher> {
  return new Map(fetchers.filter((f) => f.ready?.() ?? true).map((f) => [f.channel, f]));
}
