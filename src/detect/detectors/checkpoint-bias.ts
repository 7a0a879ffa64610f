import { z } from 'zod';
import { defineDetector, stat } from '../define-detector.js';
import { round } from '../series.js';

/** Two-sided exact binomial p of `k` or more of `n` on one side, with p = 1/2 per trial. */
function parityP(k: number, n: number): number {
  let tail = 0;
  let c = 1;
  for (let i = 0; i <= n; i += 1) {
    if (i >= k) tail += c;
    c = (c * (n - i)) / (i + 1);
  }
  return Math.min(1, (2 * tail) / 2 ** n);
}

/** The numbers of a checkpoint-bias finding. */
export const CheckpointBiasStats = z.object({
  improvedEpochs: stat(),
  sameParityShare: stat(),
  parity: z.enum(['odd', 'even']),
  p: stat(),
});

export default defineDetector({
  id: 'checkpoint-bias',
  title: 'Checkpoint decisions taken on an alternating series',
  defaultSeverity: 'warning',
  requires: ['events'],
  kind: 'periodic',
  startsDiagnosis: true,
  stats: CheckpointBiasStats,
  options: z
    .object({
      /** At least this many "improved" checkpoints (after the first) before parity means anything. */
      minImprovements: z.number().int().min(2).default(6),
      /** Share of improvements on one parity. */
      minShare: z.number().min(0.5).max(1).default(0.8),
      alpha: z.number().gt(0).lt(1).default(0.05),
    })
    .strict(),
  docs: {
    what: 'Looks at the epochs where ModelCheckpoint reported "improved", leaving out the first one (from inf/None: the first epoch always improves). Fires when at least 80 % of at least 6 improvements fall on the same epoch parity (odd or even) and an exact binomial test says that is unlikely by chance (p < 0.05; 6 of 6 gives p = 0.031).',
    why: 'When the monitored validation metric alternates between epochs, "best" is decided by which half of the sawtooth an epoch falls on, not by the model: the saved checkpoint, the early-stopping restore and ReduceLROnPlateau all act on an artifact. Fix the alternation first, or monitor a smoothed metric.',
    example:
      'Epoch 1: val_loss improved ... Epoch 3: val_loss improved ... Epoch 5: val_loss improved ... (never an even epoch)',
  },
  messages: {
    sameParity:
      '{count} of {total} "improved" checkpoints of {monitor} fell on {parity} epochs (p = {p}): the saved best model was chosen on one side of an alternating series',
    next: 'do not trust the saved "best" checkpoint until the alternation is fixed: re-evaluate the last two checkpoints on the full validation set, or monitor the mean of {monitor} over two consecutive epochs',
  },
  detect(run, { options }) {
    // the first "improved" (from inf / -inf / None) is not a decision between epochs
    const improved = run.events.filter(
      (e) =>
        e.kind === 'checkpoint-improved' && e.epoch !== null && e.from !== null && Number.isFinite(e.from),
    );
    if (improved.length < options.minImprovements) return [];
    const epochs = improved.map((e) => e.epoch ?? 0);
    const odd = epochs.filter((e) => e % 2 === 1).length;
    const even = epochs.length - odd;
    const count = Math.max(odd, even);
    const share = count / epochs.length;
    const p = parityP(count, epochs.length);
    if (share < options.minShare || p >= options.alpha) return [];
    const monitor =
      improved[0]?.kind === 'checkpoint-improved' ? improved[0].monitor : 'the monitored metric';
    const parity: 'odd' | 'even' = odd >= even ? 'odd' : 'even';
    return [
      {
        metric: monitor,
        epochs: [epochs[0] ?? 1, epochs.at(-1) ?? 1],
        line: improved[0]?.line ?? null,
        stats: { improvedEpochs: epochs.length, sameParityShare: round(share, 3), parity, p: round(p, 3) },
        evidence: { epochs },
        messageId: 'sameParity',
        data: { count, total: epochs.length, monitor, parity, p: round(p, 3) },
        next: { messageId: 'next', data: { monitor } },
      },
    ];
  },
});
