import { z } from 'zod';
import { trainingTwin } from '../../model/index.js';
import {
  ALTERNATION_MIN_POINTS,
  alternatingChanges,
  differenceSigns,
  holm,
  longestAlternatingRun,
  testAlternation,
  testParityRanks,
  type AlternationResult,
  type IndexParity,
} from '../../stats/index.js';
import type { FindingDraft } from '../define-detector.js';
import { defineDetector, stat } from '../define-detector.js';
import { alternationOf } from '../memo.js';
import { PhaseRelation } from '../phase.js';
import {
  MAX_TESTED_POINTS,
  finiteSeries,
  metricNames,
  recent,
  round,
  validationMetrics,
  type Series,
} from '../series.js';

/** statistics.md B2: below this, gate errors on a large effect (the test is near its validity limit). */
const SMALL_SAMPLE = 20;

interface Tested {
  series: Series;
  result: AlternationResult;
}

/** Index parity of the series → parity of the 1-based epoch (index 0 = the first validated epoch). */
function epochParity(high: IndexParity | null, firstEpoch: number): 'odd' | 'even' | null {
  if (high === null) return null;
  const firstIsOdd = firstEpoch % 2 === 1;
  const evenIndexIsOdd = firstIsOdd;
  return (high === 'even-index') === evenIndexIsOdd ? 'odd' : 'even';
}

function pattern(values: number[]): string {
  return differenceSigns(values.slice(-11))
    .map((s) => (s > 0 ? '+' : s < 0 ? '-' : '0'))
    .join('');
}

/** The numbers of an alternation finding. */
export const AlternationStats = z.object({
  n: stat(),
  p: stat(),
  pAdjusted: stat(),
  t: stat(),
  df: stat(),
  /** Full even − odd swing in metric units. */
  amplitude: stat(),
  amplitudeToValNoise: stat(),
  amplitudeToTrainNoise: stat().nullable(),
  valNoise: stat(),
  rankP: stat().nullable(),
  alternatingChanges: stat(),
  changes: stat(),
  longestPhaseRun: stat(),
  /** 1-based epoch parity with the higher value. */
  highParity: z.enum(['odd', 'even']).nullable(),
  phaseConsistent: z.boolean(),
  trainMetric: z.string().nullable(),
  trainP: stat().nullable(),
  /** The training twin alternates too (p < 0.01), in either phase. */
  trainAlternates: z.boolean().nullable(),
  /** How the training twin's alternation lines up with validation's. */
  trainPhase: PhaseRelation.nullable(),
  basis: z.string(),
});

/** An "insufficient data" note. */
export const InsufficientStats = z.object({ insufficient: z.literal(true), n: stat(), minimum: stat() });

export default defineDetector({
  id: 'val-alternation',
  title: 'Validation metric alternates between epochs',
  defaultSeverity: 'error',
  requires: ['val'],
  kind: 'periodic',
  startsDiagnosis: true,
  stats: z.union([AlternationStats, InsufficientStats]),
  options: z
    .object({
      /** Holm-adjusted p below which the alternation is an error (statistics.md B3 step 6). */
      alpha: z.number().gt(0).lt(1).default(0.001),
      /** Holm-adjusted p below which it is a warning. */
      warnAlpha: z.number().gt(0).lt(1).default(0.01),
      /** A rank test (LOWESS residuals, even vs odd epochs) this strong lets an alternation at `warnAlpha` be an error. */
      rankAlpha: z.number().gt(0).lt(1).default(0.01),
      /** Holm-adjusted p of the trend test that a replicating rank test (`rankAlpha`) turns into a finding. */
      replicatedAlpha: z.number().gt(0).lt(1).default(0.01),
      /** Fewer validation points than this: an info finding, never an error. */
      minEpochs: z.number().int().min(ALTERNATION_MIN_POINTS).default(ALTERNATION_MIN_POINTS),
      /** Effect gate: swing amplitude (half peak-to-peak) over the robust residual noise. */
      minAmplitudeToNoise: z.number().min(0).default(0.5),
      /** Stricter gate for fewer than 20 points. */
      minAmplitudeToNoiseSmall: z.number().min(0).default(2),
    })
    .strict(),
  docs: {
    what: 'Tests each validation metric for a period-2 swing: a least-squares fit of a smooth trend (cubic in log-epoch up to 50 points, a B-spline above) plus a (−1)^epoch term, and a t-test on that term; confirmed by a Mann–Whitney test of even- against odd-epoch residuals of a robust LOWESS trend and by the same phase in both halves of the run. p-values are Holm-adjusted across the validation metrics tested. Error when the adjusted p < 0.001, the swing is at least half the residual noise (twice it under 20 points), the phase holds in both halves and the rank test agrees; warning when p < 0.01. Under 12 validation points: information only. The same test runs on the training twin (does training alternate too?).',
    why: 'A validation metric that is high on odd epochs and low on even ones (or the reverse) while training metrics move smoothly is not a model learning and unlearning: one epoch of SGD does not undo itself on schedule. It is almost always the evaluation that changes from one epoch to the next — a validation generator that does not restart and serves a different slice of a class-sorted set each epoch, extra draws from the validation iterator, worker duplication, or weights swapped for evaluation (EMA/SWA). Checkpoints, early stopping and ReduceLROnPlateau then act on an artifact. Ordinary noise also reverses direction about two thirds of the time, so a "zigzag" alone is not evidence: this test needs a phase that holds.',
    example:
      'Epoch 1 ... val_acc: 0.9548\nEpoch 2 ... val_acc: 0.6604\nEpoch 3 ... val_acc: 0.9558\nEpoch 4 ... val_acc: 0.8385',
  },
  messages: {
    alternates:
      '{metric} alternates between epochs: {high} epochs are higher by {amplitude} on average (p = {p}, n = {n}); {k} of {m} successive changes alternate (about 2/3 expected from noise); {trainNote}',
    insufficient:
      'only {n} validation points: too few to test for alternation (at least {minimum} are needed)',
    trainAlternatesToo: '{trainMetric} alternates as well (p = {trainP})',
    trainSmooth: '{trainMetric} does not alternate (p = {trainP})',
    noTrain: 'there is no training twin to compare',
    trainUntested: '{trainMetric} has too few finite values to test',
    trainAntiphase:
      '{trainMetric} alternates too, in antiphase: it is high when validation is low (p = {trainP})',
    nextAlternation:
      'find what changes between two consecutive evaluations: evaluate the checkpoints of epochs {oddEpoch} and {evenEpoch} on a fresh validation generator with steps=len(generator); the ranked causes below say what to check first',
    nextInsufficient: 'train at least {minimum} epochs before judging the validation curve',
  },
  detect(run, { options, ignoreMetrics }) {
    const metrics = validationMetrics(run, ignoreMetrics);
    const tested: Tested[] = [];
    let firstShort: Series | null = null;
    for (const metric of metrics) {
      const series = recent(finiteSeries(run, metric));
      // a non-finite value would shift the parity of every later epoch: the NaN rule reports those runs
      const printed = run.epochs.filter((e) => e.metrics[metric] !== undefined).length;
      if (series.values.length !== Math.min(printed, MAX_TESTED_POINTS)) continue;
      if (series.values.length < options.minEpochs) {
        firstShort ??= series;
        continue;
      }
      const result = alternationOf(run, `${metric}:${series.values.length}`, series.values);
      if (result.status !== 'tested') continue;
      tested.push({ series, result });
    }
    if (tested.length === 0) {
      if (firstShort === null) return [];
      const shortest = firstShort;
      return [
        {
          severity: 'info',
          metric: shortest.metric,
          epochs: [shortest.epochs[0] ?? 1, shortest.epochs.at(-1) ?? 1],
          line: shortest.lines[0] ?? null,
          stats: { insufficient: true, n: shortest.values.length, minimum: options.minEpochs },
          evidence: {},
          messageId: 'insufficient',
          data: { n: shortest.values.length, minimum: options.minEpochs },
          next: { messageId: 'nextInsufficient', data: { minimum: options.minEpochs } },
        },
      ];
    }
    const adjusted = holm(tested.map((t) => t.result.p));
    const drafts: FindingDraft<z.output<typeof AlternationStats>>[] = [];
    tested.forEach((t, i) => {
      const pAdjusted = adjusted[i] ?? 1;
      const { series, result } = t;
      // above both levels nothing the rank test says makes a finding: its LOWESS (O(n·span)) is not run
      if (!(pAdjusted < options.warnAlpha || pAdjusted < options.replicatedAlpha)) return;
      const rank = testParityRanks(series.values, { indexOffset: 0 });
      const rankP = rank.status === 'tested' ? rank.p : null;
      const rankHigh = rank.status === 'tested' ? rank.high : null;
      // the rank test on its own (different failure modes) replicates a trend+(−1)^t result
      const replicated = rankP !== null && rankP < options.rankAlpha && rankHigh === result.high;
      if (!(pAdjusted < options.warnAlpha || (replicated && pAdjusted < options.replicatedAlpha))) return;
      const firstEpoch = series.epochs[0] ?? 1;
      const high = epochParity(result.high, firstEpoch);
      const rankAgrees = rankP === null || (rankP < 0.05 && rankHigh === result.high);
      const gate =
        series.values.length < SMALL_SAMPLE ? options.minAmplitudeToNoiseSmall : options.minAmplitudeToNoise;
      // error: the trend+(−1)^t test at alpha, or a weaker one that the rank test replicates
      // (two tests with different failure modes agreeing; calibrated by `npm run calibrate`)
      const strong =
        result.amplitudeToNoise >= gate &&
        result.halves.consistent &&
        rankAgrees &&
        (pAdjusted < options.alpha || replicated);
      const train = trainComparison(run, series.metric, ignoreMetrics, result);
      const changes = alternatingChanges(series.values);
      const phaseRun = longestAlternatingRun(
        series.values,
        result.high === null ? {} : { high: result.high },
      );
      const amplitude = 2 * result.amplitude;
      const stats: z.output<typeof AlternationStats> = {
        n: series.values.length,
        p: result.p,
        pAdjusted,
        t: round(result.t),
        df: result.df,
        amplitude: round(amplitude),
        amplitudeToValNoise: round(result.amplitudeToNoise * 2, 3),
        amplitudeToTrainNoise:
          train.noise === null || train.noise === 0 ? null : round(amplitude / train.noise, 3),
        valNoise: round(result.robustResidualSd),
        rankP,
        alternatingChanges: changes.k,
        changes: changes.m,
        longestPhaseRun: phaseRun?.length ?? 0,
        highParity: high,
        phaseConsistent: result.halves.consistent,
        trainMetric: train.metric,
        trainP: train.p,
        trainAlternates: train.alternates,
        trainPhase: train.phase,
        basis: result.basis.kind,
      };
      const trainNote =
        train.metric === null
          ? 'noTrain'
          : train.alternates === null
            ? 'trainUntested'
            : train.phase === 'antiphase'
              ? 'trainAntiphase'
              : train.alternates
                ? 'trainAlternatesToo'
                : 'trainSmooth';
      const lastEpoch = series.epochs.at(-1) ?? firstEpoch;
      const oddEpoch = lastEpoch % 2 === 1 ? lastEpoch : lastEpoch - 1;
      drafts.push({
        severity: strong ? 'error' : 'warning',
        metric: series.metric,
        epochs: [firstEpoch, series.epochs.at(-1) ?? firstEpoch],
        line: phaseRun === null ? (series.lines[0] ?? null) : (series.lines[phaseRun.start] ?? null),
        stats,
        evidence: {
          epochs: series.epochs.slice(-10),
          values: series.values.slice(-10),
          pattern: pattern(series.values),
          phaseRun: phaseRun === null ? null : [series.epochs[phaseRun.start], series.epochs[phaseRun.end]],
          halves: result.halves,
          trainNote,
        },
        messageId: 'alternates',
        data: {
          metric: series.metric,
          high: high ?? 'neither',
          amplitude: round(amplitude),
          p: round(pAdjusted, 3),
          n: series.values.length,
          k: changes.k,
          m: changes.m,
          trainNote,
          trainMetric: train.metric ?? '',
          trainP: train.p === null ? '' : round(train.p, 3),
        },
        next: {
          messageId: 'nextAlternation',
          data: { oddEpoch: Math.max(1, oddEpoch - 1), evenEpoch: Math.max(2, oddEpoch) },
        },
      });
    });
    return drafts;
  },
});

/** The same test on the training twin (`val_acc` → `acc`): does training alternate too? */
function trainComparison(
  run: Parameters<typeof finiteSeries>[0],
  valMetric: string,
  ignore: ReadonlySet<string>,
  val: AlternationResult,
): {
  metric: string | null;
  p: number | null;
  alternates: boolean | null;
  phase: PhaseRelation | null;
  noise: number | null;
} {
  const none = { p: null, alternates: null, phase: null, noise: null };
  const twin = trainingTwin(valMetric, metricNames(run));
  if (twin === null || ignore.has(twin)) return { metric: null, ...none };
  const s = finiteSeries(run, twin);
  if (s.values.length < ALTERNATION_MIN_POINTS) return { metric: twin, ...none };
  const r = testAlternation(s.values);
  if (r.status !== 'tested') return { metric: twin, ...none };
  // the twin alternates "too" when significant at the warning level, in either phase: under a cyclic
  // schedule epoch-averaged training metrics swing in antiphase with validation (issue 7)
  const alternates = r.p < 0.01;
  const phase: PhaseRelation =
    !alternates || r.high === null || val.high === null
      ? 'none'
      : r.high === val.high
        ? 'in-phase'
        : 'antiphase';
  return { metric: twin, p: r.p, alternates, phase, noise: r.robustResidualSd };
}
