/**
 * fastai's `CSVLogger` `history.csv`: the `Recorder`'s names as the header (`epoch,train_loss,valid_loss,
 * <metrics...>,time`; `train_<m>`/`valid_<m>` pairs with `train_metrics=True`), one row per epoch with the
 * 0-based epoch, the values as `str()` writes them (`None` for a loss it did not compute, `#na#` in
 * fastai 1) and the epoch's time as `format_time` writes it (`mm:ss`, `h:mm:ss`); with `append=True` each
 * `fit` writes its header again and counts from 0 again (a run each). fastai computes its metrics on the
 * validation set, so a metric column whose name says no phase is a validation metric (`Run.phases`).
 * Read by the CSV parser.
 */
import type { MetricPhase } from '../model/index.js';
import { nameParts } from '../model/roles.js';
import { csvReaderFor } from './csv-logger.js';
import { csvHeader, firstLines } from './sniff.js';
import type { ReaderEntry, SniffHead } from './types.js';

/** `epoch` first, fastai's loss names, and no `step` (Lightning) column. */
function sniff(head: SniffHead): number {
  const [first] = firstLines(head, 1);
  const header = first === undefined ? null : csvHeader(first);
  if (header === null || header.names[0] !== 'epoch' || header.names.includes('step')) return 0;
  const names = header.names;
  if (!names.includes('train_loss')) return 0;
  if (names.includes('valid_loss')) return 0.95;
  // `valid_metrics=False`: only the training loss, still ending with fastai's `time`
  return names[names.length - 1] === 'time' ? 0.85 : 0;
}

/** Metrics are computed on the validation set (fastai's `Recorder`); `train_loss` says its own phase. */
function columnPhase(name: string): MetricPhase | null {
  if (nameParts(name).phase !== null) return null;
  return name === 'time' || name === 'epoch' ? null : 'validation';
}

export const fastaiCsvReader: ReaderEntry = {
  dialect: 'fastai-csv',
  aliases: [],
  binary: false,
  fileHint: /history\.csv$/i,
  sniff,
  create: csvReaderFor('fastai-csv', { epochBase: 'csv-logger', time: 'per-epoch', phase: columnPhase }),
};
