/**
 * Ultralytics YOLO `results.csv` (YOLOv5 and v8+): right-aligned, space-padded cells, 0-based `epoch`,
 * `train/…` losses, `metrics/…` (precision, recall, mAP: computed on the validation set) and `val/…`
 * losses, `x/lr0` or `lr/pg0` learning rates. One row per epoch; read by the CSV parser.
 */
import { csvReaderFor } from './csv-logger.js';
import { csvHeader, firstLines } from './sniff.js';
import type { ReaderEntry, SniffHead } from './types.js';

function sniff(head: SniffHead): number {
  const [first] = firstLines(head, 1);
  const header = first === undefined ? null : csvHeader(first);
  if (header === null) return 0;
  const train = header.names.some((n) => n.startsWith('train/'));
  const val = header.names.some((n) => n.startsWith('metrics/') || n.startsWith('val/'));
  return train && val ? 0.93 : 0;
}

export const yoloCsvReader: ReaderEntry = {
  dialect: 'yolo-csv',
  aliases: ['yolo'],
  binary: false,
  fileHint: /results\.csv$/i,
  sniff,
  create: csvReaderFor('yolo-csv'),
};
