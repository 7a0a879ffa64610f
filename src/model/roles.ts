/**
 * The explicit table that maps printed metric names onto the roles detectors reason about. Names are
 * never rewritten in records; detectors ask this table instead (spec §4.3, pitfalls 26–28).
 *
 * A name is read as words (split at `_ - / . :`, spaces and camel case: `ValLoss` → `Val Loss`), and:
 * - its phase comes from a phase word first (`val_`, `valid_`, `validation_`, `eval_`, `test_`, `dev_`,
 *   `train_`, `Val Loss`, `eval-logloss`, `val/box_loss`, `valid_0's`) or last (`loss_val`, `acc_test`,
 *   `accuracy on test set`); Ultralytics' `metrics/...` columns are validation metrics; a name that is
 *   only a phase word is that phase's value of the one metric printed (CatBoost's `learn` and `test`);
 * - what is left is its base (`Val Loss` → `loss`, `test Top-1 Acc` → `top 1 acc`), which says the
 *   kind of metric (loss, accuracy, learning rate) and pairs training and held-out twins.
 * A test set is held-out data like a validation set: where a log has no validation metric, its test
 * metrics play the validation roles (the README says so).
 */
import type { MetricPhase, Run } from './records.js';

/** Roles a detector can require. */
export type MetricRole = 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy' | 'lr';

/** Accuracy names Keras prints, by version: `acc` (Keras ≤ 2.2, TF1), `accuracy` (later), class defaults. */
export const ACCURACY_NAMES: readonly string[] = [
  'accuracy',
  'acc',
  'binary_accuracy',
  'categorical_accuracy',
  'sparse_categorical_accuracy',
];

/** What the table reads from a printed name. */
export interface NameParts {
  /** `train`, `validation` or `test` when a phase word says so; null when the name does not say. */
  phase: MetricPhase | null;
  /** The lower-case words of the name without its phase word (and without `on ... set`). */
  words: readonly string[];
  /** The printed name without its phase word and the separator after it (`val_acc` → `acc`). */
  printedBase: string;
}

const VALIDATION_WORDS = new Set(['val', 'valid', 'validation', 'eval', 'evaluation', 'dev']);
const TEST_WORDS = new Set(['test', 'testing']);
const TRAIN_WORDS = new Set(['train', 'training', 'trn']);
/** Names that are a phase alone: the training-set column of CatBoost's verbose output. */
const LONE_TRAIN_NAMES = new Set(['learn']);
/** Words after a trailing phase word that do not change it: `accuracy on test set`. */
const SET_WORDS = new Set(['set', 'data', 'dataset', 'split']);
/** Words that summarise but do not change what a metric is: `Average loss`, `train_loss_epoch`. */
const AGGREGATE_WORDS = new Set(['avg', 'average', 'mean', 'total', 'overall', 'epoch', 'running']);

const ACCURACY_BASES = new Set([
  'acc',
  'accuracy',
  'acc@1',
  'accat1',
  'acc1',
  'top1',
  'top1acc',
  'top1accuracy',
  'prec1',
  'binaryaccuracy',
  'categoricalaccuracy',
  'sparsecategoricalaccuracy',
]);
const LOSS_BASES = new Set(['loss', 'logloss', 'mlogloss', 'binarylogloss']);

const cache = new Map<string, NameParts>();
const CACHE_LIMIT = 4096;

/**
 * The phases the run being linted states for its metrics (`Run.phases`: a fastai table's `accuracy` is
 * computed on the validation set, a model card's columns are evaluation metrics), or null. Set only for
 * the duration of `withStatedPhases`, so that every rule, the context and the diagnosis read a name the
 * way its format means it without each of them being handed the run's phases.
 */
let stated: Readonly<Record<string, MetricPhase>> | null = null;

/** Runs `fn` with the stated phases of a run in force for every name lookup of this table. */
export function withStatedPhases<T>(
  phases: Readonly<Record<string, MetricPhase>> | undefined,
  fn: () => T,
): T {
  const previous = stated;
  stated = phases !== undefined && Object.keys(phases).length > 0 ? phases : null;
  try {
    return fn();
  } finally {
    stated = previous;
  }
}

/** Splits a printed name into its phase and base words (linear in the name; cached). */
export function nameParts(name: string): NameParts {
  let parts = cache.get(name);
  if (parts === undefined) {
    parts = readName(name);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(name, parts);
  }
  if (stated !== null && Object.hasOwn(stated, name)) {
    const phase = stated[name];
    if (phase !== undefined && phase !== parts.phase) return { ...parts, phase };
  }
  return parts;
}

interface Word {
  text: string;
  start: number;
  end: number;
}

function readName(name: string): NameParts {
  const words = splitWords(name);
  const lower = words.map((w) => w.text.toLowerCase());
  let phase: MetricPhase | null = null;
  let from = 0;
  let to = words.length;
  const first = lower[0];
  const afterFirst = words[0] === undefined ? '' : name.charAt(words[0].end);
  if (first !== undefined && words.length > 1) {
    const p = phaseOf(first) ?? (first === 'metrics' && afterFirst === '/' ? 'validation' : null);
    if (p !== null) {
      phase = p;
      from = 1;
      // `validation_0-logloss` (XGBoost's sklearn API), `valid_0's` (LightGBM): the set's index
      if (from < to - 1 && /^\d+$/.test(lower[from] ?? '')) from += 1;
    }
  }
  if (words.length === 1 && first !== undefined) {
    // `test`, `learn`: the phase's value of the one metric the log prints
    const p = LONE_TRAIN_NAMES.has(first) ? 'train' : phaseOf(first);
    if (p !== null) return { phase: p, words: [], printedBase: '' };
  }
  if (phase === null && words.length > 1) {
    let last = to - 1;
    while (last > 0 && SET_WORDS.has(lower[last] ?? '')) last -= 1;
    const p = phaseOf(lower[last] ?? '');
    if (p !== null && last > 0) {
      phase = p;
      to = last;
      if (to > 1 && (lower[to - 1] === 'on' || lower[to - 1] === 'of')) to -= 1;
    }
  }
  const kept = words.slice(from, to);
  const printedBase =
    kept.length === 0 ? name : name.slice(kept[0]?.start ?? 0, kept[kept.length - 1]?.end ?? name.length);
  return { phase, words: lower.slice(from, to), printedBase };
}

function phaseOf(word: string): MetricPhase | null {
  const w = word.endsWith("'s") ? word.slice(0, -2) : word;
  if (VALIDATION_WORDS.has(w)) return 'validation';
  if (TEST_WORDS.has(w)) return 'test';
  if (TRAIN_WORDS.has(w)) return 'train';
  return null;
}

/** Words of a name: runs of letters, digits and `@`/`'`, split at camel-case humps (`ValLoss`). */
function splitWords(name: string): Word[] {
  const words: Word[] = [];
  let start = -1;
  for (let i = 0; i <= name.length; i += 1) {
    const c = i < name.length ? name.charCodeAt(i) : 32;
    const inWord = isLetter(c) || isDigit(c) || c === 64 /* @ */ || c === 39; /* ' */
    if (inWord && start >= 0 && isUpper(c) && isLower(name.charCodeAt(i - 1))) {
      const next = name.charCodeAt(i + 1);
      // `ValLoss`, `trainAcc`: a hump starts a word; `mAP50` and `F1` stay whole
      if (isLower(next) && i - start >= 2) {
        words.push({ text: name.slice(start, i), start, end: i });
        start = i;
      }
    }
    if (inWord && start < 0) start = i;
    else if (!inWord && start >= 0) {
      words.push({ text: name.slice(start, i), start, end: i });
      start = -1;
    }
  }
  return words;
}

function isLetter(c: number): boolean {
  return isUpper(c) || isLower(c);
}
function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}
function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The base words without summary words, joined: `Average loss` → `loss`, `Top-1 Acc` → `top1acc`. */
function baseKey(parts: NameParts): string {
  const kept = parts.words.filter((w) => !AGGREGATE_WORDS.has(w));
  return (kept.length > 0 ? kept : parts.words).join('');
}

/** Learning-rate keys: `lr`, `learning_rate`, `Learning rate`, `lr-Adam`, `x/lr0`, `lr/pg0`, `LR`. */
export function isLearningRateName(name: string): boolean {
  if (name === 'lr' || name === 'learning_rate' || name.startsWith('learning_rate_')) return true;
  const words = splitWords(name).map((w) => w.text.toLowerCase());
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i] ?? '';
    if (/^lr\d*$/.test(w)) return true;
    if (w === 'learning' && words[i + 1] === 'rate') return true;
  }
  return false;
}

/**
 * True for names of metrics computed on held-out data: validation (`val_`, `valid_`, `eval_`, `Val Loss`,
 * `loss_val`, `metrics/...`) or test (`test_`, `Test Acc@1`, `accuracy on test set`). Learning-rate
 * columns (`val_lr`) are not metrics of the data and are excluded.
 */
export function isValidationName(name: string): boolean {
  const phase = nameParts(name).phase;
  return (phase === 'validation' || phase === 'test') && !isLearningRateName(name) && !isResourceName(name);
}

/** Words that make a name a cost of the run (time, throughput, memory), not a metric of the data. */
const RESOURCE_WORDS = new Set([
  'runtime',
  'time',
  'duration',
  'seconds',
  'second',
  'secs',
  'sec',
  'throughput',
  'speed',
  'eta',
  'mem',
  'memory',
  'flos',
]);

/**
 * Timing, throughput and memory columns (`eval_runtime`, `eval_samples_per_second`, `val_time`,
 * `test_mem_gb`, `total_flos`): what the evaluation cost, not how the model did on the data. They are
 * never validation metrics, whatever their phase word.
 */
export function isResourceName(name: string): boolean {
  const words = nameParts(name).words;
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i] ?? '';
    if (RESOURCE_WORDS.has(w)) return true;
    if (w === 'per' && i > 0) return true;
  }
  return false;
}

/** The phase of a metric in a run: the run's format knowledge (`Run.phases`) first, then its name. */
export function metricPhase(name: string, run?: Pick<Run, 'phases'>): MetricPhase | null {
  return run?.phases?.[name] ?? nameParts(name).phase;
}

/**
 * The training twin of a held-out metric, or null. Without `names`, the name minus its phase word
 * (`val_acc` → `acc`, `eval_loss` → `loss`, `Val Loss` → `Loss`). With the run's names, the twin that
 * is there: `valid_loss` → `train_loss`, `Test Acc@1` → `Train Acc@1`, `eval_loss` → `loss`.
 */
export function trainingTwin(name: string, names?: Iterable<string>): string | null {
  if (!isValidationName(name)) return null;
  const parts = nameParts(name);
  const plain = name.startsWith('val_') ? name.slice(4) : parts.printedBase;
  if (names === undefined) return plain;
  const key = parts.words.join(' ');
  let unphased: string | null = null;
  let trained: string | null = null;
  for (const candidate of names) {
    // a name whose phase is stated by its format (fastai's `accuracy`) is not its own twin
    if (candidate === name) continue;
    if (candidate === plain) return plain;
    const p = nameParts(candidate);
    if (p.words.join(' ') !== key) continue;
    if (p.phase === 'train') trained ??= candidate;
    else if (p.phase === null) unphased ??= candidate;
  }
  return trained ?? unphased;
}

/** True for accuracy-like names of any phase: `acc`, `val_accuracy`, `Test Acc@1`, `eval_top1`, `Top-1 Acc`. */
export function isAccuracyName(name: string): boolean {
  const key = baseKey(nameParts(name));
  return ACCURACY_BASES.has(key) || ACCURACY_NAMES.includes(key) || /(?:^|_)acc(?:uracy)?$/.test(key);
}

/** True for loss-like names of any phase: `loss`, `Val Loss`, `Average loss`, `eval-logloss`. */
export function isLossName(name: string): boolean {
  return LOSS_BASES.has(baseKey(nameParts(name)));
}

const LOWER_BETTER =
  /(loss|error|mse|mae|mape|msle|crossentropy|hinge|divergence|perplexity|nll|rmse|wer|cer|ece)/;
const HIGHER_BETTER =
  /(acc|auc|precision|recall|f1|fmeasure|iou|jaccard|dice|r2|top_?k|top\d|prec\d|map|specificity|sensitivity|bleu|rouge|meteor|psnr|ssim|correct)/;

/** Which direction is better for a metric, judged from its name; null when the name does not say. */
export function metricDirection(name: string): 'lower' | 'higher' | null {
  if (isLearningRateName(name)) return null;
  const words = nameParts(name).words;
  const base = words.join('_');
  if (words.includes('wer') || words.includes('cer') || LOWER_BETTER.test(base)) return 'lower';
  if (HIGHER_BETTER.test(base)) return 'higher';
  return null;
}

/**
 * The metric that plays a role in a set of names, e.g. `accuracy` → `acc` when the log printed `acc`,
 * `val_loss` → `Val Loss` or `eval_loss`. Exact Keras names win; then names read through the table, in
 * the order given (a validation metric before a test one). For multi-output logs without a plain name,
 * the first `<output>_loss`/`<output>_acc` is not guessed.
 */
export function findRole(names: Iterable<string>, role: MetricRole): string | null {
  const list = [...names];
  const present = new Set(list);
  switch (role) {
    case 'loss':
      return present.has('loss') ? 'loss' : pick(list, 'train', isLossName);
    case 'val_loss':
      return present.has('val_loss') ? 'val_loss' : pickHeldOut(list, isLossName);
    case 'accuracy':
      return ACCURACY_NAMES.find((n) => present.has(n)) ?? pick(list, 'train', isAccuracyName);
    case 'val_accuracy':
      return (
        ACCURACY_NAMES.map((n) => `val_${n}`).find((n) => present.has(n)) ?? pickHeldOut(list, isAccuracyName)
      );
    case 'lr':
      for (const n of list) if (isLearningRateName(n)) return n;
      return null;
  }
}

/** A training-side name of this kind: one with a training phase word first, then one without a phase. */
function pick(names: string[], phase: 'train', test: (name: string) => boolean): string | null {
  let unphased: string | null = null;
  for (const n of names) {
    if (isLearningRateName(n) || !test(n)) continue;
    const p = nameParts(n).phase;
    if (p === phase) return n;
    if (p === null) unphased ??= n;
  }
  return unphased;
}

/** A held-out name of this kind: validation first, test when there is no validation one. */
function pickHeldOut(names: string[], test: (name: string) => boolean): string | null {
  let testName: string | null = null;
  for (const n of names) {
    if (!isValidationName(n) || !test(n)) continue;
    if (nameParts(n).phase === 'validation') return n;
    testName ??= n;
  }
  return testName;
}

/** Fewest evaluations that make a cadence (three points, two equal gaps). */
const CADENCE_MIN_EVALUATIONS = 3;

/**
 * Held-out metrics a run's cadence shows: an accuracy whose name has no phase word (`Acc`), printed on a
 * regular subset of the epochs (every k-th, k ≥ 2; the last gap may be shorter, a final evaluation) while
 * the training loss is printed in every epoch, is an evaluation on held-out data: a hand-written loop that
 * evaluates every k epochs (`if epoch % 5 == 0: test(...)`) prints it beside that epoch's loss. Only for
 * runs without any phased held-out metric (where one exists, the cadence says nothing about which set), and
 * only where the run's format states no phase for it. Its phase is `test`: held-out data of unknown name,
 * which plays the validation roles (README).
 */
export function cadencePhases(run: Pick<Run, 'epochs' | 'phases'>): Record<string, MetricPhase> {
  const counts = new Map<string, number>();
  for (const e of run.epochs) for (const k of Object.keys(e.metrics)) counts.set(k, (counts.get(k) ?? 0) + 1);
  const names = [...counts.keys()];
  const stated = run.phases ?? {};
  const phaseOfName = (n: string): MetricPhase | null => stated[n] ?? nameParts(n).phase;
  if (names.some((n) => isValidationName(n) || stated[n] === 'validation' || stated[n] === 'test')) return {};
  const loss = findRole(names, 'loss');
  if (loss === null || counts.get(loss) !== run.epochs.length) return {};
  const found: Record<string, MetricPhase> = {};
  for (const name of names) {
    const n = counts.get(name) ?? 0;
    if (phaseOfName(name) !== null || !isAccuracyName(name) || isLearningRateName(name)) continue;
    if (n < CADENCE_MIN_EVALUATIONS || 2 * n > run.epochs.length) continue;
    if (regularCadence(run.epochs.filter((e) => e.metrics[name] !== undefined).map((e) => e.epoch)))
      found[name] = 'test';
  }
  return found;
}

/** Epochs evaluated every k-th epoch (k ≥ 2), the last gap allowed shorter. */
function regularCadence(epochs: readonly number[]): boolean {
  const first = epochs[0];
  const second = epochs[1];
  if (first === undefined || second === undefined) return false;
  const k = second - first;
  if (k < 2) return false;
  for (let i = 2; i < epochs.length; i += 1) {
    const gap = (epochs[i] ?? 0) - (epochs[i - 1] ?? 0);
    if (gap === k) continue;
    if (i === epochs.length - 1 && gap > 0 && gap < k) continue;
    return false;
  }
  return true;
}
