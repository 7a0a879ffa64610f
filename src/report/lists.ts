/**
 * Array helpers that never spread data into arguments: `push(...rows)` and `Math.max(...widths)` overflow
 * the stack past about 100k items (the probe's 50k-run report did), and a report's rows grow with the input.
 */

/** Appends every item of `items` to `target`, in order. */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values`, or `floor` when there is none larger. */
export function maxOf(values: Iterable<number>, floor = -Infinity): number {
  let max = floor;
  for (const v of values) if (v > max) max = v;
  return max;
}
