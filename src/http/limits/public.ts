import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { PublicLimits } from '../../config.ts';
import { StreamSlots } from './streams.ts';

/** The public routes' counters of one app (one process), built once by composition from the settings. */
export interface PublicLimiters {
  settings: PublicLimits;
  /** Posts per client address and route family, a minute (rates.ts limitPosts). */
  posts: RateLimiterMemory;
  /** New web chats per client address, an hour (http/webchat/routes.ts). */
  newChats: RateLimiterMemory;
  /** Open live-update streams per chat, console session and client address (streams.ts). */
  streams: StreamSlots;
}

export function createPublicLimiters(settings: PublicLimits): PublicLimiters {
  return {
    settings,
    posts: new RateLimiterMemory({ keyPrefix: 'posts', points: settings.postsPerAddressMinute, duration: 60 }),
    newChats: new RateLimiterMemory({ keyPrefix: 'new-chats', points: settings.newChatsPerAddressHour, duration: 3600 }),
    streams: new StreamSlots(),
  };
}
