/**
 * Which fractions k / n a printed number can be. An accuracy accumulated as total / count in float32 and
 * printed with all its digits is exactly float32(k / n); one printed with d decimals is k / n rounded to d
 * decimals. Pure number theory: nothing here knows about logs.
 */

/** Half the gap between float32 neighbours of x (the float32 rounding interval is this wide on each side). */
export function float32HalfUlp(x: number): number {
  const a = Math.abs(x);
  if (a === 0) return 2 ** -150;
  // float32 has a 24-bit significand: neighbours of a ∈ [2^e, 2^(e+1)) are 2^(e−23) apart
  const exponent = Math.max(Math.floor(Math.log2(a)), -126);
  return 2 ** (exponent - 24);
}

/** Is x exactly a float32 value (as a float32 printed with all its digits, then read as a float64, is)? */
export function isFloat32(x: number): boolean {
  return Number.isFinite(x) && Math.fround(x) === x;
}

/** The k in [0, n] with float32(k / n) === value, or null (k / n computed in float64, then rounded once). */
export function float32Numerator(value: number, n: number): number | null {
  const k = Math.round(value * n);
  // k, then k − 1, then k + 1 (no array: this runs for every denominator of a search)
  for (let step = 0; step < 3; step++) {
    const candidate = step === 0 ? k : step === 1 ? k - 1 : k + 1;
    if (candidate < 0 || candidate > n) continue;
    if (Math.fround(candidate / n) === value) return candidate;
  }
  return null;
}

/** decimalNumerator's tolerance by number of decimals (computed once each). */
const TOLERANCES: number[] = [];

function decimalTolerance(decimals: number): number {
  let tolerance = TOLERANCES[decimals];
  if (tolerance === undefined) {
    tolerance = 0.5 * 10 ** -decimals + 1e-9;
    if (Number.isInteger(decimals) && decimals >= 0 && decimals <= 64) TOLERANCES[decimals] = tolerance;
  }
  return tolerance;
}

/** The k in [0, n] with k / n rounding to `value` at `decimals` decimals, or null. */
export function decimalNumerator(value: number, n: number, decimals: number): number | null {
  const k = Math.round(value * n);
  // half a unit of the last printed decimal, plus room for the float32 value that was printed
  const tolerance = decimalTolerance(decimals);
  if (k < 0 || k > n) return null;
  return Math.abs(k / n - value) <= tolerance ? k : null;
}

/** The smallest n ≤ max (and its k) with float32(k / n) === value; null when none fits. */
export function smallestFloat32Fraction(value: number, max: number): { n: number; k: number } | null {
  if (!isFloat32(value) || value < 0 || value > 1) return null;
  for (let n = 1; n <= max; n += 1) {
    const k = float32Numerator(value, n);
    if (k !== null) return { n, k };
  }
  return null;
}

/**
 * Expected number of denominators below n that would fit a float32 value by chance: for a denominator m the
 * fractions k / m are 1/m apart, so one falls inside the rounding interval (width 2·halfUlp) with
 * probability ≈ m·2·halfUlp; summed over m < n that is ≈ halfUlp·n². Far below 1: n is pinned down.
 */
export function float32ChanceFit(value: number, n: number): number {
  return float32HalfUlp(value) * n * n;
}

/**
 * The smallest n ≤ max that fits every value at `decimals` decimals (k / n rounded), with the expected
 * number of smaller denominators that would fit all of them by chance. Null when no n ≤ max fits.
 */
export function smallestCommonDecimalCount(
  values: readonly number[],
  decimals: number,
  max: number,
): { n: number; chanceFit: number } | null {
  if (values.length === 0) return null;
  const width = 10 ** -decimals;
  let chance = 0;
  for (let n = 1; n <= max; n += 1) {
    if (values.every((v) => decimalNumerator(v, n, decimals) !== null)) return { n, chanceFit: chance };
    // a random value fits denominator n with probability ≈ (n + 1)·width (each of the n + 1 fractions
    // covers one rounding interval); m values all fit with that probability to the m-th power
    const single = Math.min(1, (n + 1) * width);
    chance += single ** values.length;
  }
  return null;
}

/** Does n fit every value (float32 digits, or `decimals` decimals)? */
export function fitsAll(values: readonly number[], n: number, decimals: number | null): boolean {
  return values.every((v) =>
    decimals === null ? float32Numerator(v, n) !== null : decimalNumerator(v, n, decimals) !== null,
  );
}

/** Greatest common divisor and least common multiple of positive integers. */
export function gcdInt(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

export function lcmInt(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : (a / gcdInt(a, b)) * b;
}

/** Decimals of the shortest round-trip representation of x (0.9548 → 4, 0.5 → 1, 1 → 0). */
export function printedDecimals(x: number): number {
  const text = String(Math.abs(x));
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent) {
    const mantissa = text.slice(0, text.indexOf('e'));
    const dot = mantissa.indexOf('.');
    return Number(exponent[1]) + (dot < 0 ? 0 : mantissa.length - dot - 1);
  }
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}
