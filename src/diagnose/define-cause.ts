/**
 * The cause contract (design.md "Cause contract"): a cause is a mechanism that can make validation unstable,
 * with its side, its prior (with the source), the finding kinds it can explain, how likely it makes the
 * observations several causes weigh, its message templates and one pure `assess` function. `assess` never
 * prints and never throws on odd data; it returns weighted reasons (likelihood ratios of the observations
 * only this cause reasons about: the iterator arithmetic, code facts, sampling noise), and the diagnosis
 * turns prior and weights into the score and the verdict (`score.ts`).
 */
import type {
  CauseSide,
  FindingKind,
  Reason,
  Run,
  RunContext,
  Scalar,
  WeightedReason,
} from '../model/index.js';
import type { CountsClass, Evidence, PatternClass, RateClass } from './evidence.js';
import type { CausePrior } from './priors.js';
import { OBSERVATION_MESSAGES } from './observations.js';

/** A reason whose message id is one of a cause's message keys. */
export interface TypedReason<MessageId extends string> {
  messageId: MessageId;
  data: Record<string, Scalar>;
  /** ln of the likelihood ratio it contributes; null for a description. */
  weight: number | null;
}

/**
 * How likely the cause makes each value of the observations several causes weigh. `pattern` is a full
 * distribution (values not listed get `PATTERN_FLOOR`); `counts` and `rate` are optional: a cause without
 * them is indifferent to that observation (it neither gains nor loses from it).
 */
export interface Likelihoods {
  pattern: Partial<Record<PatternClass, number>>;
  counts?: Partial<Record<CountsClass, number>>;
  rate?: Partial<Record<RateClass, number>>;
}

/** What `assess` returns. */
export interface Assessment {
  reasons: WeightedReason[];
  check: Reason;
  fix: Reason;
}

/** {@link Assessment} with message ids checked against the cause's `messages` at compile time. */
export interface TypedAssessment<MessageId extends string> {
  reasons: TypedReason<MessageId>[];
  check: TypedReason<MessageId>;
  fix: TypedReason<MessageId>;
}

/** A cause as the registry holds it. */
export interface Cause {
  /** kebab-case mechanism name (public API): `validation-slice-rotation`, `batchnorm-statistics`, ... */
  id: string;
  title: string;
  /** What the mechanism predicts a log looks like (one sentence, for the docs). */
  predicts: string;
  side: CauseSide;
  /** Finding kinds it can produce; it is listed only for runs with such a finding. */
  explains: readonly FindingKind[];
  prior: CausePrior;
  likelihoods: Likelihoods;
  /** Message templates with `{name}` placeholders filled from a reason's `data`. */
  messages: Record<string, string>;
  /** For causes it is often tied with: the message id of the observation that separates them. */
  separatedFrom: Readonly<Record<string, string>>;
  assess(evidence: Evidence, run: Run, context: RunContext): Assessment;
}

/** A cause as written in its module: message ids are the keys of `messages`. */
export interface CauseDefinition<MessageId extends string> {
  id: string;
  title: string;
  predicts: string;
  side: CauseSide;
  explains: readonly FindingKind[];
  prior: CausePrior;
  likelihoods: Likelihoods;
  messages: Record<MessageId, string>;
  separatedFrom?: Partial<Record<string, MessageId>>;
  assess(evidence: Evidence, run: Run, context: RunContext): TypedAssessment<MessageId>;
}

/** Declares a cause; adds the shared observation messages and widens the message ids for the registry. */
export function defineCause<MessageId extends string>(cause: CauseDefinition<MessageId>): Cause {
  const separatedFrom: Record<string, string> = {};
  for (const [other, id] of Object.entries(cause.separatedFrom ?? {}))
    if (id !== undefined) separatedFrom[other] = id;
  return {
    ...cause,
    messages: { ...OBSERVATION_MESSAGES, ...cause.messages },
    separatedFrom,
  };
}

/** A reason that describes (weight null). */
export function because<MessageId extends string>(
  messageId: MessageId,
  data: Record<string, Scalar> = {},
): TypedReason<MessageId> {
  return { messageId, data, weight: null };
}

/**
 * The weight of a contradiction (a likelihood of 0: the code has no BatchNormalization layer, the window
 * arithmetic cannot produce the period): ln(1e-9), beyond what the other evidence of a run adds up to, so the
 * verdict is `ruled-out` — yet finite, so the JSON report keeps a number.
 */
export const CONTRADICTION = Math.log(1e-9);

/** ln of a likelihood ratio, with 0 → {@link CONTRADICTION}. */
export function logRatio(ratio: number): number {
  if (!(ratio > 0)) return CONTRADICTION;
  return Math.max(CONTRADICTION, Math.log(ratio));
}

/**
 * A weighted reason: `mine` is the probability of what was observed if this cause is at work, `otherwise`
 * its probability if it is not; the weight is ln(mine / otherwise).
 */
export function weigh<MessageId extends string>(
  messageId: MessageId,
  data: Record<string, Scalar>,
  mine: number,
  otherwise: number,
): TypedReason<MessageId> {
  return { messageId, data, weight: logRatio(otherwise > 0 ? mine / otherwise : mine > 0 ? Infinity : 0) };
}

/** Assembles an assessment; reasons with a weight go first, strongest (by |weight|) first. */
export function assessment<MessageId extends string>(
  reasons: readonly TypedReason<MessageId>[],
  check: TypedReason<MessageId>,
  fix: TypedReason<MessageId>,
): TypedAssessment<MessageId> {
  const weighted = reasons
    .map((r, i) => ({ r, i }))
    .sort(
      (a, b) =>
        Number(b.r.weight !== null) - Number(a.r.weight !== null) ||
        Math.abs(b.r.weight ?? 0) - Math.abs(a.r.weight ?? 0) ||
        a.i - b.i,
    )
    .map((x) => x.r);
  return { reasons: weighted, check, fix };
}
