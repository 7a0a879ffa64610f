/**
 * The Markdown report (`--format markdown`), for `$GITHUB_STEP_SUMMARY` or a pull-request comment: a
 * table of findings per file, the likely causes of each run, and the totals. It emits no HTML, and
 * text from logs is escaped so that a crafted metric name cannot add table cells, links or tags.
 */
import { findCause } from '../diagnose/causes/index.js';
import { findDetector } from '../detect/index.js';
import type { Diagnosis, FileReport, Finding, Report, Scalar, Severity, Verdict } from '../model/index.js';
import type { ReporterOptions } from './index.js';
import { escapeControl } from './escape.js';
import { formatMessage, formatNumber } from './format.js';

const VERDICT_ORDER: readonly Verdict[] = ['confirmed', 'likely', 'possible', 'unlikely', 'ruled-out'];
const SEVERITY_NOUN: Record<Severity, [string, string]> = {
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  info: ['note', 'notes'],
};
/** A table cell shows the first stats a detector reports (it puts the test and effect size first). */
const KEY_STATS = 6;

/**
 * Escapes text for Markdown prose and table cells: control characters as `\xNN`, `& < >` as
 * entities (no raw HTML), and backslash escapes for the punctuation that makes cells, code, emphasis,
 * links, headings or math (`| \` * _ [ ] ~ $ # \\`).
 */
export function escapeMarkdown(text: string): string {
  return escapeControl(text)
    .replace(/[\\`*_[\]~$|#]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function plural(n: number, [one, many]: [string, string]): string {
  return `${n} ${n === 1 ? one : many}`;
}

function scalar(value: Scalar): string {
  if (value === null) return '–';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return escapeMarkdown(value);
}

function keyStats(f: Finding): string {
  const stats = Object.entries(f.stats)
    .filter(([, v]) => v !== null)
    .slice(0, KEY_STATS)
    .map(([k, v]) => `${escapeMarkdown(k)} ${scalar(v)}`);
  return stats.length === 0 ? '–' : stats.join(', ');
}

function findingRow(f: Finding, runs: number): string {
  const message = formatMessage(findDetector(f.rule)?.messages ?? {}, f.messageId, f.data);
  const where = [
    runs > 1 ? `run ${f.run + 1}: ` : '',
    `${f.epochs[0]}–${f.epochs[1]}`,
    f.line === null ? '' : ` (line ${f.line})`,
  ].join('');
  const cells = [
    `**${f.severity}**`,
    `\`${f.rule}\``,
    f.metric === null ? '–' : escapeMarkdown(f.metric),
    where,
    escapeMarkdown(message),
    keyStats(f),
  ];
  return `| ${cells.join(' | ')} |`;
}

function causeText(d: Diagnosis, r: Diagnosis['reasons'][number]): string {
  return escapeMarkdown(formatMessage(findCause(d.cause)?.messages ?? {}, r.messageId, r.data));
}

/** Reasons every cause of the run repeats (the shared evidence): listed once, above the causes. */
function sharedReasons(diagnoses: readonly Diagnosis[]): Set<string> {
  const [first, ...rest] = diagnoses;
  if (first === undefined || rest.length === 0) return new Set();
  const shared = new Set(first.reasons.map((r) => causeText(first, r)));
  for (const d of rest) {
    const mine = new Set(d.reasons.map((r) => causeText(d, r)));
    for (const text of shared) if (!mine.has(text)) shared.delete(text);
  }
  return shared;
}

function causeTitle(d: Diagnosis): string {
  return `${escapeMarkdown(findCause(d.cause)?.title ?? d.cause)} (\`${d.cause}\`)`;
}

function diagnosisLines(file: FileReport, runIndex: number): string[] {
  const diagnoses = file.diagnoses
    .filter((d) => d.run === runIndex)
    .sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict));
  if (diagnoses.length === 0) return [];
  const shared = sharedReasons(diagnoses);
  const lines = ['', `### Likely causes${file.runs.length > 1 ? ` (run ${runIndex + 1})` : ''}`, ''];
  if (shared.size > 0) {
    lines.push('Evidence:', '');
    for (const text of shared) lines.push(`- ${text}`);
    lines.push('');
  }
  const open = diagnoses.filter((d) => d.verdict !== 'unlikely' && d.verdict !== 'ruled-out');
  const closed = diagnoses.filter((d) => d.verdict === 'unlikely' || d.verdict === 'ruled-out');
  for (const d of open) {
    const messages = findCause(d.cause)?.messages ?? {};
    lines.push(`- **${d.verdict}**: ${causeTitle(d)}`);
    for (const r of d.reasons) {
      const text = causeText(d, r);
      if (!shared.has(text)) lines.push(`  - ${text}`);
    }
    lines.push(
      `  - **Check:** ${escapeMarkdown(formatMessage(messages, d.check.messageId, d.check.data))}`,
      `  - **Fix:** ${escapeMarkdown(formatMessage(messages, d.fix.messageId, d.fix.data))}`,
    );
  }
  if (closed.length > 0) {
    if (open.length > 0) lines.push('');
    lines.push('Less likely:', '');
    for (const d of closed) {
      const first = d.reasons.map((r) => causeText(d, r)).find((text) => !shared.has(text));
      lines.push(`- **${d.verdict}**: ${causeTitle(d)}${first === undefined ? '' : `: ${first}`}`);
    }
  }
  return lines;
}

function fileLines(file: FileReport): string[] {
  const lines = [`## ${escapeMarkdown(file.file)}`, ''];
  if (file.error !== null) return [...lines, `**error**: could not be read: ${escapeMarkdown(file.error)}`];
  const epochs = file.runs.reduce((n, r) => n + r.epochs, 0);
  lines.push(
    `${file.format ?? 'unknown format'}, ${plural(file.runs.length, ['run', 'runs'])}, ${plural(epochs, ['epoch', 'epochs'])}`,
    '',
  );
  if (file.findings.length === 0) lines.push('No findings.');
  else {
    lines.push(
      '| Severity | Rule | Metric | Epochs | Message | Stats |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const f of file.findings) lines.push(findingRow(f, file.runs.length));
  }
  for (const run of file.runs) lines.push(...diagnosisLines(file, run.index));
  const issues = file.issues.filter((i) => i.kind !== 'no-epochs');
  if (issues.length > 0) {
    lines.push('', `${plural(issues.length, ['parse issue', 'parse issues'])}:`, '');
    for (const i of issues) {
      lines.push(`- ${i.line === null ? '' : `line ${i.line}: `}\`${i.kind}\`: ${escapeMarkdown(i.message)}`);
    }
  }
  return lines;
}

function totals(report: Report): string {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const file of report.files) for (const f of file.findings) counts[f.severity] += 1;
  const unreadable = report.files.filter((f) => f.error !== null).length;
  const parts = [
    plural(counts.error, SEVERITY_NOUN.error),
    plural(counts.warning, SEVERITY_NOUN.warning),
    plural(counts.info, SEVERITY_NOUN.info),
    ...(unreadable > 0 ? [`${plural(unreadable, ['file', 'files'])} not read`] : []),
  ];
  return `**Total:** ${plural(report.files.length, ['file', 'files'])}: ${parts.join(', ')}`;
}

/** Renders the report as GitHub-flavoured Markdown. `failOn` plays no part; `version` is in the footer. */
export function renderMarkdown(report: Report, options: Pick<ReporterOptions, 'version'>): string {
  const out = ['# epochlint report', ''];
  for (const file of report.files) out.push(...fileLines(file), '');
  out.push(totals(report), '', `epochlint ${escapeMarkdown(options.version)}`);
  return `${out.join('\n')}\n`;
}
