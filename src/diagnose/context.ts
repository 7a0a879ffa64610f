/** Moved to `src/context/` (design.md: context is its own stage); kept so existing imports compile. */
export {
  buildContext,
  findLearningRateChanges,
  inferBatchSize,
  type BatchSizeInference,
} from '../context/index.js';
