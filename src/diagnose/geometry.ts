/**
 * The validation geometry (N, b, s) a cause reasons with, and which parts of it are assumptions. The log
 * usually states only N (`Found 10401 images`); b and s then follow the script idiom of spec §1:
 * the validation generator uses the training batch size the log implies, and
 * `validation_steps = nb_validation_samples // batch_size`. Assumptions are always reported as reasons.
 */
import type { RunContext } from '../model/index.js';
import { because, type TypedReason } from './define-cause.js';

/** Message templates for the geometry reasons; causes that use the geometry spread them into `messages`. */
export const GEOMETRY_MESSAGES = {
  'geometry-assumed-batch':
    'assumed validation batch size b = {batchSize}: the training batch size the log implies ({trainSamples} samples in {trainSteps} steps per epoch); state it with --val-batch-size (or context.valBatchSize in the config)',
  'geometry-assumed-steps':
    'assumed validation steps s = {steps} = floor({samples} / {stepBatch}), the script idiom `nb_validation_samples // batch_size`; state it with --val-steps (or context.valSteps)',
  'geometry-code-batch': 'validation batch size b = {batchSize} from the code (line {line}: `{code}`)',
  'geometry-code-steps': 'validation steps s = {steps} from the code (line {line}: `{code}`)',
  'geometry-derived-steps':
    'validation steps s = {steps}: the code divides validation_steps and steps_per_epoch by the same `{divisor}` (line {line}), and the log pins it at {batch} (training samples / steps per epoch): floor({samples} / {batch}) = {steps}',
  'geometry-unknown':
    'the validation geometry is incomplete: {missing} unknown (state them with --val-samples, --val-batch-size and --val-steps)',
} as const;

export type GeometryMessageId = keyof typeof GEOMETRY_MESSAGES;

/** Where a geometry number comes from. */
export type GeometryBasis = 'stated' | 'derived' | 'assumed';

/** N, b and s with their provenance. */
export interface ValidationGeometry {
  samples: number;
  batchSize: number;
  steps: number;
  batchBasis: GeometryBasis;
  stepsBasis: GeometryBasis;
  /** The batch size in `floor(N / batch)` when s was assumed. */
  stepBatch: number | null;
  /** At least one of b and s was stated by the user or the log (not only implied). */
  validationStated: boolean;
  /** Some number rests on the script idiom. */
  assumed: boolean;
  /** Reasons that state the assumptions, in order. */
  reasons: TypedReason<GeometryMessageId>[];
}

/** The geometry, or what is missing from it. */
export type GeometryResolution =
  | { known: true; geometry: ValidationGeometry }
  | { known: false; missing: string[]; reasons: TypedReason<GeometryMessageId>[] };

function basisOf(source: 'flag' | 'log' | 'derived' | 'code'): GeometryBasis {
  return source === 'derived' ? 'derived' : 'stated';
}

/** Resolves N, b and s from the context, falling back to the script idiom with labelled assumptions. */
export function resolveValidationGeometry(context: RunContext): GeometryResolution {
  const reasons: TypedReason<GeometryMessageId>[] = [];
  const samples = context.valSamples?.value ?? null;
  const training = context.batchSize;
  let batchSize: number | null = null;
  let batchBasis: GeometryBasis = 'assumed';
  if (context.valBatchSize) {
    batchSize = context.valBatchSize.value;
    batchBasis = basisOf(context.valBatchSize.source);
    if (context.valBatchSize.source === 'code') {
      reasons.push(
        because('geometry-code-batch', {
          batchSize,
          line: context.valBatchSize.line,
          code: context.valBatchSize.excerpt ?? null,
        }),
      );
    }
  } else if (training) {
    batchSize = training.value;
    reasons.push(
      because('geometry-assumed-batch', {
        batchSize: training.value,
        trainSamples: context.trainSamples?.value ?? null,
        trainSteps: context.stepsPerEpoch?.value ?? null,
      }),
    );
  }
  let steps: number | null = null;
  let stepsBasis: GeometryBasis = 'assumed';
  let stepBatch: number | null = null;
  if (context.valSteps) {
    steps = context.valSteps.value;
    stepsBasis = basisOf(context.valSteps.source);
    const fact = context.valSteps;
    if (fact.source === 'code') {
      reasons.push(because('geometry-code-steps', { steps, line: fact.line, code: fact.excerpt ?? null }));
    } else if (fact.source === 'derived' && fact.excerpt != null) {
      reasons.push(
        because('geometry-derived-steps', {
          steps,
          line: fact.line,
          divisor: context.valStepsDivisor?.value ?? fact.excerpt,
          batch: context.batchSize?.value ?? null,
          samples,
        }),
      );
    }
  } else if (samples !== null) {
    // The idiom divides by the script's `batch_size`, the one steps_per_epoch was computed with.
    stepBatch = training?.value ?? batchSize;
    if (stepBatch !== null && Math.floor(samples / stepBatch) >= 1) {
      steps = Math.floor(samples / stepBatch);
      reasons.push(because('geometry-assumed-steps', { steps, samples, stepBatch }));
    }
  }
  if (samples === null || batchSize === null || steps === null) {
    const missing = [
      samples === null ? 'N (validation samples)' : null,
      batchSize === null ? 'b (validation batch size)' : null,
      steps === null ? 's (validation steps)' : null,
    ].filter((m): m is string => m !== null);
    return {
      known: false,
      missing,
      reasons: [...reasons, because('geometry-unknown', { missing: missing.join(', ') })],
    };
  }
  return {
    known: true,
    geometry: {
      samples,
      batchSize,
      steps,
      batchBasis,
      stepsBasis,
      stepBatch,
      validationStated: batchBasis === 'stated' || stepsBasis === 'stated',
      assumed: batchBasis === 'assumed' || stepsBasis === 'assumed',
      reasons,
    },
  };
}
