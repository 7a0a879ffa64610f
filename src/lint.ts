/**
 * The lint pipeline for one parsed file: context per run, detectors, diagnosis. Pure: records in,
 * a `FileReport` out.
 */
import { DETECTORS, runDetectors, type RuleSetting } from './detect/index.js';
import { toFindings } from './detect/define-detector.js';
import lossNotFinite, { nonFiniteLines } from './detect/detectors/loss-not-finite.js';
import { buildContext, readTrainingCode } from './context/index.js';
import type { CodeFacts } from './context/index.js';
import { diagnose } from './diagnose/diagnose.js';
import type { Dialect, FileReport, Finding, Hints, ParseIssue, Run, RunSummary } from './model/index.js';
import { cadencePhases, trainingTwin, withStatedPhases } from './model/roles.js';
import { parseText } from './parse/index.js';

/** What the user configured: rule settings, metrics to ignore, context hints. */
export interface LintSettings {
  rules: Record<string, RuleSetting>;
  ignoreMetrics: readonly string[];
  /**
   * `--metric`: when not empty, only findings about these metrics (or about the run as a whole) are
   * reported; their training twins stay visible to the rules that compare with them.
   */
  metrics?: readonly string[];
  hints: Hints;
}

/** Default settings: every rule at its default severity, nothing ignored, no hints. */
export const DEFAULT_SETTINGS: LintSettings = { rules: {}, ignoreMetrics: [], hints: {} };

/** The metrics no rule looks at in a run: the ignored ones, and with `--metric` all but the named and their twins. */
export function ignoredIn(run: Run, settings: LintSettings): Set<string> {
  const ignore = new Set(settings.ignoreMetrics);
  const named = settings.metrics ?? [];
  if (named.length === 0) return ignore;
  const names = new Set<string>();
  for (const e of run.epochs) for (const k of Object.keys(e.metrics)) names.add(k);
  const kept = new Set(named);
  for (const n of named) {
    const twin = trainingTwin(n, names);
    if (twin !== null) kept.add(twin);
  }
  for (const n of names) if (!kept.has(n)) ignore.add(n);
  return ignore;
}

/**
 * Whether an input without any epoch record is still linted: its unnumbered lines print a non-finite loss
 * (`nonfinite-unnumbered` issues), a finding in itself. Any other input without records is unreadable
 * (exit 2): a log we cannot read is never reported as clean.
 */
export function lintsWithoutRecords(issues: readonly ParseIssue[]): boolean {
  return issues.some((i) => i.kind === 'nonfinite-unnumbered');
}

/** Lints the runs of one file. */
export function lintRuns(
  file: string,
  format: Dialect | null,
  runs: readonly Run[],
  issues: readonly ParseIssue[],
  settings: LintSettings = DEFAULT_SETTINGS,
  code: CodeFacts | null = null,
  betweenStages?: () => void,
): FileReport {
  const named = new Set(settings.metrics ?? []);
  // every name lookup of a run reads its metrics the way its format states them (`Run.phases`), and an
  // unphased accuracy printed on an evaluation cadence as held-out (`cadencePhases`)
  const phases = runs.map(runPhases);
  const contexts = runs.map((run, i) =>
    withStatedPhases(phases[i], () => buildContext(run, settings.hints, code)),
  );
  betweenStages?.();
  const findings: Finding[] = [];
  runs.forEach((run, i) => {
    const context = contexts[i];
    if (context === undefined) return;
    const found = withStatedPhases(phases[i], () =>
      runDetectors(
        DETECTORS,
        run,
        context,
        { rules: settings.rules, ignoreMetrics: ignoredIn(run, settings) },
        betweenStages,
      ),
    );
    for (const f of found) if (named.size === 0 || f.metric === null || named.has(f.metric)) findings.push(f);
  });
  // no record to lint, but the unnumbered lines print a non-finite loss: said, never "unreadable" only
  const unnumbered = runs.length === 0 ? unnumberedFindings(issues, settings) : [];
  findings.push(...unnumbered);
  const diagnoses = withStatedPhases(statedPhases(phases), () => diagnose(runs, findings, contexts));
  betweenStages?.();
  return {
    file,
    format,
    runs: unnumbered.length > 0 ? [unnumberedRun(unnumbered)] : runs.map(summarize),
    findings,
    diagnoses,
    contexts,
    issues: [...issues],
    error: null,
  };
}

/** The `loss-not-finite` findings of an input without records (its parse issues), under the rule's setting. */
function unnumberedFindings(issues: readonly ParseIssue[], settings: LintSettings): Finding[] {
  const setting = settings.rules[lossNotFinite.id] ?? {};
  if (setting.severity === 'off') return [];
  const named = new Set(settings.metrics ?? []);
  const drafts = nonFiniteLines(issues).filter(
    (d) =>
      (named.size === 0 || d.metric === null || named.has(d.metric)) &&
      !settings.ignoreMetrics.includes(d.metric ?? ''),
  );
  const found = toFindings(lossNotFinite, 0, drafts);
  if (setting.severity !== undefined) for (const f of found) f.severity = setting.severity;
  return found;
}

/**
 * The run the findings of a record-less input are about, so every report shows them where it shows a
 * run's: no epoch (0 records, as parsed), the lines of the values, the metrics they name.
 */
function unnumberedRun(findings: readonly Finding[]): RunSummary {
  const lines = findings.flatMap((f) => {
    const cited = f.evidence.lines;
    return Array.isArray(cited) ? cited.filter((l): l is number => typeof l === 'number') : [];
  });
  const first = lines.reduce((a, b) => Math.min(a, b), lines[0] ?? 1);
  const last = lines.reduce((a, b) => Math.max(a, b), lines[0] ?? 1);
  return {
    index: 0,
    epochs: 0,
    firstEpoch: null,
    lastEpoch: null,
    fromLine: first,
    toLine: last,
    metrics: [...new Set(findings.map((f) => f.metric).filter((m): m is string => m !== null))],
  };
}

/** The phases of a run's metrics that their names do not say: its format's (`Run.phases`), then its cadence's. */
function runPhases(run: Run): Run['phases'] {
  const cadence = cadencePhases(run);
  return Object.keys(cadence).length === 0 ? run.phases : { ...cadence, ...run.phases };
}

/** The phases the runs of a file state, merged (the runs of one file share a format; the first run wins). */
function statedPhases(phases: ReadonlyArray<Run['phases']>): Run['phases'] {
  let merged: NonNullable<Run['phases']> | undefined;
  for (const p of phases) {
    if (p === undefined) continue;
    merged = { ...p, ...merged };
  }
  return merged;
}

function summarize(run: Run): RunSummary {
  const metrics = new Set<string>();
  for (const e of run.epochs) for (const k of Object.keys(e.metrics)) metrics.add(k);
  return {
    index: run.index,
    epochs: run.epochs.length,
    firstEpoch: run.epochs[0]?.epoch ?? null,
    lastEpoch: run.epochs.at(-1)?.epoch ?? null,
    fromLine: run.source.fromLine,
    toLine: run.source.toLine,
    metrics: [...metrics],
    ...(run.axis === undefined || run.axis === 'epoch' ? {} : { axis: run.axis }),
  };
}

/**
 * Parses and lints a whole input held in memory, with the training code found in it (and `script`, as
 * `--script` gives it): tests and `npm run lab` lint exactly as the CLI does.
 */
export async function lintText(
  file: string,
  input: string | Uint8Array,
  settings: LintSettings = DEFAULT_SETTINGS,
  script: { text: string; file: string } | null = null,
): Promise<FileReport> {
  const { runs, issues, summary } = parseText(input, { file });
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  const code = await readTrainingCode({ text, file: null }, script);
  return lintRuns(file, summary.dialect, runs, issues, settings, code);
}
