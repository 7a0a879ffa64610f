/**
 * The diagnosis of hold-out trainings copied as detector fixtures (fixtures/README.md): each row is a
 * mechanism, the finding that carries it and the first cause the mechanism's arithmetic points at.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/lint.js';

const fixture = (path: string): Buffer =>
  readFileSync(new URL(`../../fixtures/detectors/${path}`, import.meta.url));

const table: Array<{ name: string; path: string; rule: string; first: string; reason: string }> = [
  {
    name: 'validation scatters beyond its sampling noise with smooth training: BatchNorm statistics first',
    path: 'val-instability/fires-spread-batchnorm-small-batches.log',
    rule: 'val-instability',
    first: 'batchnorm-statistics',
    reason: 'pattern-val-irregular',
  },
  {
    name: 'a training loss that scatters at every stretch: the learning rate first',
    path: 'train-loss-jumps/fires-rough-rate-far-too-high.csv',
    rule: 'train-loss-jumps',
    first: 'learning-rate-too-high',
    reason: 'train-rough',
  },
  {
    name: 'a validation loss that never learns: preprocessing first (it outranks the scatter it causes)',
    path: 'val-stuck/fires-loss-never-learns-lightning.csv',
    rule: 'val-stuck',
    first: 'preprocessing-mismatch',
    reason: 'pattern-stuck-detached',
  },
  {
    name: '360 of 540 samples every epoch and period 3 = 540 / gcd(360, 540): slice rotation first',
    path: 'val-periodic/fires-rotation-two-thirds-pass.txt',
    rule: 'val-periodic',
    first: 'validation-slice-rotation',
    reason: 'subset-period',
  },
];

describe('hold-out mechanisms', () => {
  it.each(table)('$name', async ({ path, rule, first, reason }) => {
    const report = await lintText(path, fixture(path));
    expect(report.findings.some((f) => f.rule === rule && f.severity !== 'info')).toBe(true);
    const top = report.diagnoses[0];
    expect(top?.cause).toBe(first);
    expect(top?.verdict === 'likely' || top?.verdict === 'confirmed' || top?.verdict === 'possible').toBe(
      true,
    );
    expect(top?.reasons.map((r) => r.messageId)).toContain(reason);
  });

  it('the subset arithmetic quotes its numbers', async () => {
    const path = 'val-periodic/fires-rotation-two-thirds-pass.txt';
    const report = await lintText(path, fixture(path));
    const rotation = report.diagnoses.find((d) => d.cause === 'validation-slice-rotation');
    expect(rotation?.reasons.find((r) => r.messageId === 'subset-period')?.data).toMatchObject({
      count: 360,
      samples: 540,
      period: 3,
      observed: 3,
    });
    // a swap evaluates the whole set: a constant part of it speaks against one
    expect(report.diagnoses.find((d) => d.cause === 'weight-averaging-swap')?.verdict).toBe('unlikely');
  });
});
