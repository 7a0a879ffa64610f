/**
 * From weights to verdicts. Each reason's weight is the natural log of a likelihood ratio, so a cause's
 * evidence multiplies its prior by e^(Σ weights). The score is the cause's posterior log-odds among the
 * causes listed for the run and one mechanism outside the catalogue (whose evidence is the average one):
 *
 *   score(c) = ln(π_c · e^{W_c}) − ln( Σ_{c' ≠ c} π_{c'} · e^{W_{c'}} + π_unlisted )
 *
 * so ruling alternatives out raises a cause as much as evidence for it does. The verdict is a band of the
 * posterior probability 1 / (1 + e^−score); ranking is by score, and causes whose evidence weighs the same
 * are tied.
 */
import type { Verdict } from '../model/index.js';

/** Lower bounds of the posterior probability of each verdict (strongest first). */
export const VERDICT_BANDS: ReadonlyArray<{ verdict: Verdict; probability: number }> = [
  { verdict: 'confirmed', probability: 0.99 },
  { verdict: 'likely', probability: 0.5 },
  { verdict: 'possible', probability: 0.05 },
  { verdict: 'unlikely', probability: 0.001 },
  { verdict: 'ruled-out', probability: 0 },
];

/** Strongest first; the order of verdicts. */
export const VERDICT_ORDER: readonly Verdict[] = VERDICT_BANDS.map((b) => b.verdict);

/** ln(p / (1 − p)). */
export function logOdds(probability: number): number {
  const p = Math.min(1 - 1e-12, Math.max(1e-12, probability));
  return Math.log(p / (1 - p));
}

/** 1 / (1 + e^−score). */
export function probabilityOf(score: number): number {
  return 1 / (1 + Math.exp(-score));
}

/** The verdict of a score. */
export function verdictOf(score: number): Verdict {
  const p = probabilityOf(score);
  for (const band of VERDICT_BANDS) if (p >= band.probability) return band.verdict;
  return 'ruled-out';
}

/** Evidence sums closer than this are the same evidence (floating-point sums of the same terms). */
export const TIE_TOLERANCE = 1e-9;

/** ln Σ e^x, stable for large or very negative terms. */
export function logSumExp(values: readonly number[]): number {
  if (values.length === 0) return Number.NEGATIVE_INFINITY;
  const top = values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  if (!Number.isFinite(top)) return top;
  return top + Math.log(values.reduce((s, v) => s + Math.exp(v - top), 0));
}

/** Posterior log-odds of each cause (by index) among the causes and an unlisted mechanism. */
export function posteriorScores(
  causes: ReadonlyArray<{ prior: number; weight: number }>,
  unlistedPrior: number,
): number[] {
  const terms = causes.map((c) => Math.log(Math.max(c.prior, 1e-12)) + c.weight);
  const unlisted = Math.log(unlistedPrior);
  return terms.map((own, i) => own - logSumExp([...terms.filter((_, j) => j !== i), unlisted]));
}
