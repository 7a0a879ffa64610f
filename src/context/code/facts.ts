/**
 * Facts read from training code, and how they enter a run's context. A fact from code fills a slot only
 * when neither a flag nor the log filled it (the log shows what ran; code may be an older version), and
 * always carries the file, line and code that state it.
 */
import type {
  CodeSource,
  Fact,
  OptimizerFact,
  RunContext,
  ScheduleKind,
  ValData,
} from '../../model/index.js';

/** A value stated by code: where, and the code itself (trimmed to one line). */
export interface CodeFact<T> {
  value: T;
  /** File the code is in; null for code inside the linted input. */
  file: string | null;
  line: number;
  excerpt: string;
}

/** Everything the code readers establish about a training. */
export interface CodeFacts {
  sources: CodeSource[];
  batchnorm: CodeFact<boolean> | null;
  dropout: CodeFact<boolean> | null;
  valBatchSize: CodeFact<number> | null;
  trainBatchSize: CodeFact<number> | null;
  valShuffle: CodeFact<boolean> | null;
  trainShuffle: CodeFact<boolean> | null;
  valData: CodeFact<ValData> | null;
  /** A literal `validation_steps`. */
  valSteps: CodeFact<number> | null;
  valStepsExpression: CodeFact<string> | null;
  stepsPerEpochExpression: CodeFact<string> | null;
  /** The variable `validation_steps` divides by (`nb_validation_samples // batch_size` → `batch_size`). */
  valStepsDivisor: CodeFact<string> | null;
  /** The variable `steps_per_epoch` divides by. */
  stepsDivisor: CodeFact<string> | null;
  /** `validation_steps=len(val_gen) // k`: the steps are a k-th of the validation generator's pass (1: all of it). */
  valStepsPasses: CodeFact<number> | null;
  /** The batch-size variable the validation generator is built with (`batch_size=val_batchsize`). */
  valBatchVariable: CodeFact<string> | null;
  workers: CodeFact<number> | null;
  useMultiprocessing: CodeFact<boolean> | null;
  optimizer: CodeFact<OptimizerFact> | null;
  lrSchedule: CodeFact<ScheduleKind> | null;
  callbacks: CodeFact<string[]> | null;
  valAugmented: CodeFact<boolean> | null;
  preprocessingMatch: CodeFact<boolean> | null;
}

/** Code facts with nothing known. */
export function emptyCodeFacts(): CodeFacts {
  return {
    sources: [],
    batchnorm: null,
    dropout: null,
    valBatchSize: null,
    trainBatchSize: null,
    valShuffle: null,
    trainShuffle: null,
    valData: null,
    valSteps: null,
    valStepsExpression: null,
    stepsPerEpochExpression: null,
    valStepsDivisor: null,
    stepsDivisor: null,
    valBatchVariable: null,
    valStepsPasses: null,
    workers: null,
    useMultiprocessing: null,
    optimizer: null,
    lrSchedule: null,
    callbacks: null,
    valAugmented: null,
    preprocessingMatch: null,
  };
}

/** A code fact as a context fact (source `code`). */
export function codeFact<T>(fact: CodeFact<T> | null): Fact<T> {
  if (fact === null) return null;
  return {
    value: fact.value,
    source: 'code',
    line: fact.line,
    note: null,
    file: fact.file,
    excerpt: fact.excerpt,
  };
}

function orCode<T>(current: Fact<T>, fact: CodeFact<T> | null): Fact<T> {
  return current ?? codeFact(fact);
}

/**
 * Adds code facts to a context built from the log and hints. The validation step count is also derived
 * when the code computes `validation_steps` and `steps_per_epoch` with the same divisor
 * (`nb_validation_samples // batch_size`, `nb_train_samples // batch_size`) and the log pins that divisor
 * down as the training batch size (29124 images in 910 steps → 32).
 */
export function applyCodeFacts(context: RunContext, code: CodeFacts): RunContext {
  const out: RunContext = {
    ...context,
    batchnorm: orCode(context.batchnorm, code.batchnorm),
    dropout: orCode(context.dropout, code.dropout),
    valBatchSize: orCode(context.valBatchSize, code.valBatchSize),
    valShuffle: orCode(context.valShuffle, code.valShuffle),
    trainShuffle: orCode(context.trainShuffle, code.trainShuffle),
    valData: orCode(context.valData, code.valData),
    valSteps: orCode(context.valSteps, code.valSteps),
    workers: orCode(context.workers, code.workers),
    useMultiprocessing: orCode(context.useMultiprocessing, code.useMultiprocessing),
    optimizer: orCode(context.optimizer, code.optimizer),
    lrSchedule: orCode(context.lrSchedule, code.lrSchedule),
    callbacks: orCode(context.callbacks, code.callbacks),
    valStepsExpression: orCode(context.valStepsExpression, code.valStepsExpression),
    stepsPerEpochExpression: orCode(context.stepsPerEpochExpression, code.stepsPerEpochExpression),
    valAugmented: orCode(context.valAugmented, code.valAugmented),
    preprocessingMatch: orCode(context.preprocessingMatch, code.preprocessingMatch),
    code: [...context.code, ...code.sources],
  };
  // `validation_steps` divides by another variable than the validation generator's batch size
  const divisor = code.valStepsDivisor;
  const generatorBatch = code.valBatchVariable;
  if (divisor !== null && generatorBatch !== null && divisor.value !== generatorBatch.value) {
    out.valStepsDivisor = orCode(context.valStepsDivisor, divisor);
  }
  // `len(val_gen) // k` with the set size from the log and the batch size from the code: s = floor(L / k)
  const passes = code.valStepsPasses;
  if (out.valSteps === null && passes !== null && out.valSamples !== null && out.valBatchSize !== null) {
    const passLength = Math.ceil(out.valSamples.value / out.valBatchSize.value);
    const steps = Math.floor(passLength / passes.value);
    if (steps >= 1) {
      out.valSteps = {
        value: steps,
        source: 'derived',
        line: passes.line,
        note: `validation_steps = len(validation generator) // ${passes.value} = floor(ceil(${out.valSamples.value} / ${out.valBatchSize.value}) / ${passes.value}) = ${steps}`,
        file: passes.file,
        excerpt: passes.excerpt,
      };
    }
  }
  if (
    out.valSteps === null &&
    divisor !== null &&
    code.stepsDivisor !== null &&
    divisor.value === code.stepsDivisor.value &&
    out.batchSize !== null &&
    out.valSamples !== null
  ) {
    const steps = Math.floor(out.valSamples.value / out.batchSize.value);
    if (steps >= 1) {
      out.valSteps = {
        value: steps,
        source: 'derived',
        line: divisor.line,
        note: `validation_steps and steps_per_epoch both divide by \`${divisor.value}\`, which the log pins at ${out.batchSize.value}: floor(${out.valSamples.value} / ${out.batchSize.value}) = ${steps}`,
        file: divisor.file,
        excerpt: divisor.excerpt,
      };
    }
  }
  return out;
}
