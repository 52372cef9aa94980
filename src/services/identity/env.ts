import type { Channel, Locale } from '../../domain/vocabulary.ts';
import type { Translator } from '../../i18n.ts';
import type { IdentityLimits } from '../../config.ts';

export { DEFAULT_IDENTITY_LIMITS, type IdentityLimits } from '../../config.ts';

// What the identity services need from the running service besides the database: how to speak to a chat
// other than the one asking (the household's other chats and its registry phone are told of a new link),
// which channel reaches a registry phone, and the lookup limits. Settings, fixed at start-up.

export interface IdentityEnv {
  i18n: Translator;
  defaultLocale: Locale;
  /**
   * The channel that reaches a registry phone: WhatsApp Cloud, else WhatsApp Web, else the demo phone page on
   * the embedded demo; null when none is on (then only the in-person proof is offered).
   */
  phoneChannel: Extract<Channel, 'whatsapp_cloud' | 'whatsapp_web' | 'demo_phone'> | null;
  limits: IdentityLimits;
}
