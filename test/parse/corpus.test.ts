import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Epoch, Run } from '../../src/model/index.js';
import { metricPhase, nameParts } from '../../src/model/roles.js';
import { parseText } from '../../src/parse/index.js';

/**
 * Real logs written by other people, with hand-counted facts: the Keras corpus (`manifest.json`) and the
 * framework corpus (`frameworks-manifest.json`, conventions in `frameworks-manifest-README.md`). One
 * table over both: every file yields exactly the counted records, and its last record the printed values.
 */
interface KerasEntry {
  file: string;
  format: string;
  epochs: number;
  last_epoch: Record<string, string>;
  counts: number[];
}
interface FrameworkEntry {
  file: string;
  framework: string;
  epochs: number;
  last_epoch: Record<string, string>;
  val_points: number;
}

interface Case {
  file: string;
  /** The dialect the reader must report (framework names of the manifest map onto dialects). */
  dialect: string | null;
  epochs: number;
  last: Record<string, string>;
  counts: number[] | null;
  valPoints: number | null;
  /** A bare list's series name (the manifest's key), given as `--metric` would. */
  metricNames: string[];
}

const dir = new URL('../../fixtures/real/', import.meta.url);
const read = <T>(name: string): T[] => JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as T[];

const FRAMEWORK_DIALECTS: Record<string, string | null> = {
  'pytorch-print': 'epoch-lines',
  'pytorch-tsv-log': 'epoch-lines',
  'tf-custom-print': 'epoch-lines',
  'lightning-csv': 'lightning-csv',
  'hf-trainer-state': 'hf-trainer-state',
  'hf-model-card-table': 'hf-model-card',
  'fastai-table': 'fastai-table',
  'yolo-csv': 'yolo-csv',
  'yolov5-console': 'yolo-console',
  'timm-csv': 'timm-csv',
  'xgboost-console': 'boosting-rounds',
  'bare-list': 'bare-list',
  'tf1-logging': null,
  'hf-trainer-notebook': 'notebook',
  'fastai-notebook': 'notebook',
};

/**
 * Manifest keys that name no value the log prints, with the reason: checked elsewhere or not kept.
 * `Accuracy: 9897/10000 (99%)` is split by the manifest into three; the reader keeps the exact
 * `correct / total` as `Accuracy` (0.9897, where the printed percentage is rounded), checked below.
 */
const UNPRINTED_KEYS: Record<string, string[]> = {
  'pdll-mnist-example-fragments-optimizers.md': ['correct', 'total'],
};
/** Keys whose value is the manifest's `correct / total`, not the rounded percentage it also records. */
const COUNTED_KEYS: Record<string, string> = {
  'pdll-mnist-example-fragments-optimizers.md': 'Accuracy',
};

/**
 * Files whose held-out evaluations the role table cannot see by name (checked and listed as known gaps):
 * noprop prints its test accuracy as a bare `Acc`; pdll's MNIST-example line lost its `Test set:` label.
 * The TF1 excerpt has no record at all (its one evaluation line has no epoch).
 */
const UNNAMED_HELD_OUT = new Set([
  'noprop-cifar100-two-runs-chance-plateau.md',
  'pdll-mnist-example-fragments-optimizers.md',
  'sequence-tagging-issue-47-lr-nan-timestamped.txt',
]);

const KERAS_DIALECTS: Record<string, string> = { 'history-json': 'history-json', csvlogger: 'csv-logger' };

const cases: Case[] = [
  ...read<KerasEntry>('manifest.json').map((e) => ({
    file: e.file,
    dialect: KERAS_DIALECTS[e.format] ?? null,
    epochs: e.epochs,
    last: e.last_epoch,
    counts: e.counts,
    valPoints: null,
    metricNames: [],
  })),
  ...read<FrameworkEntry>('frameworks-manifest.json').map((e) => ({
    file: e.file,
    dialect: FRAMEWORK_DIALECTS[e.framework] ?? null,
    epochs: e.epochs,
    last: e.last_epoch,
    counts: null,
    valPoints: e.val_points,
    metricNames: e.framework === 'bare-list' ? Object.keys(e.last_epoch) : [],
  })),
];

/** A printed value as a number: units glued on are not part of it (`4.89G`, `97 %`), `nan` is NaN. */
function printedNumber(printed: string): number {
  const t = printed.trim();
  if (t.toLowerCase() === 'nan') return Number.NaN;
  const dict = /^\{'[^']+': (.+)\}$/.exec(t);
  if (dict !== null) return Number(dict[1]);
  const unit = /^([-+]?[\d.]+(?:e[-+]?\d+)?)\s*[A-Za-z%]+$/i.exec(t);
  return Number(unit === null ? t : unit[1]);
}

function same(actual: number | null | undefined, printed: string): boolean {
  if (actual === undefined || actual === null) return false;
  const expected = printedNumber(printed);
  return Number.isNaN(expected) ? Number.isNaN(actual) : actual === expected;
}

/**
 * The record's metric a manifest key names: the same name, or the name with the phase word the log
 * printed on its line (`Loss` on a `Train Epoch: 80 ... Loss: 0.992` line is `Train Loss`); a key that
 * is itself another key of the manifest is not a candidate.
 */
function metricFor(last: Epoch, key: string, keys: string[]): string | null {
  if (key in last.metrics) return key;
  const candidates = Object.keys(last.metrics).filter((name) => {
    if (keys.includes(name) || !name.endsWith(` ${key}`)) return false;
    const prefix = name.slice(0, -key.length - 1);
    return !prefix.includes(' ') && nameParts(`${prefix}_x`).phase !== null;
  });
  return candidates.length === 1 ? (candidates[0] ?? null) : null;
}

function checkLast(c: Case, last: Epoch | undefined): void {
  const keys = Object.keys(c.last);
  for (const [key, printed] of Object.entries(c.last)) {
    if (UNPRINTED_KEYS[c.file]?.includes(key)) continue;
    if (COUNTED_KEYS[c.file] === key) {
      const exact = Number(c.last['correct']) / Number(c.last['total']);
      expect({ key, value: last?.metrics[key] }).toEqual({ key, value: exact });
      continue;
    }
    const lower = key.toLowerCase();
    if (lower === 'epoch' || lower === 'train epoch') {
      const k = Number(printed.split('/')[0]);
      expect({ key, value: last?.epochValue ?? last?.epoch }).toEqual({ key, value: k });
      continue;
    }
    if (lower === 'step') {
      expect({ key, value: last?.step }).toEqual({ key, value: Number(printed) });
      continue;
    }
    if (key === 'round') {
      expect({ key, value: last?.round }).toEqual({ key, value: Number(printed) });
      continue;
    }
    if (key === 'time' && printed.includes(':')) {
      const [m, s] = printed.split(':').map(Number);
      expect({ key, value: last?.seconds }).toEqual({ key, value: (m ?? 0) * 60 + (s ?? 0) });
      continue;
    }
    if (printed.startsWith('[')) {
      const values = printed
        .slice(1, -1)
        .split(',')
        .map((v) => Number(v));
      expect({ key, values: values.map((_, i) => last?.metrics[`${key}[${i}]`]) }).toEqual({ key, values });
      continue;
    }
    const name = last === undefined ? null : metricFor(last, key, keys);
    expect({
      key,
      name: name !== null,
      ok: same(name === null ? undefined : last?.metrics[name], printed),
    }).toEqual({ key, name: true, ok: true });
  }
}

/** Evaluations of held-out data: records with a held-out metric, plus evaluation events. */
function heldOutPoints(runs: Run[]): number {
  let n = 0;
  for (const run of runs) {
    for (const e of run.epochs) {
      if (Object.keys(e.metrics).some((m) => ['validation', 'test'].includes(metricPhase(m, run) ?? '')))
        n += 1;
    }
    n += run.events.filter((e) => e.kind === 'evaluation' && e.phase === 'validation').length;
  }
  return n;
}

describe('real logs (fixtures/real)', () => {
  test.each(cases)('$file: $epochs records', (c) => {
    const { runs, summary, issues } = parseText(readFileSync(new URL(c.file, dir)), {
      file: c.file,
      metricNames: c.metricNames,
    });
    const epochs = runs.reduce((n, r) => n + r.epochs.length, 0);
    expect(epochs).toBe(c.epochs);
    expect(summary.epochs).toBe(c.epochs);
    if (c.dialect !== null) expect(summary.dialect).toBe(c.dialect);
    if (c.epochs === 0) {
      expect(issues.some((i) => i.kind === 'no-epochs' || i.kind === 'not-a-log')).toBe(true);
      return;
    }
    checkLast(c, runs.at(-1)?.epochs.at(-1));
    if (c.counts !== null) {
      expect(runs.flatMap((r) => r.datasets.filter((d) => d.source === 'found').map((d) => d.count))).toEqual(
        c.counts,
      );
    }
    if (c.valPoints !== null && !UNNAMED_HELD_OUT.has(c.file)) expect(heldOutPoints(runs)).toBe(c.valPoints);
  });

  test.each([...UNNAMED_HELD_OUT].filter((f) => f !== 'sequence-tagging-issue-47-lr-nan-timestamped.txt'))(
    'known gap: %s prints its held-out metric without a phase word, so no record counts as held-out by name',
    (file) => {
      const { runs } = parseText(readFileSync(new URL(file, dir)), { file });
      expect(heldOutPoints(runs)).toBe(0);
    },
  );

  test('the seed paste: 39 epochs of 910 steps, two image datasets, epoch 40 reported as truncated', () => {
    const { runs, issues } = parseText(readFileSync(new URL('crossvalidated-416172.txt', dir)));
    expect(runs).toHaveLength(1);
    const run = runs[0];
    expect(run?.epochs).toHaveLength(39);
    expect(run?.epochs.at(-1)).toMatchObject({
      epoch: 39,
      of: 60,
      steps: { done: 910, total: 910 },
      seconds: 527,
      metrics: { loss: 0.1206, acc: 0.9528, val_loss: 0.0469, val_acc: 0.9861 },
    });
    expect(run?.datasets.map((d) => [d.count, d.unit, d.classes])).toEqual([
      [29124, 'images', 2],
      [10401, 'images', 2],
    ]);
    expect(issues.map((i) => i.kind)).toEqual(['truncated-epoch']);
  });
});
