/**
 * The context stage (design.md): what is known about a run, built once per run from its log, the training
 * code found in the input or given with `--script`, and the user's hints; read by detectors and causes and
 * carried in the JSON report.
 */
export {
  buildContext,
  findLearningRateChanges,
  inferBatchSize,
  type BatchSizeInference,
} from './build-context.js';
export { readLearningRate } from './learning-rate.js';
export { inferSampleCounts, runSampleCounts, RELIABLE_CHANCE } from './sample-counts.js';
export { applyCodeFacts, emptyCodeFacts, type CodeFacts } from './code/facts.js';
export { createHeadCollector, readCode, readTrainingCode, type CodeText } from './code/index.js';
