#!/usr/bin/env node
// Parser benchmark (`npm run bench`): generates a large verbose=1 log with backspace-redrawn frames
// (~1000 steps per epoch, as tf.keras writes to a file on Linux), then measures in the same run
// and on the same file: a plain streamed read by Node (the I/O floor), and `epochlint parse`.
// Prints throughput (MB/s), the ratio to the plain read, and the parser's peak RSS.
// Targets (issue 2): >= 200 MB/s, within 3x of the plain read, peak RSS < 150 MB.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dataDir = new URL('./.data/', import.meta.url);
const file = fileURLToPath(new URL('bench-verbose1.log', dataDir));
const oneLineFile = fileURLToPath(new URL('bench-one-line.log', dataDir));
const oneLineBytes = 200 * 1024 * 1024;
const targetBytes = Number(process.env.EPOCHLINT_BENCH_MB ?? 520) * 1024 * 1024;
const stepsPerEpoch = 1000;

function bar(done, total) {
  const p = Math.floor((30 * done) / total);
  if (done >= total) return `[${'='.repeat(30)}]`;
  return `[${p > 0 ? '='.repeat(p - 1) + '>' : ''}${'.'.repeat(30 - p)}]`;
}

/** One epoch as Keras writes it: header, \b-and-\r redrawn frames, the pre-validation frame, the final line. */
function epochText(epoch, epochs) {
  const parts = [`Epoch ${epoch}/${epochs}\n`];
  let prev = 0;
  const loss = (1 / (epoch + 1)).toFixed(4);
  for (let step = 1; step <= stepsPerEpoch; step += 1) {
    const eta = Math.round((stepsPerEpoch - step) * 0.004);
    const frame = `${String(step).padStart(4)}/${stepsPerEpoch} ${bar(step, stepsPerEpoch)} - ETA: ${eta}s - loss: ${loss} - accuracy: 0.${String(5000 + (step % 4000)).padStart(4, '0')}`;
    parts.push('\b'.repeat(prev), '\r', frame);
    prev = frame.length;
  }
  const last = `${stepsPerEpoch}/${stepsPerEpoch} ${bar(stepsPerEpoch, stepsPerEpoch)} - 4s 4ms/step - loss: ${loss} - accuracy: 0.9000 - val_loss: ${(0.5 + (epoch % 2) / 10).toFixed(4)} - val_accuracy: 0.8500`;
  parts.push('\b'.repeat(prev), '\r', last, '\n');
  return parts.join('');
}

async function generate() {
  if (existsSync(file) && statSync(file).size >= targetBytes) return;
  mkdirSync(dataDir, { recursive: true });
  const sample = Buffer.byteLength(epochText(1, 1));
  const epochs = Math.ceil(targetBytes / sample);
  const out = createWriteStream(file);
  for (let e = 1; e <= epochs; e += 1) {
    if (!out.write(epochText(e, epochs))) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve) => out.end(resolve));
}

const PLAIN_READ = `let n = 0; for await (const c of (await import('node:fs')).createReadStream(process.argv[1], { highWaterMark: 1 << 20 })) n += c.length; console.log(n);`;

/** The floor: a separate Node process that streams the file and does nothing else (same start-up cost). */
function plainRead() {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', PLAIN_READ, file], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`plain read failed: ${child.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * A paste that lost its newlines (spec §8.5, tensorflow#36332): 200 MB on one line, every in-progress
 * frame kept and run together with spaces, ~1000 frames per epoch. Memory must follow the epochs
 * (a few hundred), not the line.
 */
async function generateOneLine() {
  if (existsSync(oneLineFile) && statSync(oneLineFile).size >= oneLineBytes) return;
  mkdirSync(dataDir, { recursive: true });
  const out = createWriteStream(oneLineFile);
  let written = 0;
  for (let e = 1; written < oneLineBytes; e += 1) {
    const parts = [`Epoch ${e}/100000 `];
    for (let step = 1; step < stepsPerEpoch; step += 1) {
      parts.push(
        `${String(step).padStart(4)}/${stepsPerEpoch} ${bar(step, stepsPerEpoch)} - ETA: 3s - loss: 0.6116 - accuracy: 0.9248 `,
      );
    }
    parts.push(
      `${stepsPerEpoch}/${stepsPerEpoch} ${bar(stepsPerEpoch, stepsPerEpoch)} - 530s 582ms/step - loss: 0.6105 - acc: 0.6161 - val_loss: 0.${2000 + (e % 2) * 5000} - val_acc: 0.9548 `,
    );
    const text = parts.join('');
    written += text.length;
    if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve) => out.end(resolve));
}

function parseRun(target = file) {
  const start = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    [fileURLToPath(new URL('./measure-rss.mjs', import.meta.url)), 'parse', target, '--format', 'csv'],
    { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 },
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (child.status !== 0) throw new Error(`epochlint parse failed (${child.status}): ${child.stderr}`);
  const rss = /maxRSS=(\d+)/.exec(child.stderr);
  const rows = child.stdout.trimEnd().split('\n').length - 1;
  return { seconds, maxRssKb: rss ? Number(rss[1]) : NaN, rows };
}

await generate();
const size = statSync(file).size;
const mb = size / (1024 * 1024);
const reads = [];
const parses = [];
for (let round = 0; round < 3; round += 1) {
  reads.push(plainRead());
  parses.push(parseRun());
}
const floor = median(reads);
const parseSeconds = median(parses.map((p) => p.seconds));
const rss = Math.max(...parses.map((p) => p.maxRssKb));
console.log(`file                ${file} (${mb.toFixed(0)} MB, ${parses[0].rows} epochs), median of 3 runs`);
console.log(`plain read (floor)  ${floor.toFixed(2)} s  ${(mb / floor).toFixed(0)} MB/s`);
console.log(`epochlint parse     ${parseSeconds.toFixed(2)} s  ${(mb / parseSeconds).toFixed(0)} MB/s`);
console.log(`ratio to read       ${(parseSeconds / floor).toFixed(2)}x   (target <= 3x)`);
console.log(`peak RSS (parse)    ${(rss / 1024).toFixed(0)} MB   (target < 150 MB)`);

await generateOneLine();
const oneLine = parseRun(oneLineFile);
const oneLineMb = statSync(oneLineFile).size / (1024 * 1024);
console.log(`one-line paste      ${oneLineMb.toFixed(0)} MB on a single line, ${oneLine.rows} epochs`);
console.log(
  `  epochlint parse   ${oneLine.seconds.toFixed(2)} s  ${(oneLineMb / oneLine.seconds).toFixed(0)} MB/s, peak RSS ${(oneLine.maxRssKb / 1024).toFixed(0)} MB (memory follows epochs, not line length)`,
);
