/**
 * The cause registry: explicit and alphabetical, so the order (and the tie-break of the ranking) never
 * depends on the file system. Adding a cause = its file here, its messages, its tests.
 */
import type { Cause } from '../define-cause.js';
import batchnormStatistics from './batchnorm-statistics.js';
import classSortedTrainingData from './class-sorted-training-data.js';
import cyclicLearningRate from './cyclic-learning-rate.js';
import dropoutAveragingGap from './dropout-averaging-gap.js';
import extraValidationDraws from './extra-validation-draws.js';
import fixedTruncatedSubset from './fixed-truncated-subset.js';
import learningRateTooHigh from './learning-rate-too-high.js';
import preprocessingMismatch from './preprocessing-mismatch.js';
import randomValidation from './random-validation.js';
import samplingNoise from './sampling-noise.js';
import validationFreqGaps from './validation-freq-gaps.js';
import validationSliceRotation from './validation-slice-rotation.js';
import weightAveragingSwap from './weight-averaging-swap.js';
import workerDuplication from './worker-duplication.js';

/** Every cause, alphabetical by id. */
export const CAUSES: readonly Cause[] = [
  batchnormStatistics,
  classSortedTrainingData,
  cyclicLearningRate,
  dropoutAveragingGap,
  extraValidationDraws,
  fixedTruncatedSubset,
  learningRateTooHigh,
  preprocessingMismatch,
  randomValidation,
  samplingNoise,
  validationFreqGaps,
  validationSliceRotation,
  weightAveragingSwap,
  workerDuplication,
];

/** The cause with this id, or undefined. */
export function findCause(id: string): Cause | undefined {
  return CAUSES.find((cause) => cause.id === id);
}

/** The message templates of a cause (empty for an unknown id), for reporters. */
export function causeMessages(id: string): Readonly<Record<string, string>> {
  return findCause(id)?.messages ?? {};
}
