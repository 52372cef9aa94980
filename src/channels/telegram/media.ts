import { GrammyError } from 'grammy';
import type { Api } from 'grammy';
import { scrubDigits } from '../../log.ts';
import { download, MAX_ATTACHMENT_BYTES, REFUSED } from '../media.ts';
import type { FetchResult, MediaFetcher } from '../../services/complaints/media-fetcher.ts';
import { createTelegramApi, type TelegramConfig } from './sender.ts';

/**
 * A resident's photo or file back from Telegram by its file_id: `getFile` gives a path on the Bot API
 * server, then the bytes come from `<apiRoot>/file/bot<token>/<path>`. The cloud Bot API hands out files
 * up to 20 MB; ours stop at MAX_ATTACHMENT_BYTES, checked on the size getFile reports before downloading.
 */
export function createTelegramMediaFetcher(config: Pick<TelegramConfig, 'token' | 'apiRoot'>, opts: { api?: Api } = {}): MediaFetcher {
  const api = opts.api ?? createTelegramApi(config);
  return {
    channel: 'telegram',
    async fetch(ref: string): Promise<FetchResult> {
      let file;
      try {
        file = await api.getFile(ref);
      } catch (err) {
        if (err instanceof GrammyError) {
          // 400: a wrong or expired file_id, or a file too big for the Bot API. It stays that way.
          const reason = `telegram ${err.error_code}: ${scrubDigits(err.description)}`.slice(0, 300);
          return { ok: false, reason, permanent: err.error_code === 400 };
        }
        return { ok: false, reason: 'telegram: network error', permanent: false };
      }
      if (typeof file.file_size === 'number' && file.file_size > MAX_ATTACHMENT_BYTES) {
        return { ok: false, reason: `${REFUSED.tooLarge}: ${file.file_size} bytes`, permanent: true };
      }
      if (!file.file_path) return { ok: false, reason: 'telegram: getFile gave no file_path', permanent: false };
      // The token is part of the URL: never log it (download() reports only the status).
      return download(`${config.apiRoot}/file/bot${config.token}/${file.file_path}`);
    },
  };
}
