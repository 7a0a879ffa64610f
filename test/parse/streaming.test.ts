import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { ParseIssue, Run } from '../../src/model/index.js';
import { createParser, parseText } from '../../src/parse/index.js';

const fixture = (path: string): Uint8Array =>
  readFileSync(new URL(`../../fixtures/${path}`, import.meta.url));

function parseChunks(chunks: Uint8Array[]): { runs: Run[]; issues: ParseIssue[] } {
  const runs: Run[] = [];
  const issues: ParseIssue[] = [];
  const parser = createParser({ onRun: (r) => runs.push(r), onIssue: (i) => issues.push(i) });
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  return { runs, issues };
}

/** Deterministic PRNG (mulberry32) so a failing split can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const sorted = [...new Set(cuts)].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const cut of sorted) {
    chunks.push(bytes.subarray(from, cut));
    from = cut;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

const files = [
  'parse/keras/keras3-ansi.log', // multi-byte `━`, ESC sequences, \b and \r
  'parse/keras/crlf-windows.log', // \r\n
  'parse/keras/backspace-frames-tfkeras.log',
  'parse/keras/family-a-zero-based-messages.log',
  'parse/keras/escaped-controls.log',
  'parse/keras/wrapped-lines.log',
  'parse/keras/truncated-mid-value.log',
  'real/treasure-island-charrnn-backspace-stream.txt',
  'real/crossvalidated-416172.txt',
  'real/adam-optimisation-keras3-mnist.txt',
  'real/bloodgroup-lr-training_log.csv', // \r\r\n
  'real/brain-tumor-prettier-history.json',
  'real/vinay-mnist-notebook-saved-as-py.ipynb',
];

describe('chunking does not change the records', () => {
  test.each(files)('%s: every two-way split and 200 random many-way splits', (file) => {
    const bytes = fixture(file);
    const whole = parseText(bytes);
    const expected = JSON.stringify(parseChunks([bytes]));
    expect(whole.summary.epochs).toBeGreaterThan(0);
    expect(JSON.stringify({ runs: whole.runs, issues: whole.issues })).toBe(expected);
    const step = Math.max(1, Math.floor(bytes.length / 400));
    for (let cut = 1; cut < bytes.length; cut += step) {
      expect(JSON.stringify(parseChunks(splitAt(bytes, [cut])))).toBe(expected);
    }
    const random = prng(bytes.length);
    for (let round = 0; round < 200; round += 1) {
      const n = 1 + Math.floor(random() * 30);
      const cuts = Array.from({ length: n }, () => 1 + Math.floor(random() * (bytes.length - 1)));
      expect(JSON.stringify(parseChunks(splitAt(bytes, cuts)))).toBe(expected);
    }
  });

  test('splits inside a multi-byte character and inside \\r\\n, one byte at a time', () => {
    const bytes = fixture('parse/keras/keras3-ansi.log');
    const crlf = fixture('parse/keras/crlf-windows.log');
    for (const b of [bytes, crlf]) {
      const expected = JSON.stringify(parseChunks([b]));
      const oneByOne = Array.from(b, (_, i) => b.subarray(i, i + 1));
      expect(JSON.stringify(parseChunks(oneByOne))).toBe(expected);
    }
    // `━` is E2 94 81: a cut after its first byte must not produce a replacement character
    const bar = bytes.indexOf(0xe2);
    expect(bar).toBeGreaterThan(0);
    const cut = parseChunks(splitAt(bytes, [bar + 1, bar + 2]));
    expect(cut.issues.some((i) => i.kind === 'invalid-utf8')).toBe(false);
  });
});
