/** The diagnosis step: context building, the causes, and the ranking. */
export { buildContext, findLearningRateChanges, inferBatchSize, type BatchSizeInference } from './context.js';
export { defineCause, type Assessment, type Cause, type CauseDefinition } from './define-cause.js';
export {
  CAUSES,
  causeMessages,
  compareDiagnoses,
  diagnose,
  diagnoseRun,
  findCause,
  INSTABILITY_RULES,
  needsDiagnosis,
  VERDICT_ORDER,
} from './diagnose.js';
export * from './slice-rotation.js';
