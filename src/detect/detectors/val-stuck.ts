import { median, standardDeviation } from 'simple-statistics';
import { z } from 'zod';
import { findRole, metricDirection, trainingTwin } from '../../model/index.js';
import { mannKendall } from '../../stats/index.js';
import { isAccuracyName } from '../accuracy-names.js';
import type { FindingDraft } from '../define-detector.js';
import { defineDetector, stat } from '../define-detector.js';
import {
  evaluatedCounts,
  finiteSeries,
  metricNames,
  round,
  thin,
  validationMetrics,
  type Series,
} from '../series.js';

/** The numbers of a val-stuck finding. */
export const StuckStats = z.object({
  /** constant: one value in every epoch of the stretch; chance: at 1/K; detached: not following training. */
  variant: z.enum(['constant', 'chance', 'detached']),
  /** First epoch of the stuck stretch and its length (the whole run, or the last epochs). */
  from: stat(),
  count: stat(),
  total: stat(),
  /** The stuck level (the constant, or the median of the stretch). */
  value: stat(),
  /** The training twin's median over the stretch, when there is one. */
  trainValue: stat().nullable(),
  /** Samples behind each value and the correct ones (read from the digits) for a constant: k / n. */
  samples: stat().nullable(),
  correct: stat().nullable(),
  classes: stat().nullable(),
  chance: stat().nullable(),
  /** detached: validation gain over the run and the training gain over the same epochs. */
  valGain: stat().nullable(),
  trainGain: stat().nullable(),
  /** near-constant: the range of the values and one binomial standard error of the count behind them. */
  band: stat().nullable(),
  se: stat().nullable(),
});

/** Mann–Kendall p below which the training curve "still moves" (a strong, pre-set level). */
const TRAIN_MOVES_ALPHA = 0.001;
/** Standard errors by which validation must sit below training to be "far from it". */
const FAR_BELOW_SE = 3;

type Stats = z.output<typeof StuckStats>;

/** The fields every variant gives; the others are null unless given. */
type StatsCore = Pick<Stats, 'variant' | 'from' | 'count' | 'total' | 'value'>;

/** A finding's stats: the variant's own fields, null for the rest. */
function stuckStats(fields: StatsCore & Partial<Stats>): Stats {
  const { variant, from, count, total, value, ...rest } = fields;
  return {
    // the schema's order, so the JSON report lists the fields as the schema does
    variant,
    from,
    count,
    total,
    value,
    trainValue: null,
    samples: null,
    correct: null,
    classes: null,
    chance: null,
    valGain: null,
    trainGain: null,
    band: null,
    se: null,
    ...rest,
  };
}

export default defineDetector({
  id: 'val-stuck',
  title: 'Validation accuracy stuck while training moves',
  defaultSeverity: 'warning',
  requires: ['val'],
  kind: 'stuck',
  startsDiagnosis: true,
  stats: StuckStats,
  options: z
    .object({
      minEpochs: z.number().int().min(2).default(5),
      /** How close to 1/K counts as "pinned at chance" when the sample count is not known. */
      chanceTolerance: z.number().min(0).default(0.01),
    })
    .strict(),
  docs: {
    what: `Six ways validation stops saying anything: (1) constant: the same value in every epoch (at least 5; for a metric that is not an accuracy, printed bit-identical while its training twin or the training loss moves), or in the last 5 or more epochs while the training twin still moves and sits well above it (${FAR_BELOW_SE} binomial standard errors, or 0.1 when the sample count is unknown); (2) chance: within 2 standard errors (0.01 without a count) of 1/K over the last 5 or more epochs (K from \`Found N images belonging to K classes\`, a line that states it such as \`(100 classes)\` or \`num_classes=100\`, or the flags) while training is well above it, or from the first evaluation on for 10 or more evaluations (80 % of them within 2 standard errors, or a quarter of chance at most 0.02 without a count; percent accuracies compared with 100/K) while the training loss falls to 70 % of its first value or below; (3) detached: training accuracy rises significantly (Mann–Kendall p < ${TRAIN_MOVES_ALPHA}) while validation never improves on its first epoch (when training gains less than 0.3, it must fall from it by more than twice the scatter of its last epochs) and ends closer to where training started than to where it ended. (4) near-constant: from the first epoch on, at least 10 epochs inside less than one binomial standard error of the sample count behind them (read from the digits or the log; not above 0.95), while a printed training twin moves by more than that; (5) flat: training accuracy climbs (p < ${TRAIN_MOVES_ALPHA}) by at least 0.3 (30 points) while validation gains less than a quarter of what training gains, has no trend after its first epoch, no validation loss rises in the second half, and even its best late epoch sits further below training than it swings. (6) a validation loss that never learns: its best epoch is still above the training loss of the first epoch (the untrained model's average) while the training loss at least halves. The number of samples behind the values is read from their digits when possible (a constant k / n means the same answers every epoch).`,
    why: 'A validation accuracy that does not move, or does not follow training at all, means the predictions on the validation set do not depend on what the model learns: the validation data are preprocessed differently from the training data (rescale on one generator only), the model predicts one class for everything (its accuracy is then that class share), BatchNormalization statistics do not fit the validation inputs, the validation labels are wrong, or the metric does not fit the task (accuracy on a regression target prints 0.0000e+00).',
    example:
      'val_accuracy: 0.5028 for the last 36 of 40 epochs while accuracy climbs to 1.0000; or val_acc 0.675 → 0.59 while acc 0.78 → 1.00',
  },
  messages: {
    constant: '{metric} is {value} in all {count} epochs',
    constantTail:
      '{metric} is {value} in the last {count} of {total} epochs (from epoch {from}) while {trainMetric} moves on ({trainValue})',
    constantCounted:
      '{metric} is {value} = {correct}/{samples} validation samples in the last {count} of {total} epochs (from epoch {from}): the same answers every epoch, while {trainMetric} is at {trainValue}',
    chance:
      '{metric} stays within {tolerance} of chance (1/{classes} = {chance}) in the last {count} of {total} epochs while {trainMetric} is at {trainValue}',
    chanceStart:
      '{metric} sits at chance (1/{classes} = {chance}; {classes} classes as line {classesLine} states) for its first {count} of {total} evaluations (epochs {from}–{to}), within {tolerance} of it in {inBand} of them, while {trainMetric} falls {trainFirst} → {trainLast}',
    chanceStartGiven:
      '{metric} sits at chance (1/{classes} = {chance}; {classes} classes from the {classesSource}) for its first {count} of {total} evaluations (epochs {from}–{to}), within {tolerance} of it in {inBand} of them, while {trainMetric} falls {trainFirst} → {trainLast}',
    detached:
      '{metric} does not follow training: it never improves on its first epoch ({first} → {value}, median of the last epochs) while {trainMetric} rises {trainFirst} → {trainValue}',
    nearConstant:
      '{metric} stays between {min} and {max} in all {count} epochs: a band of {band}, less than one sampling standard error ({se}) of {samples} validation samples, so the predictions barely change between epochs',
    nearConstantTrain:
      '{metric} stays between {min} and {max} in all {count} epochs (a band of {band}, less than one sampling standard error, {se}, of {samples} validation samples) while {trainMetric} moves {trainFirst} → {trainLast}',
    detachedFlat:
      '{metric} does not follow training: it gains {valGain} ({first} → {value}, median of the last epochs) and has no trend after epoch {firstEpoch}, while {trainMetric} gains {trainGain} ({trainFirst} → {trainValue})',
    detachedLoss:
      '{metric} never gets below the training loss of the first epoch ({trainFirst}, the untrained model): its best is {value} at epoch {bestEpoch} while {trainMetric} falls to {trainValue}; validation gains nothing from what training learns',
    nextConstant:
      'the predictions on the validation set do not change: compare the preprocessing of the training and validation data (rescale, preprocess_input, normalisation) and count the predicted classes on the validation set (one class for every sample gives exactly that class share)',
    nextPerfect:
      'every epoch scores the whole validation set right: check that it is not a copy of the training data',
    nextChance:
      'the model learns to lower its loss but its predictions carry nothing about the labels: check that the evaluation reads the outputs the loss trains (the right head, argmax over the class axis) and the labels in the same order and encoding as training, and count the predicted classes of one evaluation (a single class everywhere gives 1/K)',
    nextDetached:
      'validation does not respond to training: print the preprocessing of both generators side by side (rescale, preprocessing_function, normalisation statistics) and evaluate the training images through the validation pipeline: a large drop settles it',
  },
  detect(run, { options, context, ignoreMetrics }) {
    const drafts: FindingDraft<Stats>[] = [];
    const classes = context.classes?.value ?? null;
    for (const metric of validationMetrics(run, ignoreMetrics).filter(isAccuracyName)) {
      const s = finiteSeries(run, metric);
      if (s.values.length < options.minEpochs) continue;
      const twin = trainingTwin(metric, metricNames(run));
      const train = twin !== null && !ignoreMetrics.has(twin) ? finiteSeries(run, twin) : null;
      const found = constantStretch(s, train, context, metric, options.minEpochs);
      if (found !== null) {
        drafts.push(found);
        continue;
      }
      if (classes !== null && classes > 1) {
        const chance =
          chanceStretch(s, train, context, metric, classes, options) ??
          chanceFromStart(s, trainingLoss(run, ignoreMetrics), context, metric, options.minEpochs);
        if (chance !== null) {
          drafts.push(chance);
          continue;
        }
      }
      const near = nearConstant(s, train, context, metric, options.minEpochs);
      if (near !== null) {
        drafts.push(near);
        continue;
      }
      const detached =
        detachedFromTraining(s, train, options.minEpochs) ??
        flatWhileTrainingClimbs(s, train, validationLosses(run, ignoreMetrics), options.minEpochs);
      if (detached !== null) drafts.push(detached);
    }
    // any other validation metric printed bit-identical in every epoch while its training twin moves: the
    // evaluation does not depend on the model, whatever the metric is called (`valid_ac`, a score in percent)
    for (const metric of validationMetrics(run, ignoreMetrics)) {
      if (isAccuracyName(metric)) continue;
      const s = finiteSeries(run, metric);
      if (s.values.length < options.minEpochs) continue;
      const first = s.values[0];
      if (first === undefined || s.values.some((v) => v !== first)) continue;
      // its training twin, or (a name the role table does not pair, `valid_ac`) the training loss
      const names = metricNames(run);
      const twin = trainingTwin(metric, names) ?? findRole(names, 'loss');
      const train = twin !== null && !ignoreMetrics.has(twin) ? finiteSeries(run, twin) : null;
      if (train === null || train.values.length < 2 || train.values.every((v) => v === train.values[0]))
        continue;
      const found = constantStretch(s, train, context, metric, options.minEpochs);
      if (found !== null) drafts.push(found);
    }
    // a validation loss that never learns: only when no accuracy said so already (one finding per symptom)
    if (drafts.length === 0) {
      const names = metricNames(run);
      for (const metric of validationMetrics(run, ignoreMetrics)) {
        if (isAccuracyName(metric) || metricDirection(metric) !== 'lower') continue;
        const twin = trainingTwin(metric, names);
        if (twin === null || ignoreMetrics.has(twin)) continue;
        const found = lossNeverLearns(finiteSeries(run, metric), finiteSeries(run, twin), options.minEpochs);
        if (found !== null) {
          drafts.push(found);
          break;
        }
      }
    }
    return drafts;
  },
});

/** Training must at least halve its loss for "training learns" (a constant training loss is another story). */
const TRAIN_LEARNS_FACTOR = 0.5;

/**
 * The first epoch's training loss is a running mean over that epoch, dominated by the untrained model (about
 * ln K for a classifier that knows nothing). A validation loss whose best epoch is still above it gains
 * nothing from what training learns, while training halves its loss or better: the validation pipeline does
 * not show the model the data it learned on (preprocessing, labels). Every honest curve — healthy,
 * overfitting (its minimum is early and below), heavy dropout (validation below training) — gets below it.
 */
function lossNeverLearns(val: Series, train: Series, minEpochs: number): FindingDraft<Stats> | null {
  if (val.values.length < 2 * minEpochs || train.values.length < 2 * minEpochs) return null;
  const trainFirst = train.values[0] ?? 0;
  const trainBest = train.values.reduce((a, b) => Math.min(a, b), Infinity);
  if (!(trainFirst > 0) || !(trainBest <= TRAIN_LEARNS_FACTOR * trainFirst)) return null;
  let best = 0;
  val.values.forEach((v, i) => {
    if (v < (val.values[best] ?? Infinity)) best = i;
  });
  const valBest = val.values[best] ?? 0;
  if (!(valBest >= trainFirst)) return null;
  const tail = Math.max(3, Math.ceil(train.values.length / 3));
  const trainLate = median(train.values.slice(-tail));
  const from = val.epochs[0] ?? 1;
  return {
    metric: val.metric,
    epochs: [from, val.epochs.at(-1) ?? from],
    line: val.lines[best] ?? null,
    stats: stuckStats({
      variant: 'detached',
      from,
      count: val.values.length,
      total: val.values.length,
      value: round(valBest),
      trainValue: round(trainLate),
      valGain: round(valBest - (val.values[0] ?? valBest)),
      trainGain: round(trainLate - trainFirst),
    }),
    evidence: { values: val.values, trainValues: train.values },
    messageId: 'detachedLoss',
    data: {
      metric: val.metric,
      value: round(valBest),
      bestEpoch: val.epochs[best] ?? from,
      trainMetric: train.metric,
      trainFirst: round(trainFirst),
      trainValue: round(trainLate),
    },
    next: { messageId: 'nextDetached', data: {} },
  };
}

/** The validation losses of a run (lower is better, not an accuracy). */
function validationLosses(run: Parameters<typeof metricNames>[0], ignore: ReadonlySet<string>): Series[] {
  return validationMetrics(run, ignore)
    .filter((m) => !isAccuracyName(m) && metricDirection(m) === 'lower')
    .map((m) => finiteSeries(run, m));
}

/** Evaluations a near-constant or flat validation needs before it says anything (twice minEpochs). */
const NEAR_MIN_FACTOR = 2;
/** Above this accuracy a model that barely changes its answers has simply converged near the ceiling. */
const NEAR_CEILING = 0.95;

/**
 * The whole run inside less than one binomial standard error of the count behind it (read from the digits
 * or the log): from the first evaluation on, the answers on the validation set barely change, which a model
 * that learns does not do (its first epochs move by several SE). A training twin, when printed, must move by
 * more than that band (a converged fine-tune whose training is as flat is quiet).
 */
function nearConstant(
  s: Series,
  train: Series | null,
  context: Parameters<typeof evaluatedCounts>[0],
  metric: string,
  minEpochs: number,
): FindingDraft<Stats> | null {
  const n = s.values.length;
  if (n < NEAR_MIN_FACTOR * minEpochs) return null;
  const { counts } = evaluatedCounts(context, metric, s.epochs);
  const samples = counts[0] ?? null;
  if (samples === null || samples <= 0 || counts.some((c) => c !== samples)) return null;
  const p = median(s.values);
  if (!(p >= 1 / samples && p <= NEAR_CEILING)) return null;
  const min = Math.min(...s.values);
  const max = Math.max(...s.values);
  const band = max - min;
  const se = Math.sqrt((p * (1 - p)) / samples);
  if (!(band < se)) return null;
  let trainFirst: number | null = null;
  let trainLast: number | null = null;
  if (train !== null && train.values.length >= 2) {
    const range = Math.max(...train.values) - Math.min(...train.values);
    if (!(range > Math.max(se, 2 * band))) return null;
    trainFirst = train.values[0] ?? null;
    trainLast = train.values.at(-1) ?? null;
  }
  const from = s.epochs[0] ?? 1;
  const data = {
    metric,
    min: round(min),
    max: round(max),
    band: round(band),
    se: round(se),
    samples,
    count: n,
    trainMetric: train?.metric ?? null,
    trainFirst: trainFirst === null ? null : round(trainFirst),
    trainLast: trainLast === null ? null : round(trainLast),
  };
  return {
    metric,
    epochs: [from, s.epochs.at(-1) ?? from],
    line: s.lines[0] ?? null,
    stats: stuckStats({
      variant: 'constant',
      from,
      count: n,
      total: n,
      value: round(p),
      trainValue: train === null ? null : round(median(train.values)),
      samples,
      band: round(band),
      se: round(se),
    }),
    evidence: { values: s.values },
    messageId: trainFirst === null ? 'nearConstant' : 'nearConstantTrain',
    data,
    next: { messageId: 'nextConstant', data: {} },
  };
}

/** 100 for accuracies printed in percent (any value above 1.5 in either series), else 1. */
function accuracyScale(val: Series, train: Series): number {
  return Math.max(percentScale(val), percentScale(train));
}

/** 100 for an accuracy printed in percent (any value above 1.5), else 1. */
function percentScale(s: Series): number {
  return s.values.some((v) => v > 1.5) ? 100 : 1;
}

/** Share of the training gain below which validation "did not follow" (a quarter). */
const FLAT_FOLLOW_SHARE = 0.25;
/** The training gain (in accuracy, 0-1) below which a flat validation is no symptom. */
const FLAT_MIN_TRAIN_GAIN = 0.3;

/**
 * Training climbs (Mann–Kendall p < 0.001) while validation gains less than a quarter of what training
 * gains, shows no trend after its first epoch, and (unlike an overfit) no validation loss rises in the
 * second half. Guard: even the best validation epoch of the second half sits further below training than
 * validation swings there, so a validation that alternates or scatters around training is never "flat".
 */
function flatWhileTrainingClimbs(
  s: Series,
  train: Series | null,
  losses: readonly Series[],
  minEpochs: number,
): FindingDraft<Stats> | null {
  const n = s.values.length;
  if (train === null || n < NEAR_MIN_FACTOR * minEpochs || train.values.length < NEAR_MIN_FACTOR * minEpochs)
    return null;
  const tail = Math.max(3, Math.ceil(n / 3));
  const valFirst = s.values[0] ?? 0;
  const valLate = median(s.values.slice(-tail));
  const trainFirst = train.values[0] ?? 0;
  const trainLate = median(train.values.slice(-tail));
  const trainGain = trainLate - trainFirst;
  const valGain = valLate - valFirst;
  // training must learn a lot (0.3 of accuracy, 30 points in percent): a fine-tune or a converged model
  // that adds a few points of training accuracy while validation holds its level is not detached
  const scale = accuracyScale(s, train);
  if (!(trainGain >= FLAT_MIN_TRAIN_GAIN * scale) || !(valGain < FLAT_FOLLOW_SHARE * trainGain)) return null;
  const half = s.values.slice(Math.floor(n / 2));
  const halfMax = Math.max(...half);
  if (!(halfMax < trainLate - (halfMax - Math.min(...half)))) return null;
  // the costly tests last
  const after = mannKendall(thin(s.values.slice(1)));
  if (after.p < 0.05 && after.tau > 0) return null;
  for (const loss of losses) {
    const late = loss.values.slice(Math.floor(loss.values.length / 2));
    if (late.length < minEpochs) continue;
    const rising = mannKendall(thin(late));
    if (rising.p < 0.05 && rising.tau > 0) return null;
  }
  const trend = mannKendall(thin(train.values));
  if (!(trend.p < TRAIN_MOVES_ALPHA && trend.tau > 0)) return null;
  const from = s.epochs[0] ?? 1;
  return {
    metric: s.metric,
    epochs: [from, s.epochs.at(-1) ?? from],
    line: s.lines[0] ?? null,
    stats: stuckStats({
      variant: 'detached',
      from,
      count: n,
      total: n,
      value: round(valLate),
      trainValue: round(trainLate),
      valGain: round(valGain),
      trainGain: round(trainGain),
    }),
    evidence: { values: s.values, trainValues: train.values },
    messageId: 'detachedFlat',
    data: {
      metric: s.metric,
      first: round(valFirst),
      value: round(valLate),
      valGain: round(valGain),
      firstEpoch: from,
      trainMetric: train.metric,
      trainFirst: round(trainFirst),
      trainValue: round(trainLate),
      trainGain: round(trainGain),
    },
    next: { messageId: 'nextDetached', data: {} },
  };
}

/** Training values over the epochs of a stretch. */
function trainOver(train: Series | null, from: number): number[] {
  if (train === null) return [];
  return train.values.filter((_, i) => (train.epochs[i] ?? 0) >= from);
}

/** Binomial standard error of an accuracy p on n samples. */
function standardError(p: number, n: number | null): number | null {
  if (n === null || n <= 0) return null;
  return Math.sqrt(Math.max(p * (1 - p), 1 / n) / n);
}

function constantStretch(
  s: Series,
  train: Series | null,
  context: Parameters<typeof evaluatedCounts>[0],
  metric: string,
  minEpochs: number,
): FindingDraft<Stats> | null {
  const last = s.values.at(-1) ?? 0;
  let start = s.values.length - 1;
  while (start > 0 && Math.abs((s.values[start - 1] ?? 0) - last) <= 1e-12) start -= 1;
  const count = s.values.length - start;
  if (count < minEpochs) return null;
  const from = s.epochs[start] ?? 1;
  const total = s.values.length;
  const { counts } = evaluatedCounts(context, metric, s.epochs.slice(start));
  const samples = counts.every((c) => c !== null && c === counts[0]) ? (counts[0] ?? null) : null;
  const correct = samples === null ? null : Math.round(last * samples);
  const trainValues = trainOver(train, from);
  const trainValue = trainValues.length > 0 ? median(trainValues) : null;
  const base = {
    metric,
    epochs: [from, s.epochs.at(-1) ?? from] as [number, number],
    line: s.lines[start] ?? null,
    evidence: { values: s.values.slice(start) },
  };
  const stats = stuckStats({
    variant: 'constant',
    from,
    count,
    total,
    value: last,
    trainValue: trainValue === null ? null : round(trainValue),
    samples,
    correct,
  });
  if (start === 0) {
    return {
      ...base,
      // a set scored perfectly every epoch is worth knowing, not a failure
      severity: last === 1 ? 'info' : 'warning',
      stats,
      messageId: 'constant',
      data: { metric, value: last, count },
      next: { messageId: last === 1 ? 'nextPerfect' : 'nextConstant', data: {} },
    };
  }
  // a constant tail is a symptom only while training moves on and sits well above it: a converged model
  // whose rate was cut to almost nothing also repeats its validation answers
  if (trainValue === null || trainValues.length < 2) return null;
  const moves = trainValues.some((v) => Math.abs(v - (trainValues[0] ?? v)) > 1e-12);
  const se = standardError(last, samples);
  const margin = se === null ? 0.1 : FAR_BELOW_SE * se;
  if (!moves || !(trainValue - last > margin)) return null;
  const twin = train?.metric ?? 'training';
  return {
    ...base,
    stats,
    messageId: samples === null ? 'constantTail' : 'constantCounted',
    data: {
      metric,
      value: last,
      count,
      total,
      from,
      trainMetric: twin,
      trainValue: round(trainValue),
      samples,
      correct,
    },
    next: { messageId: 'nextConstant', data: {} },
  };
}

function chanceStretch(
  s: Series,
  train: Series | null,
  context: Parameters<typeof evaluatedCounts>[0],
  metric: string,
  classes: number,
  options: { minEpochs: number; chanceTolerance: number },
): FindingDraft<Stats> | null {
  const chance = 1 / classes;
  const { counts } = evaluatedCounts(context, metric, s.epochs);
  // an accuracy printed in percent is compared with chance in its own units
  const scale = train === null ? percentScale(s) : accuracyScale(s, train);
  const near = (v: number, i: number): boolean => {
    const se = standardError(chance, counts[i] ?? null);
    return (
      Math.abs(v / scale - chance) <=
      (se === null ? options.chanceTolerance : Math.max(options.chanceTolerance, 2 * se))
    );
  };
  let start = s.values.length;
  while (start > 0 && near(s.values[start - 1] ?? 0, start - 1)) start -= 1;
  const count = s.values.length - start;
  if (count < options.minEpochs) return null;
  const from = s.epochs[start] ?? 1;
  const trainValues = trainOver(train, from);
  const trainValue = trainValues.length > 0 ? median(trainValues) : null;
  // the whole run at chance is the finding itself; a late stretch needs training well above chance
  if (start > 0 && !(trainValue !== null && trainValue / scale - chance > 0.1)) return null;
  const value = median(s.values.slice(start));
  const tolerance = round(
    Math.max(options.chanceTolerance, 2 * (standardError(chance, counts[start] ?? null) ?? 0)),
    3,
  );
  return {
    metric,
    epochs: [from, s.epochs.at(-1) ?? from],
    line: s.lines[start] ?? null,
    stats: stuckStats({
      variant: 'chance',
      from,
      count,
      total: s.values.length,
      value: round(value),
      trainValue: trainValue === null ? null : round(trainValue),
      classes,
      chance: round(chance),
    }),
    evidence: { values: s.values.slice(start) },
    messageId: 'chance',
    data: {
      metric,
      classes,
      chance: round(chance),
      tolerance,
      count,
      total: s.values.length,
      trainMetric: train?.metric ?? 'training',
      trainValue: trainValue === null ? null : round(trainValue),
    },
    next: { messageId: 'nextConstant', data: {} },
  };
}

/**
 * Training improves (Mann–Kendall p < 0.001 on the training accuracy) while validation never gains on its
 * first epoch and ends closer to where training started than to where it ended: it did not follow training
 * even halfway. Levels are medians of the last third, so one good or bad epoch does not decide.
 */
function detachedFromTraining(
  s: Series,
  train: Series | null,
  minEpochs: number,
): FindingDraft<Stats> | null {
  if (train === null || s.values.length < 2 * minEpochs || train.values.length < 2 * minEpochs) return null;
  const tail = Math.max(3, Math.ceil(s.values.length / 3));
  const valFirst = s.values[0] ?? 0;
  const valLate = median(s.values.slice(-tail));
  const trainFirst = train.values[0] ?? 0;
  const trainLate = median(train.values.slice(-tail));
  if (!(valLate <= valFirst)) return null;
  if (!(valLate < (trainFirst + trainLate) / 2)) return null;
  // when training gains little (a fine-tune adding a few points), a first epoch that happens to be the best
  // is noise: validation must fall from it by more than twice the scatter of its last epochs
  const scale = accuracyScale(s, train);
  if (trainLate - trainFirst < FLAT_MIN_TRAIN_GAIN * scale) {
    const late = s.values.slice(-tail);
    if (!(valFirst - valLate > 2 * standardDeviation(late))) return null;
  }
  // the costly test last
  const trend = mannKendall(thin(train.values));
  if (!(trend.p < TRAIN_MOVES_ALPHA && trend.tau > 0)) return null;
  const metric = s.metric;
  const from = s.epochs[0] ?? 1;
  return {
    metric,
    epochs: [from, s.epochs.at(-1) ?? from],
    line: s.lines[0] ?? null,
    stats: stuckStats({
      variant: 'detached',
      from,
      count: s.values.length,
      total: s.values.length,
      value: round(valLate),
      trainValue: round(trainLate),
      valGain: round(valLate - valFirst),
      trainGain: round(trainLate - trainFirst),
    }),
    evidence: { values: s.values, trainValues: train.values },
    messageId: 'detached',
    data: {
      metric,
      first: round(valFirst),
      value: round(valLate),
      trainMetric: train.metric,
      trainFirst: round(trainFirst),
      trainValue: round(trainLate),
    },
    next: { messageId: 'nextDetached', data: {} },
  };
}

/** Evaluations an at-chance stretch from the start needs (twice minEpochs: 10 by default). */
const CHANCE_START_FACTOR = 2;
/** Share of the stretch's evaluations that must sit inside the chance band (a few excursions allowed). */
const CHANCE_IN_BAND = 0.8;
/**
 * The chance band without a sample count: a quarter of chance (sampling noise of ~1,600 samples at 1/K
 * for K = 100, a 0.25-point band), at most 0.02 (the noise of a few hundred samples at K = 10).
 */
const CHANCE_BAND_RELATIVE = 0.25;
const CHANCE_BAND_MAX = 0.02;
/** The training loss must fall to this share of its first value or below over the stretch. */
const CHANCE_LOSS_FALLS = 0.7;

/** The training loss of a run (printed every epoch for the series to mean "while training"), or null. */
function trainingLoss(run: Parameters<typeof metricNames>[0], ignore: ReadonlySet<string>): Series | null {
  const name = findRole(metricNames(run), 'loss');
  return name === null || ignore.has(name) ? null : finiteSeries(run, name);
}

/**
 * From its first evaluation on, validation accuracy sits at chance (1/K, K from the log or the flags)
 * within sampling noise for at least 10 evaluations (80 % of them inside the band: two binomial standard
 * errors of the sample count, or a quarter of chance at most 0.02 without one) while the training loss
 * falls to 70 % of its first value or below and falls steadily (Mann–Kendall p < 0.001) over those epochs.
 * A model that learns moves off chance at its first evaluations; one whose loss falls while its
 * predictions stay at 1/K learns something the evaluation does not see (or predicts one class), however
 * well it does later. Percent-scale accuracies are compared with chance × 100.
 */
function chanceFromStart(
  s: Series,
  loss: Series | null,
  context: Parameters<typeof evaluatedCounts>[0],
  metric: string,
  minEpochs: number,
): FindingDraft<Stats> | null {
  const classes = context.classes;
  if (classes === null || classes.value < 2 || loss === null) return null;
  const n = s.values.length;
  if (n < CHANCE_START_FACTOR * minEpochs) return null;
  const chance = 1 / classes.value;
  const scale = percentScale(s);
  const { counts } = evaluatedCounts(context, metric, s.epochs);
  const band = (i: number): number => {
    const se = standardError(chance, counts[i] ?? null);
    return se === null ? Math.min(CHANCE_BAND_RELATIVE * chance, CHANCE_BAND_MAX) : 2 * se;
  };
  const inBand = s.values.map((v, i) => Math.abs(v / scale - chance) <= band(i));
  if (inBand[0] !== true) return null;
  // the longest stretch from the start that ends inside the band with 80 % of its points inside
  let end = -1;
  let inside = 0;
  let insideAtEnd = 0;
  for (let i = 0; i < n; i += 1) {
    if (inBand[i] === true) inside += 1;
    if (inBand[i] === true && inside >= CHANCE_IN_BAND * (i + 1)) {
      end = i;
      insideAtEnd = inside;
    }
  }
  const count = end + 1;
  if (count < CHANCE_START_FACTOR * minEpochs) return null;
  const stretch = s.values.slice(0, count);
  const value = median(stretch);
  if (!(Math.abs(value / scale - chance) <= band(0))) return null;
  const from = s.epochs[0] ?? 1;
  const to = s.epochs[end] ?? from;
  // the training loss from the run's first epoch to the stretch's last one
  const losses = loss.values.filter((_, i) => (loss.epochs[i] ?? Infinity) <= to);
  const trainFirst = losses[0];
  if (trainFirst === undefined || !(trainFirst > 0) || losses.length < CHANCE_START_FACTOR * minEpochs)
    return null;
  const trainLast = median(losses.slice(-3));
  if (!(trainLast <= CHANCE_LOSS_FALLS * trainFirst)) return null;
  const trend = mannKendall(thin(losses));
  if (!(trend.p < TRAIN_MOVES_ALPHA && trend.tau < 0)) return null;
  const tolerance = round(band(0) * scale, 3);
  const stated = classes.source === 'log' && classes.line !== null;
  return {
    metric,
    epochs: [from, to],
    line: s.lines[0] ?? null,
    stats: stuckStats({
      variant: 'chance',
      from,
      count,
      total: n,
      value: round(value),
      trainValue: round(trainLast),
      trainGain: round(trainLast - trainFirst),
      classes: classes.value,
      chance: round(chance * scale),
    }),
    evidence: { values: stretch, epochs: s.epochs.slice(0, count) },
    messageId: stated ? 'chanceStart' : 'chanceStartGiven',
    data: {
      metric,
      classes: classes.value,
      chance: round(chance * scale),
      classesLine: classes.line,
      classesSource: classes.source,
      tolerance,
      inBand: insideAtEnd,
      count,
      total: n,
      from,
      to,
      trainMetric: loss.metric,
      trainFirst: round(trainFirst),
      trainLast: round(trainLast),
    },
    next: { messageId: 'nextChance', data: {} },
  };
}
