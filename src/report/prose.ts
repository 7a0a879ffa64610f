/**
 * The words and numbers every report shares (text, markdown, html, github, junit, sarif, the live status):
 * severity and verdict orders and names, plurals, number formatting, message rendering, the one-line
 * figures of a finding, and the sentences of the verdict. Reporters lay these out; they do not phrase.
 */
import { findCause } from '../diagnose/causes/index.js';
import { findDetector } from '../detect/index.js';
import { Severity, Verdict, type Diagnosis, type Finding, type Reason, type Scalar } from '../model/index.js';
import { escapeControl } from './escape.js';

/** Most severe first: the order findings are shown in (from the model's enum, the one source). */
export const SEVERITY_ORDER: readonly Severity[] = Severity.options;

/** Strongest first: the order of verdicts (from the model's enum). */
export const VERDICT_ORDER: readonly Verdict[] = Verdict.options;

/** 0 for the most severe. */
export function severityRank(severity: Severity): number {
  return SEVERITY_ORDER.indexOf(severity);
}

/** 0 for the strongest verdict. */
export function verdictRank(verdict: Verdict): number {
  return VERDICT_ORDER.indexOf(verdict);
}

/** Whether a finding of this severity fails under `failOn` (`never`: nothing fails). */
export function meetsFailOn(severity: Severity, failOn: Severity | 'never'): boolean {
  return failOn !== 'never' && severityRank(severity) <= severityRank(failOn);
}

/** Verdicts that leave a cause in the running (shown with reasons); the others are listed by name. */
export function isOpenVerdict(verdict: Verdict): boolean {
  return verdictRank(verdict) <= verdictRank('possible');
}

/** The label of a severity in reports: `info` findings are notes to the reader. */
export const SEVERITY_LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

/** One-character marks, as linters print them; `ok` for a clean run. */
export const MARK: Record<Severity | 'ok', string> = { error: '✖', warning: '▲', info: '·', ok: '✔' };

const NOUNS = {
  file: ['file', 'files'],
  run: ['run', 'runs'],
  epoch: ['epoch', 'epochs'],
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  info: ['note', 'notes'],
  issue: ['parse issue', 'parse issues'],
  cause: ['cause', 'causes'],
  finding: ['finding', 'findings'],
  lrChange: ['learning-rate change', 'learning-rate changes'],
} as const;
type Noun = keyof typeof NOUNS;

/** `1 run`, `2 runs`, `0 errors`. */
export function count(n: number, noun: Noun): string {
  const [one, many] = NOUNS[noun];
  return `${n} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------------
// Numbers

/** A number in prose: 4 significant digits, scientific for tiny p-values and huge counts. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-4 || abs >= 1e7) return value.toExponential(2);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** A metric value as Keras prints it: 4 decimals, scientific when tiny or huge. */
export function formatMetric(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(4);
  return value.toFixed(4);
}

/** A figure for the eye: 3 significant digits (`10.4`, `0.0339`, `21.8`), whole numbers as they are. */
export function formatFigure(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e6) {
    const [mantissa = '0', exponent = '0'] = value.toExponential(2).split('e');
    return `${Number(mantissa)}e${exponent}`;
  }
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(3)));
}

/** A difference of a proportion (accuracy, AUC) in percentage points, or in the metric's own units. */
export function formatAmount(value: number, proportion: boolean): string {
  return proportion ? `${formatFigure(value * 100)} points` : formatFigure(value);
}

function formatScalar(value: Scalar | undefined): string {
  if (value === undefined || value === null) return '–';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return escapeControl(value);
}

// ---------------------------------------------------------------------------------------------------
// Messages

/**
 * Fills `{name}` from `data`. A string value that names another message of the same table is rendered in
 * its place (one level deep), so a finding can choose a clause by id. Text from logs is escaped.
 */
export function formatMessage(
  messages: Readonly<Record<string, string>>,
  messageId: string,
  data: Readonly<Record<string, Scalar>>,
  depth = 0,
): string {
  const template = messages[messageId];
  if (template === undefined) return escapeControl(messageId);
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = data[name];
    if (depth === 0 && typeof value === 'string' && messages[value] !== undefined) {
      return formatMessage(messages, value, data, depth + 1);
    }
    return formatScalar(value);
  });
}

/** The finding's sentence, from its detector's messages. */
export function findingMessage(finding: Finding): string {
  return formatMessage(findDetector(finding.rule)?.messages ?? {}, finding.messageId, finding.data);
}

/** A sentence of a detector (a finding's next step). */
export function detectorText(rule: string, reason: Reason): string {
  return formatMessage(findDetector(rule)?.messages ?? {}, reason.messageId, reason.data);
}

/** A sentence of a cause (a reason, its check, its fix). */
export function causeText(cause: string, reason: Reason): string {
  return formatMessage(findCause(cause)?.messages ?? {}, reason.messageId, reason.data);
}

/** The detector's title, or its id when it is unknown. */
export function ruleTitle(rule: string): string {
  return findDetector(rule)?.title ?? escapeControl(rule);
}

/** The cause's title, or its id when it is unknown. */
export function causeTitle(cause: string): string {
  return findCause(cause)?.title ?? escapeControl(cause);
}

/** A metric name from a log, safe to print. */
export function metricName(name: string): string {
  return escapeControl(name);
}

/** The plural of a time-axis word (`epochs`, `steps`, `indexes`). */
function axisPlural(word: string): string {
  return /(s|x)$/.test(word) ? `${word}es` : `${word}s`;
}

/** `epochs 1–39`, `epoch 7`; `steps 100–900` on a run whose time axis is steps. */
export function epochSpan([from, to]: readonly [number, number], axis: string | null = null): string {
  const word = axis ?? 'epoch';
  // a finding of an input without records (a non-finite loss on unnumbered lines) spans no epoch
  if (from < 1 && to < 1) return `no ${word} number`;
  return from === to ? `${word} ${from}` : `${axisPlural(word)} ${from}–${to}`;
}

/** `39 epochs`, `1 step`: a count on the run's time axis. */
export function axisCount(n: number, axis: string | null): string {
  return axis === null ? count(n, 'epoch') : `${n} ${n === 1 ? axis : axisPlural(axis)}`;
}

/** The statistics of a finding as `name value` pairs (the `--verbose` view and machine formats). */
export function statPairs(stats: Readonly<Record<string, Scalar>>): string[] {
  return Object.entries(stats)
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `${escapeControl(name)} ${formatScalar(value)}`);
}

// ---------------------------------------------------------------------------------------------------
// One-line figures of a finding

/** What the one-line form of a finding knows about its metric. */
export interface FigureContext {
  /** The metric is a proportion (accuracy, AUC, ...): differences are shown in percentage points. */
  proportion: boolean;
}

type Stats = Readonly<Record<string, Scalar>>;

function num(stats: Stats, name: string): number | null {
  const value = stats[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * The quantities a one-line finding shows, one figure each, by the statistic that carries them. The
 * names are the detectors' shared statistic names (a swing is `amplitude` wherever it is measured); a
 * finding with none of them is shown by its sentence instead.
 */
const FIGURES: ReadonlyArray<(stats: Stats, context: FigureContext) => string | null> = [
  (s, c) => {
    const amplitude = num(s, 'amplitude');
    return amplitude === null ? null : `swing ${formatAmount(Math.abs(amplitude), c.proportion)}`;
  },
  (s) => {
    const period = num(s, 'period');
    return period === null ? null : `period ${formatFigure(period)}`;
  },
  (s) => {
    const noise = num(s, 'amplitudeToValNoise');
    return noise === null ? null : `${formatFigure(noise)}× its noise`;
  },
  (s) => {
    // the binomial standard error is what makes `ratio` a multiple of the sampling error
    const ratio = num(s, 'ratio');
    return ratio === null || num(s, 'binomialSE') === null ? null : `${formatFigure(ratio)}× sampling error`;
  },
  (s) => {
    const ratio = num(s, 'ratio');
    return ratio === null || num(s, 'binomialSE') !== null || num(s, 'best') === null
      ? null
      : `${formatFigure(ratio)}× its best`;
  },
  (s) => {
    const rise = num(s, 'rise');
    return rise === null ? null : `up ${formatFigure(rise * 100)} % from its best`;
  },
  (s) => {
    const since = num(s, 'epochsSinceBest');
    return since === null || num(s, 'rise') !== null ? null : `no new best for ${count(since, 'epoch')}`;
  },
  (s) => {
    const value = num(s, 'value');
    const n = num(s, 'count');
    return value === null || n === null || num(s, 'total') !== null
      ? null
      : `${formatFigure(value)} in all ${count(n, 'epoch')}`;
  },
  (s) => {
    const n = num(s, 'count');
    const total = num(s, 'total');
    return n === null || total === null ? null : `${n} of ${count(total, 'epoch')}`;
  },
  (s) => {
    const lr = num(s, 'lrChanges');
    return lr === null || lr === 0 ? null : `after ${count(lr, 'lrChange')}`;
  },
];

/**
 * The figures of the one-line form, e.g. `swing 21.8 points`, `10.4× its noise`; empty when the finding
 * has none of the known quantities (then its sentence is shown).
 */
export function findingFigures(finding: Finding, context: FigureContext): string[] {
  if (finding.stats.insufficient === true) return [];
  return FIGURES.map((figure) => figure(finding.stats, context)).filter((text) => text !== null);
}

/** `while training is smooth` / `and training alternates too`, from a finding that compared training. */
export function trainingClause(finding: Finding): string | null {
  const alternates = finding.stats.trainAlternates;
  if (alternates === false) return 'while training is smooth';
  if (alternates === true) return 'and training alternates too';
  return null;
}

// ---------------------------------------------------------------------------------------------------
// The verdict sentences

/** What a side of the diagnosis means for the user (the side of the most likely cause). */
const SIDE_PHRASE: Record<string, string> = {
  evaluation: 'the evaluation changes between epochs, not the model',
  training: 'the training itself is unstable, not only its evaluation',
  data: 'the data, not the model, differ between what is trained and what is evaluated',
  optimisation: 'the optimisation itself is unstable, not only its evaluation',
  optimization: 'the optimisation itself is unstable, not only its evaluation',
  model: 'the model itself changes from epoch to epoch',
};

/** The side phrase, or null for an unknown side. */
export function sidePhrase(side: string | null): string | null {
  return side === null ? null : (SIDE_PHRASE[side] ?? null);
}

const VERDICT_PHRASE: Record<Verdict, string> = {
  confirmed: 'cause, confirmed',
  likely: 'likely cause',
  possible: 'possible cause',
  unlikely: 'unlikely cause',
  'ruled-out': 'ruled out',
};

/** `possible cause, one of 4: Extra draws ...`, `likely cause: ...`. */
export function causeLead(top: Diagnosis, sameVerdict: number, tiedWith: readonly string[]): string {
  const among = sameVerdict > 1 ? `, one of ${sameVerdict}` : '';
  const tie =
    tiedWith.length > 0 ? ` (the log cannot tell it from ${tiedWith.map(causeTitle).join('; ')})` : '';
  return `${VERDICT_PHRASE[top.verdict]}${among}: ${causeTitle(top.cause)}${tie}`;
}

/** Words of the text, markdown and html reports (headings, labels, notices). */
export const WORDS = {
  next: 'next',
  check: 'check',
  fix: 'fix',
  findings: 'Findings',
  causes: 'Causes, most likely first',
  evidence: 'Evidence every cause shares',
  assumed: 'assumed',
  alsoConsidered: 'also considered',
  ruledOut: 'ruled out',
  noCauseFits: 'No listed cause fits: every candidate is unlikely or ruled out',
  noFindings: 'no findings',
  runs: 'Runs',
  interrupted: (signal: string) =>
    `interrupted (${signal}): reading stopped early; this report covers only what was read`,
  outsideProject: 'outside the project',
  configOutside: 'the config file lies outside this project: check that you meant to use it',
  config: 'config',
  unreadable: 'could not be read',
  noEpochs: 'no completed epoch',
  downsampled: 'per column',
  swingInColumn: '┃ swings within a column',
  verbose: 'more with --verbose',
  explain: 'see what it means: epochlint explain',
  why: 'why',
  shared: 'shared by these causes',
  parse: 'parse',
  best: 'best',
  clean: 'clean',
  lessLikely: 'Less likely causes',
  notesInRuns: 'notes of several runs',
  detailsLeftOut: (n: number, cap: number, quiet: boolean) =>
    `${quiet ? 'errors' : 'details'} of ${count(n, 'file')} not shown (at most ${cap} files are, errors first, then warnings): lint one on its own, or use --format jsonl for every file`,
} as const;

/** The sentence of a clean run. */
export function cleanSentence(epochs: number, notes: number): string {
  const base = `No instability found in ${count(epochs, 'epoch')}`;
  return notes > 0 ? `${base} (${count(notes, 'info')})` : base;
}

/** `2 errors, 1 warning, 1 note`. */
export function severityCounts(counts: Readonly<Record<Severity, number>>): string {
  return SEVERITY_ORDER.map((s) => count(counts[s], s)).join(', ');
}

/** The verdict word of a run in the runs table. */
export function runVerdict(counts: Readonly<Record<Severity, number>>): string {
  if (counts.error > 0) return count(counts.error, 'error');
  if (counts.warning > 0) return count(counts.warning, 'warning');
  return WORDS.clean;
}

/** A message for the CLI's stderr lines (prose lives here; main only writes it). */
export const CLI_MESSAGES = {
  maxWarnings: (warnings: number, max: number) =>
    `${count(warnings, 'warning')} found, more than --max-warnings ${max} allows: exit 1`,
  stoppedEarly: (epoch: number | null) =>
    `stopped early (--fail-fast)${epoch === null ? '' : ` at epoch ${epoch}`}: an error finding is established`,
  skipped: (n: number, names: string) =>
    `skipped ${count(n, 'file')} found in directories that hold no training log: ${names}`,
  unknownId: (id: string, suggestion: string | null) =>
    `unknown rule or cause '${escapeControl(id)}'${suggestion === null ? '' : `; did you mean '${suggestion}'?`} (see: epochlint rules)`,
  noSuchCommand: (suggestion: string) => `did you mean the command '${suggestion}'?`,
} as const;
