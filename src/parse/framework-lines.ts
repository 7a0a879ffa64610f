/**
 * Shapes of training-library console output that the generic line reading (`line-tokens.ts`) cannot
 * read token by token, and the log prefixes that go before any line:
 * - log prefixes: absl/glog (`I1202 12:00:00.123456 140 train.py:100] `), Python logging
 *   (`2024-01-01 12:00:00,123 - INFO - `, `... - __main__ - INFO - `), mmengine (`2024/03/01 12:00:01 -
 *   mmengine - INFO - `, `08/21 02:58:41 - mmengine - INFO - `), Hydra (`[2024-01-01 12:00:00,123][__main__][INFO] - `),
 *   loguru (`2024-01-01 12:00:00.123 | INFO     | train:fit:42 - `) and `INFO:tensorflow:`/`INFO:root:`;
 * - Hugging Face accelerate examples: `epoch 0: {'accuracy': 0.85, 'f1': 0.89}` (the evaluation metrics
 *   of the epoch: keys without a phase word are validation metrics);
 * - scikit-learn's MLP verbose output: `Iteration 1, loss = 0.69314718` (an iteration is one pass over
 *   the data: an epoch), followed by `Validation score: 0.81` with `early_stopping=True`;
 * - pycocotools' summary (torchvision's detection references, mmdet 2.x): `Average Precision  (AP) @[
 *   IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.212`, a validation metric named
 *   `AP@[IoU=0.50:0.95|area=all|maxDets=100]` (after `IoU metric: segm`, `segm` goes before it);
 * - TF1 Estimator evaluations: `Saving dict for global step 1000: accuracy = 0.9, global_step = 1000,
 *   loss = 0.3` (an evaluation at a step: its metrics are validation metrics).
 * Every test is anchored and linear in the line.
 */
import type { MetricPhase } from '../model/index.js';
import { isLearningRateName, nameParts } from '../model/roles.js';
import { readTolerant } from './json-tolerant.js';

const GLOG_PREFIX = /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}(?:\.\d+)? +\d+ [\w.-]+:\d+\] ?/;
const STAMP = /^\[?(?:\d{4}[-/])?\d{2}[-/]\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[,.]\d+)?\]?/;
const LEVEL = '(?:INFO|WARNING|WARN|DEBUG|ERROR|CRITICAL)';
const AFTER_STAMP = new RegExp(
  `^(?: - (?:[\\w.-]{1,60} - )?${LEVEL} - | \\| ${LEVEL} {0,8}\\| [\\w.:<>-]{1,120} - |(?:\\[[\\w.-]{1,60}\\]){1,2}\\[${LEVEL}\\] - | ${LEVEL} {1,4}(?:[\\w.-]{1,60}: )?)`,
);
const LEVEL_PREFIX = new RegExp(`^${LEVEL}:[\\w.]{1,60}:`);

/** The line without the prefix a logging library put before it; the line itself when it has none. */
export function stripLogPrefix(text: string): string {
  const c = text.charCodeAt(0);
  if (c === 73 || c === 87 || c === 69 || c === 70) {
    // I/W/E/F: glog, or `INFO:tensorflow:`
    const g = GLOG_PREFIX.exec(text);
    if (g !== null) return text.slice(g[0].length);
    const l = LEVEL_PREFIX.exec(text);
    if (l !== null) return text.slice(l[0].length).trimStart();
    return text;
  }
  if (!((c >= 48 && c <= 57) || c === 91)) return text;
  const stamp = STAMP.exec(text);
  if (stamp === null) return text;
  const rest = text.slice(stamp[0].length);
  const after = AFTER_STAMP.exec(rest);
  return after === null ? text : rest.slice(after[0].length);
}

/** A line of one of these shapes, read: its pairs, epoch or evaluation step. */
export interface FrameworkReading {
  /** `epoch` numbers the record; `evalStep` is an evaluation at a step (records numbered in order). */
  epoch: number | null;
  evalStep: number | null;
  /** The text whose `name = value` pairs the generic reading reads (sklearn, Estimator), or null. */
  rest: string | null;
  /** Pairs read here (accelerate's dict), with the phase the format gives them. */
  pairs: Array<{ name: string; value: number; phase: MetricPhase | null }>;
  /** The phase of names without a phase word of their own (the Estimator's evaluation dict). */
  phase: MetricPhase | null;
}

const COCO_SUMMARY =
  /^Average (?:Precision|Recall) +\((AP|AR)\) @\[ IoU=([\d.:]+) *\| area= *(\w+) \| maxDets= *(\d+) \] = (-?[\d.]+)$/;
const ACCELERATE = /^epoch[ _]?(\d+)\s*[:,-]?\s*(\{.*\})$/i;
const SKLEARN = /^Iteration (\d+), (\w[\w ]{0,40} = \S.*)$/;
const ESTIMATOR = /^Saving dict for global step (\d+): (\w.*)$/;

/** Reads the line when it has one of the shapes above; null otherwise (the generic reading follows). */
export function readFrameworkLine(text: string): FrameworkReading | null {
  const c = text.charCodeAt(0);
  if (c === 101 || c === 69) {
    // e/E: `epoch 0: {...}`
    if (!text.endsWith('}')) return null;
    const m = ACCELERATE.exec(text);
    if (m === null) return null;
    const read = readTolerant(m[2] ?? '');
    if (!read.ok || read.value.kind !== 'object') return null;
    const entries = read.value.entries.filter((e) => e.value.kind === 'number');
    const anyPhase = entries.some((e) => nameParts(e.key).phase !== null);
    const pairs = entries.map((e) => ({
      name: e.key,
      value: e.value.kind === 'number' ? e.value.value : Number.NaN,
      phase:
        anyPhase || isLearningRateName(e.key) || nameParts(e.key).phase !== null
          ? null
          : ('validation' as const),
    }));
    if (pairs.length === 0) return null;
    return { epoch: Number(m[1]), evalStep: null, rest: null, pairs, phase: null };
  }
  if (c === 73) {
    const m = SKLEARN.exec(text);
    if (m === null) return null;
    return { epoch: Number(m[1]), evalStep: null, rest: m[2] ?? '', pairs: [], phase: null };
  }
  if (c === 65) {
    const m = COCO_SUMMARY.exec(text);
    if (m === null) return null;
    const name = `${m[1]}@[IoU=${m[2]}|area=${m[3]}|maxDets=${m[4]}]`;
    const pairs = [{ name, value: Number(m[5]), phase: 'validation' as const }];
    return { epoch: null, evalStep: null, rest: null, pairs, phase: null };
  }
  if (c === 83) {
    const m = ESTIMATOR.exec(text);
    if (m === null) return null;
    return { epoch: null, evalStep: Number(m[1]), rest: m[2] ?? '', pairs: [], phase: 'validation' };
  }
  return null;
}
