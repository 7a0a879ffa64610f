/**
 * The evaluated sample count behind each value of an accuracy series (issue 7 §2): an accuracy is
 * float32(k / n) when printed with all its float32 digits (CSVLogger, history JSON), or k / n rounded when
 * printed with a few decimals (console). The count is the smallest n that reproduces every value of a group
 * of epochs that shares it: all epochs (a constant count) or the epochs of each phase of a short cycle
 * (windows of different sizes, e.g. 192 and 168 images on alternate epochs). A count is reported only when
 * the digits single it out: the expected number of smaller counts that would fit by chance stays below
 * `RELIABLE_CHANCE`.
 */
import type { Run, SampleCounts } from '../model/index.js';
import {
  decimalNumerator,
  float32HalfUlp,
  float32Numerator,
  isFloat32,
  printedDecimals,
} from '../stats/fractions.js';

/** Chance fits below this leave about one wrong count in a hundred inferences. */
export const RELIABLE_CHANCE = 0.01;
/** Largest count searched when the set size is not known (larger validation sets are rare in logs like these). */
export const DEFAULT_MAX_COUNT = 100_000;
/** Cycles looked for: windows of a rotating subset repeat with a short period (causes.md §2.3). */
const MAX_CYCLE = 6;
/**
 * Without a stated set size, a constant count up to this is taken as settled; a larger one may be the least
 * common multiple of a cycle (192 and 168 windows fit 1344 at every epoch), so cycles are looked for.
 */
const SETTLED_COUNT = 1000;
/** Values per phase a cycle needs: with fewer, a smaller count fits by chance too easily. */
const MIN_PER_PHASE = 4;
/** Most recent epochs inferred: a few hundred values single a count out; the cost stays bounded on long runs. */
const MAX_EPOCHS = 200;

type Precision = { kind: 'float32' } | { kind: 'decimals'; decimals: number };

/** How a series was printed: every value a float32 with long digits, or a fixed number of decimals. */
export function detectPrecision(values: readonly number[]): Precision {
  const long = values.filter((v) => printedDecimals(v) >= 7).length;
  if (values.every(isFloat32) && long * 2 >= values.length) return { kind: 'float32' };
  return { kind: 'decimals', decimals: Math.min(12, Math.max(0, ...values.map(printedDecimals))) };
}

function fits(value: number, n: number, precision: Precision): number | null {
  return precision.kind === 'float32'
    ? float32Numerator(value, n)
    : decimalNumerator(value, n, precision.decimals);
}

/**
 * `fits(value, n, precision) !== null` with the precision's constants worked out once: the searches below
 * ask it of every n up to the largest count, the hot loop of a lint (a power of ten per call, an array per
 * float32 call, were most of its time). The same tests as `decimalNumerator` and `float32Numerator`.
 */
export function fitTest(precision: Precision): (value: number, n: number) => boolean {
  if (precision.kind === 'float32') {
    return (value, n) => {
      const k = Math.round(value * n);
      return (
        (k >= 0 && k <= n && Math.fround(k / n) === value) ||
        (k >= 1 && k <= n + 1 && Math.fround((k - 1) / n) === value) ||
        (k >= -1 && k < n && Math.fround((k + 1) / n) === value)
      );
    };
  }
  // half a unit of the last printed decimal, plus room for the float32 value that was printed
  const tolerance = 0.5 * 10 ** -precision.decimals + 1e-9;
  return (value, n) => {
    const k = Math.round(value * n);
    return k >= 0 && k <= n && Math.abs(k / n - value) <= tolerance;
  };
}

/**
 * The first count n in [from, to] that every one of `values` fits (`fitTest(precision)` true for each), or
 * 0 for none: the tests of {@link fitTest} written out in one loop per precision, without a call per value
 * and count (the search asks it of thousands of counts, most of them before its code is optimized).
 */
export function firstCommonFit(
  values: readonly number[],
  precision: Precision,
  from: number,
  to: number,
): number {
  const count = values.length;
  if (precision.kind === 'float32') {
    for (let n = from; n <= to; n += 1) {
      let i = 0;
      for (; i < count; i += 1) {
        const value = values[i] as number;
        const k = Math.round(value * n);
        if (!(
          (k >= 0 && k <= n && Math.fround(k / n) === value) ||
          (k >= 1 && k <= n + 1 && Math.fround((k - 1) / n) === value) ||
          (k >= -1 && k < n && Math.fround((k + 1) / n) === value)
        ))
          break;
      }
      if (i === count) return n;
    }
    return 0;
  }
  const tolerance = 0.5 * 10 ** -precision.decimals + 1e-9;
  for (let n = from; n <= to; n += 1) {
    let i = 0;
    for (; i < count; i += 1) {
      const value = values[i] as number;
      const k = Math.round(value * n);
      if (!(k >= 0 && k <= n && Math.abs(k / n - value) <= tolerance)) break;
    }
    if (i === count) return n;
  }
  return 0;
}

/** Width of the interval of true values that print as `value` (float32 rounding, or the decimals; at least 2e-9). */
function width(value: number, precision: Precision): number {
  return precision.kind === 'float32' ? 2 * float32HalfUlp(value) : Math.max(10 ** -precision.decimals, 2e-9);
}

/**
 * The smallest n ≤ max that fits every value, and the expected number of smaller n that would fit them all by
 * chance (a random value fits denominator m with probability ≈ (m + 1) × the width of its rounding interval).
 */
export function smallestCommonCount(
  values: readonly number[],
  precision: Precision,
  max: number,
  giveUpAt: number = Number.POSITIVE_INFINITY,
): { n: number; chanceFit: number } | null {
  if (values.length === 0) return null;
  // 0 and 1 fit every count: they say nothing about it
  const informative = values.filter((v) => v > 0 && v < 1).map((v) => width(v, precision));
  // no spread of a series into Math.max/min: a long run overflows the argument stack
  let widest = 0;
  let narrowest = Number.POSITIVE_INFINITY;
  for (const w of informative) {
    if (w > widest) widest = w;
    if (w < narrowest) narrowest = w;
  }
  // with a few decimals every value has the same width: the chance sum depends on that width and the
  // number of values only, and is shared by every series and phase of that size (see `sharedChances`)
  const step = chanceStep(informative, widest, narrowest);
  const chances =
    precision.kind === 'decimals' && informative.length > 0
      ? sharedChances(widest, informative.length, step)
      : runningSum(step);
  // 0 and 1 fit every count, and a value met twice fits as it did once: each other value is tested once
  const tested = [...new Set(values.filter((v) => v !== 0 && v !== 1))];
  // A block of counts at a time: first the chance sums of the block, up to the count where the sum
  // reaches `giveUpAt` (the search stops after testing that count), then the counts that every value
  // fits. The same answer as testing n and then adding its chance, one n after the other, with the
  // same additions in the same order; the loops are tighter (a lint runs a dozen searches, most of
  // them over thousands of counts, before its code is optimized).
  const sums = new Float64Array(SEARCH_BLOCK);
  let before = 0;
  for (let from = 1; from <= max; from += SEARCH_BLOCK) {
    const to = Math.min(max, from + SEARCH_BLOCK - 1);
    const last = chances(from, to, giveUpAt, sums);
    const n = firstCommonFit(tested, precision, from, last);
    if (n !== 0) {
      // only 0s and 1s: every count fits them, none is singled out
      if (informative.length === 0) return null;
      const chance = n === from ? before : (sums[n - 1 - from] as number);
      // values near 0 or 1 (few errors) fit whole ranges of counts, which the chance sum does not see:
      // another count between n and 2n that fits too (not a multiple of n) shows the digits allow several
      return { n, chanceFit: alsoFits(values, n, precision, max) ? Math.max(1, chance) : chance };
    }
    if (last < to) return null;
    before = sums[to - from] as number;
  }
  return null;
}

/** Counts a search takes at a time (see {@link smallestCommonCount}). */
const SEARCH_BLOCK = 256;

/** The chance sum after count `n` from the sum after n − 1 (see {@link chanceStep}). */
type ChanceStep = (n: number, before: number) => number;

/**
 * One step of the chance sum, the sum over n of the products over the informative values of
 * min(1, (n + 1) × width), for every n whose product is not negligible.
 */
function chanceStep(informative: readonly number[], widest: number, narrowest: number): ChanceStep {
  // the bound below is min(1, (n + 1) × widest) to the power of the informative values: under 1e-24 while
  // that base is below `low`, over it from `high` on (margins far wider than the error of a power), so the
  // power, the costliest step of the loop, is worked out only between the two
  const threshold = 1e-24 ** (1 / informative.length);
  const low = threshold * (1 - 1e-6);
  const high = threshold * (1 + 1e-6);
  return (n, before) => {
    // the product only grows with n; skip it while even its bound is negligible
    const base = Math.min(1, (n + 1) * widest);
    if (!(base >= high || (base > low && base ** informative.length > 1e-24))) return before;
    let product = 1;
    // once even the narrowest interval has (n + 1)·w ≥ 1 every factor is 1: so is the product
    if ((n + 1) * narrowest >= 1) return before + product;
    if (widest === narrowest) {
      // one width (a few printed decimals): the same factor each time, worked out once
      const factor = Math.min(1, (n + 1) * widest);
      for (let i = 0; i < informative.length; i += 1) product *= factor;
    } else {
      for (const w of informative) product *= Math.min(1, (n + 1) * w);
    }
    return before + product;
  };
}

/**
 * The chance sums of a search, a block of counts at a time, asked for n = 1, 2, … in turn: fills
 * `out[n - from]` with the sum after each count n from `from` to `to` and returns the first n whose sum
 * reaches `giveUpAt` (the last filled), or `to`.
 */
type ChanceSums = (from: number, to: number, giveUpAt: number, out: Float64Array) => number;

/** The chance sums of one search, worked out as it goes. */
function runningSum(step: ChanceStep): ChanceSums {
  let sum = 0;
  return (from, to, giveUpAt, out) => {
    for (let n = from; n <= to; n += 1) {
      sum = step(n, sum);
      out[n - from] = sum;
      if (sum >= giveUpAt) return n;
    }
    return to;
  };
}

/** Counts whose chance sums are kept per (width, number of values); past it the sum is worked out. */
const SHARED_COUNTS = 16_384;
/**
 * (width, number of values) pairs kept: at most 128 × 128 KiB, and a search of four decimals stops by
 * n = 10⁴ (80 KB). A sweep meets many sizes (its runs' lengths and their phases): with 16 kept, a sweep of
 * 1000 logs of 20 to 80 epochs worked most sums out again for each log (5.46 s with 128 kept instead
 * of 6.12 s, with --jobs 1).
 */
const SHARED_SIZES = 128;
const sharedSums = new Map<string, { sums: Float64Array; filled: number }>();

/** Room for the sums up to `n` (doubled as a search goes further, up to {@link SHARED_COUNTS}). */
function ensureRoom(entry: { sums: Float64Array }, n: number): void {
  if (n < entry.sums.length) return;
  let size = entry.sums.length;
  while (size <= n) size *= 2;
  const sums = new Float64Array(Math.min(size, SHARED_COUNTS + 1));
  sums.set(entry.sums, 0);
  entry.sums = sums;
}

/**
 * The chance sums of values that all have one width (printed with a few decimals), kept for the next
 * series of as many values: the accuracy and the validation accuracy of a run, the phases of a cycle
 * and the runs of a sweep all ask for the same sums, whose products are most of the search's time. The
 * sums are the same additions in the same order, so every result is the same to the bit. Like
 * {@link runningSum}, the returned function answers n = 1, 2, … in turn.
 */
function sharedChances(width: number, values: number, step: ChanceStep): ChanceSums {
  const key = `${width}:${values}`;
  let entry = sharedSums.get(key);
  if (entry === undefined) {
    if (sharedSums.size >= SHARED_SIZES) sharedSums.delete(sharedSums.keys().next().value as string);
    entry = { sums: new Float64Array(1024), filled: 0 };
    sharedSums.set(key, entry);
  }
  const kept = entry;
  let last = 0;
  return (from, to, giveUpAt, out) => {
    for (let n = from; n <= to; n += 1) {
      if (n <= kept.filled) {
        last = kept.sums[n] as number;
      } else {
        // the sum after n - 1: kept, or the one this search worked out last (past what is kept)
        last = step(n, n - 1 <= kept.filled ? (kept.sums[n - 1] as number) : last);
        if (n <= SHARED_COUNTS && n === kept.filled + 1) {
          ensureRoom(kept, n);
          kept.sums[n] = last;
          kept.filled = n;
        }
      }
      out[n - from] = last;
      if (last >= giveUpAt) return n;
    }
    return to;
  };
}

/** Whether a count between n + 1 and 2n − 1 (at most `max`) fits every value too. */
function alsoFits(values: readonly number[], n: number, precision: Precision, max: number): boolean {
  return firstCommonFit(values, precision, n + 1, Math.min(2 * n - 1, max)) !== 0;
}

interface Phase {
  n: number;
  chanceFit: number;
  values: number;
}

/** Counts per phase of a cycle of `period` epochs, or null when a phase has no reliable count. */
function cycleCounts(
  values: readonly number[],
  period: number,
  precision: Precision,
  max: number,
): Phase[] | null {
  const phases: Phase[] = [];
  for (let phase = 0; phase < period; phase += 1) {
    const group = values.filter((_, i) => i % period === phase);
    if (group.length < MIN_PER_PHASE) return null;
    const found = smallestCommonCount(group, precision, max, RELIABLE_CHANCE);
    if (found === null || found.chanceFit >= RELIABLE_CHANCE) return null;
    phases.push({ ...found, values: group.length });
  }
  return phases;
}

/**
 * Infers the sample counts of an accuracy series (values in [0, 1], one per epoch). `maxCount` is the set
 * size when the log states it (no count can exceed it). Null for series that are not accuracies.
 */
export function inferSampleCounts(
  metric: string,
  epochs: readonly number[],
  values: readonly number[],
  maxCount: number | null,
): SampleCounts | null {
  const from = Math.max(0, values.length - MAX_EPOCHS);
  const v = values.slice(from);
  const e = epochs.slice(from);
  if (v.length < 3 || v.some((x) => !(x >= 0 && x <= 1))) return null;
  const precision = detectPrecision(v);
  const max = maxCount ?? DEFAULT_MAX_COUNT;
  const base = {
    metric,
    precision: precision.kind,
    decimals: precision.kind === 'decimals' ? precision.decimals : null,
  } as const;
  const constant = smallestCommonCount(v, precision, max);
  const reliableConstant = constant !== null && constant.chanceFit < RELIABLE_CHANCE;

  // a cycle explains the digits better when each phase has a reliable count of its own, the counts differ,
  // and no single count up to the largest phase count fits every epoch
  let cycle: { period: number; phases: Phase[]; chanceFit: number } | null = null;
  const largestPhase = (phases: Phase[]): number => Math.max(...phases.map((p) => p.n));
  // a count that fits every epoch and is no larger than the set (or a plausible set) needs no cycle
  const settled = reliableConstant && constant !== null && constant.n <= (maxCount ?? SETTLED_COUNT);
  for (let period = 2; period <= MAX_CYCLE && cycle === null && !settled; period += 1) {
    const phases = cycleCounts(v, period, precision, max);
    if (phases === null) continue;
    const distinct = new Set(phases.map((p) => p.n));
    if (distinct.size < 2) continue;
    if (constant !== null && constant.n <= largestPhase(phases)) continue;
    // under a constant count N every phase would fit a smaller count only if all its k were multiples of N / n
    const underConstant =
      constant === null ? 0 : phases.reduce((p, ph) => p * (ph.n / constant.n) ** ph.values, 1);
    const chanceFit = Math.max(...phases.map((p) => p.chanceFit), underConstant);
    if (chanceFit < RELIABLE_CHANCE) cycle = { period, phases, chanceFit };
  }

  if (cycle !== null) {
    const counts = cycle.phases.map((p) => p.n);
    const rows = e.map((epoch, i) => {
      const n = counts[i % cycle.period] ?? null;
      return { epoch, count: n, correct: n === null ? null : fits(v[i] ?? 0, n, precision) };
    });
    return {
      ...base,
      pattern: 'cycle',
      counts,
      period: cycle.period,
      firstEpoch: e[0] ?? 1,
      resolved: v.length,
      unresolved: 0,
      chanceFit: cycle.chanceFit,
      constantCorrect: null,
      epochs: rows,
    };
  }
  if (reliableConstant && constant !== null) {
    const rows = e.map((epoch, i) => ({
      epoch,
      count: constant.n,
      correct: fits(v[i] ?? 0, constant.n, precision),
    }));
    const corrects = new Set(rows.map((r) => r.correct));
    const only = rows[0]?.correct ?? null;
    return {
      ...base,
      pattern: 'constant',
      counts: [constant.n],
      period: null,
      firstEpoch: null,
      resolved: v.length,
      unresolved: 0,
      chanceFit: constant.chanceFit,
      constantCorrect: corrects.size === 1 ? only : null,
      epochs: rows,
    };
  }
  // with a known set size and full float32 digits, no common count at all means the evaluated set changes
  const varies = precision.kind === 'float32' && maxCount !== null && constant === null;
  return {
    ...base,
    pattern: varies ? 'varies' : 'unknown',
    counts: [],
    period: null,
    firstEpoch: null,
    resolved: 0,
    unresolved: v.length,
    chanceFit: constant?.chanceFit ?? 0,
    constantCorrect: null,
    epochs: e.map((epoch) => ({ epoch, count: null, correct: null })),
  };
}

/** The series of a metric over the epochs where it is finite. */
function seriesOf(run: Run, metric: string): { epochs: number[]; values: number[] } {
  const epochs: number[] = [];
  const values: number[] = [];
  for (const epoch of run.epochs) {
    const value = epoch.metrics[metric];
    if (value === undefined || !Number.isFinite(value)) continue;
    epochs.push(epoch.epoch);
    values.push(value);
  }
  return { epochs, values };
}

/** Sample counts of a run's accuracy metric (null when the run has none or the values are not accuracies). */
export function runSampleCounts(
  run: Run,
  metric: string | null,
  maxCount: number | null,
): SampleCounts | null {
  if (metric === null) return null;
  const s = seriesOf(run, metric);
  return inferSampleCounts(metric, s.epochs, s.values, maxCount);
}
