/**
 * PyTorch Lightning console output: the epoch bar (`Epoch 3: 100%|███| 938/938 [00:12<00:00, v_num=0,
 * train_loss=0.12, val_loss=0.23]`, 0-based epochs, the last frame of each epoch counts) and the
 * `Validate metric` / `Test metric` tables of `trainer.validate()`/`test()`, which are evaluation events,
 * not epochs. Read by the line engine.
 */
import { createTextRecordsReader } from './text-records.js';
import type { ReaderEntry, SniffHead } from './types.js';

const EPOCH_BAR = /^Epoch \d+:\s*\d+%/;
const LIGHTNING_NOISE =
  /v_num=|^LOCAL_RANK: \d|(?:Validate|Test) metric\s+[│┃|]?\s*DataLoader|^GPU available: /;

function sniff(head: SniffHead): number {
  let bars = 0;
  let marks = 0;
  for (const line of head.lines) {
    if (EPOCH_BAR.test(line)) bars += 1;
    if (LIGHTNING_NOISE.test(line)) marks += 1;
  }
  if (bars > 0 && marks > 0) return 0.97;
  if (marks > 0) return 0.9;
  return bars > 0 ? 0.6 : 0;
}

export const lightningConsoleReader: ReaderEntry = {
  dialect: 'lightning-console',
  aliases: ['lightning'],
  binary: false,
  fileHint: null,
  sniff,
  // Lightning 1.x redraws one bar for all epochs: the last frame of each epoch is read
  create: (ctx) => ({ ...createTextRecordsReader({ dialect: 'lightning-console', ctx }), epochFrames: true }),
};
