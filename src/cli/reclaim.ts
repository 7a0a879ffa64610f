/**
 * A full garbage collection between the stages of a large lint. Each detector builds its series and
 * tests over the whole run and drops them when it returns; what survived a few young collections is
 * old by then, and V8 grows the old generation (up to its 4 GB limit) long before it collects it: a run
 * of 199k epochs peaked at 350 MB while its live data never passed 150 MB. Collecting when the heap has
 * grown by {@link GROWTH_BYTES} since the last collection keeps the peak near the live data, and costs
 * nothing on small logs (their heap never grows that much between stages). A long run's detectors also
 * tier up sooner ({@link tieringForLongRuns}).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Heap growth since the last collection that triggers the next one. */
const GROWTH_BYTES = 16 * 1024 * 1024;

/**
 * The growth that triggers a collection between the detectors of a long run ({@link LONG_RUN_EPOCHS}
 * epochs or more): each builds designs and tests over the whole series and drops them, and the typed
 * arrays they leave are freed only by a collection. The lint of the 520 MB bench log (3150 epochs)
 * peaked at 103 MB with 16 MB, 85 MB with 8 MB, 1.5% slower; a sweep of short logs collecting as often
 * ran 4% slower.
 */
export const LONG_RUN_GROWTH_BYTES = 8 * 1024 * 1024;

/** Runs this long (in epochs, all runs of the input) reclaim with {@link LONG_RUN_GROWTH_BYTES}. */
export const LONG_RUN_EPOCHS = 1000;

let collect: (() => void) | null | undefined;
/** The heap in use after the last collection; before the first, what the first call found. */
let live: number | null = null;

/** The `gc()` function V8 exposes to contexts made after `--expose-gc` is set; null if refused. */
function loadCollector(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    // the function stays; the flag goes back to its default, because V8 rejects a code cache made under
    // other flags: a worker thread started after this would compile the lint again instead of loading it
    setFlagsFromString('--no-expose-gc');
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

/**
 * Collects garbage when the heap has grown by more than `growth` bytes since last time (and, with
 * `factor`, by that share of what was live then: the reading loop calls it every few MiB, and a parse that
 * keeps its records should not pay a full collection per 16 MB of them).
 */
export function reclaim(factor = 1, growth = GROWTH_BYTES): void {
  if (collect === null) return;
  const used = getHeapStatistics().used_heap_size;
  // the first call measures from what is in use then (the loaded code, the read log): a full collection
  // of a small lint's heap found little to free and cost more than a tenth of its time on the founding case
  live ??= used;
  if (used < live + growth || used < live * factor) return;
  collect ??= loadCollector();
  collect?.();
  live = getHeapStatistics().used_heap_size;
}

/**
 * The interrupt budget while the detectors of a long run work ({@link LONG_RUN_EPOCHS} epochs or more). The
 * command-line loader raises V8's budget (bytes of bytecode run before a function's feedback is checked for
 * tiering up) to 1 MB, which suits a short lint whose functions run a few times; a long run's detectors loop
 * over a thousand points in functions that then run in the interpreter for long, boxing each double they
 * compute. Measured on the lint of the 520 MB bench log, medians of 9 interleaved runs: with 500 KB, the same
 * CPU and 0.498 -> 0.465 s of wall time; 250 KB took 2% more CPU, 125 KB 3%.
 */
const LONG_RUN_INTERRUPT_BUDGET = 500000;

/** The budget the loader set (bin/bundle-loader.cjs), or null in a process it did not start. */
function loaderInterruptBudget(): number | null {
  const budget: unknown = (globalThis as Record<symbol, unknown>)[Symbol.for('epochlint.interruptBudget')];
  return typeof budget === 'number' ? budget : null;
}

/**
 * Runs `work` (the detectors of one input) under {@link LONG_RUN_INTERRUPT_BUDGET} when the input is long and
 * the loader's budget is larger, then sets the loader's back: V8 tags a code cache with the flags of its making,
 * so a worker thread started later loads its cache only under the loader's flags. V8's flags are the process's:
 * two sweep workers linting long runs at once may end one's lower budget early, which costs time only.
 */
export function tieringForLongRuns<T>(long: boolean, work: () => T): T {
  const usual = loaderInterruptBudget();
  if (!long || usual === null || usual <= LONG_RUN_INTERRUPT_BUDGET) return work();
  setFlagsFromString(`--interrupt-budget=${LONG_RUN_INTERRUPT_BUDGET}`);
  try {
    return work();
  } finally {
    setFlagsFromString(`--interrupt-budget=${usual}`);
  }
}
