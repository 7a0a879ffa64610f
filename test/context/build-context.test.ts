import { describe, expect, it } from 'vitest';
import { buildContext, findLearningRateChanges, inferBatchSize } from '../../src/context/index.js';
import { RunContext } from '../../src/model/index.js';
import { realRun, realRuns, syntheticRun } from '../diagnose/helpers.js';

describe('inferBatchSize', () => {
  it.each([
    { name: 'the question: 29124 in 910 → 32 (floor)', n: 29124, s: 910, value: 32, floor: [32], ceil: [] },
    { name: 'exact division: 2000 in 100 → 20', n: 2000, s: 100, value: 20, floor: [20], ceil: [20] },
    { name: 'ceil only: 60000 in 469 → 128', n: 60000, s: 469, value: 128, floor: [], ceil: [128] },
    {
      name: 'ambiguous: 730 in 22 → 32, 33 (floor) or 34 (ceil)',
      n: 730,
      s: 22,
      value: null,
      floor: [32, 33],
      ceil: [34],
    },
    { name: 'impossible: 1600 in 1875', n: 1600, s: 1875, value: null, floor: [], ceil: [] },
  ])('$name', ({ n, s, value, floor, ceil }) => {
    const inference = inferBatchSize(n, s);
    expect(inference.value).toBe(value);
    expect(inference.floor).toEqual(floor);
    expect(inference.ceil).toEqual(ceil);
    expect(inference.note.length).toBeGreaterThan(0);
  });

  it('one step says nothing: every b in (250, 500] floors to 1', () => {
    const inference = inferBatchSize(500, 1);
    expect(inference.value).toBeNull();
    expect(inference.floor).toHaveLength(250);
    expect(inference.note).toMatch(/1 step/);
  });

  it('says how the question value was derived', () => {
    expect(inferBatchSize(29124, 910).note).toMatch(/floor\(29124 \/ 32\) = 910.*911/);
  });
});

describe('buildContext from real logs', () => {
  it('the question: two Found lines, 910 steps, implied batch 32', () => {
    const context = buildContext(realRun('crossvalidated-416172.txt'), {});
    expect(RunContext.parse(context)).toEqual(context);
    expect(context.trainSamples).toMatchObject({ value: 29124, source: 'log', line: 7 });
    expect(context.trainSamples?.note).toMatch(/ImageDataGenerator/);
    expect(context.valSamples).toMatchObject({ value: 10401, source: 'log', line: 7 });
    expect(context.valSamples?.note).toMatch(/ImageDataGenerator/);
    expect(context.classes).toMatchObject({ value: 2, source: 'log' });
    expect(context.stepsPerEpoch).toMatchObject({ value: 910, source: 'log' });
    expect(context.batchSize).toMatchObject({ value: 32, source: 'derived' });
    expect(context.valBatchSize).toBeNull();
    expect(context.valSteps).toBeNull();
    expect(context.batchnorm).toBeNull();
    expect(context.lrChanges).toEqual([]);
  });

  it('flags override the log and the note keeps what the log said', () => {
    const context = buildContext(realRun('crossvalidated-416172.txt'), {
      valSamples: 10000,
      valBatchSize: 16,
      batchnorm: false,
      valClassCounts: [5200, 5201],
    });
    expect(context.valSamples).toMatchObject({ value: 10000, source: 'flag', line: null });
    expect(context.valSamples?.note).toMatch(/10401.*line 7/);
    expect(context.valBatchSize).toMatchObject({ value: 16, source: 'flag' });
    expect(context.batchnorm).toMatchObject({ value: false, source: 'flag' });
    expect(context.classes).toMatchObject({ value: 2, source: 'flag' });
    expect(context.valClassCounts?.value).toEqual([5200, 5201]);
  });

  it('ambiguous batch size: null, and the steps note says why', () => {
    const context = buildContext(realRun('yoga-pose-issue-1-found-images.txt'), {});
    expect(context.trainSamples?.value).toBe(730);
    expect(context.valSamples?.value).toBe(109);
    expect(context.classes?.value).toBe(10);
    expect(context.stepsPerEpoch?.value).toBe(22);
    expect(context.batchSize).toBeNull();
    expect(context.stepsPerEpoch?.note).toMatch(/ambiguous.*32, 33, 34/);
  });

  it('exact division with verbose-2 counters', () => {
    const context = buildContext(realRun('deeplearningai-342748-verbose2.txt'), {});
    expect(context.trainSamples?.value).toBe(2000);
    expect(context.valSamples?.value).toBe(1000);
    expect(context.stepsPerEpoch?.value).toBe(100);
    expect(context.batchSize).toMatchObject({ value: 20, source: 'derived' });
  });

  it('`Train on N samples, validate on M samples` carries its roles', () => {
    const context = buildContext(realRuns('kanji-keras1-verbose2-3runs.log')[0]!, {});
    expect(context.trainSamples).toMatchObject({ value: 400000, source: 'log', line: 1 });
    expect(context.valSamples).toMatchObject({ value: 10000, source: 'log' });
    expect(context.stepsPerEpoch).toBeNull();
    expect(context.batchSize).toBeNull();
  });

  it('a log without dataset lines knows nothing about sizes', () => {
    const context = buildContext(realRun('voice-identification-training.log'), {});
    expect(context.trainSamples).toBeNull();
    expect(context.valSamples).toBeNull();
    expect(context.classes).toBeNull();
  });

  it('lr changes from ReduceLROnPlateau lines and the learning_rate column agree', () => {
    const run = realRun('golf-mnist-crnn-keras3-last5.txt');
    expect(findLearningRateChanges(run)).toEqual([57, 60]);
    expect(buildContext(run, {}).lrChanges).toEqual([57, 60]);
  });

  it('lr changes from a CSVLogger learning_rate column', () => {
    expect(buildContext(realRun('bloodgroup-lr-training_log.csv'), {}).lrChanges).toEqual([
      11, 19, 23, 29, 32,
    ]);
  });

  it('every real run yields a valid context', () => {
    for (const file of [
      'adam-optimisation-keras3-mnist.txt',
      'bloodgroup-lr-training_log.csv',
      'cs294-tfkeras-6runs-markdown.txt',
      'keras-issue-2937-cifar10-excerpt.txt',
      'locator-issue-23-reducelr-excerpt.txt',
      'vertexnn-notebook-nan-stream.txt',
    ]) {
      for (const run of realRuns(file)) {
        const context = buildContext(run, {});
        expect(RunContext.parse(context)).toEqual(context);
        for (const key of ['trainSamples', 'valSamples', 'stepsPerEpoch', 'batchSize'] as const) {
          const fact = context[key];
          if (fact?.source === 'derived') expect(fact.note).not.toBeNull();
        }
      }
    }
  });
});

describe('buildContext on hand-made runs', () => {
  const found = (count: number, line: number) => ({
    source: 'found' as const,
    role: 'unknown' as const,
    count,
    unit: 'images',
    classes: 2,
    line,
  });

  it('`Using N files` lines make `Found` lines totals', () => {
    const run = syntheticRun([{ loss: 1, val_loss: 1 }], {
      steps: 50,
      datasets: [
        found(2000, 1),
        { source: 'using', role: 'train', count: 1600, unit: 'files', classes: null, line: 2 },
        { source: 'using', role: 'validation', count: 400, unit: 'files', classes: null, line: 3 },
      ],
    });
    const context = buildContext(run, {});
    expect(context.trainSamples).toMatchObject({ value: 1600, line: 2 });
    expect(context.valSamples).toMatchObject({ value: 400, line: 3 });
    expect(context.batchSize?.value).toBe(32);
  });

  it('a single Found line is taken as the training set, with a note', () => {
    const context = buildContext(syntheticRun([{ loss: 1 }], { steps: 16, datasets: [found(500, 1)] }), {});
    expect(context.trainSamples?.value).toBe(500);
    expect(context.trainSamples?.note).toMatch(/only/);
    expect(context.valSamples).toBeNull();
  });

  it('`Train for N steps, validate for M steps` gives both step counts', () => {
    const run = syntheticRun([{ loss: 1, val_loss: 1 }], {
      datasets: [
        { source: 'train-on', role: 'train', count: 1875, unit: 'steps', classes: null, line: 1 },
        { source: 'train-on', role: 'validation', count: 313, unit: 'steps', classes: null, line: 1 },
      ],
    });
    const context = buildContext(run, { valSamples: 10000, trainSamples: 60000 });
    expect(context.stepsPerEpoch).toMatchObject({ value: 1875, source: 'log' });
    expect(context.valSteps).toMatchObject({ value: 313, source: 'log' });
    expect(context.batchSize?.value).toBe(32);
    expect(context.valBatchSize).toBeNull();
  });

  it('LearningRateScheduler messages count only when the rate changes; ReduceLROnPlateau applies from the next epoch', () => {
    const run = syntheticRun([{ loss: 1 }, { loss: 1 }, { loss: 1 }, { loss: 1 }, { loss: 1 }], {
      events: [
        { kind: 'lr-scheduled', epoch: 1, line: 1, lr: 0.01 },
        { kind: 'lr-scheduled', epoch: 2, line: 2, lr: 0.01 },
        { kind: 'lr-scheduled', epoch: 3, line: 3, lr: 0.005 },
        { kind: 'lr-reduced', epoch: 3, line: 4, lr: 0.001 },
      ],
    });
    expect(findLearningRateChanges(run)).toEqual([3, 4]);
  });
});
