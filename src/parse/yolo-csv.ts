/**
 * Ultralytics YOLO `results.csv` (YOLOv5 and v8+): `train/…` losses, `metrics/…` (precision, recall,
 * mAP: computed on the validation set) and `val/…` losses, `x/lr0` or `lr/pg0` learning rates, one row per
 * epoch. YOLOv5 and Ultralytics 8.0 write right-aligned, space-padded cells and the 0-based epoch; 8.1 and
 * 8.2 write padded cells and `epoch + 1`; 8.3+ and YOLO11 write unpadded `%.6g` cells, `epoch + 1`, and a
 * `time` column of seconds since training started. So a first epoch of 0 says 0-based, anything else
 * 1-based; `time` becomes each epoch's seconds (the difference from the previous row), not a metric. A
 * resumed training appends to the file. Read by the CSV parser.
 */
import { csvReaderFor } from './csv-logger.js';
import { csvHeader, firstLines } from './sniff.js';
import type { ReaderEntry, SniffHead } from './types.js';

/** `train/` and `metrics/` or `val/` columns, and no `step` column (Lightning's CSVLogger with slash names). */
function sniff(head: SniffHead): number {
  const [first] = firstLines(head, 1);
  const header = first === undefined ? null : csvHeader(first);
  if (header === null) return 0;
  const lower = header.names.map((n) => n.toLowerCase());
  if (lower.includes('step') || !lower.includes('epoch')) return 0;
  const train = header.names.some((n) => n.startsWith('train/'));
  const metrics = header.names.some((n) => n.startsWith('metrics/'));
  const val = header.names.some((n) => n.startsWith('val/'));
  if (train && metrics) return 0.93;
  return train && val ? 0.85 : 0;
}

export const yoloCsvReader: ReaderEntry = {
  dialect: 'yolo-csv',
  aliases: ['yolo'],
  binary: false,
  fileHint: /results\.csv$/i,
  sniff,
  create: csvReaderFor('yolo-csv', { epochBase: 'first-value', time: 'cumulative' }),
};
