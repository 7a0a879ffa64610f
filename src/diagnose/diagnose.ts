/**
 * The diagnosis step (design.md "Cause contract"): for every run with an instability finding, assess every
 * cause against the run's findings and context and rank the verdicts. Pure: no printing, no environment.
 */
import type { Diagnosis, Finding, Run, RunContext, Verdict } from '../model/index.js';
import { CAUSES, causeMessages, findCause } from './causes/index.js';
import type { Cause } from './define-cause.js';
import { INSTABILITY_RULES, gatherEvidence, hasEvaluationSignature } from './evidence.js';

/**
 * Causes on the evaluation side: what is evaluated, or with which weights, changes between epochs. When
 * the pattern is validation-only and phase-locked (causes.md §0.5), they rank first among equal verdicts.
 */
const EVALUATION_SIDE: ReadonlySet<string> = new Set([
  'validation-slice-rotation',
  'fixed-truncated-subset',
  'extra-validation-draws',
  'worker-duplication',
  'weight-averaging-swap',
  'random-validation',
  'validation-freq-gaps',
  'sampling-noise',
]);

export { CAUSES, causeMessages, findCause, INSTABILITY_RULES };

/** Strongest first; the ranking order of verdicts. */
export const VERDICT_ORDER: readonly Verdict[] = ['confirmed', 'likely', 'possible', 'unlikely', 'ruled-out'];

/** Does the run have a finding (error or warning) of one of the instability rules? */
export function needsDiagnosis(run: Run, findings: readonly Finding[]): boolean {
  return findings.some(
    (f) =>
      f.run === run.index &&
      (f.severity === 'error' || f.severity === 'warning') &&
      INSTABILITY_RULES.includes(f.rule),
  );
}

/** Orders diagnoses: verdict (confirmed first), then cause id (`diagnoseRun` puts evaluation-side causes first among equals when the evidence points there). */
export function compareDiagnoses(a: Diagnosis, b: Diagnosis): number {
  return (
    VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) ||
    (a.cause < b.cause ? -1 : a.cause > b.cause ? 1 : 0)
  );
}

/** Assesses every cause for one run and ranks the result. */
export function diagnoseRun(
  run: Run,
  findings: Finding[],
  context: RunContext,
  causes: readonly Cause[] = CAUSES,
): Diagnosis[] {
  const mine = findings.filter((f) => f.run === run.index);
  const evaluationFirst = hasEvaluationSignature(gatherEvidence(mine, run));
  const side = (d: Diagnosis): number => (evaluationFirst && !EVALUATION_SIDE.has(d.cause) ? 1 : 0);
  return causes
    .map((cause): Diagnosis => {
      const { verdict, reasons, check, fix } = cause.assess(mine, run, context);
      return { cause: cause.id, run: run.index, verdict, reasons, check, fix };
    })
    .sort(
      (a, b) =>
        VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) ||
        side(a) - side(b) ||
        compareDiagnoses(a, b),
    );
}

/**
 * Diagnoses the runs of one file: findings and contexts are matched to runs by run index (a context at the
 * same position with the same index first). Runs without an error or warning of an instability rule get
 * no diagnoses; neither do runs without a context.
 */
export function diagnose(runs: Run[], findings: Finding[], contexts: RunContext[]): Diagnosis[] {
  const out: Diagnosis[] = [];
  runs.forEach((run, i) => {
    if (!needsDiagnosis(run, findings)) return;
    const positional = contexts[i];
    const context = positional?.run === run.index ? positional : contexts.find((c) => c.run === run.index);
    if (context === undefined) return;
    out.push(...diagnoseRun(run, findings, context));
  });
  return out;
}
