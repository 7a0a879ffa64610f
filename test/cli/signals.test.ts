/**
 * Interrupts and closed pipes. The probe found an interrupted run printing a partial report that
 * looked complete (exit 0; 249,478 of 1,046,595 epochs), and a named-pipe input that only SIGKILL could
 * stop. In process: the partial report is marked in every format and exits 130/143. Spawned (a real
 * process is the point): signals on a named pipe, EPIPE under --tee.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { INTERRUPT_EXIT_CODES, installInterrupts, type InterruptSignal } from '../../src/cli/signals.js';
import { FORMATS } from '../../src/report/index.js';
import { interruptedStdin, runMain, scratch } from './hostile-helpers.js';
import { BIN, ROOT } from './run-cli.js';

const seedText = readFileSync(join(ROOT, 'fixtures/real/crossvalidated-416172.txt'));
const work = scratch('signals');
afterAll(() => work.remove());

/** The seed cut after its 20th epoch, then an interrupt while the rest is awaited. */
function halfThenInterrupt(signal: InterruptSignal) {
  const cut = seedText.indexOf('Epoch 21/60');
  return interruptedStdin([seedText.subarray(0, cut)], signal);
}

describe('an interrupt mid-read', () => {
  test.each([
    { signal: 'SIGINT' as const, code: 130 },
    { signal: 'SIGTERM' as const, code: 143 },
  ])('$signal: the report says it is partial and the exit code is $code', async ({ signal, code }) => {
    const { stdin, interrupt } = halfThenInterrupt(signal);
    const result = await runMain(['-', '--format', 'json'], { cwd: ROOT, stdin, interrupt });
    expect(result.code).toBe(code);
    const doc = JSON.parse(result.stdout) as {
      interrupted: string | null;
      files: Array<{ runs: Array<{ epochs: number }>; issues: Array<{ kind: string }> }>;
    };
    expect(doc.interrupted).toBe(signal);
    expect(doc.files[0]?.runs.map((r) => r.epochs)).toEqual([20]);
    expect(doc.files[0]?.issues.map((i) => i.kind)).toContain('interrupted');
    expect(result.stderr).toContain(
      `epochlint: interrupted (${signal}): the report covers only what was read before`,
    );
  });

  test('the text report says so in its first line', async () => {
    const { stdin, interrupt } = halfThenInterrupt('SIGINT');
    const result = await runMain(['-'], { cwd: ROOT, stdin, interrupt });
    expect(result.code).toBe(130);
    expect(result.stdout.split('\n')[0]).toBe(
      '▲ interrupted (SIGINT): reading stopped early; this report covers only what was read',
    );
  });

  // text and JSON render `report.interrupted`; markdown, JUnit and SARIF show the file's `interrupted`
  // issue; the GitHub annotations show no parse issues (the reporters' owner renders the field there)
  test.each(FORMATS.filter((f) => f !== 'github'))('--format %s carries the interruption', async (format) => {
    const { stdin, interrupt } = halfThenInterrupt('SIGINT');
    const result = await runMain(['-', '--format', format], { cwd: ROOT, stdin, interrupt });
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/interrupt/i);
  });

  test('parse marks its records and exits 130', async () => {
    const { stdin, interrupt } = halfThenInterrupt('SIGINT');
    const result = await runMain(['parse', '-'], { cwd: ROOT, stdin, interrupt });
    expect(result.code).toBe(130);
    const doc = JSON.parse(result.stdout) as {
      runs: Array<{ epochs: unknown[] }>;
      issues: Array<{ kind: string }>;
    };
    expect(doc.runs.map((r) => r.epochs.length)).toEqual([20]);
    expect(doc.issues.at(-1)?.kind).toBe('interrupted');
    expect(result.stderr).toContain('epochlint: interrupted (SIGINT): the records are partial');
  });

  test('later inputs are not read after an interrupt', async () => {
    const { stdin, interrupt } = halfThenInterrupt('SIGTERM');
    const other = join(ROOT, 'fixtures/real/satellite-unet-jaccard-history.json');
    const result = await runMain(['-', other, '--format', 'json'], { cwd: ROOT, stdin, interrupt });
    expect(result.code).toBe(143);
    const doc = JSON.parse(result.stdout) as { files: Array<{ file: string }> };
    expect(doc.files.map((f) => f.file)).toEqual(['-']);
  });

  test('an interrupt before the first byte: no "empty input" error, just a partial report', async () => {
    const { stdin, interrupt } = interruptedStdin([], 'SIGINT');
    const result = await runMain(['-', '--format', 'json'], { cwd: ROOT, stdin, interrupt });
    expect(result.code).toBe(130);
    const doc = JSON.parse(result.stdout) as { files: Array<{ error: string | null }> };
    expect(doc.files.map((f) => f.error)).toEqual([null]);
    expect(result.stderr).not.toContain('empty input');
  });

  test("--follow ends on an interrupt with the lint's own exit code, unmarked", async () => {
    const { stdin, interrupt } = halfThenInterrupt('SIGINT');
    const result = await runMain(['--follow', '-', '--format', 'json'], { cwd: ROOT, stdin, interrupt });
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as { interrupted: unknown }).interrupted).toBeNull();
  });
});

describe('signal handlers', () => {
  test.each([
    { first: 'SIGINT' as const, second: 'SIGINT' as const, code: 130 },
    { first: 'SIGINT' as const, second: 'SIGTERM' as const, code: 143 },
    { first: 'SIGTERM' as const, second: 'SIGINT' as const, code: 130 },
  ])(
    '$first then $second: the first aborts reading, the second exits $code at once',
    ({ first, second, code }) => {
      const source = new EventEmitter();
      const exits: number[] = [];
      const interrupts = installInterrupts(source, (c) => exits.push(c));
      expect(interrupts.signal()).toBeNull();
      source.emit(first);
      expect(interrupts.signal()).toBe(first);
      expect(interrupts.abortSignal.aborted).toBe(true);
      expect(exits).toEqual([]);
      source.emit(second);
      expect(exits).toEqual([code]);
      interrupts.dispose();
      expect(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM')).toBe(0);
    },
  );

  test('exit codes are 128 + the signal number', () => {
    expect(INTERRUPT_EXIT_CODES).toEqual({ SIGINT: 130, SIGTERM: 143 });
  });
});

/** Spawns the built binary; resolves its exit code and output once it closes. */
function spawnBin(args: string[], options: { stdin?: 'pipe' | 'ignore' } = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, closed, output: () => ({ stdout, stderr }) };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/** Whether process `pid` holds `path` open (Linux /proc). */
function holdsOpen(pid: number, path: string): boolean {
  const dir = `/proc/${pid}/fd`;
  try {
    return readdirSync(dir).some((fd) => {
      try {
        return readlinkSync(join(dir, fd)) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

describe('a real process', () => {
  test.skipIf(!existsSync('/proc/self/fd'))(
    'a named pipe nobody writes to: SIGTERM ends it at once with 143 (probe: only SIGKILL did)',
    async () => {
      const fifo = join(work.dir, 'nobody.log');
      execFileSync('mkfifo', [fifo]);
      const run = spawnBin([fifo, '--format', 'json']);
      try {
        await until(() => holdsOpen(run.child.pid ?? -1, fifo), 'the pipe to be opened');
      } finally {
        run.child.kill('SIGTERM');
      }
      const { code, stdout, stderr } = await run.closed;
      expect(code).toBe(143);
      expect(JSON.parse(stdout)).toMatchObject({ interrupted: 'SIGTERM' });
      expect(stderr).toBe('epochlint: interrupted (SIGTERM): the report covers only what was read before\n');
    },
  );

  test('a named pipe whose writer says nothing: SIGINT ends it with 130', async () => {
    const fifo = join(work.dir, 'idle.log');
    execFileSync('mkfifo', [fifo]);
    const run = spawnBin(['parse', fifo]);
    let writer = null;
    try {
      // a non-blocking open for writing succeeds only once the reader is there
      for (let i = 0; i < 2000 && writer === null; i += 1) {
        writer = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null);
        if (writer === null) await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      run.child.kill('SIGINT');
    }
    const { code, stderr } = await run.closed;
    await writer?.close();
    expect(code).toBe(130);
    expect(stderr).toContain('epochlint: interrupted (SIGINT): the records are partial');
  });

  test('SIGINT while a log streams through --tee: the partial report goes to stderr, exit 130', async () => {
    const run = spawnBin(['--tee'], { stdin: 'pipe' });
    const half = seedText.subarray(0, seedText.indexOf('Epoch 21/60'));
    run.child.stdin?.write(half);
    try {
      // the pass-through proves the bytes were read
      await until(() => run.output().stdout.length >= half.length, 'the log to pass through');
    } finally {
      run.child.kill('SIGINT');
    }
    const { code, stderr } = await run.closed;
    run.child.stdin?.destroy();
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted (SIGINT): reading stopped early');
    expect(stderr).toContain('keras-text · 1 run · 20 epochs');
  });

  test.each([
    { name: '--tee with the reader of stdout gone: the report still goes to stderr', args: ['--tee', '-'] },
    { name: 'the reader of the report gone (| head)', args: ['-'] },
  ])('$name: exit 1 (the lint), no trace', async ({ args }) => {
    const run = spawnBin(args, { stdin: 'pipe' });
    run.child.stdout?.destroy();
    run.child.stdin?.end(seedText);
    const { code, stderr } = await run.closed;
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/Error|at .*\.js:\d+/);
    if (args.includes('--tee')) expect(stderr).toContain('val-alternation');
  });

  test('SIGINT during a sweep on worker threads: the files linted so far, in order, then the interrupted summary', async () => {
    const sweep = join(work.dir, 'sweep');
    mkdirSync(sweep);
    const names = Array.from({ length: 80 }, (_, i) => `run-${String(i).padStart(2, '0')}.log`);
    for (const name of names) writeFileSync(join(sweep, name), seedText);
    const run = spawnBin([sweep, '--jobs', '2', '--format', 'jsonl']);
    try {
      await until(() => run.output().stdout.includes('"kind":"file"'), 'the first file to be printed');
    } finally {
      run.child.kill('SIGINT');
    }
    const { code, stdout, stderr } = await run.closed;
    expect(code).toBe(130);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; file?: string; interrupted?: string });
    const files = lines.filter((l) => l.kind === 'file').map((l) => l.file);
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThan(names.length);
    expect(files).toEqual(names.slice(0, files.length).map((n) => join(sweep, n)));
    expect(lines.at(-1)).toMatchObject({ kind: 'summary', interrupted: 'SIGINT' });
    expect(stderr).toContain('epochlint: interrupted (SIGINT): the report covers only what was read before');
  });
});
