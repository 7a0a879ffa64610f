import { describe, expect, it } from 'vitest';
import { readLearningRate } from '../../src/context/learning-rate.js';
import { syntheticRun } from '../diagnose/helpers.js';

const run = (lr: (e: number) => number, n = 30) =>
  syntheticRun(Array.from({ length: n }, (_, i) => ({ loss: 1 / (i + 1), lr: lr(i + 1) })));

describe('the logged learning rate', () => {
  it.each([
    ['constant', () => 0.001, { pattern: 'constant', changes: 0, period: null }],
    [
      'ReduceLROnPlateau steps',
      (e: number) => (e < 10 ? 1e-3 : e < 20 ? 5e-4 : 2.5e-4),
      { pattern: 'decreasing', changes: 2 },
    ],
    [
      'a triangular cycle, half a cycle per epoch',
      (e: number) => (e % 2 === 1 ? 0.01 : 0.001),
      { pattern: 'cycling', period: 2, highParity: 'odd' },
    ],
    [
      'warm restarts every 5 epochs',
      (e: number) => 0.01 * (1 - ((e - 1) % 5) / 5),
      { pattern: 'cycling', period: 5 },
    ],
    [
      'noise without a cycle',
      (e: number) => 0.001 * (1 + (((e * 7919) % 13) - 6) / 20),
      { pattern: 'irregular', period: null },
    ],
  ] as const)('%s', (_, lr, expected) => {
    expect(readLearningRate(run(lr))).toMatchObject(expected);
  });

  it('no lr column: null', () => {
    expect(readLearningRate(syntheticRun([{ loss: 1 }, { loss: 0.5 }, { loss: 0.4 }]))).toBeNull();
  });
});
