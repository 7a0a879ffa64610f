/**
 * Terminal layout of plain text: display widths (wide and zero-width characters), word wrapping with
 * hanging indents, truncation and padding. Every function works on text without escape codes; colour
 * is applied after layout.
 */

/** Display width of one code point: 0 for combining marks, 2 for East Asian wide and emoji. */
export function codePointWidth(cp: number): number {
  if (cp === 0x200b || (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Display width of a string without escape codes. */
export function displayWidth(text: string): number {
  // by UTF-16 unit: everything below U+0300 is one column, which is almost every character of a report
  let width = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x300) width += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      width += codePointWidth(text.codePointAt(i) ?? 0);
      i += 1;
    } else width += codePointWidth(unit);
  }
  return width;
}

/** Truncates to `room` display columns, ending in `…` when something was cut. */
export function fit(text: string, room: number): string {
  if (displayWidth(text) <= room) return text;
  if (room <= 0) return '';
  let out = '';
  let width = 0;
  for (const char of text) {
    const w = codePointWidth(char.codePointAt(0) ?? 0);
    if (width + w > room - 1) break;
    out += char;
    width += w;
  }
  return `${out}…`;
}

/** Truncates from the start, keeping the end (the distinguishing part of a path): `…/b/train.log`. */
export function fitStart(text: string, room: number): string {
  if (displayWidth(text) <= room) return text;
  if (room <= 0) return '';
  const chars = [...text];
  let out = '';
  let width = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const char = chars[i] ?? '';
    const w = codePointWidth(char.codePointAt(0) ?? 0);
    if (width + w > room - 1) break;
    out = char + out;
    width += w;
  }
  return `…${out}`;
}

/** Truncates in the middle, keeping the start and the end (`adam-optim…mnist.txt`). */
export function fitMiddle(text: string, room: number): string {
  if (displayWidth(text) <= room) return text;
  if (room <= 1) return fit(text, room);
  const head = Math.ceil((room - 1) / 2);
  const tail = room - 1 - head;
  const start = fit(text, head + 1).slice(0, -1);
  const end = tail === 0 ? '' : fitStart(text, tail + 1).slice(1);
  return `${start}…${end}`;
}

/** Pads to `room` display columns (left-aligned). */
export function pad(text: string, room: number): string {
  return text + ' '.repeat(Math.max(0, room - displayWidth(text)));
}

/** Pads to `room` display columns (right-aligned). */
export function padStart(text: string, room: number): string {
  return ' '.repeat(Math.max(0, room - displayWidth(text))) + text;
}

/** Splits a word wider than `room` into pieces that fit (a long path or URL). */
function breakWord(word: string, room: number): string[] {
  if (room <= 0 || displayWidth(word) <= room) return [word];
  const pieces: string[] = [];
  let piece = '';
  let width = 0;
  for (const char of word) {
    const w = codePointWidth(char.codePointAt(0) ?? 0);
    if (width + w > room && piece.length > 0) {
      pieces.push(piece);
      piece = '';
      width = 0;
    }
    piece += char;
    width += w;
  }
  if (piece.length > 0) pieces.push(piece);
  return pieces;
}

/**
 * Greedy word wrap: the first line starts with `first`, the others with `rest`; no line is wider than
 * `width` (words wider than a line are broken). Returns at least one line.
 */
export function hang(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  // the line so far as parts joined at the end, and its width kept as it grows (linear in the text)
  let parts: string[] = [first];
  let lineWidth = displayWidth(first);
  let empty = true;
  const restWidth = displayWidth(rest);
  const room = Math.max(1, width - restWidth);
  for (const word of text.split(' ')) {
    if (word.length === 0) continue;
    const wordWidth = displayWidth(word);
    for (const piece of wordWidth <= room ? [word] : breakWord(word, room)) {
      const pieceWidth = piece === word ? wordWidth : displayWidth(piece);
      if (!empty && lineWidth + 1 + pieceWidth > width) {
        lines.push(parts.join(''));
        parts = [rest, piece];
        lineWidth = restWidth + pieceWidth;
      } else {
        if (!empty) parts.push(' ');
        parts.push(piece);
        lineWidth += (empty ? 0 : 1) + pieceWidth;
      }
      empty = false;
    }
  }
  lines.push(parts.join(''));
  return lines;
}

/** {@link hang} with the same indent on every line. */
export function wrap(text: string, width: number, indent = ''): string[] {
  return hang(text, width, indent, indent);
}
