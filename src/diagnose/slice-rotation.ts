/**
 * The arithmetic of validation-slice rotation (spec/causes.md §2.1, §2.3): a persistent Keras image
 * iterator over `N` samples in batches of `b` has `L = ceil(N / b)` batches per pass (the last one partial),
 * and an epoch that draws `c = s + w` batches moves the next epoch's window by `r = c mod L` batches.
 * Pure functions, no knowledge of logs.
 */

/** The numbers that fix the validation windows. */
export interface RotationInput {
  /** N: samples in the validation set. */
  samples: number;
  /** b: batch size of the validation iterator. */
  batchSize: number;
  /** s: validation steps evaluated per epoch. */
  steps: number;
  /** w: batches drawn per epoch besides the `s` evaluated ones (discarded prefetch, other consumers). */
  extraDraws?: number;
}

/** How the evaluated window moves from epoch to epoch. */
export interface Rotation {
  samples: number;
  batchSize: number;
  steps: number;
  extraDraws: number;
  /** L = ceil(N / b): batches in one pass of the iterator. */
  passLength: number;
  /** Images in the last (partial) batch of a pass; equals b when b divides N. */
  lastBatch: number;
  /** c = s + w: batches drawn per epoch. */
  draws: number;
  /** r = c mod L: batches the window start moves per epoch. */
  shift: number;
  /** T = L / gcd(r, L): epochs until the window sequence repeats (1 when r = 0). */
  period: number;
  /** r = 0: the same window is evaluated every epoch (no oscillation; possibly a biased subset). */
  sameWindowEveryEpoch: boolean;
  /** L even and r = L/2: consecutive epochs evaluate the two alternating windows, forever. */
  exactPeriod2: boolean;
  /** d = r − L/2 in batches (0 for exact period 2). */
  halfPassOffset: number;
  /** s·b ≥ N: every sample is evaluated each epoch (rotation cannot change the composition much). */
  coversAll: boolean;
  /** The largest difference between the windows of any two epochs (spec §2.3: `2·(L − s)` batches). */
  maxDifference: {
    /** Batches in the symmetric difference of two windows. */
    batches: number;
    /** Upper bound in images: batches × b. */
    images: number;
    /** images / N. */
    fraction: number;
  };
}

/** Whether the rotation looks like period `k` over a run of epochs (spec §2.3 "apparent period"). */
export interface ApparentPeriod {
  period: number;
  /** The rotation is exactly periodic with period k. */
  exact: boolean;
  /** The window moves ≈ j/k of a pass per epoch, with gcd(j, k) = 1 (j = 1 for k = 2). */
  step: number;
  /** Batches by which k epochs miss a whole number of passes (0 when exact). */
  drift: number;
  /** Epochs the phase survives: L / drift (Infinity when exact). For k = 2 this is L / (2|d|). */
  phaseEpochs: number;
  /** Apparent period k holding for at least `minEpochs` epochs. */
  matches: boolean;
}

/** The window one epoch evaluates. */
export interface EpochWindow {
  /** 1-based epoch. */
  epoch: number;
  /** 0-based batch of the pass the window starts at. */
  startBatch: number;
  /** 0-based index of the first image of the window. */
  startImage: number;
  /** Images evaluated (with multiplicity when s > L). */
  images: number;
  /** Contiguous 0-based image ranges [first, last], in evaluation order. */
  ranges: Array<[number, number]>;
}

/** Greatest common divisor of two non-negative integers. */
export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

function requireCount(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(`${name} must be an integer ≥ ${minimum}, got ${value}`);
  }
}

/**
 * The rotation of a persistent validation iterator (spec §2.3). Throws a RangeError when N, b, s are not
 * positive integers or w is negative.
 */
export function sliceRotation(input: RotationInput): Rotation {
  const { samples, batchSize, steps } = input;
  const extraDraws = input.extraDraws ?? 0;
  requireCount('samples', samples, 1);
  requireCount('batchSize', batchSize, 1);
  requireCount('steps', steps, 1);
  requireCount('extraDraws', extraDraws, 0);
  const passLength = Math.ceil(samples / batchSize);
  const lastBatch = samples - (passLength - 1) * batchSize;
  const draws = steps + extraDraws;
  const shift = draws % passLength;
  const period = shift === 0 ? 1 : passLength / gcd(shift, passLength);
  return {
    samples,
    batchSize,
    steps,
    extraDraws,
    passLength,
    lastBatch,
    draws,
    shift,
    period,
    sameWindowEveryEpoch: shift === 0,
    exactPeriod2: passLength % 2 === 0 && shift === passLength / 2,
    halfPassOffset: shift - passLength / 2,
    coversAll: steps * batchSize >= samples,
    maxDifference: maxDifference(samples, batchSize, steps, passLength, shift),
  };
}

/**
 * Two windows of `m = s mod L` batches on a cycle of L batches whose starts differ by δ batches
 * (δ' = min(δ, L − δ)) differ in 2·min(δ', m, L − m) batches; the reachable offsets are the multiples
 * of gcd(r, L), so the largest reachable δ' is the largest such multiple ≤ L/2.
 */
function maxDifference(
  samples: number,
  batchSize: number,
  steps: number,
  passLength: number,
  shift: number,
): Rotation['maxDifference'] {
  const partial = steps % passLength;
  if (shift === 0 || partial === 0) return { batches: 0, images: 0, fraction: 0 };
  const g = gcd(shift, passLength);
  const farthest = g * Math.floor(passLength / (2 * g));
  const batches = 2 * Math.min(farthest, partial, passLength - partial);
  const images = Math.min(batches * batchSize, samples);
  return { batches, images, fraction: images / samples };
}

/**
 * Does the rotation look like period `k` for at least `minEpochs` epochs? True when r ≈ j·L/k with
 * gcd(j, k) = 1: k epochs then move the window by j passes plus a drift, and the phase survives about
 * L / drift epochs (spec §2.3: `L = 651, s = 325` → ≈ 651 epochs; `L = 326, s = 162` → 163).
 */
export function apparentPeriod(rotation: Rotation, k: number, minEpochs: number): ApparentPeriod {
  requireCount('k', k, 2);
  const L = rotation.passLength;
  const j = Math.round((rotation.shift * k) / L);
  const drift = Math.abs(rotation.shift * k - j * L);
  const step = j % k;
  const phaseEpochs = drift === 0 ? Number.POSITIVE_INFINITY : L / drift;
  const exact = rotation.period === k;
  const aligned = step !== 0 && gcd(step, k) === 1 && rotation.shift !== 0;
  return { period: k, exact, step, drift, phaseEpochs, matches: aligned && phaseEpochs >= minEpochs };
}

/** Window start at epoch e (1-based): o_e = (e − 1)·c mod L, in batches. */
export function windowStart(rotation: Rotation, epoch: number): number {
  requireCount('epoch', epoch, 1);
  // BigInt-free modular product: (e − 1)·c can exceed 2^53 only for absurd runs; reduce c first.
  return (((epoch - 1) % rotation.passLength) * (rotation.draws % rotation.passLength)) % rotation.passLength;
}

/** The images epoch `epoch` evaluates (keras-preprocessing `Iterator` index logic, spec §2.1). */
export function epochWindow(rotation: Rotation, epoch: number): EpochWindow {
  const { passLength: L, batchSize: b, samples: N } = rotation;
  const startBatch = windowStart(rotation, epoch);
  const ranges: Array<[number, number]> = [];
  let images = 0;
  for (let j = 0; j < rotation.steps; j++) {
    const batch = (startBatch + j) % L;
    const first = batch * b;
    const last = Math.min(first + b, N) - 1;
    images += last - first + 1;
    const previous = ranges[ranges.length - 1];
    if (previous && previous[1] + 1 === first) previous[1] = last;
    else ranges.push([first, last]);
  }
  return { epoch, startBatch, startImage: startBatch * b, images, ranges };
}

/** The windows of epochs 1..epochs. */
export function epochWindows(rotation: Rotation, epochs: number): EpochWindow[] {
  const out: EpochWindow[] = [];
  for (let e = 1; e <= epochs; e++) out.push(epochWindow(rotation, e));
  return out;
}

/**
 * Class fractions of a window when the iterator holds sorted class blocks (`flow_from_directory` with
 * `shuffle=False`: class 0 = the first `classCounts[0]` images, ...). Images beyond the counted blocks
 * belong to no class, so fractions then sum to less than 1.
 */
export function classFractions(window: EpochWindow, classCounts: readonly number[]): number[] {
  const fractions: number[] = [];
  let blockStart = 0;
  for (const count of classCounts) {
    const blockEnd = blockStart + count - 1;
    let inside = 0;
    for (const [first, last] of window.ranges) {
      const from = Math.max(first, blockStart);
      const to = Math.min(last, blockEnd);
      if (to >= from) inside += to - from + 1;
    }
    fractions.push(window.images === 0 ? 0 : inside / window.images);
    blockStart += count;
  }
  return fractions;
}

/**
 * Integer batch sizes near `around` for which the given N and s rotate with apparent period k for at
 * least `minEpochs` epochs, exact periods first, then by distance from `around` (the "what would produce
 * it" alternative: e.g. N = 10401, s = 325 → b = 16, L = 651).
 */
export function batchSizesForPeriod(
  samples: number,
  steps: number,
  k: number,
  minEpochs: number,
  around: number,
  limit = 4096,
): Rotation[] {
  const found: Array<{ rotation: Rotation; exact: boolean }> = [];
  const top = Math.min(limit, samples);
  for (let b = 1; b <= top; b++) {
    const rotation = sliceRotation({ samples, batchSize: b, steps });
    const apparent = apparentPeriod(rotation, k, minEpochs);
    if (apparent.matches) found.push({ rotation, exact: apparent.exact });
  }
  found.sort(
    (x, y) =>
      Math.abs(x.rotation.batchSize - around) - Math.abs(y.rotation.batchSize - around) ||
      x.rotation.batchSize - y.rotation.batchSize,
  );
  return found.map((f) => f.rotation);
}

/**
 * The shifts r (1..L − 1) that rotate a pass of L batches with apparent period k for at least `minEpochs`
 * epochs: |k·r − j·L| ≤ L / minEpochs for some j prime to k, i.e. r within L / (k·minEpochs) of j·L/k.
 * Ascending.
 */
export function shiftsForPeriod(passLength: number, k: number, minEpochs: number): number[] {
  requireCount('passLength', passLength, 1);
  requireCount('k', k, 2);
  const tolerance = passLength / (k * Math.max(1, minEpochs));
  const shifts = new Set<number>();
  for (let j = 1; j < k; j++) {
    if (gcd(j, k) !== 1) continue;
    const centre = (j * passLength) / k;
    const from = Math.max(1, Math.ceil(centre - tolerance));
    const to = Math.min(passLength - 1, Math.floor(centre + tolerance));
    for (let r = from; r <= to; r++) shifts.add(r);
  }
  return [...shifts].sort((x, y) => x - y);
}

/**
 * Numbers of validation steps (1..L) for which N and b rotate with apparent period k for at least
 * `minEpochs` epochs, exact periods first, then ascending (N = 10401, b = 32 → s = 163).
 */
export function stepsForPeriod(samples: number, batchSize: number, k: number, minEpochs: number): Rotation[] {
  const passLength = Math.ceil(samples / batchSize);
  return shiftsForPeriod(passLength, k, minEpochs)
    .map((steps) => sliceRotation({ samples, batchSize, steps }))
    .filter((rotation) => apparentPeriod(rotation, k, minEpochs).matches)
    .sort((x, y) => Number(y.period === k) - Number(x.period === k) || x.steps - y.steps);
}

/** Extra draws per epoch (0..L − 1) that give apparent period k for at least `minEpochs` epochs, ascending. */
export function extraDrawsForPeriod(input: RotationInput, k: number, minEpochs: number): number[] {
  const passLength = Math.ceil(input.samples / input.batchSize);
  return shiftsForPeriod(passLength, k, minEpochs)
    .map((shift) => (((shift - input.steps) % passLength) + passLength) % passLength)
    .filter((w) => apparentPeriod(sliceRotation({ ...input, extraDraws: w }), k, minEpochs).matches)
    .sort((x, y) => x - y);
}

/** A rotation that reproduces a cycle of evaluated sample counts. */
export interface CountsRotation {
  samples: number;
  batchSize: number;
  steps: number;
  passLength: number;
  lastBatch: number;
}

/**
 * The rotations (validation_steps alone, no extra draws) that evaluate windows of exactly the counted sizes,
 * epoch by epoch, with the counted period: the windows hold s·b images, or s·b − (b − last batch) when the
 * partial last batch of the pass falls inside. N is the stated set size, else the total of one cycle
 * divided by the passes it makes (T·s batches = j passes). Smallest batch sizes first.
 */
export function countsGeometry(
  counts: { counts: readonly number[]; period: number | null; firstEpoch: number | null },
  samples: number | null,
): { samples: number | null; candidates: CountsRotation[] } {
  const period = counts.period;
  if (period === null || counts.counts.length !== period) return { samples, candidates: [] };
  const largest = Math.max(...counts.counts);
  const total = counts.counts.reduce((a, b) => a + b, 0);
  const sizes = samples !== null ? [samples] : Array.from({ length: period }, (_, j) => total / (j + 1));
  const first = counts.firstEpoch ?? 1;
  const candidates: CountsRotation[] = [];
  let used: number | null = samples;
  for (const n of sizes) {
    if (!Number.isInteger(n) || n < largest) continue;
    for (let b = 1; b <= largest; b += 1) {
      if (largest % b !== 0) continue;
      const steps = largest / b;
      const rotation = sliceRotation({ samples: n, batchSize: b, steps });
      if (rotation.period !== period || rotation.coversAll) continue;
      let all = true;
      for (let k = 0; k < period && all; k += 1) {
        const window = epochWindow(rotation, first + k);
        if (window.images !== counts.counts[k]) all = false;
      }
      if (!all) continue;
      used = n;
      candidates.push({
        samples: n,
        batchSize: b,
        steps,
        passLength: rotation.passLength,
        lastBatch: rotation.lastBatch,
      });
    }
    if (candidates.length > 0) break;
  }
  return { samples: used, candidates };
}
