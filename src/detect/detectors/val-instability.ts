import { median, sampleRankCorrelation } from 'simple-statistics';
import { z } from 'zod';
import { metricDirection, trainingTwin } from '../../model/index.js';
import { isAccuracyName } from '../accuracy-names.js';
import type { FindingDraft } from '../define-detector.js';
import { defineDetector, stat } from '../define-detector.js';
import { periodOfRun } from '../periodicity.js';
import { detrend, extremeZ, type Detrended } from '../residuals.js';
import {
  evaluatedCounts,
  finiteSeries,
  metricNames,
  recent,
  round,
  validationMetrics,
  type Series,
} from '../series.js';

/**
 * Honest noise budget of an accuracy on a fixed validation set, in binomial standard errors. Sampling of n
 * samples gives one SE; a model that changes between epochs flips borderline samples together and can add
 * as much again (issue 7: "accuracy is a thresholded count"), so √2 SE is allowed before anything is beyond
 * noise. Checked by `npm run calibrate` (null cells with model jitter the size of the sampling noise).
 */
const HONEST_SE = Math.SQRT2;
/** A loss that rises to twice its trend (or falls to half) has left ordinary noise whatever the noise scale. */
const LOSS_FACTOR = Math.LN2;
/** A single excursion is an error from this multiple of the allowance on. */
const STRONG_RATIO = 1.5;
/** A validation set whose binomial SE is at least this (2 points) swings by several points by arithmetic. */
const NOISY_SET_SE = 0.02;
/**
 * The spread test: under honest noise (sampling plus model jitter of at most one SE) the robust residual
 * scale of an accuracy estimates √2 SE, and 1.4826·MAD of n residuals scatters by about 1.2/√n of it
 * (MAD's efficiency is 37 %). A scale beyond √2 SE × (1 + 3.1 × 1.2/√n) is outside the one-sided 0.1 %
 * quantile of that estimate (3.72/√n covers the simulated 99.9 % quantile of iid and AR(0.6) jitter for
 * n = 8 … 100 after the LOWESS detrend, which shrinks the scale). A curve noisy at every epoch has no single
 * epoch beyond its own noise, yet the noise itself is far beyond what the counted samples allow.
 */
const SPREAD_Z = 3.1;
const MAD_EFFICIENCY_SD = 1.2;
/**
 * The training twin shares the volatility unless its residual scale is under a third of validation's: an
 * epoch average of the same weights that moves three times less has not seen the jumps validation shows.
 */
const SMOOTH_TRAIN_FACTOR = 3;

/** The numbers of an instability finding. */
export const InstabilityStats = z.object({
  n: stat(),
  /** Epochs beyond the noise allowance, and how many of them the training twin shares (within one epoch). */
  excursions: stat(),
  coupled: stat(),
  /** Epoch of the largest excursion and its size: |residual| / allowance. */
  worstEpoch: stat().nullable(),
  worstRatio: stat().nullable(),
  /** Share of the excursions in the first half of the run (moving statistics that lag are worst early). */
  earlyShare: stat().nullable(),
  /** What the allowance rests on: the binomial noise of the counted samples, or (no count) the curve's own noise and the training curve's. */
  basis: z.enum(['sampling', 'own-noise']),
  /** Median binomial SE of the validation accuracy (sampling basis), else null. */
  samplingSE: stat().nullable(),
  samples: stat().nullable(),
  /** Robust residual scale of validation and of its training twin (log units for a loss). */
  valNoise: stat(),
  trainNoise: stat().nullable(),
  /** valNoise / samplingSE: how the typical epoch compares with the sampling noise. */
  noiseToSampling: stat().nullable(),
  /** Spearman correlation of validation and training residuals (they move together when positive). */
  residualCorrelation: stat().nullable(),
  trainMetric: z.string().nullable(),
  /** Within noise: the note that a small set is noisy by arithmetic. */
  withinNoise: z.boolean(),
  /** valNoise / (√2 × samplingSE), the limit it is tested against, and whether it passes (sampling basis only). */
  spreadRatio: stat().nullable(),
  spreadLimit: stat().nullable(),
  spread: z.boolean(),
  /** The training twin's residual scale is under a third of validation's (null: no twin). */
  trainSmooth: z.boolean().nullable(),
});

type Stats = z.output<typeof InstabilityStats>;

interface Excursion {
  index: number;
  epoch: number;
  ratio: number;
  worse: boolean;
}

export default defineDetector({
  id: 'val-instability',
  title: 'Validation jumps irregularly, far beyond its noise',
  defaultSeverity: 'error',
  requires: ['val'],
  kind: 'irregular',
  startsDiagnosis: true,
  stats: InstabilityStats,
  options: z
    .object({
      /** Family-wise level over the epochs tested (Bonferroni): the chance that honest noise shows one excursion. */
      alpha: z.number().gt(0).lt(1).default(0.001),
      minEpochs: z.number().int().min(6).default(8),
    })
    .strict(),
  docs: {
    what: `Fits a robust LOWESS trend (against log epoch) to each validation accuracy and loss (log scale) and flags the epochs that are worse (a loss up, an accuracy down) beyond an allowance, both from the trend and either from the epoch before or, beyond the usual gap, from the training twin of the same epoch (at the end of an epoch the model is at least as good as its average during it): z × max(√2 × the binomial standard error of the accuracy on the counted samples, the curve's own robust residual noise, the training twin's), with z the Bonferroni normal quantile for the epochs tested at family-wise level 0.001 (4.1 for 40 epochs). The count of samples comes from the accuracy digits or the log; a loss has no sampling arithmetic, so its allowance rests on its own and the training twin's noise, and a spike must also double the loss, relative to its trend and to the epoch before or to the training loss. Error: an accuracy with a known count, excursions the training curve does not share, and two of them or one at 1.5× the allowance; warning: excursions shared with training (validation moves with training) or judged against the curve's own noise. A curve noisy at every epoch has no epoch beyond its own noise, so the spread is tested too: an accuracy whose robust residual scale exceeds √2 × its median binomial SE by more than the 0.1 % quantile of that scale estimate (a factor 1 + 3.72/√n) is unstable as a whole; an error when the training twin scatters three times less (validation alone moves), a warning when it does not. A periodic swing is left to val-alternation and val-periodic. A small validation set that is noisy by arithmetic (SE of 2 points or more) with no excursion gets a note.`,
    why: 'Irregular, large validation jumps while the training curve is smooth are not learning: one epoch of training does not undo itself. The usual causes are BatchNormalization moving statistics that lag fast-moving weights (worst early, with small batches and high learning rates), a random or augmented validation set, or, when the training loss jumps at the same epochs, a learning rate too high. A validation set of 30 images is noisy by arithmetic: that is not instability, and epochlint says so instead.',
    example:
      'val_loss 0.07, 0.06, 1.02, 0.08 ... while loss 0.05, 0.05, 0.05; val_acc 0.97 → 0.77 at epoch 3 on 360 images (SE 1 point)',
  },
  messages: {
    spikes:
      '{metric} leaves its trend at {count} epoch(s) ({epochs}); the worst, epoch {worstEpoch}, is {worstValue} against a trend of {trendValue}, {worstRatio}× the noise allowance ({basis}); {trainNote}',
    trainSmooth: '{trainMetric} does not jump with it',
    trainCoupled: '{trainMetric} jumps at {coupled} of these epochs too: validation moves with training',
    noTrain: 'there is no training twin to compare',
    sampling: 'the larger of √2 × the binomial noise of {samples} samples and the curve’s own noise',
    ownNoise: 'the curve’s own noise and the training curve’s',
    spread:
      '{metric} scatters around its trend at every stretch of the run: a robust SD of {valNoise}, {spreadRatio}× the √2 × binomial noise of {samples} samples (limit {spreadLimit}); the largest drop, epoch {worstEpoch}, is {worstValue} against a trend of {trendValue}; {trainNote}',
    trainSmoothSpread: '{trainMetric} scatters {trainFactor}× less',
    trainSharesSpread: '{trainMetric} scatters about as much: validation moves with training',
    withinNoise:
      '{metric} moves by up to {maxMove} from its trend, within the sampling noise of {samples} validation samples (SE {se}): a small set is noisy by arithmetic, not unstable',
    nextSpikes:
      'evaluate the checkpoint of epoch {worstEpoch} twice on the full validation set: as saved (inference mode) and after recomputing BatchNormalization statistics on training batches; a jump that disappears is stale statistics, one that stays with the training loss jumping too is the learning rate',
    nextWithinNoise:
      'compare epochs with a tolerance of about 2 standard errors ({se}), or validate on more samples',
  },
  detect(run, { options, context, ignoreMetrics }) {
    const drafts: FindingDraft<Stats>[] = [];
    // after a loss turns NaN the weights are garbage and every metric with them (loss-not-finite says so)
    const healthy = untilNonFinite(run);
    for (const metric of validationMetrics(run, ignoreMetrics)) {
      const accuracy = isAccuracyName(metric);
      if (!accuracy && metricDirection(metric) !== 'lower') continue;
      const s = recent(finiteSeries(healthy, metric));
      if (s.values.length < options.minEpochs) continue;
      if (accuracy && s.values.some((v) => v < 0 || v > 1)) continue;
      if (periodOfRun(healthy, `${metric}:${s.values.length}`, s.values) !== null) continue;
      const draft = assess(s, accuracy, healthy, context, ignoreMetrics, options.alpha);
      if (draft !== null) drafts.push(draft);
    }
    return drafts;
  },
});

/** The run up to (not including) the first epoch where a loss is not finite. */
function untilNonFinite(run: Parameters<typeof finiteSeries>[0]): Parameters<typeof finiteSeries>[0] {
  const bad = run.epochs.findIndex((e) =>
    Object.entries(e.metrics).some(([name, v]) => metricDirection(name) === 'lower' && !Number.isFinite(v)),
  );
  return bad < 0 ? run : { ...run, epochs: run.epochs.slice(0, bad) };
}

function trainTwinSeries(
  run: Parameters<typeof finiteSeries>[0],
  metric: string,
  ignore: ReadonlySet<string>,
  epochs: readonly number[],
): Series | null {
  const twin = trainingTwin(metric, metricNames(run));
  if (twin === null || ignore.has(twin)) return null;
  const s = finiteSeries(run, twin);
  const wanted = new Set(epochs);
  const keep = s.epochs.map((e) => wanted.has(e));
  const out: Series = {
    metric: twin,
    epochs: s.epochs.filter((_, i) => keep[i]),
    values: s.values.filter((_, i) => keep[i]),
    lines: s.lines.filter((_, i) => keep[i]),
  };
  return out.values.length >= 6 ? out : null;
}

function assess(
  s: Series,
  accuracy: boolean,
  run: Parameters<typeof finiteSeries>[0],
  context: Parameters<typeof evaluatedCounts>[0],
  ignore: ReadonlySet<string>,
  alpha: number,
): FindingDraft<Stats> | null {
  const n = s.values.length;
  const val = detrend(s.values, !accuracy, s.epochs);
  const train = trainTwinSeries(run, s.metric, ignore, s.epochs);
  const trainFit: Detrended | null = train === null ? null : detrend(train.values, !accuracy, train.epochs);
  const trainByEpoch = new Map<number, number>();
  if (train !== null && trainFit !== null)
    train.epochs.forEach((e, i) => trainByEpoch.set(e, trainFit.residuals[i] ?? 0));
  const z = extremeZ(n, alpha);
  const trainNoise = trainFit?.scale ?? null;

  // the allowance of each epoch: sampling noise (accuracy with a count) or the curve's own noise
  const counts = accuracy ? evaluatedCounts(context, s.metric, s.epochs).counts : s.values.map(() => null);
  const sampling = counts.every((c) => c !== null);
  const se = s.values.map((_, i) => {
    const count = counts[i];
    if (count == null) return null;
    const p = Math.min(1 - 0.5 / count, Math.max(0.5 / count, val.trend[i] ?? 0.5));
    return Math.sqrt((p * (1 - p)) / count);
  });
  // the curve's own typical jitter (a robust scale: the spikes do not set it) is part of the allowance too:
  // on a large set the model's epoch-to-epoch changes outgrow the sampling noise
  const allowance = s.values.map((_, i) => {
    const parts = [trainNoise ?? 0, val.scale];
    if (sampling) parts.push(HONEST_SE * (se[i] ?? 0));
    return z * val.trendError * Math.max(...parts);
  });

  // an excursion is an epoch for the worse (a loss up, an accuracy down) beyond the allowance from the
  // trend and, in the same direction, either from the epoch before (a spike or a collapse) or from the
  // training twin of the same epoch. At the end of an epoch the model is at least as good as its average
  // during the epoch, so validation far below that average is evaluation going wrong; a trend that cannot
  // follow the steep first epochs leaves residuals there that neither comparison shows
  const trainValue = new Map<number, number>();
  if (train !== null) train.epochs.forEach((e, i) => trainValue.set(e, train.values[i] ?? Number.NaN));
  // the gap to training is judged against its usual size: a generalisation gap is not an excursion
  const gapOf = (i: number): number => {
    const twin = trainValue.get(s.epochs[i] ?? 0);
    const value = s.values[i] ?? 0;
    if (twin === undefined || !Number.isFinite(twin)) return Number.NaN;
    if (accuracy) return value - twin;
    return twin > 0 && value > 0 ? Math.log(value / twin) : Number.NaN;
  };
  const gaps = s.values.map((_, i) => gapOf(i)).filter(Number.isFinite);
  const usualGap = gaps.length > 0 ? median(gaps) : Number.NaN;
  const excursions: Excursion[] = [];
  if (!(accuracy && !sampling)) {
    const worse = accuracy ? -1 : 1;
    val.residuals.forEach((r, i) => {
      const limit = allowance[i] ?? Number.POSITIVE_INFINITY;
      const floor = sampling ? limit : Math.max(limit, LOSS_FACTOR);
      if (!(limit > 0) || !(worse * r > floor)) return;
      const epoch = s.epochs[i] ?? i + 1;
      const step = i === 0 ? Number.NaN : (val.y[i] ?? 0) - (val.y[i - 1] ?? 0);
      const gap = gapOf(i) - usualGap;
      const jumped = worse * step > floor;
      const belowTraining = worse * gap > floor;
      if (!jumped && !belowTraining) return;
      const ratio =
        Math.min(worse * r, Math.max(jumped ? worse * step : 0, belowTraining ? worse * gap : 0)) / limit;
      excursions.push({ index: i, epoch, ratio, worse: true });
    });
  }

  const samplingSE = sampling ? median(se.filter((x): x is number => x !== null)) : null;
  const samples = sampling ? median(counts.filter((c): c is number => c !== null)) : null;
  const correlation = residualCorrelation(s, val, trainByEpoch);
  const spreadRatio = samplingSE !== null && samplingSE > 0 ? val.scale / (HONEST_SE * samplingSE) : null;
  const spreadLimit = 1 + (SPREAD_Z * MAD_EFFICIENCY_SD) / Math.sqrt(n);
  const spread = spreadRatio !== null && spreadRatio > spreadLimit;
  const trainSmooth = trainNoise === null ? null : val.scale >= SMOOTH_TRAIN_FACTOR * trainNoise;
  const base: Stats = {
    n,
    excursions: 0,
    coupled: 0,
    worstEpoch: null,
    worstRatio: null,
    earlyShare: null,
    basis: sampling ? 'sampling' : 'own-noise',
    samplingSE: samplingSE === null ? null : round(samplingSE),
    samples,
    valNoise: round(val.scale),
    trainNoise: trainNoise === null ? null : round(trainNoise),
    noiseToSampling: samplingSE === null || samplingSE === 0 ? null : round(val.scale / samplingSE, 3),
    residualCorrelation: correlation === null ? null : round(correlation, 3),
    trainMetric: train?.metric ?? null,
    withinNoise: false,
    spreadRatio: spreadRatio === null ? null : round(spreadRatio, 3),
    spreadLimit: sampling ? round(spreadLimit, 3) : null,
    spread,
    trainSmooth,
  };

  if (excursions.length === 0 && spread) return spreadFinding(s, val, base, trainSmooth, train);
  if (excursions.length === 0) {
    if (!(sampling && samplingSE !== null && samplingSE >= NOISY_SET_SE && samples !== null)) return null;
    const maxMove = val.residuals.reduce((m, r) => Math.max(m, Math.abs(r)), 0);
    return {
      severity: 'info',
      metric: s.metric,
      epochs: [s.epochs[0] ?? 1, s.epochs.at(-1) ?? 1],
      line: s.lines[0] ?? null,
      stats: { ...base, withinNoise: true },
      evidence: {},
      messageId: 'withinNoise',
      data: { metric: s.metric, maxMove: round(maxMove), samples, se: round(samplingSE) },
      next: { messageId: 'nextWithinNoise', data: { se: round(2 * samplingSE) } },
    };
  }

  // training shares an excursion when its own residual is extreme at the same epoch or the next one
  // (looked at only there: Bonferroni over those epochs, at 0.01)
  const trainLimit = trainNoise === null ? null : extremeZ(2 * excursions.length, 0.01) * trainNoise;
  // ... and material: an epoch average that moves a third as much as the snapshot did (a perfectly smooth
  // training curve has no noise to be extreme against)
  const coupledAt = (x: Excursion): boolean =>
    trainLimit !== null &&
    [x.epoch, x.epoch + 1].some((k) => {
      const r = Math.abs(trainByEpoch.get(k) ?? 0);
      return r > trainLimit && r >= Math.abs(val.residuals[x.index] ?? 0) / 3;
    });
  const coupled = excursions.filter(coupledAt).length;
  const worst = excursions.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const half = (s.epochs[0] ?? 1) + (n - 1) / 2;
  const earlyShare = excursions.filter((x) => x.epoch <= half).length / excursions.length;
  const fromVal = (i: number): number => (val.log ? Math.exp(i) : i);
  const trainCoupled = coupled * 2 >= excursions.length;
  const trainNote = train === null ? 'noTrain' : trainCoupled ? 'trainCoupled' : 'trainSmooth';
  // an error needs the evidence well past the allowance: two excursions, or one at 1.5× it. A single epoch
  // just beyond a Bonferroni allowance is what honest noise does once in a thousand runs under the model of
  // the allowance, and that model (jitter no larger than the sampling noise) is itself an assumption
  // a curve whose whole spread is beyond the sampling noise while training stays smooth is strong evidence
  // on its own (spread test above)
  const strong = excursions.length >= 2 || worst.ratio >= STRONG_RATIO || (spread && trainSmooth === true);
  const severity = sampling && !trainCoupled && strong ? 'error' : 'warning';
  const listed =
    excursions
      .slice(0, 8)
      .map((x) => x.epoch)
      .join(', ') + (excursions.length > 8 ? ', ...' : '');
  return {
    severity,
    metric: s.metric,
    epochs: [s.epochs[0] ?? 1, s.epochs.at(-1) ?? 1],
    line: s.lines[worst.index] ?? null,
    stats: {
      ...base,
      excursions: excursions.length,
      coupled,
      worstEpoch: worst.epoch,
      worstRatio: round(worst.ratio, 3),
      earlyShare: round(earlyShare, 3),
    },
    evidence: {
      epochs: excursions.map((x) => x.epoch),
      worse: excursions.map((x) => x.worse),
      ratios: excursions.map((x) => round(x.ratio, 3)),
      trainNote,
    },
    messageId: 'spikes',
    data: {
      metric: s.metric,
      count: excursions.length,
      epochs: listed,
      worstEpoch: worst.epoch,
      worstValue: round(s.values[worst.index] ?? 0),
      trendValue: round(fromVal(val.trend[worst.index] ?? 0)),
      worstRatio: round(worst.ratio, 3),
      basis: sampling ? 'sampling' : 'ownNoise',
      samples,
      trainNote,
      trainMetric: train?.metric ?? '',
      coupled,
    },
    next: { messageId: 'nextSpikes', data: { worstEpoch: worst.epoch } },
  };
}

/**
 * The finding of a curve that is beyond its sampling noise everywhere without a single epoch beyond its own
 * noise: an error when the training twin is smooth (validation alone scatters), else a warning.
 */
function spreadFinding(
  s: Series,
  val: Detrended,
  base: Stats,
  trainSmooth: boolean | null,
  train: Series | null,
): FindingDraft<Stats> {
  // the largest drop for the worse (an accuracy below its trend) is the epoch to look at first
  let worst = 0;
  val.residuals.forEach((r, i) => {
    if (r < (val.residuals[worst] ?? 0)) worst = i;
  });
  const epoch = s.epochs[worst] ?? 1;
  const trainNote =
    train === null ? 'noTrain' : trainSmooth === true ? 'trainSmoothSpread' : 'trainSharesSpread';
  const trainFactor =
    base.trainNoise !== null && base.trainNoise > 0 ? round(base.valNoise / base.trainNoise, 2) : null;
  return {
    severity: trainSmooth === true ? 'error' : 'warning',
    metric: s.metric,
    epochs: [s.epochs[0] ?? 1, s.epochs.at(-1) ?? 1],
    line: s.lines[worst] ?? null,
    stats: { ...base, worstEpoch: epoch, earlyShare: earlyShareOf(s, val) },
    evidence: { epochs: [epoch], worse: [true], ratios: [], trainNote },
    messageId: 'spread',
    data: {
      metric: s.metric,
      valNoise: base.valNoise,
      spreadRatio: base.spreadRatio,
      spreadLimit: base.spreadLimit,
      samples: base.samples,
      worstEpoch: epoch,
      worstValue: round(s.values[worst] ?? 0),
      trendValue: round(val.trend[worst] ?? 0),
      trainNote,
      trainMetric: train?.metric ?? '',
      trainFactor,
    },
    next: { messageId: 'nextSpikes', data: { worstEpoch: epoch } },
  };
}

/**
 * Share of the squared residuals that falls in the first half of the run (moving statistics that lag are
 * worst early); null below 8 epochs.
 */
function earlyShareOf(s: Series, val: Detrended): number | null {
  if (val.residuals.length < 8) return null;
  const half = (s.epochs[0] ?? 1) + (s.epochs.length - 1) / 2;
  let early = 0;
  let all = 0;
  val.residuals.forEach((r, i) => {
    const sq = r * r;
    all += sq;
    if ((s.epochs[i] ?? 0) <= half) early += sq;
  });
  return all > 0 ? round(early / all, 3) : null;
}

/** Spearman correlation of validation and training residuals over the epochs both have (null below 6). */
function residualCorrelation(
  s: Series,
  val: Detrended,
  trainByEpoch: ReadonlyMap<number, number>,
): number | null {
  const a: number[] = [];
  const b: number[] = [];
  s.epochs.forEach((e, i) => {
    const t = trainByEpoch.get(e);
    if (t === undefined) return;
    a.push(val.residuals[i] ?? 0);
    b.push(t);
  });
  if (a.length < 6) return null;
  const r = sampleRankCorrelation(a, b);
  return Number.isFinite(r) ? r : null;
}
