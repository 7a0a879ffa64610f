/**
 * Hugging Face model cards' "Training results" tables and the Trainer's notebook / markdown epoch
 * tables: `| Training Loss | Epoch | Step | Validation Loss | Accuracy |`, one row per evaluation, `No
 * log` where no training loss was logged yet, metric cells that are dicts (`{'accuracy': 0.91}`), and
 * fractional epochs when the Trainer evaluated every N steps (then the rows are on the step axis). The
 * card strips the `eval_` prefix, so its metric columns are validation metrics (`Run.phases`). Its
 * training losses are the Trainer's logged averages: each run says that NaN/Inf step losses may be
 * filtered out of them (`nonfinite-hidden`). Read by the line engine.
 */
import type { MetricPhase, Run } from '../model/index.js';
import { isLossName, nameParts } from '../model/roles.js';
import { hiddenNonFinite } from './hf-log-history.js';
import { createTextRecordsReader } from './text-records.js';
import type { ReaderEntry, SniffHead } from './types.js';

function sniff(head: SniffHead): number {
  for (const line of head.lines) {
    if (line.includes('Training Loss') && line.includes('Validation Loss')) return 0.97;
    if (line.includes('Training Loss') && /\bEpoch\b/.test(line) && /\bStep\b/.test(line)) return 0.9;
  }
  return 0;
}

/** Every column but the training loss, epoch and step is an evaluation metric the card renamed. */
export function hfTableColumnPhase(name: string): MetricPhase | null {
  if (nameParts(name).phase !== null) return null;
  return name === 'Epoch' || name === 'Step' ? null : 'validation';
}

/**
 * The Trainer's `Training Loss` column is its logged average, with NaN/Inf step losses filtered out by
 * default: true when no training loss of the run is non-finite (the run needs the note).
 */
export function hidesNonFinite(run: Run): boolean {
  return !run.epochs.some((e) =>
    Object.entries(e.metrics).some(
      ([name, value]) => nameParts(name).phase === 'train' && isLossName(name) && !Number.isFinite(value),
    ),
  );
}

export const hfModelCardReader: ReaderEntry = {
  dialect: 'hf-model-card',
  aliases: ['model-card'],
  binary: false,
  fileHint: /readme\.md$/i,
  sniff,
  create: (ctx) =>
    createTextRecordsReader({
      dialect: 'hf-model-card',
      ctx: {
        ...ctx,
        onRun: (run) => {
          ctx.onRun(run);
          if (hidesNonFinite(run)) ctx.onIssue(hiddenNonFinite());
        },
      },
      columnPhase: hfTableColumnPhase,
    }),
};
