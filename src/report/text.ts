/** The text report for people: findings by severity with their evidence, then the ranked causes. */
import type { ChalkInstance } from 'chalk';
import { findCause } from '../diagnose/causes/index.js';
import { findDetector } from '../detect/index.js';
import type {
  Diagnosis,
  FileReport,
  Finding,
  Report,
  Run,
  Scalar,
  Severity,
  Verdict,
} from '../model/index.js';
import { renderChart } from './chart.js';
import { countFindings, epochTotal } from './counts.js';
import { escapeControl } from './escape.js';
import { formatMessage, formatNumber } from './format.js';

const SEVERITY_LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };
const VERDICT_ORDER: Verdict[] = ['confirmed', 'likely', 'possible', 'unlikely', 'ruled-out'];

function paint(chalk: ChalkInstance, severity: Severity, text: string): string {
  if (severity === 'error') return chalk.red.bold(text);
  if (severity === 'warning') return chalk.yellow.bold(text);
  return chalk.blue(text);
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

function scalar(value: Scalar): string {
  if (value === null) return '–';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return escapeControl(value);
}

/** Greedy word wrap of plain text; every line but the first gets `indent`. */
export function wrap(text: string, width: number, indent: string): string[] {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    if (line.trim().length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line.trim().length === 0 ? indent + word : `${line} ${word}`;
  }
  if (line.trim().length > 0) lines.push(line);
  return lines;
}

/** Wraps with a different indent for the first line (bullets, labels). */
function hang(text: string, width: number, first: string, rest: string): string[] {
  const [head = '', ...tail] = wrap(text, width - first.length + rest.length, rest);
  return [first + head.slice(rest.length), ...tail];
}

function findingLines(f: Finding, chalk: ChalkInstance, runs: number, width: number): string[] {
  const detector = findDetector(f.rule);
  const where = `${runs > 1 ? `run ${f.run + 1} · ` : ''}epochs ${f.epochs[0]}–${f.epochs[1]}${f.line === null ? '' : ` · line ${f.line}`}`;
  const metric = f.metric === null ? '' : ` · ${escapeControl(f.metric)}`;
  const head = `  ${paint(chalk, f.severity, SEVERITY_LABEL[f.severity].padEnd(7))} ${chalk.bold(f.rule)}${metric} ${chalk.dim(`· ${where}`)}`;
  const message = formatMessage(detector?.messages ?? {}, f.messageId, f.data);
  const stats = Object.entries(f.stats)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k} ${scalar(v)}`)
    .join(' · ');
  return [
    head,
    ...wrap(message, width, '          '),
    ...(stats.length > 0 ? wrap(stats, width, '          ').map((l) => chalk.dim(l)) : []),
  ];
}

function reasonText(d: Diagnosis, r: Diagnosis['reasons'][number]): string {
  return formatMessage(findCause(d.cause)?.messages ?? {}, r.messageId, r.data);
}

/** Reasons every cause of the run repeats (the shared evidence): printed once, above the causes. */
function sharedReasons(diagnoses: Diagnosis[]): Set<string> {
  const [first, ...rest] = diagnoses;
  if (first === undefined || rest.length === 0) return new Set();
  const shared = new Set(first.reasons.map((r) => reasonText(first, r)));
  for (const d of rest) {
    const mine = new Set(d.reasons.map((r) => reasonText(d, r)));
    for (const text of shared) if (!mine.has(text)) shared.delete(text);
  }
  return shared;
}

function diagnosisLines(d: Diagnosis, chalk: ChalkInstance, shared: Set<string>, width: number): string[] {
  const cause = findCause(d.cause);
  const messages = cause?.messages ?? {};
  // the verdict column is 13 wide; the title wraps under itself
  const heading = hang(`${cause?.title ?? d.cause} (${d.cause})`, width, ' '.repeat(13), ' '.repeat(13));
  const lines = [
    `  ${paintVerdict(chalk, d.verdict, d.verdict.padEnd(10))} ${chalk.bold((heading[0] ?? '').trimStart())}`,
    ...heading.slice(1).map((l) => chalk.bold(l)),
  ];
  const own = d.reasons.map((r) => reasonText(d, r)).filter((t) => !shared.has(t));
  const reasons = d.verdict === 'unlikely' ? own.slice(0, 1) : own;
  for (const r of reasons) lines.push(...hang(r, width, '      - ', '        '));
  if (d.verdict !== 'unlikely' && d.verdict !== 'ruled-out') {
    const check = hang(
      formatMessage(messages, d.check.messageId, d.check.data),
      width,
      '      check: ',
      '        ',
    );
    const fix = hang(formatMessage(messages, d.fix.messageId, d.fix.data), width, '      fix: ', '        ');
    lines.push(chalk.bold(check[0] ?? ''), ...check.slice(1), chalk.bold(fix[0] ?? ''), ...fix.slice(1));
  }
  return lines;
}

function chartLines(
  file: FileReport,
  runs: readonly Run[] | undefined,
  chalk: ChalkInstance,
  width: number,
): string[] {
  if (runs === undefined) return [];
  const out: string[] = [];
  for (const run of runs) {
    // a chart for every run that has something worth seeing (an error or a warning)
    if (!file.findings.some((f) => f.run === run.index && f.severity !== 'info')) continue;
    const chart = renderChart(run, { chalk, width: width - 2 });
    if (chart.length === 0) continue;
    if (runs.length > 1) out.push(chalk.dim(`  run ${run.index + 1}`));
    out.push(...chart.map((line) => `  ${line}`), '');
  }
  return out;
}

function fileLines(file: FileReport, chalk: ChalkInstance, runs?: readonly Run[], width = 80): string[] {
  const lines = [chalk.underline(escapeControl(file.file))];
  if (file.error !== null)
    return [...lines, `  ${paint(chalk, 'error', 'error')}  ${escapeControl(file.error)}`];
  const epochs = file.runs.reduce((n, r) => n + r.epochs, 0);
  lines.push(
    chalk.dim(`  ${file.format ?? 'unknown format'}, ${file.runs.length} run(s), ${epochs} epoch(s)`),
  );
  for (const axis of new Set(file.runs.flatMap((r) => (r.axis === undefined ? [] : [r.axis]))))
    lines.push(chalk.dim(`  time axis: ${axis}s, not epochs (an "epoch" below is the record's position)`));
  lines.push('', ...chartLines(file, runs, chalk, width));
  if (file.findings.length === 0) lines.push('  no findings');
  for (const severity of ['error', 'warning', 'info'] as const) {
    const group = file.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    for (const f of group) lines.push(...findingLines(f, chalk, file.runs.length, width));
  }
  for (const run of file.runs) {
    const diagnoses = file.diagnoses
      .filter((d) => d.run === run.index)
      .sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict));
    if (diagnoses.length === 0) continue;
    const shared = sharedReasons(diagnoses);
    lines.push('', chalk.bold(`  Why${file.runs.length > 1 ? ` (run ${run.index + 1})` : ''}:`));
    for (const text of shared) lines.push(...hang(text, width, '    - ', '      '));
    lines.push('', chalk.bold('  Causes, most likely first:'));
    for (const d of diagnoses) lines.push(...diagnosisLines(d, chalk, shared, width));
  }
  const issues = file.issues.filter((i) => i.kind !== 'no-epochs');
  if (issues.length > 0) {
    lines.push('', chalk.dim(`  ${issues.length} parse issue(s):`));
    for (const i of issues) {
      const text = `${i.line === null ? '' : `line ${i.line}: `}${i.kind}: ${escapeControl(i.message)}`;
      for (const l of hang(text, width, '    ', '      ')) lines.push(chalk.dim(l));
    }
  }
  return lines;
}

/** What the report as a whole rests on: a partial read, the config file used. */
function headerLines(report: Report, chalk: ChalkInstance): string[] {
  const lines: string[] = [];
  if (report.interrupted !== null) {
    lines.push(
      paint(
        chalk,
        'error',
        `interrupted (${report.interrupted}): reading stopped early; this report covers only what was read`,
      ),
    );
  }
  if (report.config !== null) {
    const where = report.config.outsideProject ? ' (outside the project)' : '';
    lines.push(chalk.dim(`config: ${escapeControl(report.config.path)}${where}`));
  }
  return lines.length === 0 ? [] : [...lines, ''];
}

/** Renders the whole report as text; `chalk` decides the colours (level 0 for none). */
export function renderText(
  report: Report,
  chalk: ChalkInstance,
  runs?: ReadonlyMap<string, readonly Run[]>,
  width = 80,
): string {
  const out: string[] = [...headerLines(report, chalk)];
  // a loop, not push(...lines): a file with 50k runs has more lines than a call takes arguments
  for (const file of report.files) {
    for (const line of fileLines(file, chalk, runs?.get(file.file), width)) out.push(line);
    out.push('');
  }
  const c = countFindings(report);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  out.push(
    `${plural(report.files.length, 'file')}, ${plural(epochTotal(report), 'epoch')}: ${paint(chalk, 'error', plural(c.error, 'error'))}, ${paint(chalk, 'warning', plural(c.warning, 'warning'))}, ${plural(c.info, 'note')}`,
  );
  return `${out.join('\n')}\n`;
}
