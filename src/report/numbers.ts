/** Numbers in JSON documents; the numbers people read are formatted in `prose.ts`. */
export { formatMetric } from './prose.js';

/** JSON has no NaN or ±Infinity: they are written as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`. */
export function jsonNumberReplacer(_key: string, value: unknown): unknown {
  if (typeof value !== 'number' || Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}
