import { describe, expect, test } from 'vitest';
import {
  escapeControl,
  escapeJsonText,
  hasUnsafeCharacters,
  quoteInput,
  shorten,
} from '../../src/report/escape.js';
import { prng } from '../parse/chunking.js';

describe('escaping text from logs', () => {
  test.each([
    { name: 'ESC / CSI', raw: 'a\u001b[2Jb', shown: 'a\\x1b[2Jb' },
    { name: 'CR, BS, BEL', raw: 'x\ry\bz\u0007', shown: 'x\\ry\\x08z\\x07' },
    { name: 'LF and TAB by name', raw: 'a\nb\tc', shown: 'a\\nb\\tc' },
    { name: 'DEL', raw: 'a\u007fb', shown: 'a\\x7fb' },
    { name: 'C1 CSI', raw: 'c1\u009bq', shown: 'c1\\x9bq' },
    { name: 'C1 NEL', raw: 'a\u0085b', shown: 'a\\x85b' },
    { name: 'bidi override', raw: 'val_\u202eacc', shown: 'val_\\u202eacc' },
    { name: 'bidi isolate', raw: '\u2066x\u2069', shown: '\\u2066x\\u2069' },
    { name: 'left-to-right mark', raw: 'a\u200eb', shown: 'a\\u200eb' },
    { name: 'Arabic letter mark U+061C', raw: 'a\u061cb', shown: 'a\\u061cb' },
    { name: 'zero-width space', raw: 'val\u200bacc', shown: 'val\\u200bacc' },
    { name: 'zero-width joiners', raw: 'a\u200c\u200db', shown: 'a\\u200c\\u200db' },
    { name: 'word joiner', raw: 'a\u2060b', shown: 'a\\u2060b' },
    { name: 'BOM inside text', raw: 'a\ufeffb', shown: 'a\\ufeffb' },
    { name: 'soft hyphen', raw: 'a\u00adb', shown: 'a\\xadb' },
    { name: 'line separator', raw: 'a\u2028b\u2029c', shown: 'a\\u2028b\\u2029c' },
    { name: 'Hangul filler (invisible)', raw: 'a\u3164b', shown: 'a\\u3164b' },
    { name: 'tag character (astral)', raw: 'a\u{e0041}b', shown: 'a\\u{e0041}b' },
    { name: 'lone surrogate', raw: 'a\ud800b', shown: 'a\\ud800b' },
    { name: 'noncharacter', raw: 'a\uffffb', shown: 'a\\uffffb' },
    { name: 'plain text', raw: 'plain val_acc', shown: 'plain val_acc' },
    {
      name: 'letters and symbols stay',
      raw: 'précision ∞ 精度 😀 a\u00a0b',
      shown: 'précision ∞ 精度 😀 a\u00a0b',
    },
  ])('$name', ({ raw, shown }) => {
    expect(escapeControl(raw)).toBe(shown);
    expect(hasUnsafeCharacters(escapeControl(raw))).toBe(false);
    expect(hasUnsafeCharacters(raw)).toBe(raw !== shown);
    // escaping is idempotent: an escaped text is safe and stays as it is
    expect(escapeControl(escapeControl(raw))).toBe(shown);
  });

  test('JSON text keeps its meaning but shows no raw unsafe character', () => {
    const value = { name: 'val_\u202eacc\u009b\u200b\u061c\u2028\u{e0041}', n: 1 };
    const safe = escapeJsonText(JSON.stringify(value));
    expect(hasUnsafeCharacters(safe)).toBe(false);
    expect(JSON.parse(safe)).toEqual(value);
  });

  test.each([
    { name: 'short text is kept', text: 'abc', max: 10, out: 'abc' },
    {
      name: 'the middle of a long text is dropped',
      text: 'a'.repeat(50) + 'b'.repeat(50),
      max: 40,
      out: `${'a'.repeat(8)}…(84 characters)…${'b'.repeat(8)}`,
    },
  ])('shorten: $name', ({ text, max, out }) => {
    expect(shorten(text, max)).toBe(out);
  });

  test('shorten never splits a surrogate pair and bounds the length', () => {
    const text = '😀'.repeat(1000);
    const short = shorten(text, 101);
    expect(short.length).toBeLessThanOrEqual(101 + 20);
    expect(hasUnsafeCharacters(short)).toBe(false);
  });

  test('quoteInput escapes, then bounds', () => {
    const quoted = quoteInput(`\u001b[2J${'x'.repeat(10_000)}\u202e`, 200);
    expect(quoted.length).toBeLessThan(230);
    expect(quoted.startsWith('\\x1b[2J')).toBe(true);
    expect(quoted.endsWith('\\u202e')).toBe(true);
  });
});

test('escapeJsonText keeps the layout of pretty-printed JSON', () => {
  const value = { a: ['x\u200by', 'tab\there'], b: { c: 'line\nbreak' } };
  const safe = escapeJsonText(JSON.stringify(value, null, 2));
  expect(safe.split('\n').length).toBe(JSON.stringify(value, null, 2).split('\n').length);
  expect(JSON.parse(safe)).toEqual(value);
});

/** Code points a hostile log or file name is made of: every class the escaper must handle, and plain text. */
const POOL = [
  ...'abcXYZ019 _-./\\"\'{}[]:,',
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)),
  '\u007f',
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(0x80 + i)),
  '\u061c',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202e',
  '\u2060',
  '\u2066',
  '\u2069',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u00ad',
  '\u3164',
  '\ufe0f',
  '\uffff',
  '\ud800',
  '\udc00',
  '\u{e0001}',
  '\u{e0041}',
  'é',
  '∞',
  '精',
  '😀',
  '\u00a0',
];

describe('escaping, over random hostile strings (seeded)', () => {
  const random = prng(20240601);
  const strings = Array.from({ length: 3000 }, () => {
    const n = Math.floor(random() * 40);
    let s = '';
    for (let i = 0; i < n; i += 1) s += POOL[Math.floor(random() * POOL.length)] ?? '';
    return s;
  });

  test('escapeControl: nothing unsafe left, idempotent, linear in size', () => {
    for (const s of strings) {
      const shown = escapeControl(s);
      expect(hasUnsafeCharacters(shown), JSON.stringify(s)).toBe(false);
      expect(escapeControl(shown)).toBe(shown);
      expect(shown.length).toBeLessThanOrEqual(10 * s.length);
    }
  });

  test('escapeJsonText: nothing unsafe left, and the JSON parses back to the same string', () => {
    for (const s of strings) {
      const json = escapeJsonText(JSON.stringify({ s }, null, 2));
      expect(hasUnsafeCharacters(json.replace(/\n/g, '')), JSON.stringify(s)).toBe(false);
      expect((JSON.parse(json) as { s: string }).s).toBe(s);
    }
  });

  test('quoteInput: bounded and safe', () => {
    for (const s of strings) {
      const long = s.repeat(50);
      const quoted = quoteInput(long, 120);
      expect(quoted.length).toBeLessThanOrEqual(120 + 24);
      expect(hasUnsafeCharacters(quoted)).toBe(false);
    }
  });
});
