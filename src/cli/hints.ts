/** Turning the context flags into validated `Hints`, with one friendly line per problem. */
import { Hints } from '../model/index.js';
import type { LintCommandOptions } from './program.js';
import { CHECK } from '../model/check.js';

/**
 * A whole number written the way people write counts: decimal digits only (surrounding blanks
 * allowed), no sign, no `0x10`, `1e3`, `1_000` or `16.0`, and small enough to be exact. `Number()`
 * accepts all of those, so it is not used alone. Null when the text is not such a number.
 */
export function parseWholeNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 15) return null;
  for (let i = 0; i < trimmed.length; i += 1) {
    const c = trimmed.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return Number(trimmed);
}

/** Hints from the flags, or the problems found (`--val-batch-size: expected a positive integer`). */
export function hintsFromOptions(options: LintCommandOptions): { hints: Hints; problems: string[] } {
  const problems: string[] = [];
  const int = (flag: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const n = parseWholeNumber(value);
    if (n === null || n <= 0) {
      problems.push(`${flag}: expected a positive integer, got '${value}'`);
      return undefined;
    }
    return n;
  };
  const bool = (flag: string, value: string | undefined): boolean | undefined => {
    if (value === undefined) return undefined;
    const v = value.toLowerCase();
    if (['true', 'yes', '1'].includes(v)) return true;
    if (['false', 'no', '0'].includes(v)) return false;
    problems.push(`${flag}: expected yes/no or true/false, got '${value}'`);
    return undefined;
  };
  const counts =
    options.valClassCounts === undefined
      ? undefined
      : options.valClassCounts.split(',').map((c) => {
          const n = parseWholeNumber(c);
          if (n === null) {
            problems.push(
              `--val-class-counts: expected comma-separated counts like 5200,5201, got '${options.valClassCounts}'`,
            );
          }
          return n ?? 0;
        });
  const valData = options.valData;
  if (valData !== undefined && !['generator', 'sequence', 'dataset', 'arrays'].includes(valData)) {
    problems.push(`--val-data: expected generator, sequence, dataset or arrays, got '${valData}'`);
  }
  const raw = {
    valSamples: int('--val-samples', options.valSamples),
    valBatchSize: int('--val-batch-size', options.valBatchSize),
    valSteps: int('--val-steps', options.valSteps),
    trainSamples: int('--train-samples', options.trainSamples),
    batchSize: int('--batch-size', options.batchSize),
    stepsPerEpoch: int('--steps-per-epoch', options.stepsPerEpoch),
    valClassCounts: counts,
    valShuffle: bool('--val-shuffle', options.valShuffle),
    valData,
    kerasVersion: options.kerasVersion,
    workers: int('--workers', options.workers),
    batchnorm: bool('--batchnorm', options.batchnorm),
  };
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  if (problems.length > 0) return { hints: {}, problems: [...new Set(problems)] };
  const parsed = Hints.safeParse(defined, CHECK);
  if (!parsed.success) {
    return { hints: {}, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  }
  return { hints: parsed.data, problems: [] };
}
