// What is said to a resident, whatever the channel: the conversation engine's replies, the notices services
// queue, and the rows the outbox holds all have these shapes. Channels render them their way.

export interface Option {
  id: string;
  label: string;
  /**
   * Asks the resident to share their own phone number (Telegram's request_contact keyboard button). Channels
   * that cannot do that leave the option out.
   */
  requestPhone?: boolean;
}

/** One message to the resident; channels render options as buttons or a numbered list. */
export interface Reply {
  text: string;
  options?: Option[];
  /**
   * An invitation code whose QR image goes with this message (OutboundMessage.qrCode): drawn by the outbox
   * dispatcher for channels it sends to, and by the web chat's route for answers it returns inline.
   */
  qrCode?: string;
}

/**
 * What is stored in `outbox.payload` and handed to a channel to send. Channels render it their way:
 * inline keyboards (Telegram), numbered lists (WhatsApp Web), interactive buttons or lists (Cloud API).
 */
export interface OutboundMessage {
  text: string;
  options?: Option[];
  /** An image to send with the text as caption, e.g. an invitation's QR code (PNG, base64). */
  image?: { pngBase64: string; fileName?: string };
  /**
   * An invitation code whose QR image the dispatcher draws into `image` just before sending. Stored instead
   * of the PNG, so a city-wide round of 100,000 invitations queues in seconds and the outbox stays small.
   */
  qrCode?: string;
  /** A document, e.g. a receipt PDF. */
  document?: { base64: string; mimeType: string; fileName: string };
  /**
   * For WhatsApp Cloud outside the 24-hour window, where only approved templates may be sent: which kind of
   * template (names are settings) and its body parameters. Absent on ordinary replies.
   */
  template?: {
    kind: 'notice' | 'invitation' | 'reminder' | 'code';
    params: string[];
    /** The approved template chosen for this message (an event's invitation template); else the kind's setting. */
    name?: string;
    language?: string;
    /** How many quick-reply buttons the chosen template has: they answer with the first options' ids. */
    quickReplies?: number;
  };
}

/** A translation function fixed to one language, as notices are written with. */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;
