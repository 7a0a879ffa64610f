import { describe, expect, test } from 'vitest';
import { cadencePhases } from '../../src/model/roles.js';
import { parseText } from '../../src/parse/index.js';

/**
 * An accuracy without a phase word printed on an evaluation cadence (every k-th epoch) beside the loss of
 * every epoch is held-out (`test`); the near misses are not.
 */
function log(epochs: number, extra: (epoch: number) => string, loss = 'loss'): string {
  const lines: string[] = [];
  for (let e = 1; e <= epochs; e += 1)
    lines.push(`Epoch ${e} | ${loss} ${(2 - e / 50).toFixed(4)}${extra(e)}`);
  return lines.join('\n') + '\n';
}

const at =
  (epochs: readonly number[], name = 'Acc') =>
  (e: number) =>
    epochs.includes(e) ? ` | ${name} ${(10 + e / 10).toFixed(2)}% | infer 4.5s` : '';

describe('cadencePhases', () => {
  test.each([
    {
      name: 'Acc every 5th epoch (the NoProp shape)',
      text: log(40, (e) => at([5, 10, 15, 20, 25, 30, 35, 40])(e)),
      phases: { Acc: 'test' },
    },
    {
      name: 'every 4th, a final evaluation after a shorter gap',
      text: log(18, at([4, 8, 12, 16, 18])),
      phases: { Acc: 'test' },
    },
    {
      name: 'lower-case accuracy every 3rd epoch',
      text: log(30, at([3, 6, 9, 12, 15, 18, 21, 24, 27, 30], 'accuracy')),
      phases: { accuracy: 'test' },
    },
    // near misses
    { name: 'irregular evaluations (5, 10, 12, 20)', text: log(20, at([5, 10, 12, 20])), phases: {} },
    { name: 'two evaluations only', text: log(20, at([10, 20])), phases: {} },
    {
      name: 'Acc in every epoch: a training metric',
      text: log(20, (e) => ` | Acc ${(10 + e).toFixed(2)}%`),
      phases: {},
    },
    {
      name: 'on more than half the epochs (1, 3, 5 of 5)',
      text: log(5, at([1, 3, 5])),
      phases: {},
    },
    {
      name: 'a phase word says training: train_acc every 5th epoch',
      text: log(30, at([5, 10, 15, 20, 25, 30], 'train_acc')),
      phases: {},
    },
    {
      name: 'the run already prints a validation metric',
      text: log(30, (e) => `${at([5, 10, 15, 20, 25, 30])(e)} | val_loss ${(2 - e / 40).toFixed(3)}`),
      phases: {},
    },
  ])('$name', ({ text, phases }) => {
    const { runs } = parseText(text);
    expect(runs).toHaveLength(1);
    expect(cadencePhases(runs[0]!)).toEqual(phases);
  });
});
