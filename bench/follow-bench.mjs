#!/usr/bin/env node
// Live-linting benchmark (part of `npm run bench`): a 5000-epoch verbose=1 stream fed through the
// parser with per-epoch live detection, as `--follow` does. Prints the time per 500 epochs: the
// cost per epoch must not grow with the length of the stream.
import { createLiveLinter } from '../dist/live.js';
import { createParser } from '../dist/parse/index.js';

const EPOCHS = 5000;
const settings = { rules: {}, ignoreMetrics: [], hints: {} };
const linter = createLiveLinter(settings);
const blocks = [];
let blockStart = process.hrtime.bigint();
let count = 0;
const parser = createParser({
  onRun: () => {},
  onEpoch: (epoch, run) => {
    linter.add(epoch, run);
    count += 1;
    if (count % 500 === 0) {
      const now = process.hrtime.bigint();
      blocks.push(Number(now - blockStart) / 1e6);
      blockStart = now;
    }
  },
});
const encoder = new TextEncoder();
for (let e = 1; e <= EPOCHS; e += 1) {
  const val = 0.5 + 0.1 * Math.sin(e / 7) + ((e * 7919) % 13) / 400;
  parser.feed(
    encoder.encode(
      `Epoch ${e}/${EPOCHS}\n100/100 [==============================] - 1s 10ms/step - loss: ${(1 / Math.sqrt(e)).toFixed(4)} - val_loss: ${val.toFixed(4)}\n`,
    ),
  );
}
parser.end();
console.log(
  `live linting of a ${EPOCHS}-epoch stream (window of the last epochs, every detector after each epoch)`,
);
console.log(`ms per 500 epochs: ${blocks.map((b) => b.toFixed(0)).join(', ')}`);
const perEpoch = blocks.map((b) => b / 500);
console.log(
  `per epoch: first block ${perEpoch[0].toFixed(2)} ms, last block ${perEpoch.at(-1).toFixed(2)} ms (ratio ${(perEpoch.at(-1) / perEpoch[0]).toFixed(2)})`,
);
