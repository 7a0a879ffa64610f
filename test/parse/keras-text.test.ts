import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Run as RunSchema, type EventKind, type ParseIssue, type Run } from '../../src/model/index.js';
import { createParser, parseText } from '../../src/parse/index.js';

const dir = new URL('../../fixtures/parse/keras/', import.meta.url);

interface Case {
  file: string;
  /** Epoch numbers per run. */
  epochs: number[][];
  /** Selected metrics of the last epoch of the last run. */
  last?: Record<string, number>;
  /** `kind@epoch` of every event, in order (all runs). */
  events?: string[];
  /** `count unit role classes` of every dataset, in order (all runs). */
  datasets?: string[];
  /** `kind@line` of every issue. */
  issues?: string[];
  check?: (runs: Run[]) => void;
}

const cases: Case[] = [
  {
    file: 'newline-frames-keras2.log',
    epochs: [[1, 2]],
    last: { loss: 0.359, acc: 0.848, val_loss: 0.834, val_acc: 0.6604 },
    check: (runs) => expect(runs[0]?.epochs[1]?.line).toBe(12),
  },
  {
    file: 'backspace-frames-tfkeras.log',
    epochs: [[1, 2, 3]],
    last: { loss: 0.1667, accuracy: 0.83, val_loss: 0.0667, val_accuracy: 0.88 },
    events: ['checkpoint-improved@1', 'checkpoint-improved@2', 'checkpoint-improved@3'],
    check: (runs) => {
      const first = runs[0]?.events[0];
      expect(first?.kind === 'checkpoint-improved' && first.from).toBe(Number.POSITIVE_INFINITY);
      expect(runs[0]?.epochs[0]).toMatchObject({
        steps: { done: 1875, total: 1875 },
        seconds: 3,
        stepTime: 0.001,
      });
    },
  },
  {
    file: 'family-a-midword-cut.log',
    epochs: [[1, 2]],
    last: { loss: 0.15, acc: 0.95, val_loss: 0.09, val_acc: 0.97 },
    check: (runs) => expect(runs[0]?.epochs[0]).toMatchObject({ seconds: 10, stepTime: null }),
  },
  {
    file: 'keras3-ansi.log',
    epochs: [[1, 2]],
    last: { accuracy: 0.92, loss: 0.15, val_accuracy: 0.97, val_loss: 0.075, learning_rate: 0.001 },
    events: ['lr-reduced@2'],
  },
  { file: 'crlf-windows.log', epochs: [[1, 2]], last: { loss: 0.3, val_accuracy: 0.9 } },
  {
    file: 'no-header-single-epoch.log',
    epochs: [[1]],
    last: { loss: 0.297, val_accuracy: 0.9581 },
    issues: ['ignored-bar@2'],
    check: (runs) => expect(runs[0]?.epochs[0]?.of).toBeNull(),
  },
  {
    file: 'initial-epoch-unknown-target.log',
    epochs: [[11, 12, 13]],
    last: { loss: 0.65, val_loss: 0.74 },
    check: (runs) => expect(runs[0]?.epochs[0]).toMatchObject({ of: 13, steps: { done: 82, total: 82 } }),
  },
  {
    file: 'sample-counters.log',
    epochs: [[1, 2]],
    datasets: ['60000 samples train -', '10000 samples validation -'],
    check: (runs) => {
      expect(runs[0]?.epochs[0]?.countUnit).toBe('step');
      expect(runs[0]?.epochs[1]?.countUnit).toBe('sample');
      expect(runs[0]?.epochs[1]?.stepTime).toBeCloseTo(28e-6, 12);
    },
  },
  { file: 'verbose2-family-a.log', epochs: [[1, 2]], last: { loss: 0.03, val_acc: 0.003 } },
  { file: 'verbose2-family-b.log', epochs: [[1, 2]], last: { loss: -0.5, val_acc: 0.969 } },
  {
    file: 'verbose2-family-c.log',
    epochs: [[1, 2]],
    last: { loss: 0.37, accuracy: 0.865 },
    datasets: ['60000 samples train -'],
  },
  {
    file: 'verbose2-family-e.log',
    epochs: [[1, 2]],
    last: { lr: 1e-4, val_accuracy: 0.969 },
    check: (runs) => expect(runs[0]?.epochs[1]?.stepTime).toBeCloseTo(133e-6, 12),
  },
  { file: 'verbose2-family-f.log', epochs: [[1, 2]], last: { accuracy: 0.958, val_loss: 0.1 } },
  {
    file: 'values-and-names.log',
    epochs: [[1, 2, 3]],
    last: { auc_1: 0.92, output_1_loss: 1.2346e12, 'my metric/x': 0.001, learning_rate: 9.8765e-4 },
    check: (runs) => {
      const [e1, e2, e3] = runs[0]?.epochs ?? [];
      expect(e1?.metrics).toMatchObject({
        loss: 1e-4,
        output_1_loss: -0.5,
        val_binary_accuracy: 0,
        lr: 0.001,
      });
      expect(e2?.metrics.loss).toBeNaN();
      expect(e2?.metrics.output_1_loss).toBe(Number.POSITIVE_INFINITY);
      expect(e3?.metrics.loss).toBe(Number.NEGATIVE_INFINITY);
    },
  },
  {
    file: 'callbacks-keras2-placement.log',
    epochs: [[1, 2, 3]],
    events: [
      'lr-scheduled@1',
      'checkpoint-improved@1',
      'lr-scheduled@2',
      'checkpoint-not-improved@2',
      'lr-scheduled@3',
      'restore-best-weights@3',
      'checkpoint-not-improved@3',
      'early-stopping@3',
    ],
    check: (runs) => {
      const events = runs[0]?.events ?? [];
      expect(events[1]).toMatchObject({ monitor: 'val_loss', to: 0.4, path: 'ckpt/model-01.keras' });
      expect(events[2]).toMatchObject({ lr: 0.0005 });
      expect(events[5]).toMatchObject({ bestEpoch: 1 });
    },
  },
  {
    file: 'callbacks-keras3-placement.log',
    epochs: [[1, 2]],
    events: ['checkpoint-improved@1', 'terminate-nan@2', 'early-stopping@2', 'restore-best-weights@2'],
    check: (runs) => {
      expect(runs[0]?.events[0]).toMatchObject({ from: null, to: 0.4 });
      expect(runs[0]?.events[1]).toMatchObject({ batch: 12 });
      expect(runs[0]?.epochs[1]?.metrics.val_loss).toBeNaN();
    },
  },
  {
    file: 'family-a-zero-based-messages.log',
    epochs: [[1, 2]],
    events: ['checkpoint-improved@1', 'checkpoint-not-improved@2', 'lr-reduced@2'],
    last: { val_loss: 0.24 },
    check: (runs) => expect(runs[0]?.events[1]).toMatchObject({ best: null }),
  },
  {
    file: 'datasets.log',
    epochs: [[1]],
    datasets: [
      '29124 images unknown 2',
      '10401 validated image filenames unknown 3',
      '2000 files unknown 2',
      '1600 files train -',
      '400 files validation -',
      '500 images unknown -',
      '1875 steps train -',
      '313 steps validation -',
    ],
  },
  {
    file: 'noise-interleaved.log',
    epochs: [[1, 2]],
    last: { loss: 0.5, accuracy: 0.8, val_loss: 0.45, val_accuracy: 0.8 },
    issues: [],
  },
  {
    file: 'flattened-one-line.txt',
    epochs: [[1, 2, 3]],
    last: { loss: 1, acc: 0.55, val_loss: 0.95, val_acc: 0.6 },
    datasets: ['800 images unknown 4', '200 images unknown 4'],
    check: (runs) => expect(runs[0]?.epochs.map((e) => e.line)).toEqual([1, 1, 1]),
  },
  {
    file: 'two-runs-restart.log',
    epochs: [
      [1, 2],
      [1, 2, 3],
    ],
    last: { loss: 0.5 },
  },
  {
    file: 'truncated-mid-value.log',
    epochs: [[1, 2]],
    issues: ['truncated-epoch@6'],
  },
  { file: 'truncated-in-timing.log', epochs: [[1, 2]], last: { val_accuracy: 0.613 }, issues: [] },
  {
    file: 'hybrid-notebook-line.log',
    epochs: [[1, 2]],
    check: (runs) =>
      expect(runs[0]?.epochs[0]?.metrics).toEqual({
        loss: 0.3154,
        accuracy: 0.9034,
        val_loss: 0.3123,
        val_accuracy: 0.8872,
      }),
  },
  {
    file: 'wrapped-lines.log',
    epochs: [[1, 2]],
    last: { loss: 0.29, val_loss: 0.3, val_accuracy: 0.89 },
    check: (runs) => expect(runs[0]?.epochs[0]?.metrics.val_accuracy).toBe(0.8786),
  },
  { file: 'escaped-controls.log', epochs: [[1, 2]], last: { loss: 0.8, val_loss: 0.9 }, issues: [] },
  {
    file: 'launcher-prefixes.log',
    epochs: [[1, 2]],
    events: ['early-stopping@2'],
  },
  { file: 'r-markdown-prefix.log', epochs: [[1, 2, 3]], last: { loss: 0.3 } },
  {
    file: 'single-epoch-loop.log',
    epochs: [[1, 2, 3]],
    last: { loss: 0.7 },
    issues: ['ambiguous@3'],
  },
  { file: 'mojibake-and-remnants.log', epochs: [[1, 2]], last: { accuracy: 0.95, val_loss: 0.13 } },
  { file: 'unparsed-epoch-line.log', epochs: [[2]], issues: ['unparsed-epoch-line@2'] },
  {
    file: 'duplicate-final-and-evaluate.log',
    epochs: [[1, 2]],
    last: { loss: 0.8, val_loss: 0.9 },
    issues: ['ignored-bar@6'],
  },
  {
    file: 'checkpoint-every-epoch-keras2.log',
    epochs: [[1, 2]],
    events: ['checkpoint-saved@1', 'checkpoint-saved@2'],
    check: (runs) => expect(runs[0]?.events[1]).toMatchObject({ path: 'weights.02.hdf5', line: 8 }),
  },
  {
    file: 'tf21-double-header.log',
    epochs: [[1, 2]],
    last: { loss: 0, val_loss: 0 },
    datasets: ['4 samples train -', '2 samples validation -'],
    issues: [],
  },
  {
    file: 'python-escaped-controls.log',
    epochs: [[1, 2]],
    last: { loss: 0.8, val_loss: 0.9 },
    events: ['lr-scheduled@1', 'lr-scheduled@2'],
    issues: [],
    check: (runs) => {
      expect(runs[0]?.events[0]).toMatchObject({ lr: 0.0009048374 });
      expect(runs[0]?.epochs[0]?.metrics).toEqual({ loss: 0.9, val_loss: 0.95 });
    },
  },
  {
    file: 'corrupted-value.log',
    epochs: [[1, 2]],
    issues: ['bad-value@2'],
    check: (runs) => expect(runs[0]?.epochs[0]?.metrics).toEqual({ val_loss: 0.4 }),
  },
  {
    // console output that starts like JSON is still console output (the sniffer looks for Keras lines)
    file: 'starts-like-json-launcher.log',
    epochs: [[1]],
    last: { loss: 0.5, val_acc: 0.85 },
  },
  { file: 'starts-like-json-config-dict.log', epochs: [[1, 2]], last: { loss: 0.4, val_loss: 0.5 } },
  {
    file: 'glued-restore-message.log',
    epochs: [[77]],
    events: ['restore-best-weights@77', 'checkpoint-not-improved@77', 'early-stopping@77'],
  },
];

function describeIssues(issues: ParseIssue[]): string[] {
  return issues.map((i) => `${i.kind}@${i.line ?? '-'}`);
}

describe('Keras console output', () => {
  test.each(cases)('$file', (c) => {
    const { runs, issues, summary } = parseText(readFileSync(new URL(c.file, dir)), { file: c.file });
    for (const run of runs) expect(() => RunSchema.parse(run)).not.toThrow();
    expect(summary.dialect).toBe('keras-text');
    expect(runs.map((r) => r.epochs.map((e) => e.epoch))).toEqual(c.epochs);
    if (c.last) expect(runs.at(-1)?.epochs.at(-1)?.metrics).toMatchObject(c.last);
    if (c.events)
      expect(runs.flatMap((r) => r.events.map((e) => `${e.kind}@${e.epoch ?? '-'}`))).toEqual(c.events);
    if (c.datasets) {
      expect(
        runs.flatMap((r) => r.datasets.map((d) => `${d.count} ${d.unit} ${d.role} ${d.classes ?? '-'}`)),
      ).toEqual(c.datasets);
    }
    if (c.issues) expect(describeIssues(issues)).toEqual(c.issues);
    c.check?.(runs);
  });

  test('every event kind of the model is produced by some fixture', () => {
    const kinds = new Set<EventKind>();
    for (const c of cases) {
      const { runs } = parseText(readFileSync(new URL(c.file, dir)));
      for (const r of runs) for (const e of r.events) kinds.add(e.kind);
    }
    expect([...kinds].sort()).toEqual(
      [
        'checkpoint-improved',
        'checkpoint-not-improved',
        'checkpoint-saved',
        'early-stopping',
        'lr-reduced',
        'lr-scheduled',
        'restore-best-weights',
        'terminate-nan',
      ].sort(),
    );
  });
});

describe('live status: an epoch is announced when its final line arrives', () => {
  const final = (e: number, val: boolean): string =>
    `10/10 [==============================] - 1s 100ms/step - loss: 0.${9 - e}000${val ? ` - val_loss: 0.${8 - e}000` : ''}\n`;

  test.each([
    { name: 'with validation metrics: at the final line', val: true, announcedAfterFirst: [1] },
    { name: 'without validation: when the next epoch starts', val: false, announcedAfterFirst: [] },
  ])('$name', ({ val, announcedAfterFirst }) => {
    const announced: number[] = [];
    const runs: Run[] = [];
    const parser = createParser({ onRun: (r) => runs.push(r), onEpoch: (e) => announced.push(e.epoch) });
    parser.feed(`Epoch 1/3\n${final(1, val)}`.padEnd(8300, ' ')); // past the sniffing head
    expect(announced).toEqual(announcedAfterFirst);
    parser.feed(
      `\nEpoch 00001: val_loss improved from inf to 0.7000, saving model to m.h5\nEpoch 2/3\n${final(2, val)}`,
    );
    parser.feed(`Epoch 3/3\n${final(3, val)}`);
    parser.end();
    expect(announced).toEqual([1, 2, 3]);
    // the callback line after the final line still belongs to epoch 1
    expect(runs[0]?.events.map((e) => [e.kind, e.epoch])).toEqual([['checkpoint-improved', 1]]);
  });
});
