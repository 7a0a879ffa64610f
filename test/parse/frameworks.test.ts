/**
 * Console output of PyTorch loops and training libraries (fixtures/parse/frameworks, sources in its
 * README): each shape reads into the records it prints, with the phase roles of its labels, whatever
 * the chunking.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Run as RunSchema, type Run } from '../../src/model/index.js';
import { isAccuracyName, isValidationName, metricPhase, trainingTwin } from '../../src/model/roles.js';
import { parseText } from '../../src/parse/index.js';
import { parseChunks, prng, splitAt } from './chunking.js';

const dir = new URL('../../fixtures/parse/frameworks/', import.meta.url);
const read = (file: string): Uint8Array => readFileSync(new URL(file, dir));

interface Case {
  file: string;
  dialect: string;
  /** Records per run. */
  records: number[];
  /** Every metric of the last record of the last run, exactly. */
  last: Record<string, number>;
  /** The phase of each named metric in its run (the run's format knowledge, then the name; null: training by default). */
  phases?: Record<string, 'train' | 'validation' | 'test' | null>;
  axis?: Run['axis'];
  /** `kind@line` of every issue. */
  issues?: string[];
  check?: (runs: Run[]) => void;
}

const THREE_EPOCHS = { Loss: 0.603, 'Val Loss': 0.655, 'Val Acc': 0.74 };

const cases: Case[] = [
  {
    file: 'bentrevett-val-dot.log',
    dialect: 'epoch-lines',
    records: [3],
    last: { 'Train Loss': 0.65, 'Train Acc': 61.33, 'Val. Loss': 0.602, 'Val. Acc': 68.4 },
    phases: { 'Train Loss': 'train', 'Val. Loss': 'validation', 'Val. Acc': 'validation' },
    // the final `Test Loss: ... | Test Acc: ...` after training is not an epoch
    issues: ['orphan-metrics@11'],
    check: (runs) => expect(runs[0]?.epochs.map((e) => e.seconds)).toEqual([7, 7, 6]),
  },
  {
    file: 'dash-phase-labels.log',
    dialect: 'epoch-lines',
    records: [3],
    last: {
      'Training Loss': 0.312,
      'Training Accuracy': 0.8955,
      'Validation Loss': 0.4105,
      'Validation Accuracy': 0.859,
    },
    phases: {
      'Training Loss': 'train',
      'Validation Loss': 'validation',
      'Validation Accuracy': 'validation',
    },
  },
  {
    file: 'ignite-results.log',
    dialect: 'epoch-lines',
    records: [3],
    last: {
      'Training Avg accuracy': 0.96,
      'Training Avg loss': 0.12,
      'Validation Avg accuracy': 0.96,
      'Validation Avg loss': 0.13,
    },
    phases: { 'Training Avg loss': 'train', 'Validation Avg accuracy': 'validation' },
    check: (runs) => {
      expect(runs[0]?.epochs[0]?.metrics).toEqual({
        Loss: 2.17,
        'Training Avg accuracy': 0.91,
        'Training Avg loss': 0.29,
        'Validation Avg accuracy': 0.92,
        'Validation Avg loss': 0.27,
      });
      // `Avg` is not part of the role
      expect(isAccuracyName('Validation Avg accuracy')).toBe(true);
      expect(trainingTwin('Validation Avg loss', Object.keys(runs[0]?.epochs[2]?.metrics ?? {}))).toBe(
        'Training Avg loss',
      );
    },
  },
  {
    file: 'torchvision-metriclogger.log',
    dialect: 'epoch-lines',
    records: [2],
    // the global averages of the epoch's last step line; `eta`, `img/s`, `time`, `data`, `max mem` are
    // not metrics; `Test:  Acc@1 ...` is the evaluation's summary
    last: {
      lr: 0.1,
      loss: 3.61,
      acc1: 20.1,
      acc5: 47.3,
      'Test loss': 3.22,
      'Test acc1': 24.33,
      'Test acc5': 51.2,
      'Test Acc@1': 24.33,
      'Test Acc@5': 51.2,
    },
    phases: { loss: null, 'Test loss': 'test', 'Test Acc@1': 'test' },
    check: (runs) => {
      expect(runs[0]?.epochs.map((e) => [e.epochValue, e.seconds])).toEqual([
        [0, 102],
        [1, 100],
      ]);
    },
  },
  {
    file: 'imagenet-progressmeter.log',
    dialect: 'epoch-lines',
    records: [2],
    // the ` * Acc@1 ... Acc@5 ...` summary belongs to the `Test:` block before it
    last: {
      Loss: 4.5,
      'Acc@1': 14.1,
      'Acc@5': 33.2,
      'Test Loss': 4.1,
      'Test Acc@1': 18.12,
      'Test Acc@5': 44.05,
    },
    phases: { 'Acc@1': null, 'Test Acc@1': 'test' },
  },
  {
    file: 'transfer-learning-tutorial.log',
    dialect: 'epoch-lines',
    records: [3],
    last: { 'train Loss': 0.3623, 'train Acc': 0.84, 'val Loss': 0.3712, 'val Acc': 0.84 },
    phases: { 'train Loss': 'train', 'val Acc': 'validation' },
    // `Best val Acc: 0.850000` after training is a summary
    issues: ['orphan-metrics@17'],
  },
  {
    file: 'mmcv-epoch-val.log',
    dialect: 'epoch-lines',
    records: [2],
    last: { lr: 0.001, loss_rpn_cls: 0.09, loss: 0.8, 'val bbox_mAP': 0.251, 'val bbox_mAP_50': 0.43 },
    phases: { 'val bbox_mAP': 'validation' },
  },
  {
    file: 'torchvision-detection-coco.log',
    dialect: 'epoch-lines',
    records: [2],
    // `model_time`, `evaluator_time` and `DONE (t=5.00s)` are timing; pycocotools' summary lines are the
    // evaluation's metrics, named by their IoU type
    last: {
      lr: 0.02,
      loss: 0.9,
      loss_classifier: 0.3,
      loss_box_reg: 0.3,
      'bbox AP@[IoU=0.50:0.95|area=all|maxDets=100]': 0.251,
      'bbox AP@[IoU=0.50|area=all|maxDets=100]': 0.43,
      'bbox AR@[IoU=0.50:0.95|area=large|maxDets=100]': 0.52,
    },
    phases: { loss: null, 'bbox AP@[IoU=0.50:0.95|area=all|maxDets=100]': 'validation' },
    check: (runs) => expect(runs[0]?.epochs.map((e) => e.seconds)).toEqual([3720, 3660]),
  },
  {
    file: 'mmengine-epochs.log',
    dialect: 'epoch-lines',
    records: [2],
    last: { lr: 0.001, loss: 1.2011, loss_cls: 1.2011, 'val accuracy/top1': 66.5, 'val accuracy/top5': 88.1 },
    phases: { loss: null, 'val accuracy/top1': 'validation' },
    check: (runs) => expect(runs[0]?.epochs.map((e) => e.epoch)).toEqual([1, 2]),
  },
  {
    file: 'mmdet-bbox.log',
    dialect: 'epoch-lines',
    records: [2],
    // `bbox_mAP_copypaste: 0.251 0.430 ...` is six numbers, not a metric
    last: {
      base_lr: 0.02,
      lr: 0.02,
      grad_norm: 3.5,
      loss: 0.8,
      loss_rpn_cls: 0.09,
      loss_bbox: 0.18,
      'val coco/bbox_mAP': 0.251,
      'val coco/bbox_mAP_50': 0.43,
      'val coco/bbox_mAP_75': 0.26,
    },
    phases: { 'val coco/bbox_mAP': 'validation' },
  },
  {
    file: 'timm-train.log',
    dialect: 'epoch-lines',
    records: [2],
    // an epoch is its Train block and its Test block; the last Test line holds the averages
    last: {
      'Train Loss': 6.1,
      'Train LR': 0.0002008,
      'Test Loss': 5.15,
      'Test Acc@1': 9.87,
      'Test Acc@5': 26.9,
    },
    phases: { 'Train Loss': 'train', 'Test Loss': 'test', 'Test Acc@1': 'test' },
    check: (runs) => {
      expect(runs[0]?.epochs.map((e) => [e.epoch, e.epochValue, e.seconds])).toEqual([
        [1, 0, null],
        [2, 1, null],
      ]);
    },
  },
  {
    file: 'catboost-verbose.log',
    dialect: 'boosting-rounds',
    records: [4],
    last: { learn: 0.6501221, test: 0.6671 },
    phases: { learn: 'train', test: 'validation' },
    axis: 'round',
    check: (runs) => {
      expect(runs[0]?.epochs.map((e) => e.round)).toEqual([0, 1, 2, 3]);
      expect(isValidationName('test')).toBe(true);
      expect(trainingTwin('test', ['learn', 'test'])).toBe('learn');
    },
  },
  {
    file: 'lightgbm-did-not-meet.log',
    dialect: 'boosting-rounds',
    records: [3],
    last: { "valid_0's l2": 0.228 },
    phases: { "valid_0's l2": 'validation' },
    axis: 'round',
    // the best iteration printed again is a summary, and the run did not stop early
    check: (runs) => expect(runs[0]?.events).toEqual([]),
  },
  {
    file: 'lightgbm-early-stopping.log',
    dialect: 'boosting-rounds',
    records: [4],
    last: { "training's binary_logloss": 0.52, "valid_1's binary_logloss": 0.63 },
    axis: 'round',
    check: (runs) => expect(runs[0]?.events.map((e) => `${e.kind}@${e.epoch}`)).toEqual(['early-stopping@4']),
  },
  {
    file: 'pytorch-mnist.log',
    dialect: 'epoch-lines',
    records: [2],
    // the accuracy is the exact count 9890/10000, not the rounded (99%)
    last: { 'Train Loss': 0.010231, 'Test Average loss': 0.0335, 'Test Accuracy': 0.989 },
    phases: { 'Train Loss': 'train', 'Test Accuracy': 'test' },
    check: (runs) => {
      expect(runs[0]?.epochs[0]?.metrics['Test Accuracy']).toBe(0.9842);
      expect(runs[0]?.datasets.map((d) => [d.role, d.count, d.source])).toEqual([
        ['validation', 10000, 'counted'],
      ]);
    },
  },
  {
    file: 'accelerate-epoch-dict.log',
    dialect: 'epoch-lines',
    records: [3],
    last: { accuracy: 0.8480392156862745, f1: 0.8943661971830986 },
    phases: { accuracy: 'validation', f1: 'validation' },
    check: (runs) =>
      expect(runs[0]?.epochs.map((e) => [e.epoch, e.epochValue])).toEqual([
        [1, 0],
        [2, 1],
        [3, 2],
      ]),
  },
  {
    file: 'sklearn-mlp.log',
    dialect: 'epoch-lines',
    records: [4],
    last: { loss: 0.52233211 },
    phases: { loss: null },
    check: (runs) => expect(runs[0]?.events.map((e) => `${e.kind}@${e.epoch}`)).toEqual(['early-stopping@4']),
  },
  {
    file: 'sklearn-mlp-validation.log',
    dialect: 'epoch-lines',
    records: [3],
    last: { loss: 0.55012345, 'Validation score': 0.8375 },
    phases: { 'Validation score': 'validation' },
    check: (runs) => expect(runs[0]?.events.map((e) => `${e.kind}@${e.epoch}`)).toEqual(['early-stopping@3']),
  },
  {
    file: 'tf-estimator.log',
    dialect: 'epoch-lines',
    records: [3],
    last: { accuracy: 0.9153, loss: 0.281 },
    phases: { accuracy: 'validation', loss: 'validation' },
    axis: 'step',
    check: (runs) =>
      expect(runs[0]?.epochs.map((e) => [e.epoch, e.step])).toEqual([
        [1, 1000],
        [2, 2000],
        [3, 3000],
      ]),
  },
  { file: 'prefix-rank.log', dialect: 'epoch-lines', records: [3], last: THREE_EPOCHS },
  { file: 'prefix-srun.log', dialect: 'epoch-lines', records: [3], last: THREE_EPOCHS },
  { file: 'prefix-glog.log', dialect: 'epoch-lines', records: [3], last: THREE_EPOCHS },
  { file: 'prefix-python-logging.log', dialect: 'epoch-lines', records: [3], last: THREE_EPOCHS },
  {
    file: 'lightning-cr-joined.log',
    dialect: 'lightning-console',
    records: [3],
    last: { loss: 0.12, val_loss: 0.19 },
    // every epoch's final frame counts, not only the line's last frame
    check: (runs) => {
      expect(runs[0]?.epochs.map((e) => [e.epochValue, e.metrics['val_loss']])).toEqual([
        [0, 0.25],
        [1, 0.21],
        [2, 0.19],
      ]);
    },
  },
];

describe('training-library console shapes (fixtures/parse/frameworks)', () => {
  test.each(cases)('$file: $records records', (c) => {
    const { runs, issues, summary } = parseText(read(c.file), { file: c.file });
    expect(summary.dialect).toBe(c.dialect);
    expect(runs.map((r) => r.epochs.length)).toEqual(c.records);
    expect(runs.at(-1)?.epochs.at(-1)?.metrics).toEqual(c.last);
    for (const run of runs) {
      expect(RunSchema.safeParse(run).success).toBe(true);
      if (c.axis !== undefined) expect(run.axis).toBe(c.axis);
    }
    const run = runs.at(-1);
    for (const [name, phase] of Object.entries(c.phases ?? {})) {
      expect({ name, phase: run === undefined ? null : metricPhase(name, run) }).toEqual({ name, phase });
    }
    expect(issues.map((i) => `${i.kind}@${i.line}`)).toEqual(c.issues ?? []);
    c.check?.(runs);
  });
});

describe('chunking does not change the records of these shapes', () => {
  test.each(cases.map((c) => c.file))('%s: every two-way split and 40 random many-way splits', (file) => {
    const bytes = read(file);
    const whole = parseChunks([bytes]);
    expect(whole.runs.length).toBeGreaterThan(0);
    const expected = JSON.stringify(whole);
    const step = Math.max(1, Math.floor(bytes.length / 150));
    for (let cut = 1; cut < bytes.length; cut += step) {
      expect(JSON.stringify(parseChunks(splitAt(bytes, [cut])))).toBe(expected);
    }
    const random = prng(bytes.length);
    for (let round = 0; round < 40; round += 1) {
      const n = 1 + Math.floor(random() * 30);
      const cuts = Array.from({ length: n }, () => 1 + Math.floor(random() * (bytes.length - 1)));
      expect(JSON.stringify(parseChunks(splitAt(bytes, cuts)))).toBe(expected);
    }
  });

  test('the \\r-joined Lightning bar split at every byte keeps each epoch', () => {
    const bytes = read('lightning-cr-joined.log');
    const expected = JSON.stringify(parseChunks([bytes]));
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(JSON.stringify(parseChunks(splitAt(bytes, [cut])))).toBe(expected);
    }
    expect(
      JSON.stringify(
        parseChunks(
          splitAt(
            bytes,
            Array.from({ length: bytes.length }, (_, i) => i),
          ),
        ),
      ),
    ).toBe(expected);
  });
});
