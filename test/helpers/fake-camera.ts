import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

/**
 * A video file Chromium plays as its camera (`--use-file-for-fake-video-capture`): a white frame with the QR
 * code of `text` in the middle, in the plain Y4M format (greyscale 4:2:0), a few identical frames.
 */
export function writeQrVideo(path: string, text: string, opts: { width?: number; height?: number; scale?: number; frames?: number } = {}): void {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  const scale = opts.scale ?? 8;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const side = (size + 8) * scale; // four modules of quiet zone each side
  const left = Math.floor((width - side) / 2) + 4 * scale;
  const top = Math.floor((height - side) / 2) + 4 * scale;
  const luma = Buffer.alloc(width * height, 235); // white
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!qr.modules.get(y, x)) continue;
      for (let dy = 0; dy < scale; dy++) luma.fill(16, (top + y * scale + dy) * width + left + x * scale, (top + y * scale + dy) * width + left + (x + 1) * scale);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128); // no colour
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(path, Buffer.concat([header, ...Array.from({ length: opts.frames ?? 10 }, () => frame)]));
}
