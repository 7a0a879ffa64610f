import { sampleRankCorrelation } from 'simple-statistics';
import { z } from 'zod';
import { findRole, isValidationName, trainingTwin } from '../../model/index.js';
import { studentTPValue } from '../../stats/index.js';
import type { FindingDraft } from '../define-detector.js';
import { defineDetector, stat } from '../define-detector.js';
import { periodOfRun } from '../periodicity.js';
import { detrend, extremeZ } from '../residuals.js';
import { finiteSeries, metricNames, recent, round, type Series } from '../series.js';

/**
 * A jump must at least double the epoch-averaged training loss, relative to its trend and to the epoch
 * before. The training loss of an epoch averages every step of the epoch, so ordinary noise moves it by a
 * few per cent; a doubling is steps that overshot (checked by `npm run calibrate`: null curves with
 * heavy-tailed noise stay quiet). It is not judged against the curve's own noise: under a learning rate far
 * too high the whole curve is noise, and its jumps are the finding.
 */
const JUMP_FACTOR = Math.LN2;
/**
 * ... and give back at least a tenth of the progress made so far: a loss near zero after the training set is
 * memorised doubles from 0.0001 to 0.0002 without any step overshooting.
 */
const GIVE_BACK = 0.1;
/**
 * The roughness test. A stable optimiser's epoch-averaged training loss follows its trend within a few per
 * cent of the progress it has made (the average over an epoch's steps cancels the step noise); when steps
 * overshoot, every epoch gives back part of what was learned and the average itself scatters. A robust
 * residual scale (raw loss units) of at least 5 % of the progress (first epoch → lowest point of the trend)
 * is that: honest curves stay under 3 % (healthy, dropout, BatchNorm and memorised runs alike).
 */
const ROUGH_SHARE = 0.05;
/** ... on a loss that fell by at least a fifth: a flat training loss has no progress to measure against. */
const MATERIAL_FALL = 0.8;
/** One-sided level of "validation moves with training" (one pre-declared question per finding). */
const MOVES_ALPHA = 0.01;

/** The numbers of a training-jump finding. */
export const TrainJumpStats = z.object({
  n: stat(),
  jumps: stat(),
  /** Epoch of the largest jump and loss / trend there. */
  worstEpoch: stat(),
  worstFactor: stat(),
  /** Robust residual noise of the log training loss. */
  trainNoise: stat(),
  /** Robust residual scale of the raw loss / its progress (first epoch → lowest trend), and whether it is rough. */
  roughness: stat().nullable(),
  rough: z.boolean(),
  valMetric: z.string().nullable(),
  /** Jumps at which the validation loss also rises beyond its own noise (same epoch or the next). */
  valCoupled: stat().nullable(),
  /** Spearman correlation of the training and validation log-loss residuals, and its p (one-sided, > 0). */
  residualCorrelation: stat().nullable(),
  correlationP: stat().nullable(),
  /** Validation moves with training: a shared jump, or residuals correlated at p < 0.01. */
  valMoves: z.boolean().nullable(),
});

type Stats = z.output<typeof TrainJumpStats>;

export default defineDetector({
  id: 'train-loss-jumps',
  title: 'Training loss jumps above its trend',
  defaultSeverity: 'warning',
  requires: ['train'],
  kind: 'training-irregular',
  startsDiagnosis: true,
  stats: TrainJumpStats,
  options: z
    .object({
      minEpochs: z.number().int().min(6).default(8),
    })
    .strict(),
  docs: {
    what: 'Fits a robust LOWESS trend (against log epoch) to the log of the training loss and flags epochs where the loss (1) is at least twice its trend, (2) at least twice the loss of the epoch before and (3) gives back at least a tenth of the progress made so far. One such epoch fires. A loss that fell by at least a fifth and scatters around its trend (raw units) by a robust SD of 5 % or more of its progress (first epoch → lowest point of the trend) fires too: under a rate far too high every epoch gives back part of what was learned, without a single doubling. The finding says whether the validation loss rises at the same epochs (beyond the Bonferroni quantile of its own noise over the epochs looked at).',
    why: 'The training loss of an epoch is an average over all of its steps, so it moves smoothly; when it doubles, steps overshot: the learning rate is too high for the current weights (often right after warm-up or a restart), gradients exploded, or a loss scale overflowed. Validation usually jumps with it, which separates this from causes that touch only the evaluation.',
    example: 'loss: 0.21, 0.18, 0.62, 0.25, 0.17, 0.55 with SGD(learning_rate=0.2, momentum=0.9)',
  },
  messages: {
    jumps:
      '{metric} jumps above its trend at {count} epoch(s) ({epochs}); the worst, epoch {worstEpoch}, is {worstFactor}× the trend; {valNote}',
    valCoupled: '{valMetric} rises at {valCoupled} of these epochs too',
    valQuiet: '{valMetric} does not rise with it',
    valCorrelated: '{valMetric} moves with it (rank correlation of the residuals {rho})',
    noVal: 'there is no validation loss to compare',
    rough:
      '{metric} scatters around its trend by {roughPercent} % of the progress it made ({first} → {trendMin}) at every stretch of the run; the worst epoch, {worstEpoch}, is {worstFactor}× the trend; {valNote}',
    next: 'rerun from the checkpoint before epoch {worstEpoch} with the learning rate divided by 10 (or with warm-up and gradient clipping, clipnorm=1.0): if the jumps stop, the rate was too high',
  },
  detect(run, { options, ignoreMetrics }) {
    const names = metricNames(run).filter((n) => !ignoreMetrics.has(n));
    const metric = findRole(names, 'loss');
    if (metric === null) return [];
    const s = recent(finiteSeries(run, metric));
    const n = s.values.length;
    if (n < options.minEpochs || !s.values.every((v) => v > 0)) return [];
    const fit = detrend(s.values, true, s.epochs);
    const first = s.values[0] ?? 0;
    const jumps: Array<{ index: number; factor: number }> = [];
    let runningMin = first;
    for (let i = 1; i < n; i += 1) {
      const value = s.values[i] ?? 0;
      const r = fit.residuals[i] ?? 0;
      const progress = first - runningMin;
      const step = Math.log(value / (s.values[i - 1] ?? value));
      if (
        r >= JUMP_FACTOR &&
        step >= JUMP_FACTOR &&
        progress > 0 &&
        value - runningMin >= GIVE_BACK * progress
      ) {
        jumps.push({ index: i, factor: Math.exp(r) });
      }
      runningMin = Math.min(runningMin, value);
    }
    const raw = jumps.length === 0 ? detrend(s.values, false, s.epochs) : null;
    const trendMin = raw === null ? Number.NaN : raw.trend.reduce((a, b) => Math.min(a, b), Infinity);
    const progress = first - trendMin;
    const roughness = raw !== null && progress > 0 ? raw.scale / progress : null;
    const rough = roughness !== null && trendMin <= MATERIAL_FALL * first && roughness >= ROUGH_SHARE;
    if (jumps.length === 0 && !rough) return [];
    // a loss that swings on a schedule is train-oscillation's finding, not overshooting (asked only of a
    // loss that jumps or scatters: the period scan of a long run is most of this detector's time)
    if (periodOfRun(run, `log ${metric}:${n}`, s.values.map(Math.log)) !== null) return [];
    const discrete = jumps.length;
    if (jumps.length === 0) {
      // the epoch furthest above its trend stands for the scatter
      let top = 0;
      fit.residuals.forEach((r, i) => {
        if (r > (fit.residuals[top] ?? 0)) top = i;
      });
      jumps.push({ index: top, factor: Math.exp(fit.residuals[top] ?? 0) });
    }
    const worst = jumps.reduce((a, b) => (b.factor > a.factor ? b : a));
    const val = validationTwin(run, metric, names);
    // looked at only on the jump epochs (and the next): Bonferroni over those, at 0.01
    const coupleZ = extremeZ(2 * jumps.length, 0.01);
    const valCoupled =
      val === null
        ? null
        : coupledWith(
            val,
            jumps.map((j) => s.epochs[j.index] ?? 0),
            coupleZ,
          );
    const correlation = val === null ? null : residualCorrelation(s, fit.residuals, val);
    const valMoves =
      val === null ? null : (valCoupled ?? 0) > 0 || (correlation !== null && correlation.p < MOVES_ALPHA);
    const valNote =
      val === null ? 'noVal' : (valCoupled ?? 0) > 0 ? 'valCoupled' : valMoves ? 'valCorrelated' : 'valQuiet';
    const epochs = jumps.map((j) => s.epochs[j.index] ?? 0);
    const worstEpoch = s.epochs[worst.index] ?? 0;
    const draft: FindingDraft<Stats> = {
      metric,
      epochs: [s.epochs[0] ?? 1, s.epochs.at(-1) ?? 1],
      line: s.lines[worst.index] ?? null,
      stats: {
        n,
        jumps: discrete,
        worstEpoch,
        worstFactor: round(worst.factor, 3),
        trainNoise: round(fit.scale),
        roughness: roughness === null ? null : round(roughness, 3),
        rough,
        valMetric: val?.metric ?? null,
        valCoupled,
        residualCorrelation: correlation === null ? null : round(correlation.rho, 3),
        correlationP: correlation?.p ?? null,
        valMoves,
      },
      evidence: { epochs, factors: jumps.map((j) => round(j.factor, 3)) },
      messageId: rough ? 'rough' : 'jumps',
      data: {
        metric,
        roughPercent: roughness === null ? null : round(100 * roughness, 2),
        first: round(first),
        trendMin: round(trendMin),
        count: jumps.length,
        epochs: epochs.slice(0, 8).join(', ') + (epochs.length > 8 ? ', ...' : ''),
        worstEpoch,
        worstFactor: round(worst.factor, 3),
        valNote,
        valMetric: val?.metric ?? '',
        valCoupled,
        rho: correlation === null ? null : round(correlation.rho, 3),
      },
      next: { messageId: 'next', data: { worstEpoch } },
    };
    return [draft];
  },
});

/** The validation loss whose training twin is `metric`. */
function validationTwin(
  run: Parameters<typeof finiteSeries>[0],
  metric: string,
  names: string[],
): Series | null {
  const name = names.find((v) => isValidationName(v) && trainingTwin(v, names) === metric);
  if (name === undefined) return null;
  const s = finiteSeries(run, name);
  return s.values.length >= 6 && s.values.every((v) => v > 0) ? s : null;
}

/** Jump epochs at which the validation loss is also extreme above its own trend (that epoch or the next). */
function coupledWith(val: Series, epochs: number[], z: number): number {
  const fit = detrend(val.values, true, val.epochs);
  const byEpoch = new Map(val.epochs.map((e, i) => [e, fit.residuals[i] ?? 0]));
  const limit = z * fit.scale;
  return epochs.filter((e) => [e, e + 1].some((k) => (byEpoch.get(k) ?? 0) > limit)).length;
}

/** Spearman correlation of training and validation residuals over shared epochs, with a one-sided p (> 0). */
function residualCorrelation(
  train: Series,
  trainResiduals: readonly number[],
  val: Series,
): { rho: number; p: number } | null {
  const fit = detrend(val.values, true, val.epochs);
  const byEpoch = new Map(val.epochs.map((e, i) => [e, fit.residuals[i] ?? 0]));
  const a: number[] = [];
  const b: number[] = [];
  train.epochs.forEach((e, i) => {
    const v = byEpoch.get(e);
    if (v === undefined) return;
    a.push(trainResiduals[i] ?? 0);
    b.push(v);
  });
  if (a.length < 10) return null;
  const rho = sampleRankCorrelation(a, b);
  if (!Number.isFinite(rho)) return null;
  const df = a.length - 2;
  const t = rho * Math.sqrt(df / Math.max(1e-12, 1 - rho * rho));
  // studentTPValue is two-sided; the question is one-sided (moves with it)
  const p = rho > 0 ? studentTPValue(t, df) / 2 : 1 - studentTPValue(t, df) / 2;
  return { rho, p };
}
