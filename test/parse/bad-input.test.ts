import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseText } from '../../src/parse/index.js';

const encoder = new TextEncoder();
const line = (e: number): string =>
  `Epoch ${e}/3\n10/10 [==============================] - 1s 100ms/step - loss: 0.${9 - e}000 - val_loss: 0.9500\n`;
const log = line(1) + line(2) + line(3);

describe('bad input never crashes', () => {
  test.each([
    { name: 'empty file', input: new Uint8Array(0), fatal: 'empty input' },
    { name: 'only whitespace', input: encoder.encode('\n\n   \n'), fatal: 'empty input' },
    {
      name: 'binary data (PNG header and NUL bytes)',
      input: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]),
      fatal: 'binary data (NUL bytes), not a text log',
    },
    { name: 'malformed JSON', input: encoder.encode('{"loss": [0.5, 0.4,'), fatal: /./ },
    {
      name: 'truncated notebook',
      input: encoder.encode('{"cells": [{"cell_type": "code", "outputs": [{"na'),
      fatal: /./,
    },
  ])('$name: a one-line fatal reason, no runs', ({ input, fatal }) => {
    const { runs, summary } = parseText(input);
    expect(runs).toEqual([]);
    expect(summary.epochs).toBe(0);
    expect(summary.dialect).toBeNull();
    expect(summary.fatal).toMatch(fatal);
    expect(summary.fatal).not.toContain('\n');
  });

  test('prose with no epochs: readable, zero epochs, a not-a-log issue', () => {
    const { runs, issues, summary } = parseText('I trained a model and it did not work.\nAny ideas?\n');
    expect(runs).toEqual([]);
    expect(summary).toMatchObject({ fatal: null, epochs: 0, dialect: 'keras-text' });
    expect(issues.map((i) => i.kind)).toEqual(['not-a-log']);
  });

  test('text that looks like a log but holds no record says which shapes it saw', () => {
    const text = '12:00 INFO train loss: 0.5\n12:01 INFO train loss: 0.4\n12:02 INFO acc 0.74 - f1 0.02\n';
    const { runs, issues, summary } = parseText(text);
    expect(runs).toEqual([]);
    expect(summary.epochs).toBe(0);
    expect(issues.map((i) => [i.kind, i.line])).toEqual([['no-epochs', 1]]);
    expect(issues[0]?.message).toContain('3 line(s) of named values without an epoch number');
  });

  test('invalid UTF-8 is replaced and reported; the epochs around it survive', () => {
    const bytes = encoder.encode(log);
    const broken = new Uint8Array(bytes.length + 2);
    const at = log.indexOf('Epoch 2');
    broken.set(bytes.subarray(0, at));
    broken.set([0xff, 0xfe], at);
    broken.set(bytes.subarray(at), at + 2);
    const { runs, issues } = parseText(broken);
    expect(runs[0]?.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(issues.map((i) => i.kind)).toEqual(['invalid-utf8']);
  });

  test('UTF-16 with a BOM (PowerShell redirection) is decoded', () => {
    const text = `\uFEFF${log}`;
    const utf16 = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i += 1) {
      utf16[2 * i] = text.charCodeAt(i) & 0xff;
      utf16[2 * i + 1] = text.charCodeAt(i) >> 8;
    }
    expect(parseText(utf16).runs[0]?.epochs).toHaveLength(3);
  });

  test('invalid UTF-8 inside a value: that metric is left out and said so, never read as a wrong number', () => {
    const bytes = encoder.encode('Epoch 1/1\n10/10 - 1s - loss: 0.5000 - val_acc: 0.X85\n');
    bytes[bytes.indexOf(0x58)] = 0x9b; // the X
    const { runs, issues } = parseText(bytes);
    expect(runs[0]?.epochs[0]?.metrics).toEqual({ loss: 0.5 });
    expect(issues.map((i) => `${i.kind}@${i.line}`)).toEqual(['invalid-utf8@2', 'bad-value@2']);
  });

  test('a UTF-8 BOM is ignored', () => {
    expect(parseText(encoder.encode(`\uFEFF${log}`)).runs[0]?.epochs).toHaveLength(3);
  });

  test('a log cut inside its last epoch keeps the complete epochs and reports the cut', () => {
    const { runs, issues } = parseText(log.slice(0, -12));
    expect(runs[0]?.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(issues.map((i) => `${i.kind}@${i.line}`)).toEqual(['truncated-epoch@6']);
  });

  test('a single 8 MB line (a paste of 40000 epochs without newlines) keeps every epoch', () => {
    const parts: string[] = [];
    for (let e = 1; e <= 40000; e += 1) {
      parts.push(
        `Epoch ${e}/40000 100/100 [==============================] - 1s 10ms/step - loss: ${(1 / e).toFixed(4)} - val_loss: 0.5000 `,
      );
    }
    const text = parts.join('');
    expect(text.length).toBeGreaterThan(4 << 20);
    const { runs, issues } = parseText(text);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.epochs).toHaveLength(40000);
    expect(runs[0]?.epochs.every((e, i) => e.epoch === i + 1)).toBe(true);
    expect(issues).toEqual([]);
  });

  test('frames run together on one 10 MB line (every in-progress frame kept): each epoch once', () => {
    const parts: string[] = [];
    for (let e = 1; e <= 100; e += 1) {
      parts.push(`Epoch ${e}/100 `);
      for (let step = 1; step < 400; step += 1) {
        parts.push(
          `${step}/400 [=====>........................] - ETA: 3s - loss: 0.6116 - accuracy: 0.9248 `,
        );
      }
      parts.push(
        `400/400 [==============================] - 5s 12ms/step - loss: 0.5000 - val_loss: 0.${1000 + e} `,
      );
    }
    const text = parts.join('');
    expect(text.length).toBeGreaterThan(3 << 20);
    const { runs, issues } = parseText(text);
    expect(runs[0]?.epochs.map((e) => e.metrics.val_loss)).toEqual(
      Array.from({ length: 100 }, (_, i) => Number(`0.${1001 + i}`)),
    );
    expect(issues).toEqual([]);
  });

  test('a long line of noise with no epoch token is skipped (and said so), the epochs after it are read', () => {
    const noise = 'x'.repeat(3 << 20);
    const { runs, issues } = parseText(`${noise}\n${log}`);
    expect(runs[0]?.epochs).toHaveLength(3);
    expect(issues.map((i) => `${i.kind}@${i.line}`)).toEqual(['line-too-long@1']);
  });

  test('fixtures directory files parse without throwing', () => {
    const names = ['real/dermatology-header-only.csv', 'parse/keras/unparsed-epoch-line.log'];
    for (const name of names) {
      const bytes = readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));
      expect(() => parseText(bytes)).not.toThrow();
    }
  });
});

describe('long runs', () => {
  test('the period tests of a 20000-epoch run look at its last 1000 points (bounded cost)', async () => {
    const { lintRuns } = await import('../../src/lint.js');
    const parts: string[] = [];
    for (let e = 1; e <= 20000; e += 1) {
      const val = 0.5 + 0.05 * Math.sin(e / 9) + ((e * 7919) % 13) / 500 + (e % 2) * 0.03;
      parts.push(`${e}s - loss: ${(1 / Math.sqrt(e)).toFixed(4)} - val_loss: ${val.toFixed(4)}\n`);
    }
    const { runs, issues, summary } = parseText(parts.join(''));
    expect(summary.epochs).toBe(20000);
    const report = lintRuns('long.log', summary.dialect, runs, issues);
    const alternation = report.findings.find((f) => f.rule === 'val-alternation' && f.metric === 'val_loss');
    expect(alternation?.stats.n).toBe(1000);
    expect(alternation?.epochs).toEqual([19001, 20000]);
  });
});
