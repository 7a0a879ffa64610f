/**
 * The cause contract (design.md "Cause contract"): a cause is a mechanism that can make validation
 * metrics unstable, with its message templates and one pure `assess` function. `assess` never prints and
 * never throws on odd data; its verdict comes from the numbers in the findings and the run context.
 */
import type { Finding, Reason, Run, RunContext, Scalar, Verdict } from '../model/index.js';

/** A reason whose message id is one of a cause's message keys. */
export interface TypedReason<MessageId extends string> {
  messageId: MessageId;
  data: Record<string, Scalar>;
}

/** What `assess` returns: the verdict, the reasons behind it, the one check that settles it, and the fix. */
export interface Assessment {
  verdict: Verdict;
  reasons: Reason[];
  check: Reason;
  fix: Reason;
}

/** {@link Assessment} with message ids checked against the cause's `messages` at compile time. */
export interface TypedAssessment<MessageId extends string> {
  verdict: Verdict;
  reasons: TypedReason<MessageId>[];
  check: TypedReason<MessageId>;
  fix: TypedReason<MessageId>;
}

/** A cause as the registry holds it. */
export interface Cause {
  /** kebab-case mechanism name (public API): `validation-slice-rotation`, `batchnorm-statistics`, ... */
  id: string;
  title: string;
  /** What the mechanism predicts a log looks like (one sentence, for `explain` and the docs). */
  predicts: string;
  /** Message templates with `{name}` placeholders filled from a reason's `data`. */
  messages: Record<string, string>;
  assess(findings: Finding[], run: Run, context: RunContext): Assessment;
}

/** A cause as written in its module: message ids are the keys of `messages`. */
export interface CauseDefinition<MessageId extends string> {
  id: string;
  title: string;
  predicts: string;
  messages: Record<MessageId, string>;
  assess(findings: Finding[], run: Run, context: RunContext): TypedAssessment<MessageId>;
}

/** Declares a cause; keeps the message ids typed inside the module and widens them for the registry. */
export function defineCause<MessageId extends string>(cause: CauseDefinition<MessageId>): Cause {
  return cause;
}

/** Builds a reason (a message id plus the numbers it quotes). */
export function because<MessageId extends string>(
  messageId: MessageId,
  data: Record<string, Scalar> = {},
): TypedReason<MessageId> {
  return { messageId, data };
}

/**
 * The `done` of a cause's `assess`: given the reasons that describe the observed pattern and the cause's
 * check and fix, returns a function from a verdict and its reasons to the assessment. The reasons go lead,
 * then support, then the pattern. Pass the cause's message ids explicitly (`outcome<MessageId>(...)`) so
 * every reason is checked against its `messages`.
 */
export function outcome<MessageId extends string>(
  pattern: readonly TypedReason<MessageId>[],
  check: TypedReason<MessageId>,
  fix: TypedReason<MessageId>,
): (
  verdict: Verdict,
  lead: readonly TypedReason<MessageId>[],
  support?: readonly TypedReason<MessageId>[],
) => TypedAssessment<MessageId> {
  return (verdict, lead, support = []) => ({
    verdict,
    reasons: [...lead, ...support, ...pattern],
    check,
    fix,
  });
}
