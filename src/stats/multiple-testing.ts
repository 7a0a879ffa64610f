/**
 * Multiple-testing adjustments (statistics.md B2 "Multiple testing": Holm for CI-failing findings,
 * Benjamini–Hochberg for informational lists, Bonferroni over scanned periods).
 *
 * Non-finite entries (NaN) are returned as NaN and do not count towards the family size.
 */

function finiteIndices(pValues: readonly number[]): number[] {
  const indices: number[] = [];
  pValues.forEach((p, i) => {
    if (Number.isFinite(p)) indices.push(i);
  });
  return indices;
}

/**
 * Holm (1979) step-down adjusted p-values, in the input order: sort ascending, multiply the i-th smallest
 * (1-based) by m − i + 1, carry the running maximum forward, cap at 1. Controls the family-wise error rate
 * under any dependence; reject where adjusted p ≤ α. Same output as R `p.adjust(p, "holm")`.
 */
export function holm(pValues: readonly number[]): number[] {
  const out = pValues.map(() => Number.NaN);
  const indices = finiteIndices(pValues).sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const m = indices.length;
  let running = 0;
  indices.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] as number)));
    out[index] = running;
  });
  return out;
}

/**
 * Benjamini–Hochberg (1995) step-up adjusted p-values (false discovery rate), in the input order. Same output as
 * R `p.adjust(p, "BH")`.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const out = pValues.map(() => Number.NaN);
  const indices = finiteIndices(pValues).sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const m = indices.length;
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = indices[rank] as number;
    running = Math.min(running, (m / (rank + 1)) * (pValues[index] as number));
    out[index] = running;
  }
  return out;
}

/** Bonferroni: min(1, m·p) with m the number of finite p-values (statistics.md B3 step 8, scanned periods). */
export function bonferroni(pValues: readonly number[]): number[] {
  const m = finiteIndices(pValues).length;
  return pValues.map((p) => (Number.isFinite(p) ? Math.min(1, m * p) : Number.NaN));
}
