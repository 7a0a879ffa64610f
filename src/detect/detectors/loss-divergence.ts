import { z } from 'zod';
import { defineDetector, stat } from '../define-detector.js';
import { finiteSeries, round } from '../series.js';

/** The numbers of a divergence finding. */
export const DivergenceStats = z.object({
  best: stat(),
  bestEpoch: stat(),
  last: stat(),
  ratio: stat(),
  sustainedEpochs: stat(),
});

export default defineDetector({
  id: 'loss-divergence',
  title: 'Training loss blows up',
  defaultSeverity: 'error',
  requires: ['train'],
  kind: 'divergence',
  startsDiagnosis: false,
  stats: DivergenceStats,
  options: z
    .object({
      /** The loss must exceed its best so far by this factor ... */
      factor: z.number().gt(1).default(3),
      /** ... and stay there for at least this many epochs, up to the end of the run. */
      minEpochs: z.number().int().min(1).default(2),
      /** ... having given back at least this share of the progress from the first epoch to the best. */
      minGiveBack: z.number().min(0).max(1).default(0.25),
    })
    .strict(),
  docs: {
    what: 'Fires when the training loss climbs above `factor` (default 3) times its best value so far, giving back at least a quarter of the progress from the first epoch to the best, and stays there for the last `minEpochs` (default 2) or more epochs of the run. A spike that recovers stays quiet.',
    why: 'A training loss that ends far above its best means optimisation diverged: the learning rate is too high for the current weights (often after warm-up ends or a restart), gradients exploded, or mixed-precision overflowed. Later epochs train a broken model.',
    example: 'loss: 0.3120 → 0.2900 → 0.2750 → 1.9800 → 7.4300 → 25.1000',
  },
  messages: {
    diverged:
      'training {metric} rose from its best {best} (epoch {bestEpoch}) to {last} at epoch {lastEpoch}, {times}× higher, and did not come back',
    next: 'restart from the weights of epoch {bestEpoch} with the learning rate divided by 10, gradient clipping (clipnorm=1.0) or a warm-up; the epochs after {bestEpoch} trained a broken model',
  },
  detect(run, { options, ignoreMetrics }) {
    if (ignoreMetrics.has('loss')) return [];
    const s = finiteSeries(run, 'loss');
    if (s.values.length < options.minEpochs + 1) return [];
    const first = s.values[0] ?? 0;
    let best = Number.POSITIVE_INFINITY;
    let bestIndex = 0;
    let divergedFrom = -1;
    for (let i = 0; i < s.values.length; i += 1) {
      const v = s.values[i] ?? 0;
      // a blow-up: far above the best so far, and back at least a quarter of the way to where training
      // started (a loss going from 0.01 to 0.04 after starting at 2.3 is not a divergence)
      const above = best > 0 && v > best * options.factor && v - best >= (first - best) * options.minGiveBack;
      if (above && divergedFrom === -1) divergedFrom = i;
      if (!above) divergedFrom = -1;
      if (v < best && divergedFrom === -1) {
        best = v;
        bestIndex = i;
      }
    }
    const sustained = divergedFrom >= 0 ? s.values.length - divergedFrom : 0;
    if (sustained < options.minEpochs) return [];
    const last = s.values.at(-1) ?? 0;
    const lastEpoch = s.epochs.at(-1) ?? 0;
    const startEpoch = s.epochs[divergedFrom] ?? lastEpoch;
    return [
      {
        metric: 'loss',
        epochs: [startEpoch, lastEpoch],
        line: s.lines[divergedFrom] ?? null,
        stats: {
          best: round(best),
          bestEpoch: s.epochs[bestIndex] ?? 0,
          last: round(last),
          ratio: round(last / best, 3),
          sustainedEpochs: sustained,
        },
        evidence: { epochs: s.epochs.slice(bestIndex), values: s.values.slice(bestIndex) },
        messageId: 'diverged',
        data: {
          metric: 'loss',
          best: round(best),
          bestEpoch: s.epochs[bestIndex] ?? 0,
          last: round(last),
          lastEpoch,
          times: round(last / best, 3),
        },
        next: { messageId: 'next', data: { bestEpoch: s.epochs[bestIndex] ?? 0 } },
      },
    ];
  },
});
