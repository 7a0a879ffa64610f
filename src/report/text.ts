/**
 * The text report for people, answer first: what is wrong, the one thing to do next and why; then the
 * curves, one line per finding, the causes worth reading (at most three, with their reasons and check)
 * and the rest on one line. A report of one run aims at one screen (40 lines): when it would be longer,
 * the causes after the first are shortened (lead reason and check, then check, then title) rather than
 * anything else. `--verbose` shows every statistic, every cause in full and every parse issue. With
 * several runs the runs table comes first.
 */
import type { ChalkInstance } from 'chalk';
import type { Diagnosis, FileReport, Finding, Report, Severity, Verdict } from '../model/index.js';
import { chartMetrics, renderChart } from './chart.js';
import { escapeControl } from './escape.js';
import { diagnosisFields } from './fields.js';
import { EMPTY_REPORT, type ReporterOptions, type ReportStream } from './options.js';
import {
  MARK,
  SEVERITY_LABEL,
  SEVERITY_ORDER,
  WORDS,
  causeText,
  causeTitle,
  count,
  axisCount,
  epochSpan,
  findingFigures,
  findingMessage,
  formatFigure,
  severityCounts,
  statPairs,
} from './prose.js';
import { TABLE_HEADINGS, bestCell, commonDirectory, runRows, type RunRow } from './table.js';
import {
  sharedTexts,
  type FileView,
  type Headline,
  type IssueGroup,
  type ReportView,
  type RunView,
  buildView,
} from './view.js';
import { displayWidth, fitMiddle, hang, pad, padStart, wrap } from './width.js';
import { append } from './lists.js';

/** Lines of one screen: the founding case's report must fit in them at 80 columns. */
export const SCREEN_LINES = 40;
const VERDICT_WIDTH = 11;

type TextOptions = Pick<ReporterOptions, 'chalk' | 'width' | 'verbose' | 'quiet' | 'chart'>;

interface Context {
  chalk: ChalkInstance;
  width: number;
  verbose: boolean;
  chart: boolean;
}

function paint(chalk: ChalkInstance, tone: Severity | 'ok' | 'failed', text: string): string {
  switch (tone) {
    case 'error':
    case 'failed':
      return chalk.red.bold(text);
    case 'warning':
      return chalk.yellow.bold(text);
    case 'info':
      return chalk.blue(text);
    case 'ok':
      return chalk.green(text);
  }
}

function paintVerdict(chalk: ChalkInstance, verdict: Verdict, text: string): string {
  switch (verdict) {
    case 'confirmed':
      return chalk.red.bold(text);
    case 'likely':
      return chalk.yellow.bold(text);
    case 'possible':
      return chalk.yellow(text);
    case 'unlikely':
      return chalk.dim(text);
    case 'ruled-out':
      return chalk.dim.strikethrough(text);
  }
}

/** Colours a leading label (`next:`) of the first of some wrapped lines. */
function boldLabel(chalk: ChalkInstance, lines: string[], label: string): string[] {
  const [first, ...rest] = lines;
  if (first === undefined) return lines;
  const at = first.indexOf(label);
  if (at < 0) return lines;
  return [first.slice(0, at) + chalk.bold(label) + first.slice(at + label.length), ...rest];
}

// ---------------------------------------------------------------------------------------------------
// The answer

/**
 * What is wrong (with the side of the likely cause), then the next step. The likely cause itself is the
 * first entry of the causes below; `withWhy` names it here too (for a run whose causes are not listed).
 */
function headlineLines(h: Headline, c: Context, indent: string, withWhy: boolean): string[] {
  const what = `${MARK[h.severity]} ${h.what}${h.side === null ? '' : `: ${h.side}`}`;
  const lines = hang(what, c.width, indent, `${indent}  `).map((l) => paint(c.chalk, h.severity, l));
  if (h.next !== null) {
    const next = hang(`${WORDS.next}: ${h.next}`, c.width, `${indent}  `, `${indent}    `);
    append(lines, boldLabel(c.chalk, next, `${WORDS.next}:`));
  }
  if (withWhy && h.why !== null) {
    const why = hang(`${WORDS.why}: ${h.why}`, c.width, `${indent}  `, `${indent}    `);
    append(lines, boldLabel(c.chalk, why, `${WORDS.why}:`));
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------
// Findings

function findingLines(f: Finding, run: RunView, c: Context, extra = ''): string[] {
  const metric = f.metric === null ? '' : ` ${escapeControl(f.metric)}`;
  if (c.verbose) {
    const label = paint(c.chalk, f.severity, SEVERITY_LABEL[f.severity].padEnd(7));
    const where = [epochSpan(f.epochs, run.axis), f.line === null ? null : `line ${f.line}`].filter(
      (x) => x !== null,
    );
    const head = hang(`${f.rule}${metric} · ${where.join(' · ')}${extra}`, c.width - 10, '', '  ');
    const lines = [
      `  ${label} ${c.chalk.bold(head[0] ?? '')}`,
      ...head.slice(1).map((l) => `          ${l}`),
      ...hang(findingMessage(f), c.width, '          ', '          '),
    ];
    const stats = statPairs(f.stats).join(' · ');
    if (stats.length > 0)
      append(
        lines,
        hang(stats, c.width, '          ', '          ').map((l) => c.chalk.dim(l)),
      );
    return lines;
  }
  const figures = findingFigures(f, { proportion: run.proportions.get(f.metric ?? '') === true });
  const body = figures.length > 0 ? figures.join(', ') : findingMessage(f);
  const text = `${f.rule}${metric}: ${body}, ${epochSpan(f.epochs, run.axis)}${extra}`;
  const [first = '', ...rest] = hang(text, c.width, '    ', '      ');
  return [`  ${paint(c.chalk, f.severity, MARK[f.severity])} ${first.trimStart()}`, ...rest];
}

/** `runs 1–6`, `runs 1, 2, 4`. */
function runList(runs: readonly number[]): string {
  const sorted = [...runs].sort((a, b) => a - b).map((r) => r + 1);
  const consecutive = sorted.every((r, i) => i === 0 || r === (sorted[i - 1] ?? 0) + 1);
  return consecutive && sorted.length > 2
    ? `runs ${sorted[0]}–${sorted.at(-1)}`
    : `runs ${sorted.join(', ')}`;
}

/**
 * Notes that read the same in two or more runs of a file (as they are shown): printed once, after the
 * runs, with the runs they are in. Returns the lines to hide in the runs and the block to print.
 */
function foldNotes(file: FileView, c: Context): { hidden: Set<string>; lines: string[] } {
  if (file.runs.length < 2) return { hidden: new Set(), lines: [] };
  const seen = new Map<string, { finding: Finding; run: RunView; runs: number[] }>();
  for (const run of file.runs) {
    for (const f of run.allFindings.filter((x) => x.severity === 'info')) {
      const key = findingLines(f, run, c).join('\n');
      const entry = seen.get(key) ?? { finding: f, run, runs: [] };
      if (!entry.runs.includes(run.index)) entry.runs.push(run.index);
      seen.set(key, entry);
    }
  }
  const repeated = [...seen].filter(([, entry]) => entry.runs.length > 1);
  const lines = repeated.flatMap(([, { finding, run, runs }]) =>
    findingLines(finding, run, c, ` (${runList(runs)})`),
  );
  return {
    hidden: new Set(repeated.map(([key]) => key)),
    lines: lines.length === 0 ? [] : [`  ${c.chalk.bold(`${WORDS.notesInRuns}:`)}`, ...lines],
  };
}

// ---------------------------------------------------------------------------------------------------
// Causes

/** How much of a cause is shown: 0 every own reason and the check, 1 the lead reason and the check, 2 the check, 3 the title. */
type Level = 0 | 1 | 2 | 3;

function causeHeading(d: Diagnosis, c: Context): string[] {
  const fields = diagnosisFields(d);
  const details = c.verbose
    ? [d.cause, fields.score === null ? null : `score ${formatFigure(fields.score)}`, fields.side].filter(
        (x) => x !== null,
      )
    : [];
  const title = `${causeTitle(d.cause)}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
  const lines = hang(title, c.width, ' '.repeat(2 + VERDICT_WIDTH), ' '.repeat(2 + VERDICT_WIDTH));
  const [first = '', ...rest] = lines;
  return [
    `  ${paintVerdict(c.chalk, d.verdict, d.verdict.padEnd(VERDICT_WIDTH))}${c.chalk.bold(first.trimStart())}`,
    ...rest.map((l) => c.chalk.bold(l)),
  ];
}

function causeLines(
  d: Diagnosis,
  c: Context,
  hidden: ReadonlySet<string>,
  level: Level,
  showCheck: boolean,
): string[] {
  const lines = causeHeading(d, c);
  if (level === 3) return lines;
  const own = [...new Set(d.reasons.map((r) => causeText(d.cause, r)))].filter((t) => !hidden.has(t));
  const reasons = level === 0 ? own : level === 1 ? own.slice(0, 1) : [];
  for (const text of reasons) append(lines, hang(text, c.width, '    - ', '      '));
  if (showCheck) {
    const check = hang(`${WORDS.check}: ${causeText(d.cause, d.check)}`, c.width, '    ', '      ');
    append(lines, boldLabel(c.chalk, check, `${WORDS.check}:`));
  }
  if (c.verbose) {
    const fix = hang(`${WORDS.fix}: ${causeText(d.cause, d.fix)}`, c.width, '    ', '      ');
    append(lines, boldLabel(c.chalk, fix, `${WORDS.fix}:`));
  }
  return lines;
}

function bullets(title: string, texts: readonly string[], c: Context): string[] {
  if (texts.length === 0) return [];
  return [`  ${c.chalk.bold(`${title}:`)}`, ...texts.flatMap((t) => hang(t, c.width, '    - ', '      '))];
}

/** At most this many lines name the causes not shown in full (the rest is counted). */
const REST_LINES = 2;

/**
 * `also considered: a (possible); b, c (unlikely); ruled out: d, e`, in at most two lines by default:
 * the ids that do not fit are counted (`3 more`, `6 causes`); `--verbose` shows every cause anyway.
 */
function restLine(considered: readonly Diagnosis[], ruledOut: readonly Diagnosis[], c: Context): string[] {
  const compose = (keep: number): string => {
    let left = keep;
    const take = (ids: string[]): string[] => {
      const shown = ids.slice(0, Math.max(0, left));
      left -= shown.length;
      const hidden = ids.length - shown.length;
      if (hidden === 0) return shown;
      return [...shown, shown.length === 0 ? count(hidden, 'cause') : `${hidden} more`];
    };
    const groups = new Map<Verdict, string[]>();
    for (const d of considered) groups.set(d.verdict, [...(groups.get(d.verdict) ?? []), d.cause]);
    const considerations = [...groups].map(([verdict, ids]) => `${take(ids).join(', ')} (${verdict})`);
    const parts: string[] = [];
    if (considerations.length > 0) parts.push(`${WORDS.alsoConsidered}: ${considerations.join('; ')}`);
    if (ruledOut.length > 0)
      parts.push(`${WORDS.ruledOut}: ${take(ruledOut.map((d) => d.cause)).join(', ')}`);
    return parts.join('; ');
  };
  const total = considered.length + ruledOut.length;
  if (total === 0) return [];
  let lines = hang(compose(total), c.width, '  ', '    ');
  for (let keep = total - 1; keep >= 0 && lines.length > REST_LINES; keep--) {
    lines = hang(compose(keep), c.width, '  ', '    ');
  }
  return lines.map((l) => c.chalk.dim(l));
}

/**
 * The causes worth reading at the given levels, then the shared reasons and the rest on a line; what
 * does not depend on the levels is laid out once (the screen fitting asks for several).
 */
function defaultCauses(run: RunView, c: Context): (levels: readonly Level[]) => string[] {
  if (run.diagnoses.length === 0) return () => [];
  const pattern = new Set(run.pattern);
  const shared = sharedTexts(run.top, pattern);
  const hidden = new Set([...pattern, ...shared]);
  const tail = [...bullets(WORDS.shared, shared, c), ...restLine(run.considered, run.ruledOut, c)];
  const laid = new Map<string, string[]>();
  const cause = (i: number, level: Level, showCheck: boolean): string[] => {
    const key = `${i}:${level}:${showCheck}`;
    let lines = laid.get(key);
    if (lines === undefined) {
      lines = causeLines(run.top[i] as Diagnosis, c, hidden, level, showCheck);
      laid.set(key, lines);
    }
    return lines;
  };
  return (levels) => {
    const lines: string[] = [];
    run.top.forEach((_, i) => {
      const level = levels[i] ?? 0;
      const showCheck = !(i === 0 && run.headline.nextIsTopCheck) && level < 3;
      append(lines, cause(i, level, showCheck));
    });
    append(lines, tail);
    return lines;
  };
}

function verboseCauses(run: RunView, c: Context): string[] {
  if (run.diagnoses.length === 0) return [];
  const pattern = new Set(run.pattern);
  const shared = sharedTexts(run.diagnoses, pattern);
  const hidden = new Set([...pattern, ...shared]);
  const blocks = [
    bullets(WORDS.evidence, run.pattern, c),
    bullets(WORDS.shared, shared, c),
    [
      `  ${c.chalk.bold(`${WORDS.causes}:`)}`,
      ...run.diagnoses.flatMap((d) => causeLines(d, c, hidden, 0, true)),
    ],
  ].filter((block) => block.length > 0);
  return blocks.flatMap((block, i) => (i === 0 ? block : ['', ...block]));
}

// ---------------------------------------------------------------------------------------------------
// Sections

function issueLines(groups: readonly IssueGroup[], c: Context): string[] {
  const shown = 5;
  return groups.flatMap((g) => {
    const lines = g.lines.slice(0, c.verbose ? 20 : shown);
    const more = g.lines.length > lines.length ? ', …' : '';
    const at =
      g.count === 1
        ? lines.length === 1 && !g.message.startsWith(`line ${lines[0]}:`)
          ? `line ${lines[0]}: `
          : ''
        : '';
    const tally =
      g.count > 1 ? ` (${g.count}×${lines.length > 0 ? `, lines ${lines.join(', ')}${more}` : ''})` : '';
    const kind = c.verbose ? ` ${g.kind}` : '';
    return hang(`${WORDS.parse}${kind}: ${at}${g.message}${tally}`, c.width, '  ', '    ').map((l) =>
      c.chalk.dim(l),
    );
  });
}

function chartLines(run: RunView, c: Context): string[] {
  const series = run.summary.series;
  if (!c.chart || series === undefined) return [];
  // the curves the findings are about are drawn too (a stuck head of a multi-output model)
  const metrics = chartMetrics(series, findingMetrics(run));
  return renderChart(series, {
    chalk: c.chalk,
    width: c.width - 2,
    metrics,
    ...(run.axis === null ? {} : { axis: run.axis }),
  }).map((l) => `  ${l}`);
}

/** Metrics of the run's errors and warnings, in the order of the findings. */
function findingMetrics(run: RunView): string[] {
  return [
    ...new Set(
      run.findings.filter((f) => f.severity !== 'info' && f.metric !== null).map((f) => f.metric ?? ''),
    ),
  ];
}

/**
 * One run's details below its answer: chart, findings, causes. The chart and the findings do not depend
 * on how much of the causes is shown: they are laid out once, and the returned function adds the causes
 * at a given level (the screen fitting tries several).
 */
function runBody(
  run: RunView,
  c: Context,
  hidden: ReadonlySet<string>,
): (levels: readonly Level[]) => string[] {
  const findings = run.allFindings
    .map((f) => findingLines(f, run, c))
    .filter((l) => !hidden.has(l.join('\n')));
  const chart = chartLines(run, c);
  const verbose = c.verbose ? verboseCauses(run, c) : null;
  const causes = verbose === null ? defaultCauses(run, c) : () => verbose;
  return (levels) => {
    const blocks: string[][] = [chart, findings.flat(), causes(levels)];
    const out: string[] = [];
    for (const block of blocks) {
      if (block.length === 0) continue;
      if (out.length > 0) out.push('');
      append(out, block);
    }
    if (out.length === 0 || run.allFindings.length === 0) {
      if (out.length > 0) out.push('');
      out.push(`  ${WORDS.noFindings}`);
    }
    return out;
  };
}

/**
 * The shortening order of the top causes when a run does not fit its screen: the last cause first, down
 * to its title, then the one before; the first cause keeps its lead reason.
 */
function shorteningSteps(top: number): Level[][] {
  const steps: Level[][] = [];
  const levels: Level[] = Array.from({ length: top }, () => 0);
  for (const target of [1, 2, 3] as const) {
    for (let i = top - 1; i >= 1; i--) {
      levels[i] = target;
      steps.push([...levels]);
    }
  }
  if (top > 0) {
    levels[0] = 1;
    steps.push([...levels]);
  }
  return steps;
}

/** Picks the fullest form of the causes that keeps `compose(levels)` within `budget` lines. */
function fitToScreen(top: number, budget: number, compose: (levels: readonly Level[]) => string[]): string[] {
  let lines = compose(Array.from({ length: top }, () => 0));
  for (const levels of shorteningSteps(top)) {
    if (lines.length <= budget) break;
    lines = compose(levels);
  }
  return lines;
}

function fileHeader(file: FileView, c: Context): string[] {
  const parts = [
    file.format ?? 'unknown format',
    count(file.runs.length, 'run'),
    axisCount(file.epochs, sharedAxis(file)),
  ];
  const name = escapeControl(file.file);
  const meta = `· ${parts.join(' · ')}`;
  if (displayWidth(name) + 1 + displayWidth(meta) <= c.width)
    return [`${c.chalk.underline(name)} ${c.chalk.dim(meta)}`];
  return [...wrap(name, c.width).map((l) => c.chalk.underline(l)), c.chalk.dim(`  ${meta}`)];
}

/** The time axis all runs of a file share, or null (epochs, or a mix). */
function sharedAxis(file: FileView): string | null {
  const axes = new Set(file.runs.map((r) => r.axis));
  return axes.size === 1 ? (file.runs[0]?.axis ?? null) : null;
}

function runHeader(run: RunView, c: Context): string {
  const s = run.summary;
  return (
    c.chalk.bold(`  run ${run.index + 1}`) +
    c.chalk.dim(` · ${axisCount(s.epochs, run.axis)} · lines ${s.fromLine}–${s.toLine}`)
  );
}

// ---------------------------------------------------------------------------------------------------
// The runs table

/** A metric name longer than this is shortened in the table (in full in the run's section). */
const TABLE_METRIC = 14;
/** The file column never gets narrower than this. */
const TABLE_FILE = 12;

type Column = 'run' | 'epochs' | 'metric' | 'best' | 'last' | 'verdict';

/** The runs table laid out: its heading lines, and a row in its columns. */
interface TableLayout {
  heading: string[];
  row: (row: RunRow) => string;
}

/**
 * The runs table: file, run, epochs, best and last value of the main validation metric, verdict. When the
 * width cannot hold every column, the metric name goes first, then the last value, then the best one;
 * the file names are shortened in the middle, keeping their start and extension. The columns are set by
 * the rows given (a sweep's first {@link TABLE_LOOKAHEAD}); a later row is printed in them: a file outside
 * their common directory keeps its whole name, a wider cell pushes the rest of its row, and when no
 * earlier row needed the run column a later run's number follows its file name.
 */
function tableLayout(all: readonly RunRow[], c: Context): TableLayout {
  const directory = commonDirectory(all);
  const nameOf = (file: string): string =>
    directory.length > 0 && file.startsWith(directory) ? file.slice(directory.length) : file;
  const cellsOf = (r: RunRow): Record<Column, string> => ({
    run: r.run === null ? '' : String(r.run),
    epochs: r.epochs === null ? '–' : String(r.epochs),
    metric: fitMiddle(r.metric ?? '–', TABLE_METRIC),
    best: bestCell(r) ?? '–',
    last: r.last ?? '–',
    verdict: r.verdict,
  });
  const cells = all.map(cellsOf);
  const right: ReadonlySet<Column> = new Set(['run', 'epochs', 'best', 'last']);
  const widths = new Map<Column, number>();
  const widthOf = (key: Column): number => {
    let w = widths.get(key);
    if (w === undefined) {
      w = Math.max(displayWidth(TABLE_HEADINGS[key]), ...cells.map((x) => displayWidth(x[key])));
      widths.set(key, w);
    }
    return w;
  };
  const withRun = all.some((r) => r.run !== null);
  let shown: Column[] = ['run', 'epochs', 'metric', 'best', 'last', 'verdict'].filter(
    (key) => key !== 'run' || withRun,
  ) as Column[];
  const fixed = () => shown.reduce((n, key) => n + widthOf(key) + 2, 0);
  for (const drop of ['metric', 'last', 'best'] as const) {
    if (c.width - 2 - fixed() >= TABLE_FILE) break;
    shown = shown.filter((key) => key !== drop);
  }
  const longestFile = Math.max(
    displayWidth(TABLE_HEADINGS.file),
    ...all.map((r) => displayWidth(nameOf(r.file))),
  );
  const fileWidth = Math.max(TABLE_FILE, Math.min(longestFile, c.width - 2 - fixed()));
  const line = (file: string, x: Record<Column, string>, paintVerdict: (text: string) => string) =>
    [
      `  ${pad(fitMiddle(file, fileWidth), fileWidth)}`,
      ...shown.map((key) => {
        if (key === 'verdict') return paintVerdict(x.verdict);
        return right.has(key) ? padStart(x[key], widthOf(key)) : pad(x[key], widthOf(key));
      }),
    ].join('  ');
  const heading: Record<Column, string> = { ...TABLE_HEADINGS };
  return {
    heading: [
      ...(directory.length > 0
        ? [c.chalk.dim(`  ${TABLE_HEADINGS.file}s in ${escapeControl(directory)}:`)]
        : []),
      c.chalk.dim(line(TABLE_HEADINGS.file, heading, (t) => t).trimEnd()),
    ],
    row: (r) => {
      const name = nameOf(r.file);
      const file = withRun || r.run === null ? name : `${name} #${r.run}`;
      return line(file, cellsOf(r), (t) => paint(c.chalk, r.tone, t)).trimEnd();
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The report

function notices(view: ReportView, c: Context): string[] {
  const lines: string[] = [];
  if (view.interrupted !== null)
    lines.push(paint(c.chalk, 'warning', `${MARK.warning} ${WORDS.interrupted(view.interrupted)}`));
  if (view.config !== null) {
    const where = view.config.outsideProject ? ` (${WORDS.outsideProject})` : '';
    const line = `${WORDS.config}: ${escapeControl(view.config.path)}${where}`;
    lines.push(view.config.outsideProject ? paint(c.chalk, 'warning', line) : c.chalk.dim(line));
  }
  return lines;
}

function summaryLines(view: ReportView, c: Context, fileCount = view.files.length): string[] {
  const files = `${count(fileCount, 'file')}${view.unreadable > 0 ? ` (${view.unreadable} ${WORDS.unreadable})` : ''}`;
  const head = `${files}, ${count(view.epochs, 'epoch')}: `;
  const tally = severityCounts(view.counts);
  if (displayWidth(head + tally) > c.width) return hang(head + tally, c.width, '', '  ');
  const [errors = '', warnings = '', notes = ''] = tally.split(', ');
  return [`${head}${paint(c.chalk, 'error', errors)}, ${paint(c.chalk, 'warning', warnings)}, ${notes}`];
}

function quietLines(view: ReportView, c: Context): string[] {
  const lines: string[] = [];
  for (const run of view.runs) {
    const where = view.many
      ? `${escapeControl(run.file)}${run.runsInFile > 1 ? ` run ${run.index + 1}` : ''}: `
      : '';
    for (const f of run.allFindings.filter((x) => x.severity === 'error')) {
      const [first = '', ...rest] = findingLines(f, run, c);
      lines.push(where === '' ? first : `  ${c.chalk.dim(where)}${first.trimStart()}`, ...rest);
    }
  }
  return lines;
}

/** Renders the whole report as text; `chalk` decides the colours (level 0 for none). */
export function renderText(report: Report, options: TextOptions): string {
  const stream = createTextStream(options, report.config);
  const parts = [stream.begin()];
  for (const file of report.files) parts.push(stream.file(file));
  parts.push(stream.end(report.interrupted));
  return parts.join('');
}

function contextOf(options: TextOptions): Context {
  return {
    chalk: options.chalk,
    width: Math.max(40, Math.floor(options.width ?? 80)),
    verbose: options.verbose === true,
    chart: options.chart !== false,
  };
}

/** A report of one run: the answer, the file, the run's details and the summary on one screen. */
function singleRun(view: ReportView, single: RunView, c: Context): string[] {
  const out = notices(view, c);
  const file = view.files.find((f) => f.runs.includes(single));
  const top = c.verbose ? 0 : single.top.length;
  const above = [
    ...out,
    ...headlineLines(single.headline, c, '', single.diagnoses.length === 0),
    '',
    ...(file === undefined ? [] : fileHeader(file, c)),
  ];
  const below = [...(file === undefined ? [] : issueLines(file.issues, c)), '', ...summaryLines(view, c)];
  const body = runBody(single, c, new Set());
  const compose = (levels: readonly Level[]): string[] => [...above, ...body(levels), ...below];
  return fitToScreen(top, SCREEN_LINES, compose);
}

/** The section of one file in a report of several runs: each run's answer and details, then its notes. */
function fileSection(file: FileView, c: Context): string[] {
  if (file.error !== null || file.runs.length === 0) return [];
  const out = fileHeader(file, c);
  // notes that read the same in several runs are shown once, after the runs
  const folded = foldNotes(file, c);
  for (const run of file.runs) {
    const above = [
      ...(file.runs.length > 1 ? [runHeader(run, c)] : []),
      ...headlineLines(run.headline, c, '  ', run.diagnoses.length === 0),
      '',
    ];
    const body = runBody(run, c, folded.hidden);
    const compose = (levels: readonly Level[]): string[] => [...above, ...body(levels)];
    append(out, fitToScreen(c.verbose ? 0 : run.top.length, SCREEN_LINES - 2, compose));
    out.push('');
  }
  if (folded.lines.length > 0) {
    append(out, folded.lines);
    out.push('');
  }
  if (file.issues.length > 0) {
    append(out, issueLines(file.issues, c));
    out.push('');
  }
  return out;
}

/**
 * Rows of a sweep's runs table held before any is printed: they set its columns, and a sweep of up to
 * this many runs is laid out exactly as if every row were known; later rows are printed as they come.
 */
export const TABLE_LOOKAHEAD = 100;

/**
 * The details of at most this many files are printed below the runs table (memory does not grow with
 * the sweep): files with errors first, then with warnings, then the rest, each kind in input order, and
 * printed in input order; a line says how many were left out. `--quiet` keeps the error lines of at most
 * this many files the same way.
 */
export const DETAIL_FILES = 100;

/** A file's details waiting for the end of the table. */
interface HeldSection {
  index: number;
  /** 2 for errors, 1 for warnings, 0 otherwise: what is kept first. */
  rank: number;
  lines: string[];
}

/** Keeps at most `cap` sections, the highest-ranked (the earlier among equals). */
function keepSection(kept: HeldSection[], cap: number, section: HeldSection): void {
  if (kept.length < cap) {
    kept.push(section);
    return;
  }
  let weakest = -1;
  kept.forEach((k, i) => {
    const w = kept[weakest];
    if (w === undefined || k.rank < w.rank || (k.rank === w.rank && k.index > w.index)) weakest = i;
  });
  const w = kept[weakest];
  if (w !== undefined && w.rank < section.rank) kept[weakest] = section;
}

/**
 * The text report printed as the files come. One run in all is the one-screen report above, printed at
 * the end (a file is held back only until it is known whether it is the only run). With several, the
 * report starts with the runs table: its first {@link TABLE_LOOKAHEAD} rows are held to set the columns,
 * then each row is printed as its file arrives; the files' details follow the table at the end, at most
 * {@link DETAIL_FILES} of them held meanwhile, so memory stays flat however many files a sweep has.
 */
export function createTextStream(options: TextOptions, config: Report['config']): ReportStream {
  const c = contextOf(options);
  const quiet = options.quiet === true;
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let files = 0;
  let epochs = 0;
  let unreadable = 0;
  /** Runs and unreadable or empty files so far: above 1, the report lays out several runs. */
  let items = 0;
  let anyRun = false;
  let held: FileReport | null = null;
  /** Rows not printed yet: until the table's columns are set. */
  let pending: RunRow[] = [];
  let layout: TableLayout | null = null;
  const sections: HeldSection[] = [];
  /** Files that had details to print: those not kept are left out. */
  let withDetails = 0;
  const head = (interrupted: Report['interrupted']): ReportView => ({
    ...buildView({ ...EMPTY_REPORT, config, interrupted }),
    many: true,
  });
  /** The table's first lines (the notices above it) and the rows held so far, in columns they set. */
  const startTable = (interrupted: Report['interrupted']): string[] => {
    const table = tableLayout(pending, c);
    layout = table;
    const lines = [...notices(head(interrupted), c), ...table.heading, ...pending.map(table.row)];
    pending = [];
    return lines;
  };
  const take = (file: FileReport): string[] => {
    const view = buildView({ ...EMPTY_REPORT, config, files: [file] });
    const fileView = view.files[0];
    files += 1;
    epochs += view.epochs;
    unreadable += view.unreadable;
    for (const s of SEVERITY_ORDER) counts[s] += view.counts[s];
    const rows = runRows(view);
    if (fileView !== undefined && view.runs.length > 0) {
      anyRun = true;
      const lines = quiet ? quietLines({ ...view, many: true }, c) : fileSection(fileView, c);
      const rank = view.counts.error > 0 ? 2 : view.counts.warning > 0 ? 1 : 0;
      if (lines.length > 0) {
        withDetails += 1;
        keepSection(sections, DETAIL_FILES, { index: files, rank, lines });
      }
    }
    const table = layout;
    if (table !== null) return rows.map(table.row);
    append(pending, rows);
    // a table is started only once a run is in it: a sweep where every file failed prints none
    return anyRun && pending.length >= TABLE_LOOKAHEAD ? startTable(null) : [];
  };
  return {
    begin: () => '',
    file: (file) => {
      items += file.error !== null || file.runs.length === 0 ? 1 : file.runs.length;
      if (items <= 1) {
        held = file;
        return '';
      }
      const first = held;
      held = null;
      const lines = [...(first === null ? [] : take(first)), ...take(file)];
      return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
    },
    end: (interrupted) => {
      if (held !== null) {
        // one run in all (or one unreadable file): the one-screen report
        const view = buildView({ ...EMPTY_REPORT, config, interrupted, files: [held] });
        held = null;
        const single = view.runs[0];
        if (single === undefined) return '';
        if (quiet) {
          const errors = quietLines(view, c);
          const lines = [...notices(view, c), ...headlineLines(single.headline, c, '', false), ''];
          if (errors.length > 0) {
            append(lines, errors);
            lines.push('');
          }
          return `${[...lines, ...summaryLines(view, c)].join('\n')}\n`;
        }
        return `${singleRun(view, single, c).join('\n')}\n`;
      }
      // nothing was linted (every input failed): the failures are on stderr, and a "0 errors" line would lie
      if (!anyRun) return '';
      const streamed = layout !== null;
      const lines: string[] = streamed ? [] : startTable(interrupted);
      lines.push('');
      // a table printed as it came could not say above it that the sweep was interrupted: it says so below
      if (streamed && interrupted !== null)
        lines.push(paint(c.chalk, 'warning', `${MARK.warning} ${WORDS.interrupted(interrupted)}`), '');
      sections.sort((a, b) => a.index - b.index);
      for (const section of sections) append(lines, section.lines);
      // a file's section ends with its blank line; the error lines of --quiet end with one in all
      if (quiet && sections.length > 0) lines.push('');
      const leftOut = withDetails - sections.length;
      sections.length = 0;
      if (leftOut > 0) {
        const note = hang(WORDS.detailsLeftOut(leftOut, DETAIL_FILES, quiet), c.width, '', '  ');
        append(
          lines,
          note.map((l) => c.chalk.dim(l)),
        );
        lines.push('');
      }
      const total: ReportView = { ...head(interrupted), counts, epochs, unreadable, files: [] };
      append(lines, summaryLines(total, c, files));
      return `${lines.join('\n')}\n`;
    },
  };
}
