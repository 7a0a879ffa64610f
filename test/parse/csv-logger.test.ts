import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseIssue, Run } from '../../src/model/index.js';
import type { ParseIssueKind } from '../../src/model/index.js';
import { parseCsvLogger } from '../../src/parse/csv-logger.js';

const fixture = (path: string): string =>
  readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

/** An expected epoch: [epoch number, source line, metrics]. */
type EpochRow = [number, number, Record<string, number>];

interface ExpectedRun {
  fromLine: number;
  toLine: number;
  epochs: EpochRow[];
}

interface Case {
  name: string;
  input: string;
  runs: ExpectedRun[];
  issues: { kind: ParseIssueKind; line: number | null }[];
}

const cases: Case[] = [
  {
    name: 'semicolon separator, CRLF',
    input: fixture('parse/csv/semicolon.csv'),
    runs: [
      {
        fromLine: 1,
        toLine: 4,
        epochs: [
          [1, 2, { accuracy: 0.5, loss: 1.2, val_accuracy: 0.4, val_loss: 1.3 }],
          [2, 3, { accuracy: 0.6, loss: 1.0, val_accuracy: 0.45, val_loss: 1.25 }],
          [3, 4, { accuracy: 0.7, loss: 0.9, val_accuracy: 0.5, val_loss: 1.1 }],
        ],
      },
    ],
    issues: [],
  },
  {
    name: 'tab separator',
    input: fixture('parse/csv/tab-separated.csv'),
    runs: [
      {
        fromLine: 1,
        toLine: 3,
        epochs: [
          [1, 2, { accuracy: 0.51, loss: 1.4 }],
          [2, 3, { accuracy: 0.62, loss: 1.1 }],
        ],
      },
    ],
    issues: [],
  },
  {
    name: 'pipe separator',
    input: fixture('parse/csv/pipe-separated.csv'),
    runs: [
      {
        fromLine: 1,
        toLine: 3,
        epochs: [
          [1, 2, { loss: 0.8, val_loss: 0.9 }],
          [2, 3, { loss: 0.7, val_loss: 0.85 }],
        ],
      },
    ],
    issues: [],
  },
  {
    name: 'any other single-character separator after epoch',
    input: 'epoch:loss\n0:0.5\n',
    runs: [{ fromLine: 1, toLine: 2, epochs: [[1, 2, { loss: 0.5 }]] }],
    issues: [],
  },
  {
    name: 'NA and empty cells omit the metric',
    input: fixture('parse/csv/na-cells.csv'),
    runs: [
      {
        fromLine: 1,
        toLine: 4,
        epochs: [
          [1, 2, { accuracy: 0.5, loss: 1.0 }],
          [2, 3, { accuracy: 0.6, loss: 0.9, val_loss: 0.8 }],
          [3, 4, { accuracy: 0.7, loss: 0.8, val_accuracy: 0.65 }],
        ],
      },
    ],
    issues: [],
  },
  {
    name: 'CR CR LF line endings count one line each',
    input: fixture('parse/csv/crcrlf.csv'),
    runs: [
      {
        fromLine: 1,
        toLine: 4,
        epochs: [
          [1, 2, { accuracy: 0.25, loss: 1.5 }],
          [2, 3, { accuracy: 0.5, loss: 1.25 }],
          [3, 4, { accuracy: 0.75, loss: 1.0 }],
        ],
      },
    ],
    issues: [],
  },
  {
    name: 'CR-only line endings',
    input: 'epoch,loss\r0,0.5\r1,0.4\r',
    runs: [
      {
        fromLine: 1,
        toLine: 3,
        epochs: [
          [1, 2, { loss: 0.5 }],
          [2, 3, { loss: 0.4 }],
        ],
      },
    ],
    issues: [],
  },
  {
    name: 'byte-order mark and blank lines',
    input: '\uFEFFepoch,loss\n\n0,0.5\n\n1,0.4\n\n',
    runs: [
      {
        fromLine: 1,
        toLine: 5,
        epochs: [
          [1, 3, { loss: 0.5 }],
          [2, 5, { loss: 0.4 }],
        ],
      },
    ],
    issues: [],
  },
  {
    name: 'appended resumes start new runs when the epoch column goes back',
    input: fixture('parse/csv/appended-resume.csv'),
    runs: [
      {
        fromLine: 1,
        toLine: 6,
        epochs: [
          [1, 2, { loss: 1.0 }],
          [2, 3, { loss: 0.9 }],
          [3, 4, { loss: 0.8 }],
          [4, 5, { loss: 0.7 }],
          [5, 6, { loss: 0.6 }],
        ],
      },
      {
        fromLine: 7,
        toLine: 9,
        epochs: [
          [4, 7, { loss: 0.65 }],
          [5, 8, { loss: 0.55 }],
          [6, 9, { loss: 0.45 }],
        ],
      },
      {
        fromLine: 10,
        toLine: 11,
        epochs: [
          [1, 10, { loss: 0.99 }],
          [2, 11, { loss: 0.88 }],
        ],
      },
    ],
    issues: [],
  },
  {
    name: 'a repeated epoch value starts a new run',
    input: 'epoch,loss\n0,0.5\n1,0.4\n1,0.45\n2,0.35\n',
    runs: [
      {
        fromLine: 1,
        toLine: 3,
        epochs: [
          [1, 2, { loss: 0.5 }],
          [2, 3, { loss: 0.4 }],
        ],
      },
      {
        fromLine: 4,
        toLine: 5,
        epochs: [
          [2, 4, { loss: 0.45 }],
          [3, 5, { loss: 0.35 }],
        ],
      },
    ],
    issues: [],
  },
  {
    name: 'a second header starts a new run with its own columns',
    input: fixture('parse/csv/second-header.csv'),
    runs: [
      {
        fromLine: 1,
        toLine: 4,
        epochs: [
          [1, 2, { accuracy: 0.5, loss: 1.0 }],
          [2, 3, { accuracy: 0.6, loss: 0.9 }],
          [3, 4, { accuracy: 0.7, loss: 0.8 }],
        ],
      },
      {
        fromLine: 5,
        toLine: 7,
        epochs: [
          [1, 6, { accuracy: 0.55, loss: 0.95, val_loss: 1.1 }],
          [2, 7, { accuracy: 0.65, loss: 0.85, val_loss: 1.0 }],
        ],
      },
    ],
    issues: [],
  },
  {
    name: 'a second header may change the separator',
    input: 'epoch,loss\n0,0.5\nepoch;loss;acc\n0;0.6;0.1\n',
    runs: [
      { fromLine: 1, toLine: 2, epochs: [[1, 2, { loss: 0.5 }]] },
      { fromLine: 3, toLine: 4, epochs: [[1, 4, { loss: 0.6, acc: 0.1 }]] },
    ],
    issues: [],
  },
  {
    name: 'a header with no rows after data is reported',
    input: 'epoch,loss\n0,0.5\nepoch,loss\n',
    runs: [{ fromLine: 1, toLine: 2, epochs: [[1, 2, { loss: 0.5 }]] }],
    issues: [{ kind: 'malformed-input', line: 3 }],
  },
  {
    name: 'header only',
    input: fixture('parse/csv/header-only.csv'),
    runs: [],
    issues: [{ kind: 'no-epochs', line: null }],
  },
  {
    name: 'empty input',
    input: '\n\n',
    runs: [],
    issues: [{ kind: 'no-epochs', line: null }],
  },
  {
    name: 'a first line that is data, not a header',
    input: '0,0.5,0.6\n1,0.4,0.5\n',
    runs: [],
    issues: [{ kind: 'malformed-input', line: 1 }],
  },
  {
    name: 'rows with the wrong number of fields are skipped and reported',
    input: fixture('parse/csv/ragged-row.csv'),
    runs: [
      {
        fromLine: 1,
        toLine: 5,
        epochs: [
          [1, 2, { accuracy: 0.5, loss: 1.0 }],
          [3, 4, { accuracy: 0.7, loss: 0.8 }],
        ],
      },
    ],
    issues: [
      { kind: 'malformed-input', line: 3 },
      { kind: 'malformed-input', line: 5 },
    ],
  },
  {
    name: 'an epoch cell that is not an index is reported',
    input: 'epoch,loss\nx,0.5\n0,0.4\n',
    runs: [{ fromLine: 1, toLine: 3, epochs: [[1, 3, { loss: 0.4 }]] }],
    issues: [{ kind: 'bad-value', line: 2 }],
  },
  {
    name: 'pandas to_csv: unnamed index column',
    input: fixture('parse/csv/pandas-index.csv'),
    runs: [
      {
        fromLine: 1,
        toLine: 4,
        epochs: [
          [1, 2, { loss: 0.9, accuracy: 0.5, val_loss: 1.0, val_accuracy: 0.45 }],
          [2, 3, { loss: 0.7, accuracy: 0.6, val_loss: 0.8, val_accuracy: 0.55 }],
          [3, 4, { loss: 0.6, accuracy: 0.7, val_loss: 0.75, val_accuracy: 0.6 }],
        ],
      },
    ],
    issues: [],
  },
  {
    name: 'pandas re-saved frame: Unnamed: 0 index column',
    input: 'Unnamed: 0,loss\n0,0.5\n1,0.4\n',
    runs: [
      {
        fromLine: 1,
        toLine: 3,
        epochs: [
          [1, 2, { loss: 0.5 }],
          [2, 3, { loss: 0.4 }],
        ],
      },
    ],
    issues: [],
  },
  {
    name: 'no epoch column: each row is one epoch',
    input: fixture('parse/csv/no-epoch-column.csv'),
    runs: [
      {
        fromLine: 1,
        toLine: 4,
        epochs: [
          [1, 2, { loss: 0.9, accuracy: 0.5 }],
          [2, 3, { loss: 0.8, accuracy: 0.6 }],
          [3, 4, { loss: 0.7, accuracy: 0.65 }],
        ],
      },
    ],
    issues: [],
  },
  {
    name: 'no epoch column: a skipped row keeps its epoch number',
    input: 'loss;acc\n0.9;0.5\n0.8\n0.7;0.6\n',
    runs: [
      {
        fromLine: 1,
        toLine: 4,
        epochs: [
          [1, 2, { loss: 0.9, acc: 0.5 }],
          [3, 4, { loss: 0.7, acc: 0.6 }],
        ],
      },
    ],
    issues: [{ kind: 'malformed-input', line: 3 }],
  },
  {
    name: 'quoted list values are reported and omitted',
    input: fixture('parse/csv/quoted-list.csv'),
    runs: [
      {
        fromLine: 1,
        toLine: 3,
        epochs: [
          [1, 2, { loss: 0.5 }],
          [2, 3, { loss: 0.4 }],
        ],
      },
    ],
    issues: [
      { kind: 'bad-value', line: 2 },
      { kind: 'bad-value', line: 3 },
    ],
  },
  {
    name: 'NumPy and TensorFlow reprs are unwrapped',
    input: 'epoch,lr,loss\n0,np.float32(0.001),"tf.Tensor(0.5, shape=(), dtype=float32)"\n',
    runs: [{ fromLine: 1, toLine: 2, epochs: [[1, 2, { lr: 0.001, loss: 0.5 }]] }],
    issues: [],
  },
  {
    name: 'spaces around fields and an epoch column that is not first',
    input: 'loss, epoch, val_loss\n0.5, 0, 0.6\n0.4, 1.0, 0.55\n',
    runs: [
      {
        fromLine: 1,
        toLine: 3,
        epochs: [
          [1, 2, { loss: 0.5, val_loss: 0.6 }],
          [2, 3, { loss: 0.4, val_loss: 0.55 }],
        ],
      },
    ],
    issues: [],
  },
  {
    // no `loss` column: not Keras, so a first value of 1 is read as 1-based (with an issue saying so)
    name: 'custom logger columns, 1-based epoch column',
    input: fixture('parse/csv/custom-one-based.csv'),
    runs: [
      {
        fromLine: 1,
        toLine: 3,
        epochs: [
          [1, 2, { train_loss: 0.9, train_acc: 0.5, val_acc: 0.45, time_taken: 12.5 }],
          [2, 3, { train_loss: 0.8, train_acc: 0.6, val_acc: 0.5, time_taken: 12.1 }],
        ],
      },
    ],
    issues: [{ kind: 'ambiguous', line: 2 }],
  },
];

describe('parseCsvLogger', () => {
  it.each(cases)('$name', ({ input, runs, issues }) => {
    const result = parseCsvLogger(input, { file: 'x.csv' });
    for (const run of result.runs) Run.parse(run);
    for (const issue of result.issues) ParseIssue.parse(issue);
    expect(result.runs.map((run) => run.index)).toEqual(runs.map((_, index) => index));
    expect(
      result.runs.map((run) => ({
        fromLine: run.source.fromLine,
        toLine: run.source.toLine,
        epochs: run.epochs.map((epoch): EpochRow => [epoch.epoch, epoch.line, epoch.metrics]),
      })),
    ).toEqual(runs);
    expect(result.issues.map(({ kind, line }) => ({ kind, line }))).toEqual(issues);
  });

  it('fills the fields a CSV does not have with null and empty lists', () => {
    const [run] = parseCsvLogger(fixture('parse/csv/semicolon.csv'), { file: 'log.csv' }).runs;
    expect(run?.source).toEqual({ dialect: 'csv-logger', file: 'log.csv', fromLine: 1, toLine: 4 });
    expect(run?.events).toEqual([]);
    expect(run?.datasets).toEqual([]);
    expect(run?.epochs[0]).toMatchObject({
      of: null,
      steps: null,
      countUnit: null,
      seconds: null,
      stepTime: null,
    });
  });

  it('keeps nan, inf and -inf as non-finite numbers', () => {
    const epochs = parseCsvLogger(fixture('parse/csv/nonfinite.csv'), { file: null }).runs[0]?.epochs ?? [];
    expect(epochs.map((epoch) => epoch.epoch)).toEqual([1, 2, 3, 4]);
    const loss = epochs.map((epoch) => epoch.metrics.loss ?? 0);
    const valLoss = epochs.map((epoch) => epoch.metrics.val_loss ?? 0);
    expect(Number.isNaN(loss[0])).toBe(true);
    expect(Number.isNaN(loss[1])).toBe(true);
    expect(loss.slice(2)).toEqual([Number.POSITIVE_INFINITY, 0.5]);
    expect(valLoss).toEqual([
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      0.6,
    ]);
  });

  it('says which epoch a ragged row skipped', () => {
    const { issues } = parseCsvLogger(fixture('parse/csv/ragged-row.csv'), { file: null });
    expect(issues.map((issue) => issue.message)).toEqual([
      expect.stringContaining('epoch 2 skipped'),
      expect.stringContaining('epoch 4 skipped'),
    ]);
  });
});

interface RealCase {
  file: string;
  epochs: number;
  /** The manifest's `last_epoch`, values as printed; `epoch` is the 0-based CSV value. */
  last: Record<string, string> | null;
}

// Expected values copied from /work/shared/corpus/dev/manifest.json.
const realCases: RealCase[] = [
  {
    file: 'bloodgroup-lr-training_log.csv',
    epochs: 35,
    last: {
      epoch: '34',
      accuracy: '0.9756757020950317',
      learning_rate: '9.999999974752427e-07',
      loss: '0.0707368329167366',
      val_accuracy: '0.9791666865348816',
      val_loss: '0.04607829451560974',
    },
  },
  {
    file: 'braincnn-noval-training.log',
    epochs: 25,
    last: { epoch: '24', acc: '0.98541666239698733', loss: '0.059139651652052996' },
  },
  { file: 'dermatology-header-only.csv', epochs: 0, last: null },
  {
    file: 'facial-emotion-2epochs.csv',
    epochs: 2,
    last: {
      epoch: '1',
      accuracy: '0.3125',
      loss: '1.6072986125946045',
      val_accuracy: '0.0744047611951828',
      val_loss: '1.8913871049880981',
    },
  },
  {
    file: 'lung-cancer-training_log.csv',
    epochs: 10,
    last: {
      epoch: '9',
      accuracy: '0.9324324131011963',
      learning_rate: '9.999999747378752e-05',
      loss: '0.1652888059616089',
      val_accuracy: '0.8682170510292053',
      val_loss: '0.2894275188446045',
    },
  },
  {
    file: 'plant-disease-training_log.csv',
    epochs: 9,
    last: {
      epoch: '8',
      accuracy: '0.9743795990943909',
      learning_rate: '0.0010000000474974513',
      loss: '0.07860022038221359',
      val_accuracy: '0.9476534128189087',
      val_loss: '0.18957604467868805',
    },
  },
  {
    file: 'voice-identification-training.log',
    epochs: 10,
    last: {
      epoch: '9',
      acc: '1.0',
      loss: '0.004968041816027835',
      val_acc: '1.0',
      val_loss: '0.12048257887363434',
    },
  },
];

describe('parseCsvLogger on real files', () => {
  it.each(realCases)('$file', ({ file, epochs, last }) => {
    const result = parseCsvLogger(fixture(`real/${file}`), { file });
    const all = result.runs.flatMap((run) => run.epochs);
    expect(all).toHaveLength(epochs);
    if (last === null) {
      expect(result.runs).toEqual([]);
      expect(result.issues.map((issue) => issue.kind)).toEqual(['no-epochs']);
      return;
    }
    expect(result.runs).toHaveLength(1);
    expect(result.issues).toEqual([]);
    expect(all.map((epoch) => epoch.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
    expect(all.map((epoch) => epoch.line)).toEqual(Array.from({ length: epochs }, (_, i) => i + 2));
    const { epoch, ...metrics } = last;
    const final = all[all.length - 1];
    expect(final?.epoch).toBe(Number(epoch) + 1);
    expect(final?.metrics).toEqual(
      Object.fromEntries(Object.entries(metrics).map(([name, value]) => [name, Number(value)])),
    );
  });
});
