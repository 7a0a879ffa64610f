/**
 * Per-epoch lines of hand-written loops (PyTorch, TensorFlow custom loops, tqdm bars, tab-separated
 * logs with a header): `Epoch 1/10, Loss: 0.1, Val Loss: 0.2`, `epoch: 1 train_loss=0.1`, `[1/10] train
 * loss 0.1 | valid loss 0.2`, `Epoch [1/5], Step [100/600], Loss: ...` between epoch summaries, `Test
 * set: Average loss: ...` after the epoch's bar, 0- or 1-based epoch numbers. Also the console output
 * of libraries printed the same way (see `framework-lines.ts` and `line-tokens.ts`): pytorch-ignite's
 * `Training Results - Epoch: 1  Avg accuracy: ...`, torchvision's MetricLogger and timm's step lines with
 * their `Test:` blocks, mmengine's `Epoch(train) [1][50/500]` and `Epoch(val) [1][625/625]`, accelerate's
 * `epoch 0: {...}`, scikit-learn's `Iteration 1, loss = ...`, TF Estimator's `Saving dict for global
 * step N: ...`, behind the prefixes of logging libraries and launchers. Read by the line engine.
 */
import { readFrameworkLine, stripLogPrefix } from './framework-lines.js';
import { createTextRecordsReader } from './text-records.js';
import type { ReaderEntry, SniffHead } from './types.js';

/** Lines with an epoch number and values are this format's signature; two make it certain. */
function sniff(head: SniffHead): number {
  const c = head.census;
  if (c.epochLines >= 2) return 0.92;
  // accelerate's `epoch 0: {...}` (a dict line to the census) and Estimator evaluations (no epoch number)
  let framework = 0;
  for (const line of head.lines) {
    if (line.length > 0 && readFrameworkLine(stripLogPrefix(line.trim())) !== null) framework += 1;
  }
  if (framework >= 2) return 0.92;
  if (framework === 1) return head.complete ? 0.85 : 0.7;
  if (c.epochLines === 1) return head.complete ? 0.85 : 0.7;
  if (c.epochMarks >= 1 && (c.valueLines >= 1 || c.numberRows >= 1)) return 0.8;
  if (c.numberRows >= 2 && c.nameRows >= 1 && hasEpochHeader(head)) return 0.8;
  if (c.valueLines > 0) return 0.3;
  return 0;
}

/** A header line that names an `Epoch` column (`Epoch\tLR\tTrain Loss\t...`). */
function hasEpochHeader(head: SniffHead): boolean {
  return head.lines.some((l) => /^\s*(?:epoch|ep)(?:\t|\s{2,}|,|\s*\|)/i.test(l));
}

export const epochLinesReader: ReaderEntry = {
  dialect: 'epoch-lines',
  aliases: ['pytorch'],
  binary: false,
  fileHint: null,
  sniff,
  // a tqdm bar of `Epoch N` frames redrawn with `\r`: the last frame of each epoch is read
  create: (ctx) => ({ ...createTextRecordsReader({ dialect: 'epoch-lines', ctx }), epochFrames: true }),
};
