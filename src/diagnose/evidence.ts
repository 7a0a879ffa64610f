/**
 * What the findings and the run say, read once for all causes. Finding stats are read through each
 * detector's own `stats` schema (`readStats`): a finding whose stats do not fit is "unknown", never an error.
 * The observations here are the ones several causes weigh (the pattern, the sample counts, the logged
 * learning rate); cause-specific arithmetic (the iterator geometry, code facts) stays in the cause modules.
 */
import { z } from 'zod';
import { readStats } from '../detect/define-detector.js';
import { findDetector } from '../detect/index.js';
import { isAccuracyName } from '../detect/accuracy-names.js';
import checkpointBias from '../detect/detectors/checkpoint-bias.js';
import trainLossJumps from '../detect/detectors/train-loss-jumps.js';
import trainOscillation from '../detect/detectors/train-oscillation.js';
import valAlternation from '../detect/detectors/val-alternation.js';
import valBetterThanTrain from '../detect/detectors/val-better-than-train.js';
import valInstability from '../detect/detectors/val-instability.js';
import valPeriodic from '../detect/detectors/val-periodic.js';
import valStuck from '../detect/detectors/val-stuck.js';
import valSwing from '../detect/detectors/val-swing-exceeds-sampling-noise.js';
import {
  findRole,
  isLearningRateName,
  metricDirection,
  type Finding,
  type FindingKind,
  type Run,
  type RunContext,
} from '../model/index.js';

/**
 * The shape of what was found, one class per run (the strongest symptom wins: a period, then irregular
 * swings, then a stuck validation, then a gap). `shared-*`: training shows it too.
 */
export const PatternClass = z.enum([
  'val-periodic',
  'shared-periodic',
  'train-periodic',
  'val-irregular',
  'shared-irregular',
  'train-irregular',
  'stuck-constant',
  'stuck-chance',
  'stuck-detached',
  'gap',
  'none',
]);
export type PatternClass = z.infer<typeof PatternClass>;

/**
 * What the validation sample counts read from the accuracy digits say: they cycle (windows of different
 * sizes), stay at the whole set, stay at a part of it, or stay constant with the set size unknown.
 */
export const CountsClass = z.enum(['cycle', 'constant-full', 'constant-subset', 'constant']);
export type CountsClass = z.infer<typeof CountsClass>;

/** What a logged learning rate does, relative to the validation period. */
export const RateClass = z.enum(['cycling-in-step', 'cycling', 'constant', 'decreasing', 'irregular']);
export type RateClass = z.infer<typeof RateClass>;

/** A significant even/odd alternation of one validation metric. */
export interface AlternationEvidence {
  metric: string;
  severity: 'error' | 'warning';
  epochs: [number, number];
  n: number;
  p: number;
  /** Full even − odd swing in metric units. */
  amplitude: number;
  highParity: 'odd' | 'even' | null;
  phaseConsistent: boolean;
  longestPhaseRun: number;
  trainMetric: string | null;
  trainAlternates: boolean | null;
  trainPhase: 'in-phase' | 'antiphase' | 'none' | null;
  /** p of the same alternation test on the training twin. */
  trainP: number | null;
  isAccuracy: boolean;
}

/** A significant periodic pattern of one validation metric (period ≥ 3). */
export interface PeriodicEvidence {
  metric: string;
  period: number;
  amplitude: number;
  n: number;
}

/** Irregular instability of one validation metric (val-instability). */
export interface InstabilityEvidence {
  metric: string;
  severity: 'error' | 'warning';
  excursions: number;
  coupled: number;
  worstEpoch: number | null;
  worstRatio: number | null;
  earlyShare: number | null;
  basis: 'sampling' | 'own-noise';
  samples: number | null;
  isAccuracy: boolean;
  /** The whole curve scatters beyond its sampling noise (the spread test), and whether training shares it. */
  spread: boolean;
  trainSmooth: boolean | null;
}

/** The training loss over the run. */
export interface TrainingShape {
  metric: string | null;
  n: number;
  rises: number;
  maxRelativeRise: number;
  maxRiseEpoch: number | null;
}

/** Everything the causes read from findings and the run. */
export interface Evidence {
  /** This run's findings. */
  findings: Finding[];
  /** Kinds of the error/warning findings whose detector starts a diagnosis. */
  kinds: ReadonlySet<FindingKind>;
  pattern: PatternClass;
  alternations: AlternationEvidence[];
  periodic: PeriodicEvidence[];
  /** The strongest alternation: an accuracy first, then the smallest p. */
  primary: AlternationEvidence | null;
  accuracy: AlternationEvidence | null;
  /** 2 for an alternation, else the period of a val-periodic finding; null without a period. */
  period: number | null;
  /** The alternation keeps its phase (no finding says it flips). */
  phaseLocked: boolean;
  /** Epochs the pattern spans. */
  epochsObserved: number;
  /** Validation swings and training does not (false: training oscillates too; null: unknown). */
  valOnly: boolean | null;
  /** An accuracy and a loss alternation with opposite high parities. */
  antiphase: boolean | null;
  instability: InstabilityEvidence[];
  /** A training loss jump finding, with whether validation rose at the same epochs. */
  trainJumps: {
    jumps: number;
    worstEpoch: number;
    worstFactor: number;
    valCoupled: number | null;
    /** The loss scatters at every stretch (the roughness test), with the scatter as a share of its progress. */
    rough: boolean;
    roughness: number | null;
  } | null;
  /** Training oscillation findings: period and how validation lines up with them. */
  trainOscillation: Array<{
    metric: string;
    period: number;
    valPhase: 'in-phase' | 'antiphase' | 'none' | null;
  }>;
  stuck: {
    variant: 'constant' | 'chance' | 'detached';
    value: number;
    trainValue: number | null;
    from: number;
  } | null;
  /** val-swing-exceeds-sampling-noise numbers, when it fired. */
  swing: { ratio: number; samples: number } | null;
  counts: CountsClass | null;
  /**
   * For a validation-only period: the smallest p of the training twins' alternation test when below 0.05
   * (training leans toward sharing the swing without reaching the level that makes it shared); else null.
   */
  trainLeanP: number | null;
  rate: RateClass | null;
  training: TrainingShape;
  /** Rules with an error or warning finding on this run. */
  rules: ReadonlySet<string>;
}

function isSerious(f: Finding): f is Finding & { severity: 'error' | 'warning' } {
  return f.severity === 'error' || f.severity === 'warning';
}

function preferPrimary(a: AlternationEvidence, b: AlternationEvidence): number {
  if (a.isAccuracy !== b.isAccuracy) return a.isAccuracy ? -1 : 1;
  if (a.severity !== b.severity) return a.severity === 'error' ? -1 : 1;
  return a.p - b.p || (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0);
}

/** The training loss: rises between epochs and the largest relative rise (for reasons that quote it). */
export function describeTraining(run: Run): TrainingShape {
  const names = new Set(run.epochs.flatMap((e) => Object.keys(e.metrics)));
  const metric = findRole(names, 'loss');
  const shape: TrainingShape = { metric, n: 0, rises: 0, maxRelativeRise: 0, maxRiseEpoch: null };
  if (metric === null) return shape;
  let previous: number | null = null;
  for (const epoch of run.epochs) {
    const value = epoch.metrics[metric];
    if (value === undefined || !Number.isFinite(value)) continue;
    shape.n += 1;
    if (previous !== null && value > previous) {
      shape.rises += 1;
      const relative = (value - previous) / Math.max(Math.abs(previous), Number.EPSILON);
      if (relative > shape.maxRelativeRise) {
        shape.maxRelativeRise = relative;
        shape.maxRiseEpoch = epoch.epoch;
      }
    }
    previous = value;
  }
  return shape;
}

function countsClass(context: RunContext): CountsClass | null {
  const counts = context.valCounts;
  if (counts === null) return null;
  if (counts.pattern === 'cycle') return 'cycle';
  if (counts.pattern !== 'constant') return null;
  const n = counts.counts[0];
  const size = context.valSamples?.value;
  if (n === undefined) return null;
  if (size === undefined) return 'constant';
  return n >= size ? 'constant-full' : 'constant-subset';
}

function rateClass(context: RunContext, period: number | null): RateClass | null {
  const lr = context.learningRate;
  if (lr === null) return null;
  if (lr.pattern === 'cycling')
    return period !== null && lr.period === period ? 'cycling-in-step' : 'cycling';
  return lr.pattern;
}

/** Reads the findings of one run (findings of other runs are ignored). */
export function gatherEvidence(findings: readonly Finding[], run: Run, context: RunContext): Evidence {
  const mine = findings.filter((f) => f.run === run.index);
  const serious = mine.filter(isSerious);
  const kinds = new Set<FindingKind>();
  for (const f of serious) {
    const detector = findDetector(f.rule);
    if (detector?.startsDiagnosis === true) kinds.add(detector.kind);
  }
  const alternations: AlternationEvidence[] = [];
  const periodic: PeriodicEvidence[] = [];
  const instability: InstabilityEvidence[] = [];
  let trainJumps: Evidence['trainJumps'] = null;
  const trainOsc: Evidence['trainOscillation'] = [];
  let stuck: Evidence['stuck'] = null;
  let swing: Evidence['swing'] = null;
  let gap = false;
  let checkpointParity = false;
  for (const f of serious) {
    const alternation = readStats(valAlternation, f);
    if (alternation !== null && !('insufficient' in alternation) && f.metric !== null) {
      alternations.push({
        metric: f.metric,
        severity: f.severity,
        epochs: f.epochs,
        n: alternation.n,
        p: alternation.pAdjusted,
        amplitude: alternation.amplitude,
        highParity: alternation.highParity,
        phaseConsistent: alternation.phaseConsistent,
        longestPhaseRun: alternation.longestPhaseRun,
        trainMetric: alternation.trainMetric,
        trainAlternates: alternation.trainAlternates,
        trainPhase: alternation.trainPhase,
        trainP: alternation.trainP,
        isAccuracy: isAccuracyName(f.metric),
      });
    }
    const period = readStats(valPeriodic, f);
    if (period !== null && f.metric !== null && Number.isInteger(period.period) && period.period >= 2) {
      periodic.push({ metric: f.metric, period: period.period, amplitude: period.amplitude, n: period.n });
    }
    const spikes = readStats(valInstability, f);
    if (
      spikes !== null &&
      f.metric !== null &&
      !spikes.withinNoise &&
      (spikes.excursions > 0 || spikes.spread)
    ) {
      instability.push({
        metric: f.metric,
        severity: f.severity,
        excursions: spikes.excursions,
        coupled: spikes.coupled,
        worstEpoch: spikes.worstEpoch,
        worstRatio: spikes.worstRatio,
        earlyShare: spikes.earlyShare,
        basis: spikes.basis,
        samples: spikes.samples,
        isAccuracy: isAccuracyName(f.metric),
        spread: spikes.spread,
        trainSmooth: spikes.trainSmooth,
      });
    }
    const jumps = readStats(trainLossJumps, f);
    if (jumps !== null) {
      trainJumps = {
        jumps: jumps.jumps,
        worstEpoch: jumps.worstEpoch,
        worstFactor: jumps.worstFactor,
        valCoupled: jumps.valCoupled,
        rough: jumps.rough,
        roughness: jumps.roughness,
      };
    }
    const oscillation = readStats(trainOscillation, f);
    if (oscillation !== null && f.metric !== null) {
      trainOsc.push({ metric: f.metric, period: oscillation.period, valPhase: oscillation.valPhase });
    }
    const stuckStats = readStats(valStuck, f);
    if (stuckStats !== null && stuck === null) {
      stuck = {
        variant: stuckStats.variant,
        value: stuckStats.value,
        trainValue: stuckStats.trainValue,
        from: stuckStats.from,
      };
    }
    const swingStats = readStats(valSwing, f);
    if (swingStats !== null) swing = { ratio: swingStats.ratio, samples: swingStats.valSamples };
    if (readStats(valBetterThanTrain, f) !== null) gap = true;
    if (readStats(checkpointBias, f) !== null) checkpointParity = true;
  }
  alternations.sort(preferPrimary);
  periodic.sort((a, b) => a.period - b.period || (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  const primary = alternations[0] ?? null;
  const accuracy = alternations.find((a) => a.isAccuracy) ?? null;
  const period = primary !== null ? 2 : (periodic[0]?.period ?? (checkpointParity ? 2 : null));
  const trainOscillates =
    trainOsc.some((t) => t.period === period || period === null) ||
    alternations.some((a) => a.trainAlternates === true);
  const statements = alternations.map((a) => a.trainAlternates).filter((t): t is boolean => t !== null);
  let valOnly: boolean | null = null;
  if (period !== null) {
    if (trainOscillates) valOnly = false;
    else if (statements.length > 0 || describeTraining(run).n >= 3) valOnly = true;
  }
  const loss = alternations.find((a) => !a.isAccuracy && metricDirection(a.metric) === 'lower');
  const antiphase =
    accuracy && loss && accuracy.highParity !== null && loss.highParity !== null
      ? accuracy.highParity !== loss.highParity
      : null;
  const irregular = instability.length > 0 || (swing !== null && period === null);
  const coupled =
    instability.some(
      (i) => (i.coupled * 2 >= i.excursions && i.coupled > 0) || (i.spread && i.trainSmooth === false),
    ) || (trainJumps?.valCoupled ?? 0) > 0;
  let pattern: PatternClass = 'none';
  if (period !== null) pattern = trainOscillates ? 'shared-periodic' : 'val-periodic';
  else if (trainOsc.length > 0) pattern = 'train-periodic';
  // a validation that never learns (detached, at chance) outranks its scatter: predictions on inputs the
  // model was not trained on are erratic as well as wrong, and the scatter says nothing more
  else if (stuck !== null && stuck.variant !== 'constant' && !(trainJumps !== null && coupled))
    pattern = `stuck-${stuck.variant}`;
  else if (irregular) pattern = trainJumps !== null || coupled ? 'shared-irregular' : 'val-irregular';
  else if (trainJumps !== null) pattern = 'train-irregular';
  else if (stuck !== null) pattern = `stuck-${stuck.variant}`;
  else if (gap) pattern = 'gap';
  const rules = new Set(serious.map((f) => f.rule));
  return {
    findings: mine,
    kinds,
    pattern,
    alternations,
    periodic,
    primary,
    accuracy,
    period,
    phaseLocked: primary !== null ? primary.phaseConsistent : periodic.length > 0,
    epochsObserved: primary?.n ?? periodic[0]?.n ?? run.epochs.length,
    valOnly,
    antiphase,
    instability,
    trainJumps,
    trainOscillation: trainOsc,
    stuck,
    swing,
    counts: countsClass(context),
    trainLeanP:
      pattern === 'val-periodic'
        ? alternations.reduce<number | null>(
            (m, a) => (a.trainP !== null && a.trainP < 0.05 && (m === null || a.trainP < m) ? a.trainP : m),
            null,
          )
        : null,
    rate: rateClass(context, period),
    training: describeTraining(run),
    rules,
  };
}

/** Values of one metric by epoch, finite only. */
export function series(run: Run, metric: string): Array<{ epoch: number; value: number }> {
  const out: Array<{ epoch: number; value: number }> = [];
  for (const epoch of run.epochs) {
    const value = epoch.metrics[metric];
    if (value !== undefined && Number.isFinite(value)) out.push({ epoch: epoch.epoch, value });
  }
  return out;
}

/** The learning-rate column of a run, if it has one. */
export function learningRateName(run: Run): string | null {
  for (const epoch of run.epochs)
    for (const name of Object.keys(epoch.metrics)) if (isLearningRateName(name)) return name;
  return null;
}

/** Rounds for message data: 3 significant digits (reporters format further). */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const factor = 10 ** (digits - 1 - magnitude);
  return Math.round(value * factor) / factor;
}

/** A fraction as a percentage with one decimal (0.00615 → 0.6). */
export function percent(fraction: number): number {
  return Math.round(fraction * 1000) / 10;
}

/** Chance that iid noise keeps one odd/even phase for k epochs (spec §4: roughly 2^−k). */
export function phaseChance(epochs: number): number {
  return Number((2 ** -epochs).toPrecision(2));
}
