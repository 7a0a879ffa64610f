/** Number formatting shared by the reporters. */

/** JSON has no NaN or ±Infinity: they are written as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`. */
export function jsonNumberReplacer(_key: string, value: unknown): unknown {
  if (typeof value !== 'number' || Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

/** A metric value for people: 4 significant decimals like Keras, scientific when tiny or huge. */
export function formatMetric(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(4);
  return value.toFixed(4);
}
