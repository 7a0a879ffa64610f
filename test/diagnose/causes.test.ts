import { describe, expect, it } from 'vitest';
import { CAUSES, findCause } from '../../src/diagnose/causes/index.js';
import { buildContext } from '../../src/diagnose/context.js';
import type { Verdict } from '../../src/model/index.js';
import { scenario } from './scenarios.js';

function assess(causeId: string, scenarioName: string) {
  const cause = findCause(causeId);
  if (!cause) throw new Error(`no cause ${causeId}`);
  const s = scenario(scenarioName);
  return cause.assess(s.findings, s.run, buildContext(s.run, s.hints));
}

const table: Array<[cause: string, scenario: string, verdict: Verdict]> = [
  ['validation-slice-rotation', 'seed', 'ruled-out'],
  ['validation-slice-rotation', 'seed, valBatchSize 16', 'confirmed'],
  ['validation-slice-rotation', 'seed, valSteps 163', 'confirmed'],
  ['validation-slice-rotation', 'seed, stated b 32 and s 325', 'ruled-out'],
  ['validation-slice-rotation', 'seed, valShuffle true', 'ruled-out'],
  ['validation-slice-rotation', 'seed, valData arrays', 'ruled-out'],
  ['validation-slice-rotation', 'alternation, sizes unknown', 'possible'],
  ['validation-slice-rotation', 'training alternates too', 'unlikely'],
  ['validation-slice-rotation', 'irregular swings', 'unlikely'],
  ['fixed-truncated-subset', 'seed', 'ruled-out'],
  ['fixed-truncated-subset', 'seed, valBatchSize 16', 'unlikely'],
  ['fixed-truncated-subset', 'truncated subset, stuck', 'likely'],
  ['fixed-truncated-subset', 'seed, valData arrays', 'ruled-out'],
  ['extra-validation-draws', 'seed', 'possible'],
  ['extra-validation-draws', 'seed, valBatchSize 16', 'unlikely'],
  ['extra-validation-draws', 'seed, prefetch geometry', 'likely'],
  ['extra-validation-draws', 'seed, valShuffle true', 'ruled-out'],
  // a Sequence persists or restarts depending on the version (causes.md §2.2)
  ['extra-validation-draws', 'seed, valData sequence', 'possible'],
  ['extra-validation-draws', 'seed, valData sequence, tf.keras 2.6', 'unlikely'],
  ['validation-slice-rotation', 'seed, valData sequence, tf.keras 2.6', 'ruled-out'],
  ['validation-slice-rotation', 'seed, valBatchSize 16, valData sequence, Keras 2.2.4', 'confirmed'],
  ['validation-slice-rotation', 'seed, valBatchSize 16, valData dataset, Keras 3', 'ruled-out'],
  ['fixed-truncated-subset', 'seed, valBatchSize 16, valData sequence, Keras 2.2.4', 'unlikely'],
  ['extra-validation-draws', 'alternation, sizes unknown', 'possible'],
  ['extra-validation-draws', 'training alternates too', 'unlikely'],
  ['worker-duplication', 'seed', 'possible'],
  ['worker-duplication', 'seed, workers 1', 'ruled-out'],
  ['worker-duplication', 'seed, workers 2', 'likely'],
  ['worker-duplication', 'seed, workers 4', 'unlikely'],
  ['worker-duplication', 'seed, valData arrays', 'ruled-out'],
  ['worker-duplication', 'irregular swings', 'unlikely'],
  ['random-validation', 'seed', 'unlikely'],
  ['random-validation', 'irregular swings', 'possible'],
  ['random-validation', 'irregular swings, batchnorm and shuffled validation', 'likely'],
  ['batchnorm-statistics', 'seed', 'unlikely'],
  ['batchnorm-statistics', 'seed, batchnorm true', 'unlikely'],
  ['batchnorm-statistics', 'seed, batchnorm false', 'ruled-out'],
  ['batchnorm-statistics', 'irregular swings', 'possible'],
  ['batchnorm-statistics', 'irregular swings, batchnorm and shuffled validation', 'likely'],
  ['dropout-averaging-gap', 'seed', 'ruled-out'],
  ['dropout-averaging-gap', 'validation better than training, overfitting late', 'likely'],
  ['dropout-averaging-gap', 'validation stuck, validation better than training', 'possible'],
  ['preprocessing-mismatch', 'seed', 'unlikely'],
  ['preprocessing-mismatch', 'validation stuck at chance', 'likely'],
  ['learning-rate-too-high', 'seed', 'unlikely'],
  ['learning-rate-too-high', 'training alternates too', 'likely'],
  ['learning-rate-too-high', 'diverging training', 'likely'],
  ['cyclic-learning-rate', 'seed', 'possible'],
  ['cyclic-learning-rate', 'training alternates too', 'likely'],
  ['cyclic-learning-rate', 'logged learning rate cycles', 'confirmed'],
  ['cyclic-learning-rate', 'logged learning rate only steps down', 'ruled-out'],
  ['cyclic-learning-rate', 'irregular swings', 'unlikely'],
  ['weight-averaging-swap', 'seed', 'possible'],
  ['weight-averaging-swap', 'training alternates too', 'unlikely'],
  ['weight-averaging-swap', 'irregular swings', 'unlikely'],
  ['validation-freq-gaps', 'seed', 'ruled-out'],
  ['validation-freq-gaps', 'validation every other epoch', 'likely'],
  ['validation-freq-gaps', 'forward-filled validation', 'likely'],
  ['class-sorted-training-data', 'seed', 'ruled-out'],
  ['class-sorted-training-data', 'training alternates too', 'likely'],
  ['class-sorted-training-data', 'alternation, sizes unknown', 'unlikely'],
  ['sampling-noise', 'seed', 'ruled-out'],
  ['sampling-noise', 'small validation set, small swings', 'likely'],
  ['sampling-noise', 'validation better than training, overfitting late', 'unlikely'],
  ['fixed-truncated-subset', 'validation better than training, overfitting late', 'possible'],
  ['fixed-truncated-subset', 'diverging training', 'unlikely'],
];

describe('verdicts by cause and scenario', () => {
  it.each(table)('%s on "%s" → %s', (cause, name, verdict) => {
    expect(assess(cause, name).verdict).toBe(verdict);
  });

  it('covers every cause', () => {
    const covered = new Set(table.map(([cause]) => cause));
    expect(CAUSES.map((c) => c.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('the numbers behind the verdicts', () => {
  const ids = (causeId: string, name: string) => assess(causeId, name).reasons.map((r) => r.messageId);
  const data = (causeId: string, name: string, messageId: string) =>
    assess(causeId, name).reasons.find((r) => r.messageId === messageId)?.data;

  it('slice rotation with b = 16 predicts the halves of the set on odd and even epochs', () => {
    expect(data('validation-slice-rotation', 'seed, valBatchSize 16', 'windows')).toMatchObject({
      oddImages: '0–5199',
      evenImages: '5200–10399',
      parity: 'odd',
    });
    expect(data('validation-slice-rotation', 'seed, valBatchSize 16', 'predicts-period-near')).toMatchObject({
      shift: 325,
      half: 325.5,
      phaseEpochs: 651,
    });
    expect(ids('validation-slice-rotation', 'seed, valBatchSize 16')).toContain('geometry-assumed-steps');
  });

  it('slice rotation with class counts reproduces the §2.4 class-0 fractions', () => {
    expect(
      data('validation-slice-rotation', 'seed, valBatchSize 16 with class counts', 'class-fractions'),
    ).toMatchObject({ fractions: '1.000, 0.000, 1.000, 0.003' });
  });

  it('slice rotation with s = 163 is exactly period 2', () => {
    expect(ids('validation-slice-rotation', 'seed, valSteps 163')).toContain('predicts-period-exact');
  });

  it('stated numbers are ruled out without the "implied numbers" caveat', () => {
    const reasons = ids('validation-slice-rotation', 'seed, stated b 32 and s 325');
    expect(reasons).not.toContain('ruled-out-for-numbers');
    expect(reasons).not.toContain('geometry-assumed-batch');
    expect(reasons).toContain('alternative-batch-near');
  });

  it('extra draws with the question numbers need about half a pass', () => {
    expect(data('extra-validation-draws', 'seed', 'needs-many')).toMatchObject({
      extraDraws: 164,
      passFraction: 0.5,
    });
    expect(data('extra-validation-draws', 'seed, prefetch geometry', 'prefetch-fits')).toMatchObject({
      extraDraws: 10,
      draws: 16,
      shift: 16,
      passLength: 32,
    });
  });

  it('class-sorted training is ruled out because each epoch draws 910 of 911 batches', () => {
    expect(data('class-sorted-training-data', 'seed', 'full-pass')).toMatchObject({
      steps: 910,
      passLength: 911,
      covered: 29120,
      samples: 29124,
    });
  });

  it('learning rate: the smooth training loss of the question', () => {
    expect(data('learning-rate-too-high', 'seed', 'train-smooth')).toMatchObject({
      lossMetric: 'loss',
      rises: 7,
      intervals: 38,
      maxRisePercent: 3.4,
    });
  });

  it('sampling noise of the question: 0.2 swing against a 0.3-point standard error', () => {
    expect(data('sampling-noise', 'seed', 'noise-ratio')).toMatchObject({ samples: 10401, swing: 0.2 });
  });

  it('weight averaging quotes the overwrite frequency that would give period 2', () => {
    expect(data('weight-averaging-swap', 'seed', 'swap-frequency')).toMatchObject({
      iterations: 1820,
      steps: 910,
    });
  });
});
