/**
 * The diagnosis step (design.md "Cause contract"): for every run with an error or warning of a detector
 * that starts a diagnosis, assess the causes that can explain what was found (by finding kind), weigh the
 * shared observations against each other, score every cause (prior log-odds + weights), rank by score and
 * say which causes the log cannot tell apart. Pure: no printing, no environment.
 */
import { findDetector } from '../detect/index.js';
import type { Diagnosis, Finding, Reason, Run, RunContext, WeightedReason } from '../model/index.js';
import { CAUSES, causeMessages, findCause } from './causes/index.js';
import type { Cause } from './define-cause.js';
import { gatherEvidence, type Evidence } from './evidence.js';
import { observationReasons, patternDetails } from './observations.js';
import { unlistedPrior } from './priors.js';
import { posteriorScores, TIE_TOLERANCE, verdictOf, VERDICT_ORDER } from './score.js';

export { CAUSES, causeMessages, findCause, VERDICT_ORDER };

/** Does the run have an error or warning of a detector that starts a diagnosis? */
export function needsDiagnosis(run: Run, findings: readonly Finding[]): boolean {
  return findings.some(
    (f) =>
      f.run === run.index &&
      (f.severity === 'error' || f.severity === 'warning') &&
      findDetector(f.rule)?.startsDiagnosis === true,
  );
}

/** Best first: by score; equal scores keep the registry order and are reported as ties, never ranked by name. */
export function compareDiagnoses(a: Diagnosis, b: Diagnosis): number {
  return b.score - a.score;
}

/** The causes listed for a run: those that can explain a kind of what was found. */
export function causesFor(evidence: Evidence, causes: readonly Cause[] = CAUSES): Cause[] {
  return causes.filter((c) => c.explains.some((kind) => evidence.kinds.has(kind)));
}

/** Assesses the causes for one run and ranks the result (empty when nothing starts a diagnosis). */
export function diagnoseRun(
  run: Run,
  findings: readonly Finding[],
  context: RunContext,
  causes: readonly Cause[] = CAUSES,
): Diagnosis[] {
  const evidence = gatherEvidence(findings, run, context);
  const listed = causesFor(evidence, causes);
  if (listed.length === 0) return [];
  const shared = observationReasons(
    evidence,
    context,
    listed.map((c) => ({ id: c.id, prior: c.prior.probability, likelihoods: c.likelihoods })),
  );
  const details = patternDetails(evidence).map((d) => ({ ...d, weight: null }));
  const scored = listed.map((cause) => {
    const { reasons, check, fix } = cause.assess(evidence, run, context);
    const all: WeightedReason[] = [
      ...reasons.filter((r) => r.weight !== null),
      ...(shared.get(cause.id) ?? []),
    ];
    const descriptions = reasons.filter((r) => r.weight === null);
    const weightSum = all.reduce((s, r) => s + (r.weight ?? 0), 0);
    // strongest weights first, then what only describes
    all.sort((a, b) => Math.abs(b.weight ?? 0) - Math.abs(a.weight ?? 0));
    return { cause, weightSum, score: 0, reasons: [...all, ...descriptions, ...details], check, fix };
  });
  const scores = posteriorScores(
    scored.map((s) => ({ prior: s.cause.prior.probability, weight: s.weightSum })),
    unlistedPrior(),
  );
  scored.forEach((s, i) => {
    s.score = scores[i] ?? Number.NEGATIVE_INFINITY;
  });
  const order = scored.map((s, i) => ({ s, i })).sort((a, b) => b.s.score - a.s.score || a.i - b.i);
  return order.map(({ s }) => {
    // tied: the same weight of evidence and the same open verdict (a tie among closed verdicts says nothing)
    const open = (score: number): boolean => !['unlikely', 'ruled-out'].includes(verdictOf(score));
    const tied = open(s.score)
      ? scored.filter(
          (o) =>
            o.cause.id !== s.cause.id &&
            Math.abs(o.weightSum - s.weightSum) <= TIE_TOLERANCE &&
            verdictOf(o.score) === verdictOf(s.score),
        )
      : [];
    const separatedBy: Reason | null =
      tied.length === 0
        ? null
        : (() => {
            const declared = tied.map((o) => s.cause.separatedFrom[o.cause.id]).find((m) => m !== undefined);
            return declared !== undefined
              ? { messageId: declared, data: {} }
              : { messageId: s.check.messageId, data: s.check.data };
          })();
    return {
      cause: s.cause.id,
      run: run.index,
      verdict: verdictOf(s.score),
      score: Math.round(s.score * 1000) / 1000,
      prior: Math.round(s.cause.prior.probability * 10000) / 10000,
      side: s.cause.side,
      reasons: s.reasons.map((r) => ({
        messageId: r.messageId,
        data: r.data,
        weight: r.weight === null ? null : Math.round(r.weight * 1000) / 1000,
      })),
      tiedWith: tied.map((o) => o.cause.id),
      separatedBy,
      check: { messageId: s.check.messageId, data: s.check.data },
      fix: { messageId: s.fix.messageId, data: s.fix.data },
    };
  });
}

/**
 * Diagnoses the runs of one file: findings and contexts are matched to runs by run index (a context at the
 * same position with the same index first). Runs without a finding that starts a diagnosis get none;
 * neither do runs without a context.
 */
export function diagnose(
  runs: readonly Run[],
  findings: readonly Finding[],
  contexts: readonly RunContext[],
): Diagnosis[] {
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
