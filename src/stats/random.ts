/**
 * Seeded random numbers for simulations and permutation tests (design.md: "Seed every random procedure so output
 * is reproducible"). A {@link RandomSource} has the shape simple-statistics expects for `permutationTest` and
 * `shuffle`, so it can be passed there directly.
 */

/** A function returning uniform numbers in [0, 1), like `Math.random`. */
export type RandomSource = () => number;

/** SplitMix32 step, used only to spread a 32-bit seed over xoshiro's 128-bit state. */
function splitMix32(state: { value: number }): number {
  state.value = (state.value + 0x9e3779b9) | 0;
  let t = state.value ^ (state.value >>> 16);
  t = Math.imul(t, 0x21f0aaad);
  t ^= t >>> 15;
  t = Math.imul(t, 0x735a2d97);
  t ^= t >>> 15;
  return t >>> 0;
}

/**
 * xoshiro128** (Blackman & Vigna 2018): a fast 32-bit generator with a 2^128 − 1 period that passes BigCrush,
 * seeded through SplitMix32. The same seed gives the same stream on every platform (integer arithmetic only).
 */
export function createRandom(seed: number): RandomSource {
  const seeder = { value: seed | 0 };
  let s0 = splitMix32(seeder);
  let s1 = splitMix32(seeder);
  let s2 = splitMix32(seeder);
  let s3 = splitMix32(seeder);
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  return () => {
    const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotateLeft(s3, 11);
    return (result >>> 0) / 4294967296;
  };
}

function rotateLeft(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** One standard normal draw (Box–Muller; uses two uniforms). */
export function randomNormal(random: RandomSource): number {
  const u1 = 1 - random(); // (0, 1], so the log is finite
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** One Gamma(shape, 1) draw (Marsaglia & Tsang 2000; shape < 1 via the u^(1/shape) boost). */
export function randomGamma(random: RandomSource, shape: number): number {
  if (!(shape > 0)) return Number.NaN;
  if (shape < 1) return randomGamma(random, shape + 1) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = randomNormal(random);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - random();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** One Student-t draw with `df` > 0 degrees of freedom: Z / sqrt(χ²_df / df). */
export function randomStudentT(random: RandomSource, df: number): number {
  const z = randomNormal(random);
  const chiSquare = 2 * randomGamma(random, df / 2);
  return z / Math.sqrt(chiSquare / df);
}

/** n iid normal draws with mean 0 and standard deviation `sd`. */
export function normalSeries(random: RandomSource, n: number, sd = 1): number[] {
  return Array.from({ length: n }, () => sd * randomNormal(random));
}

/**
 * n iid Student-t draws scaled to standard deviation `sd` (needs df > 2), the heavy-tailed null of
 * statistics.md Appendix S (t(3) scaled to SD σ).
 */
export function studentTSeries(random: RandomSource, n: number, df: number, sd = 1): number[] {
  const scale = sd * Math.sqrt((df - 2) / df);
  return Array.from({ length: n }, () => scale * randomStudentT(random, df));
}

/**
 * Stationary AR(1) noise e_t = φ·e_{t−1} + u_t with marginal standard deviation `sd` (|φ| < 1), started from
 * the stationary distribution: the autocorrelated null of statistics.md Appendix S (φ = 0.6).
 */
export function ar1Series(random: RandomSource, n: number, phi: number, sd = 1): number[] {
  const innovationSd = sd * Math.sqrt(1 - phi * phi);
  const out: number[] = [];
  let previous = sd * randomNormal(random);
  for (let t = 0; t < n; t++) {
    if (t > 0) previous = phi * previous + innovationSd * randomNormal(random);
    out.push(previous);
  }
  return out;
}
