/**
 * Just enough of PNG to count the pixels of a screenshot that are not the page background: the chunks,
 * the zlib stream and the five scanline filters (RGB and RGBA, 8 bits per channel, as browsers write them).
 */
import { inflateSync } from 'node:zlib';

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  data: Uint8Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes an 8-bit RGB or RGBA, non-interlaced PNG; throws on anything else. */
export function decodePng(png: Uint8Array): Pixels {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  while (offset < png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      const depth = body[8];
      const colour = body[9];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || body[12] !== 0) throw new Error('unsupported PNG');
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] ?? 0;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const current = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (current[x - channels] ?? 0) : 0;
      const b = previous[x] ?? 0;
      const c = x >= channels ? (previous[x - channels] ?? 0) : 0;
      const value = line[x] ?? 0;
      const predicted = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter] ?? 0;
      current[x] = (value + predicted) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      out[(y * width + x) * 4] = current[x * channels] ?? 0;
      out[(y * width + x) * 4 + 1] = current[x * channels + 1] ?? 0;
      out[(y * width + x) * 4 + 2] = current[x * channels + 2] ?? 0;
      out[(y * width + x) * 4 + 3] = channels === 4 ? (current[x * channels + 3] ?? 255) : 255;
    }
    previous = current;
  }
  return { width, height, data: out };
}

/** The share of pixels that differ from the top-left pixel (the background). */
export function inkShare(pixels: Pixels): number {
  const [r, g, b] = [pixels.data[0], pixels.data[1], pixels.data[2]];
  let ink = 0;
  for (let i = 0; i < pixels.data.length; i += 4) {
    if (pixels.data[i] !== r || pixels.data[i + 1] !== g || pixels.data[i + 2] !== b) ink += 1;
  }
  return ink / (pixels.width * pixels.height);
}
