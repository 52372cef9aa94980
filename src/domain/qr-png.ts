// The QR image of an invitation code, as a PNG for OutboundMessage.image. The `qrcode` package computes the
// modules; the PNG is written here (1-bit greyscale, one deflate call) because the package's own PNG path
// takes about a millisecond per image, which is minutes for a city-wide invitation round.

import { crc32, deflateSync } from 'node:zlib';
import QRCode from 'qrcode';

const SCALE = 6; // pixels per module: scannable from a phone screen held up to another phone
const MARGIN = 4; // the quiet zone the QR standard asks for

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

const whites = new Map<number, Buffer>();
function whiteRow(stride: number): Buffer {
  let w = whites.get(stride);
  if (!w) whites.set(stride, (w = Buffer.alloc(stride, 0xff)));
  return w;
}

/** PNG bytes of the QR code for `text`. */
export function qrPng(text: string): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M', maskPattern: 0 as QRCode.QRCodeMaskPattern });
  const size = qr.modules.size;
  const px = (size + 2 * MARGIN) * SCALE;
  const stride = Math.ceil(px / 8);
  const raw = Buffer.allocUnsafe((stride + 1) * px);
  const white = whiteRow(stride);
  // 1-bit greyscale, 1 is white. One pixel row per module row, copied SCALE times; filter byte 0 (none).
  const line = Buffer.alloc(stride);
  for (let y = 0; y < px; y++) {
    const my = Math.floor(y / SCALE) - MARGIN;
    raw[y * (stride + 1)] = 0; // filter: none
    const at = y * (stride + 1) + 1;
    if (my < 0 || my >= size) {
      white.copy(raw, at);
      continue;
    }
    if (y % SCALE === 0) {
      white.copy(line);
      for (let mx = 0; mx < size; mx++) {
        if (!qr.modules.data[my * size + mx]) continue;
        for (let x = (mx + MARGIN) * SCALE, end = x + SCALE; x < end; x++) line[x >> 3]! &= ~(0x80 >> (x & 7));
      }
    }
    line.copy(raw, at);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(px, 0);
  ihdr.writeUInt32BE(px, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 6, memLevel: 2, windowBits: 10 })), chunk('IEND', Buffer.alloc(0))]);
}

export function qrPngBase64(text: string): string {
  return qrPng(text).toString('base64');
}
