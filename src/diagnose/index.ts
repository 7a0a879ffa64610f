/** The diagnosis step: the causes, the weighing of evidence and the ranking. */
export {
  buildContext,
  findLearningRateChanges,
  inferBatchSize,
  type BatchSizeInference,
} from '../context/index.js';
export {
  defineCause,
  type Assessment,
  type Cause,
  type CauseDefinition,
  type Likelihoods,
} from './define-cause.js';
export {
  CAUSES,
  causeMessages,
  causesFor,
  compareDiagnoses,
  diagnose,
  diagnoseRun,
  findCause,
  needsDiagnosis,
  VERDICT_ORDER,
} from './diagnose.js';
export { gatherEvidence, PatternClass, type Evidence } from './evidence.js';
export { creditedThreads, priorOf, TALLY, TALLY_THREADS, type CausePrior } from './priors.js';
export { logOdds, probabilityOf, VERDICT_BANDS, verdictOf } from './score.js';
export * from './slice-rotation.js';
