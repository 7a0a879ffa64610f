/**
 * A regular file is read into one buffer that every chunk reuses (src/cli/input.ts): whatever keeps
 * bytes past a chunk (the line a chunk ends inside, the head kept for pasted code, `--tee`) must copy
 * them. Files of a few MiB, so lines and UTF-8 characters straddle the 1 MiB chunks.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { readInput } from '../../src/cli/input.js';
import { main, type Io } from '../../src/cli/main.js';
import type { Run } from '../../src/model/index.js';
import { createParser } from '../../src/parse/index.js';
import { scratch } from './hostile-helpers.js';

const work = scratch('read-file');
afterAll(() => work.remove());

const MIB = 1 << 20;

/**
 * A Keras 3 verbose=1 log: code pasted above it, then `epochs` epochs, each drawn as `frames` progress
 * frames of `━` (three bytes each) joined by `\r`, and a summary line; about `frames * 190` bytes an epoch.
 */
function kerasLog(epochs: number, frames: number): string {
  const lines = [
    'model.fit(train_gen, validation_data=val_gen, epochs=40, steps_per_epoch=100)',
    'model.compile(optimizer=Adam(learning_rate=0.001), loss="categorical_crossentropy")',
  ];
  for (let e = 1; e <= epochs; e += 1) {
    lines.push(`Epoch ${e}/${epochs}`);
    const bar: string[] = [];
    for (let f = 1; f <= frames; f += 1) {
      const done = Math.round((20 * f) / frames);
      bar.push(
        `${String(f).padStart(4)}/${frames} ${'━'.repeat(done)}${'─'.repeat(20 - done)} 1s 9ms/step - accuracy: 0.${String(5000 + f).slice(-4)} - loss: 0.${String(9000 - f).slice(-4)}`,
      );
    }
    const val = (e % 2 === 0 ? 0.9 : 0.7) + e / 10_000;
    lines.push(
      `${bar.join('\r')}\r${frames}/${frames} ━━━━━━━━━━━━━━━━━━━━ 2s 9ms/step - accuracy: ${(0.5 + e / 1000).toFixed(4)} - loss: ${(1 - e / 1000).toFixed(4)} - val_accuracy: ${val.toFixed(4)} - val_loss: ${(1 - val).toFixed(4)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A verbose=2 log (`63/63 - 1s - loss: … - val_loss: …`): every byte of it belongs to a record. */
function denseLog(epochs: number): string {
  const lines: string[] = [];
  for (let e = 1; e <= epochs; e += 1) {
    const val = (e % 2 === 0 ? 0.9 : 0.7) + (e % 1000) / 100_000;
    lines.push(`Epoch ${e}/${epochs}`);
    lines.push(
      `63/63 - 1s - 9ms/step - loss: ${(1 - (e % 1000) / 2000).toFixed(4)} - accuracy: ${(0.5 + (e % 1000) / 2000).toFixed(4)} - val_loss: ${(1 - val).toFixed(4)} - val_accuracy: ${val.toFixed(4)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function parseWhole(bytes: Uint8Array, file: string): Run[] {
  const runs: Run[] = [];
  const parser = createParser({ file, onRun: (r) => runs.push(r) });
  parser.feed(bytes);
  parser.end();
  return runs;
}

describe.each([
  { name: 'Keras 3 bars of `━` frames', text: kerasLog(30, 900), epochs: 30 },
  { name: 'verbose=2 summary lines', text: denseLog(20_000), epochs: 20_000 },
])('a file read into one reused buffer: $name', ({ text, epochs }) => {
  const bytes = new TextEncoder().encode(text);
  const path = join(work.dir, `log-${epochs}.log`);
  writeFileSync(path, bytes);

  test('gives the records of the same bytes parsed at once', async () => {
    expect(bytes.length).toBeGreaterThan(2 * MIB);
    const result = await readInput(path, { inputFormat: 'auto', stdin: process.stdin });
    expect(result.error).toBeNull();
    expect(result.issues).toEqual([]);
    expect(result.summary?.epochs).toBe(epochs);
    expect(result.runs).toEqual(parseWhole(bytes, path));
    expect(result.runs[0]?.epochs.at(-1)?.metrics.val_accuracy).toBe(epochs === 30 ? 0.903 : 0.9);
  });

  test('--tee passes every byte through, even to an output that keeps the chunks it was given', async () => {
    // the chunks are decoded only at the end: a chunk's buffer filled again meanwhile would show
    const kept: Uint8Array[] = [];
    const errors: string[] = [];
    const io: Io = {
      stdout: { write: (d: string | Uint8Array) => kept.push(typeof d === 'string' ? Buffer.from(d) : d) },
      stderr: { write: (d: string) => errors.push(d) },
      stdin: Object.assign(Readable.from([]), { isTTY: false }),
      env: { NO_COLOR: '1' },
      cwd: work.dir,
      interrupted: () => false,
      interruptedBy: () => null,
    };
    const code = await main(['--tee', path], io);
    expect(code).toBe(1);
    expect(Buffer.concat(kept).equals(Buffer.from(bytes))).toBe(true);
    expect(errors.join('')).toContain('val-alternation');
  });
});
