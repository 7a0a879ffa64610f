import { describe, expect, test } from 'vitest';
import { escapeControl, escapeJsonText } from '../../src/report/escape.js';

describe('escaping text from logs', () => {
  test.each([
    { raw: 'a\u001b[2Jb', shown: 'a\\x1b[2Jb' },
    { raw: 'x\ry\bz\u0007', shown: 'x\\ry\\x08z\\x07' },
    { raw: 'val_\u202eacc', shown: 'val_\\u202eacc' },
    { raw: 'c1\u009bq', shown: 'c1\\x9bq' },
    { raw: 'plain val_acc', shown: 'plain val_acc' },
  ])('$shown', ({ raw, shown }) => {
    expect(escapeControl(raw)).toBe(shown);
  });

  test('JSON text keeps its meaning but shows no raw C1 or bidi characters', () => {
    const json = JSON.stringify({ name: 'val_\u202eacc\u009b' });
    const safe = escapeJsonText(json);
    expect(safe).not.toMatch(/[\u0080-\u009f\u202e]/);
    expect(JSON.parse(safe)).toEqual({ name: 'val_\u202eacc\u009b' });
  });
});
