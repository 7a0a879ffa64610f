import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ParseIssue, Run } from '../../src/model/index.js';
import { createParser, parseText } from '../../src/parse/index.js';
import { keyOfMetricPath } from '../../src/parse/mlflow-metric.js';
import { tagOfFileName } from '../../src/parse/tensorboard-csv.js';

/**
 * CSV files that trainings save, one family per case, sniffed from their content: the dialect, every
 * run's epochs (position, value as written, seconds, a few values), the phases the format gives, and
 * the issues. Where each fixture's shape comes from is said with it.
 */
const fixture = (path: string): Uint8Array =>
  readFileSync(new URL(`../../fixtures/parse/${path}`, import.meta.url));

interface Case {
  name: string;
  path: string;
  dialect: string;
  /** Per run: [epoch, epochValue, seconds, step] of each record. */
  runs: Array<Array<[number, number | null, number | null, number | null]>>;
  /** Metric values of one record: [run, record index, metrics]. */
  values?: [number, number, Record<string, number>];
  /** Metrics that the first run must not have. */
  absent?: string[];
  phases?: Record<string, string>;
  axis?: string;
  issues: string[];
}

const cases: Case[] = [
  {
    // fastai 2 `CSVLogger`: Recorder.metric_names as header, `str()` of the values, `format_time`
    name: 'fastai history.csv: 0-based, time as seconds, metrics are validation metrics',
    path: 'fastai/history.csv',
    dialect: 'fastai-csv',
    runs: [
      [
        [1, 0, 21, null],
        [2, 1, 19, null],
        [3, 2, 19, null],
        [4, 3, 3725, null],
      ],
    ],
    values: [
      0,
      3,
      { train_loss: 0.33005309104919434, valid_loss: 0.3410874307155609, accuracy: 0.8866666555404663 },
    ],
    absent: ['time'],
    phases: { accuracy: 'validation', error_rate: 'validation' },
    issues: [],
  },
  {
    // `CSVLogger(append=True)` over two `fit` calls: the header written again, epochs from 0 again;
    // `None` (no valid loss computed) and fastai 1's `#na#` are missing values
    name: 'fastai history.csv appended by two fits: two runs, None and #na# missing',
    path: 'fastai/history-append-two-fits.csv',
    dialect: 'fastai-csv',
    runs: [
      [[1, 0, 12, null]],
      [
        [1, 0, 15, null],
        [2, 1, 15, null],
      ],
    ],
    values: [1, 1, { train_loss: 0.5014325976371765 }],
    issues: [],
  },
  {
    // `Recorder(train_metrics=True)`: `train_<m>` and `valid_<m>` columns say their own phase
    name: 'fastai history.csv with train metrics: the names say the phase',
    path: 'fastai/history-train-metrics.csv',
    dialect: 'fastai-csv',
    runs: [
      [
        [1, 0, 10, null],
        [2, 1, 10, null],
      ],
    ],
    phases: {},
    issues: [],
  },
  {
    // Ultralytics 8.3 / YOLO11 `save_metrics`: `epoch,time,...` unpadded `%.6g`, `epoch + 1`, time since start
    name: 'YOLO11 results.csv: 1-based, cumulative time becomes per-epoch seconds',
    path: 'yolo/results-yolo11.csv',
    dialect: 'yolo-csv',
    runs: [
      [
        [1, null, 41.2377, null],
        [2, null, 79.8231 - 41.2377, null],
        [3, null, 118.522 - 79.8231, null],
      ],
    ],
    values: [0, 2, { 'metrics/mAP50-95(B)': 0.23764, 'val/box_loss': 1.1093, 'lr/pg0': 0.0100233 }],
    absent: ['time'],
    issues: [],
  },
  {
    // Ultralytics 8.1/8.2: `%23s` padded header and cells, `epoch + 1`
    name: 'YOLOv8.1 padded results.csv: 1-based',
    path: 'yolo/results-v8.1-padded-one-based.csv',
    dialect: 'yolo-csv',
    runs: [
      [
        [1, null, null, null],
        [2, null, null, null],
      ],
    ],
    values: [0, 1, { 'train/box_loss': 1.4418, 'metrics/mAP50(B)': 0.36982 }],
    issues: [],
  },
  {
    // Lightning CSVLogger with `self.log("train/loss", ...)` names: slash names are not YOLO columns
    name: 'Lightning metrics.csv with slash names: merged per epoch',
    path: 'lightning/metrics-slash-names.csv',
    dialect: 'lightning-csv',
    runs: [
      [
        [1, 0, null, 99],
        [2, 1, null, 199],
        [3, 2, null, 299],
      ],
    ],
    values: [0, 2, { 'train/loss': 0.2801, 'val/acc': 0.8951, 'val/loss': 0.3325 }],
    issues: [],
  },
  {
    // TensorBoard's scalar download (`scalars_impl`: csv.writer, `Wall time,Step,Value`, `\r\n`)
    name: 'TensorBoard CSV: one series named from the file name, on the step axis',
    path: 'tensorboard/run-lightning_logs_version_0-tag-val_loss.csv',
    dialect: 'tensorboard-csv',
    runs: [
      [
        [1, null, null, 0],
        [2, null, null, 1],
        [3, null, null, 2],
        [4, null, null, 3],
      ],
    ],
    values: [0, 3, { val_loss: 0.47120144963264465 }],
    axis: 'step',
    issues: [],
  },
  {
    // W&B "Export panel" CSV of a chart with two runs: `<run> - <metric>` and its __MIN/__MAX companions
    name: 'W&B panel CSV: a run per W&B run, prefix stripped, companions not read',
    path: 'wandb/panel-two-runs.csv',
    dialect: 'wandb-csv',
    runs: [
      [
        [1, null, null, 0],
        [2, null, null, 100],
        [3, null, null, 200],
        [4, null, null, 300],
      ],
      [
        [1, null, null, 100],
        [2, null, null, 200],
      ],
    ],
    values: [1, 0, { 'val/loss': 0.85 }],
    absent: ['val/loss__MIN', 'dainty-sun-3 - val/loss'],
    axis: 'step',
    issues: [],
  },
  {
    // a hand-written logger (hydra, a PyTorch loop) writing `epoch` from 1 and no Keras `loss` column
    name: 'generic epoch,train_loss,val_loss from 1: read as 1-based, said',
    path: 'csv/hydra-one-based.csv',
    dialect: 'csv-logger',
    runs: [
      [
        [1, null, null, null],
        [2, null, null, null],
        [3, null, null, null],
      ],
    ],
    issues: ['ambiguous'],
  },
  {
    name: 'a separator ending every line is not a column',
    path: 'csv/trailing-separator.csv',
    dialect: 'csv-logger',
    runs: [
      [
        [1, 0, null, null],
        [2, 1, null, null],
        [3, 2, null, null],
      ],
    ],
    values: [0, 2, { loss: 0.7, val_loss: 0.65 }],
    issues: [],
  },
  {
    name: 'a quote never closed in a row: the row kept, an issue per row',
    path: 'csv/unclosed-quote-row.csv',
    dialect: 'csv-logger',
    runs: [
      [
        [1, 0, null, null],
        [2, 1, null, null],
        [3, 2, null, null],
        [4, 3, null, null],
      ],
    ],
    values: [0, 1, { loss: 0.8, val_loss: 0.7 }],
    issues: ['malformed-input', 'malformed-input'],
  },
];

function parseChunks(bytes: Uint8Array, file: string, cuts: number[]): { runs: Run[]; issues: ParseIssue[] } {
  const runs: Run[] = [];
  const issues: ParseIssue[] = [];
  const parser = createParser({ file, onRun: (r) => runs.push(r), onIssue: (i) => issues.push(i) });
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parser.feed(bytes.subarray(from, cut));
    from = cut;
  }
  parser.feed(bytes.subarray(from));
  parser.end();
  return { runs, issues };
}

describe('CSV files of training frameworks', () => {
  test.each(cases)('$name', (c) => {
    const file = `some/dir/${c.path.split('/').pop() ?? ''}`;
    const { runs, issues, summary } = parseText(fixture(c.path), { file });
    expect(summary.dialect).toBe(c.dialect);
    for (const run of runs) Run.parse(run);
    expect(
      runs.map((run) =>
        run.epochs.map((e) => [
          e.epoch,
          e.epochValue ?? null,
          e.seconds === null ? null : Number(e.seconds.toFixed(4)),
          e.step ?? null,
        ]),
      ),
    ).toEqual(
      c.runs.map((r) => r.map(([a, b, s, d]) => [a, b, s === null ? null : Number(s.toFixed(4)), d])),
    );
    if (c.values !== undefined) {
      const [run, index, metrics] = c.values;
      expect(runs[run]?.epochs[index]?.metrics).toMatchObject(metrics);
    }
    for (const name of c.absent ?? []) {
      for (const e of runs[0]?.epochs ?? []) expect(Object.keys(e.metrics)).not.toContain(name);
    }
    if (c.phases !== undefined) expect(runs[0]?.phases ?? {}).toEqual(c.phases);
    if (c.axis !== undefined) for (const run of runs) expect(run.axis).toBe(c.axis);
    expect(issues.map((i) => i.kind)).toEqual(c.issues);
  });

  test.each(cases)('$name: any chunking reads the same records', (c) => {
    const bytes = fixture(c.path);
    const file = c.path.split('/').pop() ?? '';
    const whole = JSON.stringify(parseChunks(bytes, file, []));
    // mulberry32, seeded by the file's length so a failing split can be replayed
    let a = bytes.length >>> 0;
    const random = (): number => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(JSON.stringify(parseChunks(bytes, file, [cut]))).toBe(whole);
    }
    for (let round = 0; round < 40; round += 1) {
      const n = 1 + Math.floor(random() * 20);
      const cuts = Array.from({ length: n }, () => 1 + Math.floor(random() * (bytes.length - 1)));
      expect(JSON.stringify(parseChunks(bytes, file, cuts))).toBe(whole);
    }
  });
});

describe('TensorBoard CSV series names', () => {
  test.each([
    ['run-version_0-tag-val_loss.csv', 'val_loss'],
    ['dir/run-.-tag-Loss_train.csv', 'Loss_train'],
    ['run-lightning_logs_version_3-tag-val_acc (1).csv', 'val_acc'],
    ['C:\\Users\\me\\run-x-tag-epoch_accuracy.csv', 'epoch_accuracy'],
    ['val_loss.csv', null],
    ['-', null],
  ])('%s → %s', (file, tag) => {
    expect(tagOfFileName(file)).toBe(tag);
  });

  test('without a tag in the file name: --metric names the series, else "value" with an issue', () => {
    const text = 'Wall time,Step,Value\n1.5,0,0.9\n2.5,10,0.8\n';
    const named = parseText(text, { file: 'export.csv', metricNames: ['val_loss'] });
    expect(named.runs[0]?.epochs.map((e) => e.metrics)).toEqual([{ val_loss: 0.9 }, { val_loss: 0.8 }]);
    expect(named.issues).toEqual([]);
    const unnamed = parseText(text, { file: 'export.csv' });
    expect(unnamed.runs[0]?.epochs.map((e) => e.metrics)).toEqual([{ value: 0.9 }, { value: 0.8 }]);
    expect(unnamed.issues.map((i) => i.kind)).toEqual(['ambiguous']);
  });

  test('a step that goes back starts a new run; a text value is an issue, not a record', () => {
    const text = 'Wall time,Step,Value\n1,0,0.9\n2,10,oops\n3,20,0.7\n4,0,0.95\n5,10,0.85\n';
    const { runs, issues } = parseText(text, { file: 'run-a-tag-val_loss.csv' });
    expect(runs.map((r) => r.epochs.map((e) => e.step))).toEqual([
      [0, 20],
      [0, 10],
    ]);
    expect(issues.map((i) => [i.kind, i.line])).toEqual([['bad-value', 3]]);
  });
});

describe('MLflow file-store metric files', () => {
  const dir = 'mlflow/mlruns/0/9f1c2a7e4b3d4f5a8c6e0d1b2a3c4d5e/metrics';

  test('the key is the path after metrics/, the values are on the step axis, nan kept', () => {
    const path = `${dir}/val/loss`;
    const { runs, issues, summary } = parseText(fixture(path), { file: `fixtures/parse/${path}` });
    expect(summary.dialect).toBe('mlflow-metric');
    expect(issues).toEqual([]);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.axis).toBe('step');
    expect(runs[0]?.epochs.map((e) => [e.epoch, e.step])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
    ]);
    expect(runs[0]?.epochs[0]?.metrics).toEqual({ 'val/loss': 0.6931471824645996 });
    expect(runs[0]?.epochs[3]?.metrics['val/loss']).toBeNaN();
  });

  test.each([
    ['mlruns/0/abc/metrics/val/loss', 'val/loss'],
    ['C:\\mlruns\\1\\abc\\metrics\\train_acc', 'train_acc'],
    ['train_acc', 'train_acc'],
    ['-', null],
  ])('%s → %s', (file, key) => {
    expect(keyOfMetricPath(file)).toBe(key);
  });

  test('a line that is not a metric line is an issue; a step going back starts a new run', () => {
    const text = '1701425190421 0.9 0\n1701425190422 0.8 1\ngarbage here\n1701425190423 0.95 0\n';
    const { runs, issues } = parseText(text, { file: 'mlruns/0/r/metrics/val_loss' });
    expect(runs.map((r) => r.epochs.map((e) => e.metrics['val_loss']))).toEqual([[0.9, 0.8], [0.95]]);
    expect(issues.map((i) => [i.kind, i.line])).toEqual([['malformed-input', 3]]);
  });
});
