/**
 * What the findings and the run say, read once for all causes: the validation pattern (period, phase,
 * amplitude), whether training shares it, and the shape of the training loss. Finding `stats` are read
 * defensively: a missing or mistyped key is "unknown", never an error.
 */
import {
  ACCURACY_NAMES,
  findRole,
  isLearningRateName,
  isValidationName,
  type Finding,
  type Run,
  type Scalar,
} from '../model/index.js';

/** Detector ids whose error/warning findings make a run worth diagnosing. */
export const INSTABILITY_RULES: readonly string[] = [
  'val-alternation',
  'val-periodic',
  'val-swing-exceeds-sampling-noise',
  'checkpoint-bias',
  'overfitting',
  'loss-divergence',
  'plateau',
  'val-stuck',
];

/** A significant even/odd alternation of one validation metric. */
export interface AlternationEvidence {
  metric: string;
  severity: 'error' | 'warning';
  epochs: [number, number];
  n: number | null;
  p: number | null;
  /** Full even − odd swing in metric units. */
  amplitude: number | null;
  /** 1-based epoch parity with the higher value. */
  highParity: 'odd' | 'even' | null;
  phaseConsistent: boolean | null;
  longestPhaseRun: number | null;
  trainMetric: string | null;
  trainAlternates: boolean | null;
  /** The metric is an accuracy (bounded in [0, 1]), so window-composition bounds apply to it. */
  isAccuracy: boolean;
}

/** A significant periodic pattern of one validation metric (period ≥ 2). */
export interface PeriodicEvidence {
  metric: string;
  period: number;
  amplitude: number | null;
  n: number | null;
}

/** The training loss over the run. */
export interface TrainingShape {
  metric: string | null;
  /** Finite values read. */
  n: number;
  /** Epochs whose loss rose over the previous epoch. */
  rises: number;
  /** rises / (n − 1). */
  riseFraction: number;
  /** Largest single-epoch rise relative to the previous value (0.034 = 3.4 %). */
  maxRelativeRise: number;
  /** Epoch of that rise (null when the loss never rose). */
  maxRiseEpoch: number | null;
  /** Direction of the loss differences changes on ≥ 80 % of epochs (a sawtooth). */
  signAlternation: number;
  nonFinite: boolean;
  /** Final loss above 1.5 × its minimum. */
  risesAtEnd: boolean;
}

/** Everything the causes read from findings and the run. */
export interface Evidence {
  alternations: AlternationEvidence[];
  periodic: PeriodicEvidence[];
  /** The strongest alternation: an accuracy metric first, then the one with the smallest p. */
  primary: AlternationEvidence | null;
  /** The alternation of an accuracy-type metric, if any. */
  accuracy: AlternationEvidence | null;
  /** Observed period: 2 for an alternation, else the period of a `val-periodic` finding. */
  period: number | null;
  /** The alternation keeps its odd/even phase (no finding says it flips). */
  phaseLocked: boolean;
  /** Epochs the pattern spans (n of the primary finding, else the run length). */
  epochsObserved: number;
  /**
   * Validation-only: true when every alternation finding says training does not alternate (or, with no
   * such statement, the training loss is smooth); false when training alternates too; null unknown.
   */
  valOnly: boolean | null;
  /** An accuracy alternation and a loss alternation with opposite high parities. */
  antiphase: boolean | null;
  /** Irregular swings above sampling noise with no periodic pattern. */
  irregularSwing: boolean;
  /** `val-swing-exceeds-sampling-noise` numbers, when that detector fired. */
  swing: { ratio: number | null; medianAbsChange: number | null; binomialSE: number | null } | null;
  training: TrainingShape;
  /** Rules with an error or warning finding on this run. */
  rules: ReadonlySet<string>;
  /** Rules with a finding of any severity on this run (info included, `insufficient` ones excluded). */
  mentioned: ReadonlySet<string>;
}

/** A numeric stat, or null when absent or not a number. */
export function numberStat(stats: Record<string, Scalar>, key: string): number | null {
  const value = stats[key];
  return typeof value === 'number' && !Number.isNaN(value) ? value : null;
}

function booleanStat(stats: Record<string, Scalar>, key: string): boolean | null {
  const value = stats[key];
  return typeof value === 'boolean' ? value : null;
}

function stringStat(stats: Record<string, Scalar>, key: string): string | null {
  const value = stats[key];
  return typeof value === 'string' ? value : null;
}

function isSerious(finding: Finding): finding is Finding & { severity: 'error' | 'warning' } {
  return finding.severity === 'error' || finding.severity === 'warning';
}

/** True for accuracy-type metric names (`val_acc`, `val_accuracy`, `val_binary_accuracy`, ...). */
export function isAccuracyName(name: string): boolean {
  const base = isValidationName(name) ? name.slice(4) : name;
  return ACCURACY_NAMES.includes(base) || /(^|_)acc(uracy)?$/.test(base);
}

function readAlternation(finding: Finding & { severity: 'error' | 'warning' }): AlternationEvidence | null {
  const s = finding.stats;
  if (s['insufficient'] === true || finding.metric === null) return null;
  const parity = stringStat(s, 'highParity');
  return {
    metric: finding.metric,
    severity: finding.severity,
    epochs: finding.epochs,
    n: numberStat(s, 'n'),
    p: numberStat(s, 'pAdjusted') ?? numberStat(s, 'p'),
    amplitude: numberStat(s, 'amplitude'),
    highParity: parity === 'odd' || parity === 'even' ? parity : null,
    phaseConsistent: booleanStat(s, 'phaseConsistent'),
    longestPhaseRun: numberStat(s, 'longestPhaseRun'),
    trainMetric: stringStat(s, 'trainMetric'),
    trainAlternates: booleanStat(s, 'trainAlternates'),
    isAccuracy: isAccuracyName(finding.metric),
  };
}

/** Thresholds of the training-loss shape; chosen so a converging run (seed: ≤ 3.4 % rises) reads smooth. */
const SMOOTH_MAX_RELATIVE_RISE = 0.1;
const SMOOTH_MAX_RISE_FRACTION = 0.4;
const SWING_RELATIVE_RISE = 0.25;
const SAWTOOTH_SIGN_ALTERNATION = 0.8;
const DIVERGED_FACTOR = 1.5;

/** The shape of the training loss (role `loss`) of a run. */
export function describeTraining(run: Run): TrainingShape {
  const names = new Set(run.epochs.flatMap((e) => Object.keys(e.metrics)));
  const metric = findRole(names, 'loss');
  const empty: TrainingShape = {
    metric,
    n: 0,
    rises: 0,
    riseFraction: 0,
    maxRelativeRise: 0,
    maxRiseEpoch: null,
    signAlternation: 0,
    nonFinite: false,
    risesAtEnd: false,
  };
  if (metric === null) return empty;
  const points: Array<{ epoch: number; value: number }> = [];
  let nonFinite = false;
  for (const epoch of run.epochs) {
    const value = epoch.metrics[metric];
    if (value === undefined) continue;
    if (!Number.isFinite(value)) nonFinite = true;
    else points.push({ epoch: epoch.epoch, value });
  }
  let rises = 0;
  let maxRelativeRise = 0;
  let maxRiseEpoch: number | null = null;
  let signChanges = 0;
  let signPairs = 0;
  let previousSign = 0;
  for (let i = 1; i < points.length; i++) {
    const before = points[i - 1];
    const now = points[i];
    if (!before || !now) continue;
    const delta = now.value - before.value;
    if (delta > 0) {
      rises += 1;
      const relative = delta / Math.max(Math.abs(before.value), Number.EPSILON);
      if (relative > maxRelativeRise) {
        maxRelativeRise = relative;
        maxRiseEpoch = now.epoch;
      }
    }
    const sign = Math.sign(delta);
    if (sign !== 0 && previousSign !== 0) {
      signPairs += 1;
      if (sign !== previousSign) signChanges += 1;
    }
    if (sign !== 0) previousSign = sign;
  }
  const values = points.map((p) => p.value);
  const last = values[values.length - 1];
  const minimum =
    values.length > 0 ? values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY) : Number.NaN;
  return {
    metric,
    n: points.length,
    rises,
    riseFraction: points.length > 1 ? rises / (points.length - 1) : 0,
    maxRelativeRise,
    maxRiseEpoch,
    signAlternation: signPairs > 0 ? signChanges / signPairs : 0,
    nonFinite,
    risesAtEnd: last !== undefined && minimum > 0 && last > DIVERGED_FACTOR * minimum,
  };
}

/** The training loss decreases with only small rises (no swing, no divergence). */
export function isSmooth(training: TrainingShape): boolean {
  return (
    training.n >= 3 &&
    !training.nonFinite &&
    !training.risesAtEnd &&
    training.maxRelativeRise < SMOOTH_MAX_RELATIVE_RISE &&
    training.riseFraction < SMOOTH_MAX_RISE_FRACTION
  );
}

/** The training loss swings (large rises or a sawtooth) or diverges. */
export function isSwinging(training: TrainingShape): boolean {
  return (
    training.nonFinite ||
    training.risesAtEnd ||
    training.maxRelativeRise >= SWING_RELATIVE_RISE ||
    (training.n >= 6 &&
      training.signAlternation >= SAWTOOTH_SIGN_ALTERNATION &&
      training.maxRelativeRise >= 0.05)
  );
}

function preferPrimary(a: AlternationEvidence, b: AlternationEvidence): number {
  if (a.isAccuracy !== b.isAccuracy) return a.isAccuracy ? -1 : 1;
  if (a.severity !== b.severity) return a.severity === 'error' ? -1 : 1;
  return (a.p ?? 1) - (b.p ?? 1) || a.metric.localeCompare(b.metric);
}

/** Reads the findings of one run (findings of other runs are ignored). */
export function gatherEvidence(findings: Finding[], run: Run): Evidence {
  const mine = findings.filter((f) => f.run === run.index);
  const serious = mine.filter(isSerious);
  const alternations = serious
    .filter((f) => f.rule === 'val-alternation')
    .map(readAlternation)
    .filter((a): a is AlternationEvidence => a !== null)
    .sort(preferPrimary);
  const periodic: PeriodicEvidence[] = [];
  for (const f of serious) {
    if (f.rule !== 'val-periodic' || f.metric === null) continue;
    const period = numberStat(f.stats, 'period');
    if (period === null || !Number.isInteger(period) || period < 2) continue;
    periodic.push({
      metric: f.metric,
      period,
      amplitude: numberStat(f.stats, 'amplitude'),
      n: numberStat(f.stats, 'n'),
    });
  }
  periodic.sort((a, b) => a.period - b.period || a.metric.localeCompare(b.metric));
  const primary = alternations[0] ?? null;
  const accuracy = alternations.find((a) => a.isAccuracy) ?? null;
  const period = primary ? 2 : (periodic[0]?.period ?? null);
  const training = describeTraining(run);
  const trainStatements = alternations.map((a) => a.trainAlternates).filter((t): t is boolean => t !== null);
  let valOnly: boolean | null = null;
  if (trainStatements.includes(true)) valOnly = false;
  else if (trainStatements.length > 0) valOnly = true;
  else if (period !== null && isSwinging(training)) valOnly = false;
  else if (period !== null && isSmooth(training)) valOnly = true;
  const loss = alternations.find((a) => !a.isAccuracy && /loss/.test(a.metric));
  const antiphase =
    accuracy && loss && accuracy.highParity !== null && loss.highParity !== null
      ? accuracy.highParity !== loss.highParity
      : null;
  const rules = new Set(serious.map((f) => f.rule));
  const swingFinding = serious.find((f) => f.rule === 'val-swing-exceeds-sampling-noise');
  const epochsObserved = primary?.n ?? periodic[0]?.n ?? run.epochs.length;
  return {
    alternations,
    periodic,
    primary,
    accuracy,
    period,
    phaseLocked: primary !== null ? primary.phaseConsistent !== false : periodic.length > 0,
    epochsObserved,
    valOnly,
    antiphase,
    irregularSwing: swingFinding !== undefined && period === null,
    swing: swingFinding
      ? {
          ratio: numberStat(swingFinding.stats, 'ratio'),
          medianAbsChange: numberStat(swingFinding.stats, 'medianAbsChange'),
          binomialSE: numberStat(swingFinding.stats, 'binomialSE'),
        }
      : null,
    training,
    rules,
    mentioned: new Set(mine.filter((f) => f.stats['insufficient'] !== true).map((f) => f.rule)),
  };
}

/**
 * The evaluation-side signature (spec §4 decision sketch): a validation-only, phase-locked periodic
 * pattern. Causes that change *what* or *which weights* are evaluated predict it.
 */
export function hasEvaluationSignature(evidence: Evidence): boolean {
  return evidence.period !== null && evidence.phaseLocked && evidence.valOnly !== false;
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
