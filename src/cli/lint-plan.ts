/**
 * What one `epochlint [files...]` run lints with: the config file merged under the flags (flags win),
 * validated with one line per problem; and the exit code of a finished report.
 */
import type { LintSettings } from '../lint.js';
import type { Report, Severity } from '../model/index.js';
import { countFindings } from '../report/counts.js';
import type { FormatName } from '../report/formats.js';
import { SEVERITY_ORDER, meetsFailOn } from '../report/prose.js';
import { loadConfig, toRuleSettings, type ConfigSource } from './config.js';
import { hintsFromOptions, parseWholeNumber } from './hints.js';
import type { LintCommandOptions } from './program.js';

/** Exit codes (design: CLI contract). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FAILURE = 2;

/** The lint of one command line. */
export interface LintPlan {
  inputFormat: string;
  format: FormatName;
  failOn: Severity | 'never';
  maxWarnings: number | null;
  settings: LintSettings;
  /** The config file used, as the report names it. */
  config: ConfigSource | null;
}

/** Merges flags over the config file; flags win. Problems are one line each. */
export function planLint(
  options: LintCommandOptions,
  cwd: string,
): { plan: LintPlan } | { problems: string[] } {
  const problems: string[] = [];
  const loaded = loadConfig({
    cwd,
    ...(typeof options.config === 'string' ? { configPath: options.config } : {}),
    noConfig: options.config === false,
  });
  if (!loaded.ok) return { problems: loaded.problems };
  const config = loaded.loaded.config;
  const { hints, problems: hintProblems } = hintsFromOptions(options);
  problems.push(...hintProblems);
  let maxWarnings: number | null = config.maxWarnings ?? null;
  if (options.maxWarnings !== undefined) {
    const n = parseWholeNumber(options.maxWarnings);
    if (n === null)
      problems.push(`--max-warnings: expected a whole number >= 0, got '${options.maxWarnings}'`);
    else maxWarnings = n;
  }
  if (problems.length > 0) return { problems };
  const metrics = options.metric.length > 0 ? options.metric : (config.metrics ?? []);
  return {
    plan: {
      inputFormat: options.inputFormat ?? config.inputFormat ?? 'auto',
      format: (options.format ?? config.format ?? 'text') as FormatName,
      failOn: (options.failOn ?? config.failOn ?? 'error') as Severity | 'never',
      maxWarnings,
      settings: {
        rules: toRuleSettings(config),
        ignoreMetrics: [...(config.ignoreMetrics ?? []), ...options.ignoreMetric],
        metrics,
        hints: { ...(config.context ?? {}), ...hints },
      },
      config: loaded.loaded.source,
    },
  };
}

/** `--jobs n`: a whole number >= 1. */
export function parseJobs(text: string): { jobs: number } | { problem: string } {
  const n = parseWholeNumber(text);
  if (n === null || n < 1) return { problem: `--jobs: expected a whole number >= 1, got '${text}'` };
  return { jobs: n };
}

/** Findings by severity over a report's files. */
export type Counts = Record<Severity, number>;

/** Exit code 1 when a finding is at or above `failOn`, or warnings exceed `maxWarnings`. */
export function exitCodeForCounts(
  counts: Counts,
  failOn: Severity | 'never',
  maxWarnings: number | null,
): number {
  if (maxWarnings !== null && counts.warning > maxWarnings) return EXIT_FINDINGS;
  const hit = SEVERITY_ORDER.some((s) => counts[s] > 0 && meetsFailOn(s, failOn));
  return hit ? EXIT_FINDINGS : EXIT_OK;
}

/** {@link exitCodeForCounts} of a whole report. */
export function exitCodeFor(report: Report, failOn: Severity | 'never', maxWarnings: number | null): number {
  return exitCodeForCounts(countFindings(report), failOn, maxWarnings);
}
