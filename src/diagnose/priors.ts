/**
 * Prior probabilities of the causes: how often each mechanism is the accepted cause in public threads about
 * oscillating or spiking validation metrics (issue 7: 35 threads). The tally has categories; a category
 * shared by several mechanisms is split evenly between them, every cause gets half a thread more (Jeffreys
 * smoothing, so nothing is impossible a priori), and the result is normalised. The README's "Causes the
 * diagnosis weighs" prints this table; change it only with its source.
 */

/** One category of the tally: threads whose accepted answer named it, and the causes it covers. */
export interface TallyRow {
  category: string;
  threads: number;
  causes: readonly string[];
}

/** Threads in the tally (the categories below plus 5 accepted answers of other kinds). */
export const TALLY_THREADS = 35;

/** The tally of issue 7. */
export const TALLY: readonly TallyRow[] = [
  { category: 'BatchNorm moving statistics', threads: 9, causes: ['batchnorm-statistics'] },
  { category: 'augmentation applied to validation', threads: 5, causes: ['random-validation'] },
  {
    category: 'shuffled or partial validation passes',
    threads: 4,
    causes: [
      'validation-slice-rotation',
      'fixed-truncated-subset',
      'random-validation',
      'extra-validation-draws',
    ],
  },
  { category: 'learning rate', threads: 4, causes: ['learning-rate-too-high', 'cyclic-learning-rate'] },
  {
    category: 'dropout, epoch-averaged training metrics or a small validation set',
    threads: 8,
    causes: ['dropout-averaging-gap', 'sampling-noise'],
  },
  { category: 'data leakage', threads: 0, causes: [] },
  {
    category: 'other accepted answers',
    threads: 5,
    causes: [
      'weight-averaging-swap',
      'worker-duplication',
      'class-sorted-training-data',
      'preprocessing-mismatch',
      'validation-freq-gaps',
    ],
  },
];

/** Half a thread per cause (Jeffreys). */
const SMOOTHING = 0.5;

/** Every cause the tally names. */
export const TALLIED_CAUSES: readonly string[] = [...new Set(TALLY.flatMap((row) => row.causes))];

/** Threads credited to each cause (shared categories split evenly). */
export function creditedThreads(cause: string): number {
  return TALLY.reduce(
    (sum, row) => sum + (row.causes.includes(cause) ? row.threads / row.causes.length : 0),
    0,
  );
}

/** The prior probability of a cause: (credited threads + ½) / (35 + ½ × causes). */
export function priorOf(cause: string): number {
  const total = TALLY.reduce((sum, row) => sum + row.threads, 0) + SMOOTHING * TALLIED_CAUSES.length;
  return (creditedThreads(cause) + SMOOTHING) / total;
}

/** A cause's prior with where it comes from (the cause module cites it). */
export interface CausePrior {
  probability: number;
  /** The tally category (or categories) it rests on. */
  source: string;
}

/** The prior of a cause as a module declares it. */
export function tallyPrior(cause: string): CausePrior {
  const rows = TALLY.filter((row) => row.causes.includes(cause));
  const source =
    rows.length === 0
      ? 'not in the tally: half a thread (smoothing) of 35'
      : rows
          .map((row) =>
            row.causes.length > 1
              ? `${row.category}: ${row.threads} of ${TALLY_THREADS} threads shared by ${row.causes.length} causes`
              : `${row.category}: ${row.threads} of ${TALLY_THREADS} threads`,
          )
          .join('; ');
  return { probability: priorOf(cause), source };
}

/**
 * The prior of a mechanism outside the catalogue (an accepted answer epochlint does not know): half a thread,
 * like the smoothing. It stands in the posterior as an alternative whose likelihood is the average one.
 */
export function unlistedPrior(): number {
  const total = TALLY.reduce((sum, row) => sum + row.threads, 0) + SMOOTHING * TALLIED_CAUSES.length;
  return SMOOTHING / total;
}
