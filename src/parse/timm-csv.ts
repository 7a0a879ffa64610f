/**
 * timm `train.py`'s `summary.csv`: `epoch,train_loss,eval_loss,eval_top1,eval_top5[,lr]` (older
 * versions: `eval_prec1`, `eval_prec5`), 0-based epochs, one row per epoch (blank lines between rows
 * when pasted into markdown). Read by the CSV parser.
 */
import { csvReaderFor } from './csv-logger.js';
import { csvHeader, firstLines } from './sniff.js';
import type { ReaderEntry, SniffHead } from './types.js';

function sniff(head: SniffHead): number {
  const [first] = firstLines(head, 1);
  const header = first === undefined ? null : csvHeader(first);
  if (header === null) return 0;
  const names = header.names;
  return names.includes('epoch') && names.includes('train_loss') && names.some((n) => n.startsWith('eval_'))
    ? 0.9
    : 0;
}

export const timmCsvReader: ReaderEntry = {
  dialect: 'timm-csv',
  aliases: ['timm'],
  binary: false,
  fileHint: /summary\.csv$/i,
  sniff,
  create: csvReaderFor('timm-csv'),
};
