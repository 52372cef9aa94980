import { qrPngBase64 } from '../domain/qr-png.ts';
import type { OutboundMessage } from '../messages/types.ts';

/** Draws what a payload stores by reference (an invitation's QR code) into the image a channel sends. */
export function withImages(message: OutboundMessage): OutboundMessage {
  if (!message.qrCode || message.image) return message;
  return { ...message, image: { pngBase64: qrPngBase64(message.qrCode), fileName: `undangan-${message.qrCode}.png` } };
}
