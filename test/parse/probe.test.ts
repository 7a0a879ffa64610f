/**
 * The hostile-input probe's reproductions that are about what is read (not how fast: see
 * `test/fuzz/linear.test.ts`), at sizes that run fast. Each names what the probe saw.
 */
import { describe, expect, test } from 'vitest';
import type { ParseIssue } from '../../src/model/index.js';
import { createParser, parseText } from '../../src/parse/index.js';
import { PARSE_LIMITS } from '../../src/model/index.js';

const encoder = new TextEncoder();
const FRAME = '10/10 [==============================] - 1s 5ms/step - ';

function utf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i += 1) {
    bytes[2 * i] = text.charCodeAt(i) & 0xff;
    bytes[2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  return bytes;
}

function wideCsv(columns: number, rows: number): string {
  const names = Array.from({ length: columns }, (_, i) => `class_${i}_f1`);
  const lines = [`epoch,${names.join(',')}`];
  for (let k = 0; k < rows; k += 1) lines.push(`${k},${Array(columns).fill('0.123456789').join(',')}`);
  return `${lines.join('\n')}\n`;
}

interface Case {
  name: string;
  input: string | Uint8Array;
  /** Metrics of each epoch, in order. */
  epochs: Array<Record<string, number>>;
  /** Kinds of the issues, and a piece of the first one's message. */
  issues: Array<ParseIssue['kind']>;
  message?: string;
}

const CASES: Case[] = [
  {
    name: 'an unreadable middle value (probe: every later metric lost, no issue)',
    input: `Epoch 1/1\n${FRAME}loss: 0.5000 - acc: None - val_loss: 0.4000\n`,
    epochs: [{ loss: 0.5, val_loss: 0.4 }],
    issues: ['bad-value'],
    message: 'acc is "None"',
  },
  {
    name: 'an unreadable first value (probe: the epoch dropped as incomplete)',
    input: `Epoch 1/1\n${FRAME}loss: N/A - acc: 0.9 - val_loss: 0.4000\n`,
    epochs: [{ acc: 0.9, val_loss: 0.4 }],
    issues: ['bad-value'],
    message: 'loss is "N/A"',
  },
  {
    name: '∞, Arabic digits and nan(ind): each named, the epoch kept',
    input: `Epoch 1/2\n${FRAME}loss: ∞ - acc: ٠٫٥ - val_loss: nan(ind)\nEpoch 2/2\n${FRAME}loss: 0.4\n`,
    epochs: [{}, { loss: 0.4 }],
    issues: ['bad-value'],
    message: 'loss is "∞", acc is "٠٫٥", val_loss is "nan(ind)"',
  },
  {
    name: 'a JSON dict key given twice (probe: the later value silently)',
    input: '{"loss":[0.1],"loss":[9]}',
    epochs: [{ loss: 9 }],
    issues: ['duplicate-metric'],
    message: 'the later value is kept',
  },
  {
    name: 'a key given twice in a JSON record',
    input: '[{"loss":0.1,"loss":9}]',
    epochs: [{ loss: 9 }],
    issues: ['duplicate-metric'],
    message: 'in one record',
  },
  {
    name: 'a key given twice in a record with an epoch field (the HF Trainer log reader; probe: silent)',
    input: '[{"epoch":0,"loss":0.1,"loss":9}]',
    epochs: [{ loss: 9 }],
    // the Trainer's log also says its default NaN filter hides non-finite losses
    issues: ['duplicate-metric', 'nonfinite-hidden'],
    message: 'in one record',
  },
  {
    name: 'a CSV column name given twice',
    input: 'epoch,loss,loss\n0,0.1,9\n',
    epochs: [{ loss: 9 }],
    issues: ['duplicate-metric'],
    message: "the later column's values are kept",
  },
  {
    name: 'a metric printed twice in one Keras frame',
    input: `Epoch 1/1\n${FRAME}loss: 0.5 - loss: 0.6\n`,
    epochs: [{ loss: 0.6 }],
    issues: ['duplicate-metric'],
    message: 'the later value is kept',
  },
  {
    name: '`Epoch 0/3` (probe: epoch 0 in a schema that says min 1)',
    input: `Epoch 0/3\n${FRAME}loss: 0.5\nEpoch 1/3\n${FRAME}loss: 0.4\n`,
    epochs: [{ loss: 0.5 }, { loss: 0.4 }],
    issues: ['ambiguous'],
    message: 'count from 0',
  },
  {
    name: '±1.7e308 values are kept as they are',
    input: `Epoch 1/2\n${FRAME}loss: 1.7e308 - val_loss: -1.7e308\nEpoch 2/2\n${FRAME}loss: 0.5 - val_loss: 0.4\n`,
    epochs: [
      { loss: 1.7e308, val_loss: -1.7e308 },
      { loss: 0.5, val_loss: 0.4 },
    ],
    issues: [],
  },
  {
    name: 'UTF-16 without a byte-order mark (probe: "binary data")',
    input: utf16le(`Epoch 1/2\n${FRAME}loss: 0.5\nEpoch 2/2\n${FRAME}loss: 0.4\n`),
    epochs: [{ loss: 0.5 }, { loss: 0.4 }],
    issues: ['ambiguous'],
    message: 'UTF-16LE',
  },
  {
    name: 'a metric name of 2 MB (probe: no completed epoch)',
    input: `Epoch 1/1\n${FRAME}loss: 0.5 - ${'x'.repeat(2_000_000)}: 0.4\n`,
    epochs: [{ loss: 0.5 }],
    issues: ['line-too-long'],
  },
  {
    name: 'a header with an unclosed quote (probe: read as console text, 0 epochs)',
    input: '"epoch,loss\n0,0.5\n1,0.4\n',
    epochs: [{ loss: 0.5 }, { loss: 0.4 }],
    issues: ['malformed-input'],
    message: 'never closed',
  },
];

describe('the probe: what is read from hostile inputs', () => {
  test.each(CASES)('$name', ({ input, epochs, issues, message }) => {
    const parsed = parseText(typeof input === 'string' ? encoder.encode(input) : input);
    expect(parsed.summary.fatal).toBeNull();
    expect(parsed.runs.flatMap((r) => r.epochs.map((e) => e.metrics))).toEqual(epochs);
    expect(parsed.issues.map((i) => i.kind)).toEqual(issues);
    if (message !== undefined) expect(parsed.issues[0]?.message).toContain(message);
  });

  test('a CSV name of 100 KB over 10k rows of bad cells: bounded issues (probe: 2 GB, Invalid string length)', () => {
    const text = `epoch,loss,${'x'.repeat(102_400)}\n${Array.from({ length: 10_000 }, (_, k) => `${k},0.5,bad\n`).join('')}`;
    const parsed = parseText(encoder.encode(text));
    expect(parsed.summary.epochs).toBe(10_000);
    expect(parsed.issues.map((i) => i.kind)).toEqual(['over-limit']);
    expect(parsed.issues[0]?.message.length).toBeLessThanOrEqual(PARSE_LIMITS.messageChars);
  });

  test.each([
    { name: 'whole', chunk: Number.POSITIVE_INFINITY },
    { name: 'in 64 KiB chunks, like stdin (probe: 0 epochs)', chunk: 65_536 },
    { name: 'in 1 MiB chunks, like a file', chunk: 1 << 20 },
  ])('a 3000-column CSV read $name: 5 epochs of 3000 metrics', ({ chunk }) => {
    const bytes = encoder.encode(wideCsv(3000, 5));
    const sizes: number[] = [];
    const parser = createParser({
      onRun: (r) => sizes.push(...r.epochs.map((e) => Object.keys(e.metrics).length)),
    });
    for (let at = 0; at < bytes.length; at += Math.min(chunk, bytes.length))
      parser.feed(bytes.subarray(at, at + chunk));
    expect(parser.end().dialect).toBe('csv-logger');
    expect(sizes).toEqual([3000, 3000, 3000, 3000, 3000]);
  });

  test('a 100k-column CSV: its rows read, the values past the per-record cap left out and said so (probe: 0 epochs)', () => {
    const parsed = parseText(encoder.encode(wideCsv(100_000, 3)));
    expect(parsed.runs.flatMap((r) => r.epochs.map((e) => Object.keys(e.metrics).length))).toEqual([
      PARSE_LIMITS.valuesPerRecord,
      PARSE_LIMITS.valuesPerRecord,
      PARSE_LIMITS.valuesPerRecord,
    ]);
    expect(parsed.issues.map((i) => i.kind)).toEqual(['over-limit']);
  });

  test.each([
    { name: 'records', epochs: PARSE_LIMITS.records + 1, perEpoch: 1, cap: 'records' },
    { name: 'values', epochs: PARSE_LIMITS.values / 20 + 1, perEpoch: 20, cap: 'metric values' },
  ])(
    'one value past the cap on $name: refused with one line, never reported partially',
    ({ epochs, perEpoch, cap }) => {
      const names = Array.from({ length: perEpoch }, (_, i) => `m${i}`);
      const rows = [`epoch,${names.join(',')}`];
      const row = Array(perEpoch).fill('0.5').join(',');
      for (let k = 0; k < epochs; k += 1) rows.push(`${k},${row}`);
      const parsed = parseText(encoder.encode(`${rows.join('\n')}\n`));
      expect(parsed.summary.fatal).toContain(`more than`);
      expect(parsed.summary.fatal).toContain(cap);
      expect(parsed.summary.fatal).not.toContain('\n');
      expect(parsed.summary.dialect).toBeNull();
    },
  );

  test("one run past the cap on runs (the probe's 50k restarts): refused with one line; at the cap every run is kept", () => {
    const frame = '10/10 [==============================] - 1s 5ms/step - ';
    const restart = `Epoch 1/2\n${frame}loss: 0.5 - val_loss: 0.4\nEpoch 2/2\n${frame}loss: 0.4 - val_loss: 0.3\n`;
    const atCap = parseText(encoder.encode(restart.repeat(PARSE_LIMITS.runs)));
    expect(atCap.summary.fatal).toBeNull();
    expect(atCap.runs).toHaveLength(PARSE_LIMITS.runs);
    expect(atCap.summary.epochs).toBe(2 * PARSE_LIMITS.runs);
    const past = parseText(encoder.encode(restart.repeat(PARSE_LIMITS.runs + 1)));
    expect(past.summary.fatal).toBe(
      `more than ${PARSE_LIMITS.runs.toLocaleString('en-US')} runs in one input (epochlint's limit, which keeps memory bounded): not read; split the log`,
    );
  });
});
