/**
 * Cost linear in the input: every character the probe found a superlinear path on, repeated n and 4n
 * times in the place it hurt, must cost about 4 times as much (a quadratic path costs 16 times). The
 * ratio is measured loosely in this process, in CPU time so that the load of a shared machine does not count
 * (best of a few runs, a bound well between 4 and 16), never against a threshold of time; the records
 * around the repetition must be kept at every size.
 */
import { describe, expect, test } from 'vitest';
import { parseText } from '../../src/parse/index.js';
import { allEpochs, expectSound, parseChunks } from './fuzz-helpers.js';

const encoder = new TextEncoder();
const FRAME = '10/10 [==============================] - 1s 5ms/step - loss: 0.5000 - val_loss: 0.4000\n';
/** Two Keras epochs with `middle` between the first header and its frame. */
const keras = (middle: string): string => `Epoch 1/2\n${middle}${FRAME}Epoch 2/2\n${FRAME}`;

interface Case {
  name: string;
  /** The input with the repetition `n` times. */
  build(n: number): string;
  /** Repetitions of the smaller input (the larger one has 4 times as many). */
  n: number;
  /** Epochs read with `n` repetitions. */
  epochs(n: number): number;
  /** Fed in chunks this small (UTF-8 split points), else whole. */
  chunk?: number;
  inputFormat?: string;
}

const CASES: Case[] = [
  { name: 'only \\r (probe: 128 KiB took 11.5 s)', build: (n) => '\r'.repeat(n), n: 64_000, epochs: () => 0 },
  {
    name: '\\r inside a frame',
    build: (n) => keras(`1/10 [==>...]${'\r'.repeat(n)}`),
    n: 64_000,
    epochs: () => 2,
  },
  {
    name: '\\r\\r\\n line ends',
    build: (n) => 'epoch,loss\n' + '0,0.5\r\r\n'.repeat(n),
    n: 1_000,
    epochs: (n) => n,
  },
  {
    name: '`ab\\b` repeated (probe: 340k took 42 s)',
    build: (n) => keras('ab\b'.repeat(n) + '\n'),
    n: 32_000,
    epochs: () => 2,
  },
  { name: 'backspaces alone', build: (n) => keras('\b'.repeat(n)), n: 64_000, epochs: () => 2 },
  { name: 'blank lines', build: (n) => keras('\n'.repeat(n)), n: 16_000, epochs: () => 2 },
  {
    name: '10M short lines, scaled down (probe: 73 s)',
    build: (n) => 'hello world\n'.repeat(n),
    n: 4_000,
    epochs: () => 0,
  },
  {
    name: 'spaces in a callback message (probe: 128 KiB took 22 s)',
    build: (n) => keras(`Epoch 1: saving model to a${' '.repeat(n)}b\n`),
    n: 64_000,
    epochs: () => 2,
  },
  { name: 'a line of spaces', build: (n) => keras(' '.repeat(n) + '\n'), n: 64_000, epochs: () => 2 },
  {
    name: 'ANSI erase sequences',
    build: (n) => keras('\u001b[K'.repeat(n) + '\n'),
    n: 16_000,
    epochs: () => 2,
  },
  {
    name: 'a Keras 3 bar of `━` cut at every byte',
    build: (n) => `Epoch 1/1\n1/1 ${'━'.repeat(n)} 2s 9ms/step - loss: 0.3000\n`,
    n: 2_000,
    epochs: () => 1,
    chunk: 1,
  },
  {
    name: 'metrics in one epoch (probe: 100k took 63 s)',
    build: (n) => {
      const parts: string[] = [];
      for (let i = 0; i < n; i += 1) parts.push(` - m${i}: 0.5`);
      return `Epoch 1/1\n10/10 [==============================] - 1s 5ms/step${parts.join('')}\n`;
    },
    n: 2_000,
    epochs: () => 1,
  },
  {
    name: 'glued values without separators (probe: 60k took 16 s)',
    build: (n) => {
      const parts: string[] = [];
      for (let i = 0; i < n; i += 1) parts.push(`m${i}: 0.5`);
      return `Epoch 1/1\n10/10 [==============================] - 1s 5ms/step - ${parts.join('')}\n`;
    },
    n: 4_000,
    epochs: () => 1,
  },
  {
    name: 'epochs pasted on one line',
    build: (n) => {
      const parts: string[] = [];
      for (let i = 1; i <= n; i += 1)
        parts.push(`Epoch ${i}/${n} 10/10 [====] - 1s - loss: 0.5 - val_loss: 0.4 `);
      return parts.join('') + '\n';
    },
    n: 500,
    epochs: (n) => n,
  },
  {
    name: 'a JSON list of one digit run (probe: 128 KiB took 14 s)',
    build: (n) => `[0.5, ${'1'.repeat(n)}, 0.4]`,
    n: 16_000,
    epochs: () => 3,
  },
  {
    name: 'a JSON list of numbers',
    build: (n) => `[${'0.5,'.repeat(n)}0.5]`,
    n: 4_000,
    epochs: (n) => n + 1,
  },
  {
    name: 'a CSV cell of digits (probe: 128 KiB took 49 s)',
    build: (n) => `epoch,loss\n${'1'.repeat(n)}x,0.5\n0,0.5\n`,
    n: 16_000,
    epochs: () => 1,
  },
  { name: 'a wide CSV', build: (n) => wideCsv(n, 3), n: 1_000, epochs: () => 3 },
  {
    name: 'separators in a quoted CSV cell',
    build: (n) => `epoch,loss,note\n0,0.5,"${','.repeat(n)}"\n1,0.4,ok\n`,
    n: 64_000,
    epochs: () => 2,
  },
  {
    name: 'quotes in a CSV header',
    build: (n) => `"epoch${'"'.repeat(n)},loss\n0,0.5\n1,0.4\n`,
    n: 64_000,
    epochs: () => 2,
  },
  { name: 'an open bracket nest', build: (n) => '['.repeat(n), n: 8_000, epochs: () => 0 },
  { name: 'a dict nest', build: (n) => '{"a":'.repeat(n), n: 16_000, epochs: () => 0 },
  {
    name: 'history keys (probe: 200k keys, a spread)',
    build: (n) => {
      const parts: string[] = [];
      for (let i = 0; i < n; i += 1) parts.push(`"m${i}":[0.5]`);
      return `{${parts.join(',')}}`;
    },
    n: 1_000,
    epochs: () => 1,
  },
  {
    name: 'a notebook output of epochs',
    build: (n) => {
      const text = JSON.stringify(`Epoch 1/1\n${FRAME}`.repeat(n));
      return `{"cells":[{"cell_type":"code","source":[],"outputs":[{"output_type":"stream","name":"stdout","text":${text}}]}],"nbformat":4,"nbformat_minor":5,"metadata":{}}`;
    },
    n: 250,
    epochs: (n) => n,
  },
  {
    name: 'a metric name of a million characters, scaled down',
    build: (n) => keras(`Epoch 1: ${'x'.repeat(n)}: 0.5\n`),
    n: 64_000,
    epochs: () => 2,
  },
];

function wideCsv(columns: number, rows: number): string {
  const names: string[] = ['epoch'];
  for (let i = 0; i < columns; i += 1) names.push(`class_${i}_f1`);
  const lines = [names.join(',')];
  for (let k = 0; k < rows; k += 1)
    lines.push([String(k), ...Array.from({ length: columns }, () => '0.123')].join(','));
  return lines.join('\n') + '\n';
}

/** CPU time of this process so far, in milliseconds (the parse's own cost, whatever else the machine runs). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Best CPU time of `reps` parses of `bytes` (milliseconds). */
function measure(c: Case, bytes: Uint8Array, reps: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r += 1) {
    const t = cpuMs();
    if (c.chunk === undefined) parseText(bytes, { inputFormat: c.inputFormat ?? 'auto' });
    else {
      const cuts: number[] = [];
      for (let at = c.chunk; at < bytes.length; at += c.chunk) cuts.push(at);
      parseChunks(bytes, cuts, c.inputFormat ?? 'auto');
    }
    best = Math.min(best, cpuMs() - t);
  }
  return best;
}

/** A linear path costs 4 times as much for 4 times the input, a quadratic one 16 times. */
const MAX_RATIO = 9;

describe('pathological repetitions cost time linear in their length and keep the records around them', () => {
  test.each(CASES)('$name', (c) => {
    const small = encoder.encode(c.build(c.n));
    const large = encoder.encode(c.build(4 * c.n));
    for (const [bytes, n] of [
      [small, c.n],
      [large, 4 * c.n],
    ] as const) {
      const parsed = parseChunks(bytes, [], c.inputFormat ?? 'auto');
      expectSound(parsed);
      expect(allEpochs(parsed)).toHaveLength(c.epochs(n));
    }
    measure(c, small, 1); // warm-up: compiled code, not the first run's interpreter, is compared
    // the machine is shared (and the suite runs files in parallel): a ratio past the bound is measured
    // again, up to four times; a quadratic path is past it every time
    let ratio = Number.POSITIVE_INFINITY;
    for (let attempt = 0; attempt < 4 && ratio >= MAX_RATIO; attempt += 1) {
      ratio = Math.min(ratio, measure(c, large, 3) / Math.max(measure(c, small, 3), 0.05));
    }
    expect(ratio).toBeLessThan(MAX_RATIO);
  });
});
