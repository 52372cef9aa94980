import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

// A PDF checked the way a reader sees it, with poppler (Debian's poppler-utils; .ci/run installs it): its
// text as pdftotext reads it, and its pages drawn as images by pdftoppm. A file that does not open fails both.

function withFile<T>(pdf: Uint8Array, work: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'pintu-pdf-'));
  try {
    const path = join(dir, 'doc.pdf');
    writeFileSync(path, pdf);
    return work(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The document's text, page after page (pages split by form feeds), in reading order. */
export function pdfText(pdf: Uint8Array): string {
  return withFile(pdf, (path) => execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }));
}

export interface RenderedPage {
  png: Buffer;
  width: number;
  height: number;
  /** Share of the page's pixels that are not white: a blank page is 0. */
  inked: number;
}

/** Each page drawn at `dpi` as a PNG, with how much of it is ink (grayscale decoded here). */
export function pdfPages(pdf: Uint8Array, dpi = 50): RenderedPage[] {
  return withFile(pdf, (path, dir) => {
    execFileSync('pdftoppm', ['-png', '-gray', '-r', String(dpi), path, join(dir, 'page')]);
    return readdirSync(dir)
      .filter((f) => f.startsWith('page') && f.endsWith('.png'))
      .sort()
      .map((f) => {
        const png = readFileSync(join(dir, f));
        return { png, ...inkOf(png) };
      });
  });
}

/** Decodes an 8-bit, non-interlaced PNG (what pdftoppm writes: gray or RGB) and counts the non-white pixels. */
function inkOf(png: Buffer): { width: number; height: number; inked: number } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (png[24] !== 8 || png[28] !== 0) throw new Error('pdfPages reads 8-bit non-interlaced PNGs only');
  const bpp = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[png[25]!];
  if (!bpp) throw new Error(`PNG colour type ${png[25]} not read here`);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rowBytes = width * bpp;
  let prev = new Uint8Array(rowBytes);
  let inked = 0;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)]!;
    const line = new Uint8Array(rowBytes);
    for (let i = 0; i < rowBytes; i++) {
      const v = raw[y * (rowBytes + 1) + 1 + i]!;
      const a = i >= bpp ? line[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = (v + predictor) & 0xff;
    }
    for (let x = 0; x < width; x++) if (line[x * bpp]! < 200) inked++;
    prev = line;
  }
  return { width, height, inked: inked / (width * height) };
}
