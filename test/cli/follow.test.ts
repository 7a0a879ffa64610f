/**
 * `--follow` when the followed name changes under it (the probe lost or doubled epochs: rotation 20 of
 * 40, copytruncate 40 of 60, an emptied and rewritten file 60 for 40, a named pipe ESPIPE). The follower
 * runs in this process; a test changes the file only after the follower has looked at it (`onPause`),
 * so every case is deterministic, and the outcome is the same whichever poll sees a change.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createContentPrint, followFile, PRINT_BLOCK, type FollowNoticeKind } from '../../src/cli/follow.js';
import { openForReading } from '../../src/cli/fd.js';
import { readInput } from '../../src/cli/input.js';
import type { Run } from '../../src/model/index.js';
import { createParser } from '../../src/parse/index.js';
import { scratch } from './hostile-helpers.js';

const work = scratch('follow');
afterAll(() => work.remove());

/** Keras verbose-1 epochs `from..to` of a 60-epoch run, with a loss that says which write it came from. */
function epochs(from: number, to: number, loss = '0.5000'): string {
  let out = '';
  for (let k = from; k <= to; k += 1)
    out += `Epoch ${k}/60\n10/10 [==============================] - 1s 5ms/step - loss: ${loss}\n`;
  return out;
}

/** Waits (bounded) until `condition` holds; the bound only guards against a hung follower. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/** A follower of `path` feeding a parser; `looked()` resolves after the follower's next two pauses. */
function startFollowing(path: string) {
  const runs: Run[] = [];
  let epochCount = 0;
  let pauses = 0;
  let stopped = false;
  const notices: Array<{ kind: FollowNoticeKind; restart: boolean }> = [];
  const parser = createParser({ onRun: (r) => runs.push(r), onEpoch: () => (epochCount += 1) });
  let opened: ReturnType<typeof openForReading> | null = null;
  try {
    opened = openForReading(path);
  } catch {
    // not there yet: the follow waits for it
  }
  const done = followFile({
    path,
    opened,
    take: (chunk) => parser.feed(chunk),
    notice: (kind, _message, restart) => notices.push({ kind, restart }),
    stop: () => stopped,
    pollMs: 2,
    onPause: () => (pauses += 1),
  });
  return {
    notices,
    epochs: () => epochCount,
    /** The follower has finished at least one whole poll since now. */
    looked: async () => {
      const target = pauses + 2;
      await until(() => pauses >= target, 'the follower to poll');
    },
    stop: async () => {
      stopped = true;
      await done;
      parser.end();
      return runs;
    },
  };
}

interface Step {
  /** Changes the followed file. */
  act(path: string): void;
  /** Epochs the follower must have seen before the next step. */
  expectEpochs?: number;
}

const cases: Array<{
  name: string;
  initial: string | null;
  steps: Step[];
  runs: number[];
  notices: Array<[FollowNoticeKind, boolean]>;
}> = [
  {
    name: 'appends only',
    initial: '',
    steps: [
      { act: (f) => appendFileSync(f, epochs(1, 20)), expectEpochs: 19 },
      { act: (f) => appendFileSync(f, epochs(21, 40)) },
    ],
    runs: [40],
    notices: [],
  },
  {
    name: 'rotation: renamed, a new file continues the run (probe: 20 of 40)',
    initial: '',
    steps: [
      { act: (f) => appendFileSync(f, epochs(1, 20)), expectEpochs: 19 },
      { act: (f) => (renameSync(f, `${f}.1`), writeFileSync(f, epochs(21, 40))) },
    ],
    runs: [40],
    notices: [['file-replaced', true]],
  },
  {
    name: 'copytruncate: truncated and rewritten at once past the old size (probe: 40 of 60)',
    initial: '',
    steps: [
      { act: (f) => appendFileSync(f, epochs(1, 20)), expectEpochs: 19 },
      { act: (f) => writeFileSync(f, epochs(21, 60)) },
    ],
    runs: [60],
    notices: [['file-truncated', true]],
  },
  {
    name: 'slow truncate: emptied, seen empty, then appended',
    initial: '',
    steps: [
      { act: (f) => appendFileSync(f, epochs(1, 20)), expectEpochs: 19 },
      { act: (f) => truncateSync(f, 0) },
      { act: (f) => appendFileSync(f, epochs(21, 40)) },
    ],
    runs: [40],
    notices: [['file-truncated', true]],
  },
  {
    name: 'emptied, seen empty, rewritten with the same epochs and more (probe: 60 for 40)',
    initial: '',
    steps: [
      { act: (f) => appendFileSync(f, epochs(1, 20)), expectEpochs: 19 },
      { act: (f) => truncateSync(f, 0) },
      { act: (f) => writeFileSync(f, epochs(1, 40)) },
    ],
    runs: [40],
    notices: [['file-truncated', false]],
  },
  {
    name: 'rewritten at once with the same epochs and more: read on, nothing twice',
    initial: '',
    steps: [
      { act: (f) => appendFileSync(f, epochs(1, 20)), expectEpochs: 19 },
      { act: (f) => writeFileSync(f, epochs(1, 40)) },
    ],
    runs: [40],
    notices: [],
  },
  {
    name: 'rewritten in place with other values of the same size: read again, a new run',
    initial: '',
    steps: [
      { act: (f) => appendFileSync(f, epochs(1, 20)), expectEpochs: 19 },
      { act: (f) => writeFileSync(f, epochs(1, 20, '0.6000')) },
    ],
    runs: [20, 20],
    notices: [['file-truncated', true]],
  },
  {
    name: 'replaced by a longer copy (rsync, a new inode): read on after what was read',
    initial: '',
    steps: [
      { act: (f) => appendFileSync(f, epochs(1, 20)), expectEpochs: 19 },
      { act: (f) => (writeFileSync(`${f}.tmp`, epochs(1, 40)), renameSync(`${f}.tmp`, f)) },
    ],
    runs: [40],
    notices: [['file-replaced', false]],
  },
  {
    name: 'removed: the epochs read stay, the follower waits',
    initial: '',
    steps: [{ act: (f) => appendFileSync(f, epochs(1, 20)), expectEpochs: 19 }, { act: (f) => rmSync(f) }],
    runs: [20],
    notices: [['file-replaced', false]],
  },
  {
    name: 'removed, then created again with the next epochs',
    initial: '',
    steps: [
      { act: (f) => appendFileSync(f, epochs(1, 20)), expectEpochs: 19 },
      { act: (f) => rmSync(f) },
      { act: (f) => writeFileSync(f, epochs(21, 40)) },
    ],
    runs: [40],
    notices: [
      ['file-replaced', false],
      ['file-replaced', true],
    ],
  },
  {
    name: 'a file that does not exist yet is waited for (tail -F)',
    initial: null,
    steps: [{ act: (f) => writeFileSync(f, epochs(1, 20)) }],
    runs: [20],
    notices: [['waiting-for-file', false]],
  },
];

describe('followFile', () => {
  test.each(cases)('$name', async ({ name, initial, steps, runs, notices }) => {
    const path = join(work.dir, `${name.replace(/\W+/g, '-').slice(0, 40)}.log`);
    if (initial !== null) writeFileSync(path, initial);
    const follower = startFollowing(path);
    for (const step of steps) {
      await follower.looked();
      step.act(path);
      const want = step.expectEpochs;
      if (want !== undefined) await until(() => follower.epochs() >= want, `${want} epochs`);
    }
    const total = runs.reduce((a, b) => a + b, 0);
    // the last epoch completes only at the end of input
    await until(() => follower.epochs() >= total - 1, `${total - 1} epochs`);
    await follower.looked();
    const got = await follower.stop();
    expect(got.map((r) => r.epochs.length)).toEqual(runs);
    expect(follower.notices.map((n) => [n.kind, n.restart])).toEqual(notices);
  });
});

describe('readInput --follow', () => {
  test('a history JSON dumped again each epoch is parsed anew: the latest document, not a concatenation', async () => {
    const path = join(work.dir, 'history.json');
    const dump = (n: number) =>
      writeFileSync(path, JSON.stringify({ loss: Array.from({ length: n }, (_, i) => 1 / (i + 1)) }));
    dump(5);
    let stopped = false;
    let read = 0;
    const notes: string[] = [];
    const reading = readInput(path, {
      inputFormat: 'auto',
      stdin: process.stdin,
      follow: true,
      pollMs: 2,
      stop: () => stopped,
      onNotice: (n) => notes.push(n.kind),
      onProgress: (bytes) => (read = bytes),
    });
    await until(() => read > 0, 'the first dump to be read');
    dump(12);
    await until(() => notes.length > 0, 'the rewrite to be noticed');
    stopped = true;
    const result = await reading;
    expect(result.error).toBeNull();
    expect(result.runs.map((r) => r.epochs.length)).toEqual([12]);
    expect(result.issues.map((i) => i.kind)).toEqual(['file-truncated']);
  });

  test('a change is kept as an issue with the line where the new content starts', async () => {
    const path = join(work.dir, 'rotated.log');
    writeFileSync(path, epochs(1, 5));
    let stopped = false;
    let read = 0;
    const lines: Array<number | null> = [];
    const reading = readInput(path, {
      inputFormat: 'auto',
      stdin: process.stdin,
      follow: true,
      pollMs: 2,
      stop: () => stopped,
      onNotice: (n) => lines.push(n.line),
      onProgress: (bytes) => (read = bytes),
    });
    await until(() => read === epochs(1, 5).length, 'the first file to be read');
    renameSync(path, `${path}.1`);
    writeFileSync(path, epochs(6, 10));
    await until(() => read === epochs(1, 10).length, 'the new file to be read');
    stopped = true;
    const result = await reading;
    expect(lines).toEqual([11]);
    expect(result.issues.find((i) => i.kind === 'file-replaced')?.line).toBe(11);
    expect(result.runs.map((r) => r.epochs.length)).toEqual([10]);
  });

  test('a named pipe is read as a stream to its end (probe: ESPIPE)', async () => {
    const path = join(work.dir, 'pipe.log');
    execFileSync('mkfifo', [path]);
    const reading = readInput(path, { inputFormat: 'auto', stdin: process.stdin, follow: true });
    // the reader opened first (non-blocking); a writer can only open once it is there
    let writer = null;
    for (let i = 0; i < 2000 && writer === null; i += 1) {
      writer = await open(path, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null);
      if (writer === null) await new Promise((r) => setTimeout(r, 5));
    }
    if (writer === null) throw new Error('no reader on the pipe');
    await writer.write(epochs(1, 30));
    await writer.close();
    const result = await reading;
    expect(result.error).toBeNull();
    expect(result.runs.map((r) => r.epochs.length)).toEqual([30]);
  });
});

describe('content fingerprint', () => {
  const bytes = (n: number, seed: number) =>
    Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251));
  const reader = (file: Buffer) => (position: number, length: number) =>
    Promise.resolve(file.subarray(position, Math.min(file.length, position + length)));
  const sizes = [10, PRINT_BLOCK, PRINT_BLOCK + 1, 3 * PRINT_BLOCK + 17];

  test.each(sizes)(
    '%i bytes: the same file, a longer copy, a shorter prefix, one changed byte',
    async (n) => {
      const read = bytes(n, 1);
      const print = createContentPrint();
      // added in uneven chunks, as reads arrive
      for (let i = 0; i < n; i += 7919) print.add(read.subarray(i, Math.min(n, i + 7919)));
      expect(print.length).toBe(n);
      expect((await print.compare(reader(read), n)).result).toBe('same');
      const longer = Buffer.concat([read, bytes(100, 2)]);
      expect((await print.compare(reader(longer), longer.length)).result).toBe('same');
      expect((await print.compare(reader(read), n - 1)).result).toBe('shorter');
      for (const at of [0, Math.floor(n / 2), n - 1]) {
        const changed = Buffer.from(read);
        changed[at] = ((changed[at] ?? 0) + 1) % 256;
        expect((await print.compare(reader(changed), n)).result).toBe('different');
      }
      expect(await print.edgesIntact(reader(longer))).toBe(true);
    },
  );

  test('the edges check catches a change of the last bytes read', async () => {
    const read = bytes(2 * PRINT_BLOCK, 3);
    const print = createContentPrint();
    print.add(read);
    const changed = Buffer.from(read);
    changed[read.length - 1] = 0;
    expect(await print.edgesIntact(reader(changed))).toBe(false);
  });
});
