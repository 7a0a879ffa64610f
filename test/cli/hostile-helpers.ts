/** Shared pieces of the hostile-input CLI tests: a scratch directory and the "nothing raw" check. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main, type Io } from '../../src/cli/main.js';
import type { InterruptSignal } from '../../src/cli/signals.js';
import { hasUnsafeCharacters } from '../../src/report/escape.js';

/** A fresh scratch directory under the OS temp directory, and a function that removes it. */
export function scratch(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `epochlint-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Whether output holds a raw control, bidi or invisible character (line breaks and tabs are layout). */
export function hasRawUnsafe(output: string): boolean {
  return hasUnsafeCharacters(output.replace(/[\n\t]/g, ''));
}

/** The output of one in-process run of `main`. */
export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `main` in this process with an Io the test controls beyond what `runCli` offers: stdin as a
 * stream, the identity of a redirected stdin, and an interrupt the stream itself can raise.
 */
export async function runMain(
  args: string[],
  options: {
    cwd: string;
    stdin?: Readable;
    stdinIdentity?: string | null;
    /** Set by the test (or its stdin) to interrupt the run. */
    interrupt?: { signal: InterruptSignal | null; controller: AbortController };
  },
): Promise<MainResult> {
  const out: string[] = [];
  const err: string[] = [];
  const decoder = new TextDecoder();
  const stdin = options.stdin ?? Readable.from([]);
  const interrupt = options.interrupt;
  const io: Io = {
    stdout: { write: (d: string | Uint8Array) => out.push(typeof d === 'string' ? d : decoder.decode(d)) },
    stderr: { write: (d: string) => err.push(d) },
    stdin: Object.assign(stdin, { isTTY: false }),
    env: { NO_COLOR: '1' },
    cwd: options.cwd,
    interrupted: () => (interrupt?.signal ?? null) !== null,
    interruptedBy: () => interrupt?.signal ?? null,
    ...(interrupt === undefined ? {} : { interruptSignal: interrupt.controller.signal }),
    ...(options.stdinIdentity === undefined ? {} : { stdinIdentity: options.stdinIdentity }),
  };
  const code = await main(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/**
 * A stdin that delivers `chunks` one per read and then, when asked for more, raises `signal` (as a
 * Ctrl-C in the middle of reading would) and never ends by itself.
 */
export function interruptedStdin(chunks: Uint8Array[], signal: InterruptSignal) {
  const interrupt = { signal: null as InterruptSignal | null, controller: new AbortController() };
  let next = 0;
  const stdin = new Readable({
    read() {
      const chunk = chunks[next];
      next += 1;
      if (chunk !== undefined) this.push(chunk);
      else if (interrupt.signal === null) {
        interrupt.signal = signal;
        interrupt.controller.abort();
      }
    },
  });
  return { stdin, interrupt };
}
