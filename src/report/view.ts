/**
 * The view of a report that the human formats (text, markdown, html) lay out: per run its verdict, next
 * step, findings in severity order, the causes split into the ones worth reading and the rest, the
 * reasons several causes share (stated once), and per file its parse issues and notes folded. Pure data,
 * built from the report alone.
 */
import {
  isValidationName,
  findRole,
  metricDirection,
  type Diagnosis,
  type FileReport,
  type Finding,
  type ParseIssue,
  type Report,
  type RunSeries,
  type RunSummary,
  type Severity,
} from '../model/index.js';
import { escapeControl } from './escape.js';
import { diagnosisFields, findingNext, runAxis } from './fields.js';
import {
  SEVERITY_ORDER,
  causeLead,
  causeText,
  cleanSentence,
  detectorText,
  findingMessage,
  isOpenVerdict,
  ruleTitle,
  severityRank,
  sidePhrase,
  trainingClause,
  WORDS,
} from './prose.js';

/** At most this many causes are shown with their reasons by default (the issue: "at most three"). */
export const TOP_CAUSES = 3;

/** The answer of a run: what is wrong, the likely why, and the one thing to do next. */
export interface Headline {
  severity: Severity | 'ok';
  what: string;
  /** What the side of the most likely cause means (`the evaluation changes between epochs, not the model`). */
  side: string | null;
  /** The most likely cause, with its verdict and how many share it. */
  why: string | null;
  next: string | null;
  /** Whether `next` is the top cause's own check (then it is not repeated under the cause). */
  nextIsTopCheck: boolean;
}

/** The best and last value of the run's main validation metric (the runs table). */
export interface PrimaryMetric {
  metric: string;
  best: number | null;
  bestEpoch: number | null;
  last: number | null;
}

/** A finding that recurs, identical, in several runs of one file: shown once. */
export interface FoldedFinding {
  finding: Finding;
  runs: number[];
}

/** Parse issues of one kind and message, with the lines they were met on. */
export interface IssueGroup {
  kind: ParseIssue['kind'];
  message: string;
  lines: number[];
  count: number;
}

export interface RunView {
  file: string;
  index: number;
  /** Number of runs in the file (a run is named `run k` only when there are several). */
  runsInFile: number;
  summary: RunSummary;
  /** Findings of this run, most severe first, without the notes folded into the file (`FileView.folded`). */
  findings: Finding[];
  /** Every finding of this run, most severe first (the text report folds notes by how they read). */
  allFindings: Finding[];
  counts: Record<Severity, number>;
  headline: Headline;
  /** Every diagnosis of the run, best first (as the diagnosis ranked them). */
  diagnoses: Diagnosis[];
  /** The open causes worth reading (at most TOP_CAUSES). */
  top: Diagnosis[];
  /** Open causes beyond the top ones and unlikely ones. */
  considered: Diagnosis[];
  ruledOut: Diagnosis[];
  /** Reason texts every diagnosis of the run gives (the observed pattern): stated once, in `--verbose`. */
  pattern: string[];
  primary: PrimaryMetric | null;
  /** Metric name → whether it is a proportion (differences in points). */
  proportions: ReadonlyMap<string, boolean>;
  /** The unit of the run's time axis when it is not epochs (`step`), else null. */
  axis: string | null;
}

export interface FileView {
  file: string;
  error: string | null;
  format: string | null;
  epochs: number;
  runs: RunView[];
  /** Notes identical across runs of the file. */
  folded: FoldedFinding[];
  issues: IssueGroup[];
}

export interface ReportView {
  files: FileView[];
  runs: RunView[];
  counts: Record<Severity, number>;
  epochs: number;
  unreadable: number;
  /** Several runs were linted (files or runs of one file): the runs table comes first. */
  many: boolean;
  interrupted: Report['interrupted'];
  config: Report['config'];
}

function emptyCounts(): Record<Severity, number> {
  return { error: 0, warning: 0, info: 0 };
}

function countOf(findings: readonly Finding[]): Record<Severity, number> {
  const counts = emptyCounts();
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

function bySeverity(findings: readonly Finding[]): Finding[] {
  // stable: within a severity the detectors' order (epoch span, rule, metric) is kept
  return [...findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
}

function finiteValues(series: RunSeries | undefined, metric: string): number[] {
  return (series?.metrics[metric] ?? []).filter(
    (value): value is number => value !== null && Number.isFinite(value),
  );
}

/** A metric whose name says higher is better and whose values all lie in [0, 1]. */
function isProportion(series: RunSeries | undefined, metric: string): boolean {
  if (metricDirection(metric) !== 'higher') return false;
  const values = finiteValues(series, metric);
  return values.length > 0 && values.every((v) => v >= 0 && v <= 1);
}

/** Validation loss, else the first validation metric, else the training loss, else the first metric. */
export function primaryMetricName(metrics: readonly string[]): string | null {
  return (
    findRole(metrics, 'val_loss') ??
    metrics.find(isValidationName) ??
    findRole(metrics, 'loss') ??
    metrics[0] ??
    null
  );
}

/** Best (by the name's direction) and last value of a metric's curve. */
export function bestAndLast(series: RunSeries | undefined, metric: string): PrimaryMetric {
  const values = series?.metrics[metric] ?? [];
  const epochs = series?.epochs ?? [];
  const direction = metricDirection(metric);
  let best: number | null = null;
  let bestEpoch: number | null = null;
  let last: number | null = null;
  values.forEach((value, i) => {
    if (value === null) return;
    last = value;
    if (!Number.isFinite(value) || direction === null) return;
    if (best === null || (direction === 'lower' ? value < best : value > best)) {
      best = value;
      bestEpoch = epochs[i] ?? null;
    }
  });
  return { metric, best, bestEpoch, last };
}

/** Rendered reason texts of a diagnosis. */
function reasonTexts(d: Diagnosis): string[] {
  return d.reasons.map((r) => causeText(d.cause, r));
}

/** Texts every diagnosis gives (only meaningful with two or more diagnoses). */
function commonTexts(diagnoses: readonly Diagnosis[]): string[] {
  const [first, ...rest] = diagnoses;
  if (first === undefined || rest.length === 0) return [];
  const others = rest.map((d) => new Set(reasonTexts(d)));
  return [...new Set(reasonTexts(first))].filter((text) => others.every((set) => set.has(text)));
}

/**
 * Reason texts given by two or more of `diagnoses` (but not in `exclude`): stated once, under the causes,
 * instead of under each (the assumptions about the validation geometry, typically).
 */
export function sharedTexts(diagnoses: readonly Diagnosis[], exclude: ReadonlySet<string>): string[] {
  const tally = new Map<string, number>();
  for (const d of diagnoses) {
    for (const text of new Set(reasonTexts(d))) tally.set(text, (tally.get(text) ?? 0) + 1);
  }
  return [...tally].filter(([text, n]) => n >= 2 && !exclude.has(text)).map(([text]) => text);
}

function headlineOf(findings: readonly Finding[], diagnoses: readonly Diagnosis[], epochs: number): Headline {
  const top = findings.find((f) => f.severity !== 'info');
  if (top === undefined) {
    const notes = findings.filter((f) => f.severity === 'info').length;
    return {
      severity: 'ok',
      what: cleanSentence(epochs, notes),
      side: null,
      why: null,
      next: null,
      nextIsTopCheck: false,
    };
  }
  const metrics = [
    ...new Set(
      findings
        .filter((f) => f.rule === top.rule && f.severity === top.severity && f.metric !== null)
        .map((f) => escapeControl(f.metric ?? '')),
    ),
  ];
  const clause = trainingClause(top);
  const what = `${ruleTitle(top.rule)}${metrics.length > 0 ? ` (${metrics.join(', ')})` : ''}${clause === null ? '' : ` ${clause}`}`;
  const first = diagnoses[0];
  const ownNext = findingNext(top);
  const fallbackNext =
    ownNext === null ? `${WORDS.explain} ${escapeControl(top.rule)}` : detectorText(top.rule, ownNext);
  const base = { severity: top.severity, what, side: null, nextIsTopCheck: false };
  if (first === undefined) return { ...base, why: null, next: fallbackNext };
  if (!isOpenVerdict(first.verdict)) return { ...base, why: WORDS.noCauseFits, next: fallbackNext };
  const fields = diagnosisFields(first);
  const scored = diagnoses.some((d) => diagnosisFields(d).score !== null);
  // without scores the verdict is all the ranking says: name how many causes share it
  const same = scored ? 1 : diagnoses.filter((d) => d.verdict === first.verdict).length;
  const side = sidePhrase(fields.side);
  const why = causeLead(first, same, fields.tiedWith);
  if (fields.tiedWith.length > 0 && fields.separatedBy !== null) {
    return { ...base, side, why, next: causeText(first.cause, fields.separatedBy) };
  }
  // a cause that is only possible is a guess: the finding's own next step, when it has one, comes first
  if (first.verdict === 'possible' && ownNext !== null) return { ...base, side, why, next: fallbackNext };
  return { ...base, side, why, next: causeText(first.cause, first.check), nextIsTopCheck: true };
}

function foldKey(f: Finding): string {
  return `${f.rule}\u0000${f.severity}\u0000${f.metric ?? ''}\u0000${findingMessage(f)}`;
}

/** Notes (info findings) that are identical in two or more runs of the file. */
function foldNotes(file: FileReport): { folded: FoldedFinding[]; keys: Set<string> } {
  if (file.runs.length < 2) return { folded: [], keys: new Set() };
  const groups = new Map<string, FoldedFinding>();
  for (const f of file.findings) {
    if (f.severity !== 'info') continue;
    const key = foldKey(f);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { finding: f, runs: [f.run] });
    else if (!group.runs.includes(f.run)) group.runs.push(f.run);
  }
  const folded = [...groups.values()].filter((g) => g.runs.length > 1);
  return { folded, keys: new Set(folded.map((g) => foldKey(g.finding))) };
}

/** Parse issues grouped by kind and message (the same note on 40 lines is one line with 40 numbers). */
export function groupIssues(issues: readonly ParseIssue[]): IssueGroup[] {
  const groups = new Map<string, IssueGroup>();
  for (const issue of issues) {
    if (issue.kind === 'no-epochs') continue;
    const message = escapeControl(issue.message);
    const key = `${issue.kind}\u0000${message}`;
    const group = groups.get(key) ?? { kind: issue.kind, message, lines: [], count: 0 };
    group.count += 1;
    if (issue.line !== null) group.lines.push(issue.line);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function runView(file: FileReport, summary: RunSummary, foldedKeys: ReadonlySet<string>): RunView {
  const own = file.findings.filter((f) => f.run === summary.index);
  const allFindings = bySeverity(own);
  const findings = allFindings.filter((f) => !foldedKeys.has(foldKey(f)));
  const diagnoses = file.diagnoses.filter((d) => d.run === summary.index);
  const open = diagnoses.filter((d) => isOpenVerdict(d.verdict));
  const top = open.slice(0, TOP_CAUSES);
  const considered = diagnoses.filter((d) => !top.includes(d) && d.verdict !== 'ruled-out');
  const ruledOut = diagnoses.filter((d) => d.verdict === 'ruled-out');
  const primaryName = primaryMetricName(summary.metrics);
  const proportions = new Map(summary.metrics.map((m) => [m, isProportion(summary.series, m)]));
  return {
    file: file.file,
    index: summary.index,
    runsInFile: file.runs.length,
    summary,
    findings,
    allFindings,
    counts: countOf(own),
    headline: headlineOf(bySeverity(own), diagnoses, summary.epochs),
    diagnoses,
    top,
    considered,
    ruledOut,
    pattern: commonTexts(diagnoses),
    primary: primaryName === null ? null : bestAndLast(summary.series, primaryName),
    proportions,
    axis: runAxis(summary),
  };
}

/**
 * The answer of one run of a file (its verdict, side, most likely cause and next step), as the text
 * report's first lines give it; the CI formats attach it to the run's findings.
 */
export function runAnswer(file: FileReport, run: number): Headline {
  const findings = bySeverity(file.findings.filter((f) => f.run === run));
  const epochs = file.runs.find((r) => r.index === run)?.epochs ?? 0;
  return headlineOf(
    findings,
    file.diagnoses.filter((d) => d.run === run),
    epochs,
  );
}

/** The diagnosis part of a run's answer as sentences (`why: ...`, `next: ...`); empty without a diagnosis. */
export function answerLines(answer: Headline): string[] {
  if (answer.why === null) return [];
  const side = answer.side === null ? '' : `${answer.side}; `;
  return [
    `${WORDS.why}: ${side}${answer.why}`,
    ...(answer.next === null ? [] : [`${WORDS.next}: ${answer.next}`]),
  ];
}

/** Builds the view of a report. */
export function buildView(report: Report): ReportView {
  const files = report.files.map((file): FileView => {
    const { folded, keys } = foldNotes(file);
    return {
      file: file.file,
      error: file.error,
      format: file.format,
      epochs: file.runs.reduce((n, r) => n + r.epochs, 0),
      runs: file.runs.map((summary) => runView(file, summary, keys)),
      folded,
      issues: groupIssues(file.issues),
    };
  });
  const counts = emptyCounts();
  for (const file of report.files) for (const f of file.findings) counts[f.severity] += 1;
  const runs = files.flatMap((f) => f.runs);
  return {
    files,
    runs,
    counts,
    epochs: files.reduce((n, f) => n + f.epochs, 0),
    unreadable: files.filter((f) => f.error !== null).length,
    many: runs.length + files.filter((f) => f.error !== null || f.runs.length === 0).length > 1,
    interrupted: report.interrupted,
    config: report.config,
  };
}

/** The severity of the worst finding, or null. */
export function worstSeverity(counts: Readonly<Record<Severity, number>>): Severity | null {
  return SEVERITY_ORDER.find((s) => counts[s] > 0) ?? null;
}
