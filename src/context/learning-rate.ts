/**
 * What a logged learning-rate column (`lr`, `learning_rate`) does over a run: constant, only decreasing
 * (ReduceLROnPlateau, step or exponential decay), cycling with a period (cyclic schedules, warm restarts),
 * or moving irregularly. A cycle is a repeat: the rate at epoch e equals the rate at e + P on nearly every
 * epoch, over at least two full cycles.
 */
import { isLearningRateName, type LearningRateLog, type Run } from '../model/index.js';

/** Two printed rates closer than this (relative) are the same value (5 significant digits are printed). */
const SAME_RATE = 1e-3;
/** Share of epochs that must repeat the rate P epochs later for a cycle of P. */
const REPEAT_SHARE = 0.9;
const MAX_PERIOD = 20;

function same(a: number, b: number): boolean {
  return Math.abs(a - b) <= SAME_RATE * Math.max(Math.abs(a), Math.abs(b));
}

/** The logged learning rate of a run, or null when it has no such column (or fewer than 3 values). */
export function readLearningRate(run: Run): LearningRateLog | null {
  let metric: string | null = null;
  // every epoch prints the same few names: each is looked at once (splitting a name into words is not free)
  const seen = new Set<string>();
  for (const epoch of run.epochs) {
    for (const name of Object.keys(epoch.metrics)) {
      if (seen.has(name)) continue;
      seen.add(name);
      if (isLearningRateName(name)) {
        metric = name;
        break;
      }
    }
    if (metric !== null) break;
  }
  if (metric === null) return null;
  const epochs: number[] = [];
  const values: number[] = [];
  for (const epoch of run.epochs) {
    const v = epoch.metrics[metric];
    if (v === undefined || !Number.isFinite(v)) continue;
    epochs.push(epoch.epoch);
    values.push(v);
  }
  if (values.length < 3) return null;
  let changes = 0;
  let reversals = 0;
  let rises = 0;
  let previousSign = 0;
  for (let i = 1; i < values.length; i += 1) {
    const a = values[i - 1] ?? 0;
    const b = values[i] ?? 0;
    if (same(a, b)) continue;
    const sign = Math.sign(b - a);
    changes += 1;
    if (sign > 0) rises += 1;
    if (previousSign !== 0 && sign !== previousSign) reversals += 1;
    previousSign = sign;
  }
  const min = values.reduce((x, y) => Math.min(x, y), Number.POSITIVE_INFINITY);
  const max = values.reduce((x, y) => Math.max(x, y), Number.NEGATIVE_INFINITY);
  const base = { metric, n: values.length, changes, reversals, min, max };
  if (changes === 0) return { ...base, pattern: 'constant', period: null, highParity: null };
  if (rises === 0) return { ...base, pattern: 'decreasing', period: null, highParity: null };
  const period = repeatPeriod(values);
  if (period !== null) {
    let highParity: 'odd' | 'even' | null = null;
    if (period === 2) {
      const odd = mean(values.filter((_, i) => (epochs[i] ?? 0) % 2 === 1));
      const even = mean(values.filter((_, i) => (epochs[i] ?? 0) % 2 === 0));
      highParity = odd > even ? 'odd' : odd < even ? 'even' : null;
    }
    return { ...base, pattern: 'cycling', period, highParity };
  }
  return { ...base, pattern: 'irregular', period: null, highParity: null };
}

/** The smallest P (2 … 20, at most a third of the run) with v[e] = v[e + P] on 90 % of epochs. */
function repeatPeriod(values: readonly number[]): number | null {
  const top = Math.min(MAX_PERIOD, Math.floor(values.length / 3));
  for (let p = 2; p <= top; p += 1) {
    let repeats = 0;
    let moves = 0;
    for (let i = 0; i + p < values.length; i += 1) {
      if (same(values[i] ?? 0, values[i + p] ?? 0)) repeats += 1;
      if (!same(values[i] ?? 0, values[i + 1] ?? 0)) moves += 1;
    }
    const pairs = values.length - p;
    // a cycle moves within itself: a rate that repeats because it hardly changes is not one
    if (repeats >= REPEAT_SHARE * pairs && moves >= pairs / p) return p;
  }
  return null;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
