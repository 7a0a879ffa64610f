/**
 * Which text encoding an input is in, from its first bytes, whatever the chunking: a byte-order mark
 * (UTF-8, UTF-16, UTF-32), else UTF-16 or UTF-32 without one when the zero bytes of the head fall in
 * their pattern (ASCII text in UTF-16LE has a zero at every odd byte), else UTF-8. The decision needs at
 * most {@link ENCODING_HEAD_BYTES} bytes, and only when the first bytes hold a zero or start like a mark:
 * UTF-8 text is decided on its first two bytes, so a live log is never held back.
 */
import { TextDecoder } from 'node:util';

/** Bytes looked at to recognise UTF-16 or UTF-32 without a byte-order mark. */
export const ENCODING_HEAD_BYTES = 512;

/** A streaming decoder of one encoding. */
export interface Decoder {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';
  /** Whether the input carried a byte-order mark (stripped). */
  bom: boolean;
  decode(bytes: Uint8Array, stream: boolean): string;
}

/**
 * The encoding of an input from its first bytes; null while more bytes are needed (`complete`: these are
 * all the bytes there are). `skip` is the length of the byte-order mark.
 */
export function detectEncoding(
  head: Uint8Array,
  complete: boolean,
): { encoding: Decoder['encoding']; skip: number } | null {
  const [a, b, c, d] = head;
  const n = head.length;
  if (n < 4 && !complete && startsLikeMark(head)) return null;
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return { encoding: 'utf-32le', skip: 4 };
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', skip: 4 };
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', skip: 2 };
  if (n < 2 && !complete) return null;
  if (a !== 0 && b !== 0) return { encoding: 'utf-8', skip: 0 };
  if (n < ENCODING_HEAD_BYTES && !complete) return null;
  return { encoding: zeroPattern(head), skip: 0 };
}

/** The first bytes could still be the start of a byte-order mark. */
function startsLikeMark(head: Uint8Array): boolean {
  const marks = [
    [0xef, 0xbb, 0xbf],
    [0xff, 0xfe, 0, 0],
    [0xfe, 0xff],
    [0, 0, 0xfe, 0xff],
  ];
  return marks.some((mark) => head.every((byte, i) => i >= mark.length || mark[i] === byte));
}

/**
 * UTF-16/32 without a mark: text of mostly ASCII characters has zero bytes in fixed positions of each
 * unit. The pattern must be nearly perfect, so binary data (whose zero bytes fall anywhere) stays binary.
 */
function zeroPattern(head: Uint8Array): Decoder['encoding'] {
  const n = Math.min(head.length, ENCODING_HEAD_BYTES) & ~3;
  if (n < 4) return 'utf-8';
  const zeros = [0, 0, 0, 0];
  for (let i = 0; i < n; i += 1) if (head[i] === 0) zeros[i & 3] = (zeros[i & 3] ?? 0) + 1;
  const units = n / 4;
  const [z0, z1, z2, z3] = zeros as [number, number, number, number];
  const all = (count: number): boolean => count >= units * 0.9;
  const none = (count: number): boolean => count <= units * 0.1;
  if (all(z1) && all(z2) && all(z3) && none(z0)) return 'utf-32le';
  if (all(z0) && all(z1) && all(z2) && none(z3)) return 'utf-32be';
  if (all(z1) && all(z3) && none(z0) && none(z2)) return 'utf-16le';
  if (all(z0) && all(z2) && none(z1) && none(z3)) return 'utf-16be';
  return 'utf-8';
}

/** A streaming decoder for `encoding`; invalid sequences become U+FFFD. */
export function createDecoder(encoding: Decoder['encoding'], bom: boolean): Decoder {
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return utf32Decoder(encoding, bom);
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  return {
    encoding,
    bom,
    decode: (bytes, stream) => decoder.decode(bytes, { stream }),
  };
}

/**
 * UTF-32 (WHATWG's TextDecoder has none): four bytes a code point, written as UTF-16 units and decoded as
 * such; a partial unit is held for the next chunk.
 */
function utf32Decoder(encoding: 'utf-32le' | 'utf-32be', bom: boolean): Decoder {
  let held = new Uint8Array(0);
  const little = encoding === 'utf-32le';
  const utf16 = new TextDecoder('utf-16le');
  return {
    encoding,
    bom,
    decode(bytes: Uint8Array, stream: boolean): string {
      let data = bytes;
      if (held.length > 0) {
        data = new Uint8Array(held.length + bytes.length);
        data.set(held, 0);
        data.set(bytes, held.length);
      }
      const whole = data.length & ~3;
      const units = new Uint16Array(whole / 2);
      let k = 0;
      for (let i = 0; i < whole; i += 4) {
        const b0 = data[i] ?? 0;
        const b1 = data[i + 1] ?? 0;
        const b2 = data[i + 2] ?? 0;
        const b3 = data[i + 3] ?? 0;
        let code = little
          ? (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0
          : ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) code = 0xfffd;
        if (code >= 0x10000) {
          code -= 0x10000;
          units[k++] = 0xd800 + (code >> 10);
          units[k++] = 0xdc00 + (code & 0x3ff);
        } else units[k++] = code;
      }
      held = data.slice(whole);
      let text = utf16.decode(units.subarray(0, k));
      if (!stream && held.length > 0) {
        held = new Uint8Array(0);
        text += '\uFFFD';
      }
      return text;
    },
  };
}
