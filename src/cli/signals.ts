/**
 * Interrupts of the real process. The first SIGINT or SIGTERM is recorded and aborts a signal that
 * ends every read at once (a pipe with no writer, a follow poll); the run then reports what it read,
 * marked partial, and exits 130 or 143. A second one leaves at once, the way a user expects. This
 * works only because nothing is ever blocked in the thread pool (see `fd.ts`): exiting waits for pool
 * threads.
 */

/** The interrupts epochlint handles. */
export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** Exit codes of an interrupted run: 128 + the signal number, as shells report a killed process. */
export const INTERRUPT_EXIT_CODES: Record<InterruptSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/** The installed handlers. */
export interface Interrupts {
  /** The first interrupt received, or null. */
  signal(): InterruptSignal | null;
  /** Aborted on the first interrupt. */
  readonly abortSignal: AbortSignal;
  /** Removes the handlers. */
  dispose(): void;
}

/** The part of `process` the handlers need (replaced in tests). */
export interface SignalSource {
  on(event: InterruptSignal, listener: () => void): unknown;
  off(event: InterruptSignal, listener: () => void): unknown;
}

/** Installs SIGINT and SIGTERM handlers on `source`; `exit` is called on the second interrupt. */
export function installInterrupts(
  source: SignalSource = process,
  exit: (code: number) => void = (code) => process.exit(code),
): Interrupts {
  let first: InterruptSignal | null = null;
  const controller = new AbortController();
  const handler = (signal: InterruptSignal) => (): void => {
    if (first !== null) {
      exit(INTERRUPT_EXIT_CODES[signal]);
      return;
    }
    first = signal;
    controller.abort();
  };
  const onInt = handler('SIGINT');
  const onTerm = handler('SIGTERM');
  source.on('SIGINT', onInt);
  source.on('SIGTERM', onTerm);
  return {
    signal: () => first,
    abortSignal: controller.signal,
    dispose: () => {
      source.off('SIGINT', onInt);
      source.off('SIGTERM', onTerm);
    },
  };
}
