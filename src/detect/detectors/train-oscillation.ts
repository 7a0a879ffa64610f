import { z } from 'zod';
import { findRole, isValidationName, trainingTwin } from '../../model/index.js';
import {
  ALTERNATION_MIN_POINTS,
  PERIODIC_MIN_CYCLES,
  PERIODIC_MIN_POINTS,
  holm,
  testPeriodic,
} from '../../stats/index.js';
import type { FindingDraft } from '../define-detector.js';
import { defineDetector, stat } from '../define-detector.js';
import { alternationOf, periodicOf } from '../memo.js';
import { periodOfRun } from '../periodicity.js';
import { PhaseRelation } from '../phase.js';
import { finiteSeries, metricNames, recent, round, type Series } from '../series.js';

/** The numbers of a training-oscillation finding. */
export const TrainOscillationStats = z.object({
  n: stat(),
  /** 2 for an alternation, else the period of the cycle. */
  period: stat(),
  /** Full swing (alternation: even − odd; cycle: peak to trough of the fitted harmonic). */
  amplitude: stat(),
  pAdjusted: stat(),
  /** 1-based epoch parity that is high (alternation only). */
  highParity: z.enum(['odd', 'even']).nullable(),
  /** The validation twin and how its swing lines up with this one. */
  valMetric: z.string().nullable(),
  valPhase: PhaseRelation.nullable(),
  /** What a logged learning rate does: cycling with the same period is the schedule itself. */
  lrPattern: z.enum(['constant', 'decreasing', 'cycling', 'irregular']).nullable(),
  lrPeriod: stat().nullable(),
});

type Stats = z.output<typeof TrainOscillationStats>;

interface Candidate {
  series: Series;
  period: number;
  p: number;
  amplitude: number;
  high: 'odd' | 'even' | null;
}

export default defineDetector({
  id: 'train-oscillation',
  title: 'Training metrics alternate or cycle',
  defaultSeverity: 'warning',
  requires: ['train'],
  kind: 'training-periodic',
  startsDiagnosis: true,
  stats: TrainOscillationStats,
  options: z
    .object({
      /** Holm-adjusted p below which a training metric oscillates on its own. */
      alpha: z.number().gt(0).lt(1).default(0.001),
      /**
       * Level of the one follow-up question "does training share the period validation shows?" (asked only
       * for that period, after the validation twin's own test found it at p < 0.001: a hierarchical test).
       */
      followUpAlpha: z.number().gt(0).lt(1).default(0.01),
      /** Effect gate of an alternation: half the swing over the robust residual noise. */
      minAmplitudeToNoise: z.number().min(0).default(0.5),
    })
    .strict(),
  docs: {
    what: `Tests the training loss and accuracy for an alternation (trend + (−1)^epoch regression, at least ${ALTERNATION_MIN_POINTS} epochs, phase in both halves) and for a cycle of 3 … 20 epochs (harmonic F-tests, at least ${PERIODIC_MIN_POINTS} epochs and ${PERIODIC_MIN_CYCLES} cycles, Bonferroni over the periods), Holm-adjusted over everything tested; fires when the adjusted p < 0.001. When the validation twin swings with a period (its own test at p < 0.001), the one follow-up question whether its training twin shares exactly that period is asked at 0.01 (one question per pair, as val-alternation asks it). It says how the validation twin moves with it (in phase, in antiphase, not at all) and what a logged learning rate does.`,
    why: 'Training metrics are averages over an epoch, so an optimiser that merely overshoots makes them noisy, not periodic. A training curve that swings on a schedule is driven by one: a cyclic or restarting learning rate whose cycle is a few epochs (the epoch averages then alternate, often in antiphase with validation), or class-sorted training data with steps_per_epoch covering part of a pass (each epoch trains on other classes).',
    example:
      'loss: 0.42, 0.31, 0.40, 0.29, 0.38, 0.27 ... with a triangular cyclic learning rate whose half cycle is one epoch',
  },
  messages: {
    alternates:
      '{metric} alternates between epochs (high on {parity} epochs, swing {amplitude}, p = {p}); {valNote}',
    cycles: '{metric} repeats every {period} epochs (swing {amplitude}, p = {p}); {valNote}',
    valInPhase: '{valMetric} swings in phase with it',
    valAntiphase: '{valMetric} swings in antiphase: high when {metric} is low',
    valNone: '{valMetric} does not share the swing',
    noVal: 'there is no validation twin',
    nextLogged:
      'the logged learning rate cycles every {lrPeriod} epochs: compare and checkpoint only at the same point of the cycle, or lengthen the half cycle (step_size) to 2–8 × the iterations per epoch',
    next: 'log the learning rate at every epoch end and check the schedule (a cyclic rate with a half cycle of one epoch alternates like this); and make sure the training data are shuffled and steps_per_epoch covers a whole pass',
  },
  detect(run, { options, context, ignoreMetrics }) {
    const names = metricNames(run).filter((n) => !ignoreMetrics.has(n));
    const metrics = [findRole(names, 'loss'), findRole(names, 'accuracy')].filter(
      (m): m is string => m !== null,
    );
    const tested: Candidate[] = [];
    for (const metric of metrics) {
      const s = recent(finiteSeries(run, metric));
      if (s.values.length < ALTERNATION_MIN_POINTS) continue;
      const alternation = alternationOf(run, `${metric}:${s.values.length}`, s.values);
      if (
        alternation.status === 'tested' &&
        alternation.halves.consistent &&
        alternation.amplitudeToNoise >= options.minAmplitudeToNoise
      ) {
        const first = s.epochs[0] ?? 1;
        const high =
          alternation.high === null
            ? null
            : (alternation.high === 'even-index') === (first % 2 === 1)
              ? 'odd'
              : 'even';
        tested.push({ series: s, period: 2, p: alternation.p, amplitude: 2 * alternation.amplitude, high });
      }
      if (s.values.length >= PERIODIC_MIN_POINTS) {
        const top = Math.min(20, Math.floor(s.values.length / PERIODIC_MIN_CYCLES));
        if (top >= 3) {
          const scan = periodicOf(run, `${metric}:${s.values.length}`, s.values, top);
          if (scan.status === 'tested' && scan.best !== null && scan.best.halves.consistent) {
            tested.push({
              series: s,
              period: scan.best.period,
              p: scan.best.pAdjusted,
              amplitude: 2 * scan.best.amplitude,
              high: null,
            });
          }
        }
      }
    }
    const adjusted = holm(tested.map((t) => t.p));
    const best = new Map<string, { candidate: Candidate; p: number }>();
    const keep = (candidate: Candidate, p: number): void => {
      const current = best.get(candidate.series.metric);
      if (current === undefined || p < current.p) best.set(candidate.series.metric, { candidate, p });
    };
    tested.forEach((candidate, i) => {
      const p = adjusted[i] ?? 1;
      if (p < options.alpha) keep(candidate, p);
    });
    // the follow-up: the period of each validation twin, asked of its training metric only
    const followUps = tested.filter((candidate) => {
      const valName = names.find(
        (v) => isValidationName(v) && trainingTwin(v, names) === candidate.series.metric,
      );
      return valName !== undefined && validationPeriod(run, valName) === candidate.period;
    });
    // one pre-declared question per validation metric and its twin (as val-alternation asks it): unadjusted
    for (const candidate of followUps) {
      if (candidate.p < options.followUpAlpha && !best.has(candidate.series.metric))
        keep(candidate, candidate.p);
    }
    const drafts: FindingDraft<Stats>[] = [];
    for (const { candidate, p } of best.values()) {
      const { series, period, amplitude, high } = candidate;
      const valName =
        names.find((v) => isValidationName(v) && trainingTwin(v, names) === series.metric) ?? null;
      const valPhase = valName === null ? null : phaseWith(run, valName, period, high);
      const lr = context.learningRate;
      const valNote =
        valName === null
          ? 'noVal'
          : valPhase === 'in-phase'
            ? 'valInPhase'
            : valPhase === 'antiphase'
              ? 'valAntiphase'
              : 'valNone';
      const lrCycles = lr !== null && lr.pattern === 'cycling';
      drafts.push({
        metric: series.metric,
        epochs: [series.epochs[0] ?? 1, series.epochs.at(-1) ?? 1],
        line: series.lines[0] ?? null,
        stats: {
          n: series.values.length,
          period,
          amplitude: round(amplitude),
          pAdjusted: p,
          highParity: high,
          valMetric: valName,
          valPhase,
          lrPattern: lr?.pattern ?? null,
          lrPeriod: lr?.period ?? null,
        },
        evidence: { epochs: series.epochs.slice(-10), values: series.values.slice(-10) },
        messageId: period === 2 ? 'alternates' : 'cycles',
        data: {
          metric: series.metric,
          parity: high,
          period,
          amplitude: round(amplitude),
          p: round(p, 3),
          valNote,
          valMetric: valName ?? '',
        },
        next: lrCycles
          ? { messageId: 'nextLogged', data: { lrPeriod: lr.period } }
          : { messageId: 'next', data: {} },
      });
    }
    return drafts;
  },
});

/** The period the validation metric shows on its own test at p < 0.001 (2, a cycle of 3+, or null). */
function validationPeriod(run: Parameters<typeof finiteSeries>[0], valName: string): number | null {
  const s = recent(finiteSeries(run, valName));
  return periodOfRun(run, `${valName}:${s.values.length}`, s.values, 0.001);
}

/**
 * How the validation twin swings relative to a training alternation: the same test on it, significant at
 * 0.01, and its high parity against the training one's. For a cycle of 3+ epochs only "shares it or not".
 */
function phaseWith(
  run: Parameters<typeof finiteSeries>[0],
  valName: string,
  period: number,
  high: 'odd' | 'even' | null,
): PhaseRelation {
  const s = recent(finiteSeries(run, valName));
  if (period === 2) {
    const r = alternationOf(run, `${valName}:${s.values.length}`, s.values);
    if (r.status !== 'tested' || !(r.p < 0.01) || r.high === null || high === null) return 'none';
    const first = s.epochs[0] ?? 1;
    const valHigh = (r.high === 'even-index') === (first % 2 === 1) ? 'odd' : 'even';
    return valHigh === high ? 'in-phase' : 'antiphase';
  }
  if (s.values.length < PERIODIC_MIN_POINTS) return 'none';
  const scan = testPeriodic(s.values, { periods: [period] });
  return scan.status === 'tested' && scan.best !== null && scan.best.pAdjusted < 0.01 ? 'in-phase' : 'none';
}
