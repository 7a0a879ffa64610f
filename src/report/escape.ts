/**
 * Logs and file names are untrusted input: text taken from them is shown with every character escaped
 * that could act on a terminal or hide from a reader, so a log cannot move the cursor, recolour the
 * terminal, reorder a line on screen ("Trojan source") or carry invisible text (`\x1b[2J`, `\r`, `\b`,
 * U+202E, U+200B).
 */

/**
 * Characters that are never shown raw: controls (C0, DEL, C1), format characters (bidi embeddings,
 * overrides and isolates, U+061C, zero-width space/joiners, U+2060, U+FEFF, soft hyphen, tags), line
 * and paragraph separators, lone surrogates, the other default-ignorable (invisible) code points
 * (Hangul fillers, variation selectors, U+034F) and noncharacters. One character class, matched per
 * code point: linear in the text, no backtracking.
 */
const UNSAFE =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/gu;

const UNSAFE_ONE = new RegExp(UNSAFE.source, 'u');

function escapeOne(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const code = c.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/**
 * Escapes every unsafe character: `\t`, `\n`, `\r` by name, others up to U+00FF as `\xNN`, the rest
 * of the BMP as `\uXXXX` and astral ones as `\u{XXXXX}`. The result holds no unsafe character, so
 * escaping twice changes nothing.
 */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** Whether `text` holds a character {@link escapeControl} would escape. */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE_ONE.test(text);
}

/**
 * JSON.stringify leaves C1 controls, format characters and separators raw (valid JSON, unsafe on a
 * terminal): written as `\uXXXX` escapes (a surrogate pair for astral ones) instead, which parse back
 * to the same strings. Outside strings JSON text holds only ASCII punctuation and whitespace, so
 * replacing in the whole document is safe.
 */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE, (c) => {
    // JSON.stringify escapes C0 inside strings itself; outside them \t \n \r are the layout
    if (c.charCodeAt(0) < 0x20) return c;
    let out = '';
    for (let i = 0; i < c.length; i += 1) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

/** Longest quoted input kept in a one-line message; long enough for any real path. */
export const MAX_QUOTED_CHARS = 600;

/**
 * `text` cut to at most `max` characters by dropping its middle (`…(N characters)…`): the start and
 * the end of a path or a message say the most. Cuts never split a surrogate pair.
 */
export function shorten(text: string, max: number = MAX_QUOTED_CHARS): string {
  if (text.length <= max) return text;
  const keep = Math.max(2, max - 24);
  let head = Math.ceil(keep / 2);
  let tail = text.length - Math.floor(keep / 2);
  if (isHighSurrogate(text.charCodeAt(head - 1))) head -= 1;
  if (isLowSurrogate(text.charCodeAt(tail))) tail += 1;
  return `${text.slice(0, head)}…(${tail - head} characters)…${text.slice(tail)}`;
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Text from an input for a one-line message: escaped, then bounded in size. */
export function quoteInput(text: string, max: number = MAX_QUOTED_CHARS): string {
  return shorten(escapeControl(text), max);
}
