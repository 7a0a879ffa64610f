import { z } from 'zod';
import { PERIODIC_MIN_CYCLES, PERIODIC_MIN_POINTS, holm, type PeriodResult } from '../../stats/index.js';
import type { FindingDraft } from '../define-detector.js';
import { periodicOf } from '../memo.js';
import { defineDetector, stat } from '../define-detector.js';
import { finiteSeries, recent, round, validationMetrics, type Series } from '../series.js';

/** The numbers of a periodic finding. */
export const PeriodicStats = z.object({
  n: stat(),
  period: stat(),
  cycles: stat(),
  amplitude: stat(),
  p: stat(),
  f: stat(),
  phaseConsistent: z.boolean(),
});

export default defineDetector({
  id: 'val-periodic',
  title: 'Validation metric swings with a period of 3 or more epochs',
  defaultSeverity: 'warning',
  requires: ['val'],
  kind: 'periodic',
  startsDiagnosis: true,
  stats: PeriodicStats,
  options: z
    .object({
      /** Adjusted p (Bonferroni over the periods scanned, then Holm over metrics). */
      alpha: z.number().gt(0).lt(1).default(0.001),
      /** Longest period scanned; the scan never goes beyond n / 3 (three full cycles). */
      maxPeriod: z.number().int().min(3).default(20),
    })
    .strict(),
  docs: {
    what: `Scans each validation metric (at least ${PERIODIC_MIN_POINTS} points) for a sinusoidal swing of period P = 3 … min(20, n/3) epochs on top of a smooth trend: a harmonic F-test per period with an AR(1) variance correction, Bonferroni-adjusted for the number of periods scanned and Holm-adjusted across metrics. A period must cover at least ${PERIODIC_MIN_CYCLES} full cycles and keep its phase in both halves of the run. Fires as a warning when the adjusted p < 0.001.`,
    why: 'A swing that repeats every P epochs follows a schedule: a cyclic learning rate or warm restarts with a P-epoch cycle, a validation generator whose window rotates through a class-sorted set with period P, or a weight swap every few epochs. Noise does not keep a phase over three cycles.',
    example: 'val_loss low every third epoch: 0.31, 0.45, 0.52, 0.30, 0.46, 0.51, 0.29, ...',
  },
  messages: {
    periodic:
      '{metric} swings with a period of {period} epochs ({cycles} cycles, amplitude {amplitude}, p = {p}); the phase holds in both halves',
    next: 'find what repeats every {period} epochs: a learning-rate cycle of {period} epochs, a validation window that rotates through the set ({period} windows), or weights swapped every {period} epochs; the ranked causes below say what to check first',
  },
  detect(run, { options, ignoreMetrics }) {
    const found: Array<{ series: Series; best: PeriodResult }> = [];
    for (const metric of validationMetrics(run, ignoreMetrics)) {
      const series = recent(finiteSeries(run, metric));
      const n = series.values.length;
      if (n < PERIODIC_MIN_POINTS) continue;
      const top = Math.min(options.maxPeriod, Math.floor(n / PERIODIC_MIN_CYCLES));
      if (top < 3) continue;
      const scan = periodicOf(run, `${metric}:${n}`, series.values, top);
      if (scan.status !== 'tested' || scan.best === null) continue;
      found.push({ series, best: scan.best });
    }
    const adjusted = holm(found.map((f) => f.best.pAdjusted));
    const drafts: FindingDraft<z.output<typeof PeriodicStats>>[] = [];
    found.forEach(({ series, best }, i) => {
      const p = adjusted[i] ?? 1;
      if (!(p < options.alpha) || !best.halves.consistent) return;
      drafts.push({
        metric: series.metric,
        epochs: [series.epochs[0] ?? 1, series.epochs.at(-1) ?? 1],
        line: series.lines[best.peakIndex] ?? null,
        stats: {
          n: series.values.length,
          period: best.period,
          cycles: round(best.cycles, 3),
          amplitude: round(best.amplitude),
          p,
          f: round(best.f),
          phaseConsistent: best.halves.consistent,
        },
        evidence: {
          epochs: series.epochs,
          values: series.values,
          peakEpoch: series.epochs[best.peakIndex] ?? null,
        },
        messageId: 'periodic',
        data: {
          metric: series.metric,
          period: best.period,
          cycles: round(best.cycles, 2),
          amplitude: round(best.amplitude),
          p: round(p, 3),
        },
        next: { messageId: 'next', data: { period: best.period } },
      });
    });
    return drafts;
  },
});
