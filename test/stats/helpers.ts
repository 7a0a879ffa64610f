import { expect } from 'vitest';

/** Asserts |actual − expected| ≤ tolerance · |expected| (absolute when expected is 0). */
export function expectRelative(actual: number, expected: number, tolerance: number): void {
  const scale = expected === 0 ? 1 : Math.abs(expected);
  expect(Math.abs(actual - expected) / scale, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** The founding case (val_acc of a Keras CNN, 39 epochs): high on epochs 1, 3, 5, … (index 0, 2, 4, …). */
export const FOUNDING_VAL_ACC = [
  0.9548, 0.6604, 0.9558, 0.8385, 0.9745, 0.806, 0.9695, 0.766, 0.985, 0.8033, 0.9834, 0.7792, 0.9796, 0.7306,
  0.9761, 0.706, 0.9853, 0.7435, 0.9778, 0.7665, 0.9873, 0.7817, 0.9877, 0.8023, 0.9844, 0.7046, 0.9855,
  0.6762, 0.9859, 0.7298, 0.9857, 0.8479, 0.9859, 0.8056, 0.9873, 0.7121, 0.9869, 0.8646, 0.9861,
];

/** Training accuracy of the same run: a smooth rise with no alternation. */
export const FOUNDING_TRAIN_ACC = [
  0.6161, 0.848, 0.8695, 0.883, 0.8895, 0.8982, 0.9076, 0.916, 0.9213, 0.9258, 0.9285, 0.9342, 0.9361, 0.9356,
  0.9387, 0.9398, 0.9397, 0.9416, 0.9429, 0.9439, 0.9447, 0.9463, 0.9444, 0.9467, 0.9466, 0.9474, 0.9492,
  0.9499, 0.9488, 0.9513, 0.9504, 0.9506, 0.9495, 0.9516, 0.9521, 0.9511, 0.9548, 0.9512, 0.9528,
];

/** The simulation curve of statistics.md Appendix S: exp(−t/max(2, n/4)) + 0.3 (loss-like). */
export function lossCurve(n: number): number[] {
  return Array.from({ length: n }, (_, t) => Math.exp(-t / Math.max(2, n / 4)) + 0.3);
}

/** (−1)^t: +1 on even indices. */
export function parity(t: number): number {
  return t % 2 === 0 ? 1 : -1;
}
