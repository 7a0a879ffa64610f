/**
 * fastai epoch tables: the console table of `fit`/`fit_one_cycle` (`epoch train_loss valid_loss accuracy
 * time`, 0-based in fastai 2, 1-based in fastai 1, `time` as mm:ss), a table printed again per `fit`
 * call (each one a run), R data frames of its CSVLogger history (a row-name column first), and
 * callback lines between rows (`Epoch 2: reducing lr to ...`, `No improvement since epoch 0: early
 * stopping`). fastai computes its metrics on the validation set, so every metric column other than
 * `train_loss` is a validation metric (`Run.phases`). Read by the line engine.
 */
import type { MetricPhase } from '../model/index.js';
import { nameParts } from '../model/roles.js';
import { createTextRecordsReader } from './text-records.js';
import type { ReaderEntry, SniffHead } from './types.js';

function sniff(head: SniffHead): number {
  for (const line of head.lines) {
    const names = line.trim().split(/\s+/);
    if (names[0] === 'epoch' && names.includes('train_loss') && names.includes('valid_loss')) return 0.95;
  }
  return 0;
}

/** Metrics are computed on the validation set (fastai's `Recorder`); `train_loss` says its own phase. */
export function fastaiColumnPhase(name: string): MetricPhase | null {
  if (nameParts(name).phase !== null) return null;
  return name === 'time' || name === 'epoch' ? null : 'validation';
}

export const fastaiTableReader: ReaderEntry = {
  dialect: 'fastai-table',
  aliases: ['fastai'],
  binary: false,
  fileHint: null,
  sniff,
  create: (ctx) => createTextRecordsReader({ dialect: 'fastai-table', ctx, columnPhase: fastaiColumnPhase }),
};
