/**
 * Pure numeric helpers: distributions, least squares, alternation and periodicity tests, rank and trend tests,
 * multiple-testing adjustments, descriptors and seeded random generators. Inputs are number arrays; outputs are
 * plain objects. Nothing here knows about logs, epochs or metrics (design.md "Layout").
 *
 * Parity convention everywhere: index 0 is the first value passed in, and results name the high parity as
 * `'even-index'` (0, 2, 4, …) or `'odd-index'`. For a log validated every epoch from epoch 1, index 0 = epoch 1,
 * so `'even-index'` means epochs 1, 3, 5, … are high.
 */
export {
  ALTERNATION_FULL_CONFIDENCE_POINTS,
  ALTERNATION_MIN_POINTS,
  testAlternation,
  type AlternationOptions,
  type AlternationResult,
  type HalvesCheck,
  type InsufficientReason,
  type InsufficientResult,
} from './alternation.js';
export {
  accuracyChangeTest,
  accuracyStandardError,
  binomialSwingTest,
  type AccuracyChange,
  type BinomialSwingResult,
} from './binomial.js';
export {
  MAD_TO_SD,
  NOISE_ALTERNATION_FRACTION,
  alternatingChanges,
  differenceScale,
  differenceSigns,
  longestAlternatingRun,
  robustScale,
  type AlternatingChanges,
  type AlternatingRun,
  type AlternatingRunOptions,
  type IndexParity,
} from './descriptors.js';
export {
  chiSquareCdf,
  chiSquarePValue,
  fCdf,
  fPValue,
  logGamma,
  normalCdf,
  normalPValue,
  normalQuantile,
  regularizedIncompleteBeta,
  regularizedLowerGamma,
  regularizedUpperGamma,
  studentTCdf,
  studentTPValue,
} from './distributions.js';
export { fitLeastSquares, type LeastSquaresFit } from './least-squares.js';
export { LOWESS_DEFAULTS, lowess, type LowessOptions } from './lowess.js';
export { benjaminiHochberg, bonferroni, holm } from './multiple-testing.js';
export {
  PERIODIC_MIN_CYCLES,
  PERIODIC_MIN_POINTS,
  testPeriodic,
  type PeriodResult,
  type PeriodicInsufficientResult,
  type PeriodicOptions,
  type PeriodicScanResult,
  type PhaseHalves,
  type SkippedPeriod,
} from './periodic.js';
export {
  ar1Series,
  createRandom,
  normalSeries,
  randomGamma,
  randomNormal,
  randomStudentT,
  studentTSeries,
  type RandomSource,
} from './random.js';
export {
  MANN_WHITNEY_EXACT_LIMIT,
  PARITY_RANKS_MIN_POINTS,
  mannWhitney,
  testParityRanks,
  type MannWhitneyResult,
  type ParityRanksOptions,
  type ParityRanksResult,
} from './rank-tests.js';
export {
  MANN_KENDALL_EXACT_LIMIT,
  mannKendall,
  theilSen,
  type MannKendallResult,
  type TheilSenResult,
} from './trend.js';
export {
  DEFAULT_KNOT_SPACING,
  LOG_CUBIC_MAX_POINTS,
  bSplineBasis,
  logCubicBasis,
  trendBasis,
  type TrendBasisKind,
  type TrendBasisOptions,
  type TrendBasisSpec,
} from './trend-basis.js';
