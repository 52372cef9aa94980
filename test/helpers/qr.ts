import * as jsqr from 'jsqr';

// jsqr is CommonJS: its default export is the decoder function.
const decode = (jsqr as unknown as { default: (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null }).default;

/** What a QR scanner reads from RGBA pixels, or null. */
export function readQr(rgba: Uint8ClampedArray, width: number, height: number): string | null {
  return decode(rgba, width, height)?.data ?? null;
}
