import type { Channel } from '../../domain/vocabulary.ts';

// What the outreach services need from the running service: which channel reaches a registry phone (the
// same one identity codes go through) and, on the WhatsApp Cloud API, the default templates and Meta's daily
// limit of new conversations. Settings, fixed at start-up (app/compose.ts). Absent: the office writes first
// to nobody, and households without a linked chat are invited on paper, as before.

export type PhoneChannel = Extract<Channel, 'whatsapp_cloud' | 'whatsapp_web' | 'demo_phone'>;

export interface OutreachEnv {
  phoneChannel: PhoneChannel | null;
  cloud?: {
    /** WHATSAPP_CLOUD_TEMPLATE_LANGUAGE: the language of the templates written first to a registry phone. */
    templateLanguage: string;
    /** The setting's template per kind, used when an event chose none. */
    templates: { invitation: string; reminder: string; notice: string };
    /** WHATSAPP_CLOUD_DAILY_NEW_CONVERSATIONS */
    dailyNewConversations: number;
  };
}
