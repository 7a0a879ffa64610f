/**
 * YOLOv5-style console output: per epoch a header (`Epoch gpu_mem box obj cls labels img_size`), the
 * epoch row with its bar drawn after the last column (`149/149 4.89G 0.01357 ... 1280: 100%|###| ...`,
 * 0-based), and the validation block (`Class Images Labels P R mAP@.5 mAP@.5:.95` and its `all` row),
 * merged into one record. The final `Validating best.pt` block after training is not an epoch. Read by
 * the line engine.
 */
import type { MetricPhase } from '../model/index.js';
import { createTextRecordsReader } from './text-records.js';
import type { ReaderEntry, SniffHead } from './types.js';

function sniff(head: SniffHead): number {
  for (const line of head.lines) {
    const names = line.trim().split(/\s+/);
    if (names[0] === 'Epoch' && names.some((n) => n.toLowerCase() === 'gpu_mem')) return 0.97;
  }
  return 0;
}

/** The columns of the `Class Images Labels P R mAP...` table are computed on the validation set. */
function columnPhase(_name: string, header: readonly string[]): MetricPhase | null {
  return header[0] === 'Class' ? 'validation' : null;
}

export const yoloConsoleReader: ReaderEntry = {
  dialect: 'yolo-console',
  aliases: ['yolov5'],
  binary: false,
  fileHint: null,
  sniff,
  create: (ctx) => createTextRecordsReader({ dialect: 'yolo-console', ctx, columnPhase }),
};
