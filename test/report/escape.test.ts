import { describe, expect, test } from 'vitest';
import {
  escapeControl,
  escapeJsonText,
  hasUnsafeCharacters,
  quoteInput,
  shorten,
} from '../../src/report/escape.js';

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
