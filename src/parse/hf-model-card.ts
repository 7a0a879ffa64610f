/**
 * Hugging Face model cards' "Training results" tables and the Trainer's notebook / markdown epoch
 * tables: `| Training Loss | Epoch | Step | Validation Loss | Accuracy |`, one row per evaluation, `No
 * log` where no training loss was logged yet, metric cells that are dicts (`{'accuracy': 0.91}`), and
 * fractional epochs when the Trainer evaluated every N steps (then the rows are on the step axis). The
 * card strips the `eval_` prefix, so its metric columns are validation metrics (`Run.phases`). Read by
 * the line engine.
 */
import type { MetricPhase } from '../model/index.js';
import { nameParts } from '../model/roles.js';
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

export const hfModelCardReader: ReaderEntry = {
  dialect: 'hf-model-card',
  aliases: ['model-card'],
  binary: false,
  fileHint: /readme\.md$/i,
  sniff,
  create: (ctx) =>
    createTextRecordsReader({ dialect: 'hf-model-card', ctx, columnPhase: hfTableColumnPhase }),
};
