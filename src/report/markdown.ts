/**
 * The Markdown report (`--format markdown`), for `$GITHUB_STEP_SUMMARY` or a pull-request comment: the
 * verdict and totals first, the runs table when there are several, then per run its answer (what is
 * wrong, the next step, the likely cause), a sparkline per metric, the findings, the causes worth reading,
 * and the less likely causes folded inside `<details>`. Text from logs is escaped so that a crafted
 * metric name cannot add table cells, links or tags; the only HTML is the `<details>` fold.
 */
import type { Diagnosis, Finding, Report } from '../model/index.js';
import { chartMetrics, metricRange, sparkline } from './chart.js';
import { escapeControl } from './escape.js';
import type { ReporterOptions } from './options.js';
import {
  MARK,
  WORDS,
  causeText,
  causeTitle,
  count,
  findingFigures,
  findingMessage,
  severityCounts,
} from './prose.js';
import { TABLE_HEADINGS, bestCell, runRows } from './table.js';
import { buildView, sharedTexts, worstSeverity, type FileView, type Headline, type RunView } from './view.js';
import { append } from './lists.js';

/** Sparklines are at most this many characters (a summary page is read at any width). */
const SPARK_COLUMNS = 60;

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

function cell(text: string | null): string {
  return text === null || text.length === 0 ? '–' : escapeMarkdown(text);
}

function answerLines(h: Headline, level: string): string[] {
  const what = `${MARK[h.severity]} ${h.what}${h.side === null ? '' : `: ${h.side}`}`;
  const lines = [`${level} ${escapeMarkdown(what)}`, ''];
  if (h.next !== null) lines.push(`**${capital(WORDS.next)}:** ${escapeMarkdown(h.next)}`, '');
  if (h.why !== null) lines.push(`**${capital(WORDS.why)}:** ${escapeMarkdown(h.why)}`, '');
  return lines;
}

function capital(word: string): string {
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}

function sparkLines(run: RunView): string[] {
  const series = run.summary.series;
  if (series === undefined || series.epochs.length < 2) return [];
  const wanted = run.findings
    .filter((f) => f.severity !== 'info' && f.metric !== null)
    .map((f) => f.metric ?? '');
  const metrics = chartMetrics(series, wanted);
  if (metrics.length === 0) return [];
  return [
    '| Metric | Curve | Range |',
    '| --- | --- | --- |',
    ...metrics.map(
      (m) =>
        `| ${escapeMarkdown(m)} | \`${sparkline(series, m, SPARK_COLUMNS)}\` | ${cell(metricRange(series, m))} |`,
    ),
    '',
  ];
}

function findingRow(f: Finding, run: RunView): string {
  const where = [
    run.runsInFile > 1 ? `run ${f.run + 1}: ` : '',
    `${f.epochs[0]}–${f.epochs[1]}`,
    f.line === null ? '' : ` (line ${f.line})`,
  ].join('');
  const figures = findingFigures(f, { proportion: run.proportions.get(f.metric ?? '') === true });
  const cells = [
    `**${f.severity}**`,
    `\`${f.rule}\``,
    f.metric === null ? '–' : escapeMarkdown(f.metric),
    where,
    escapeMarkdown(findingMessage(f)),
    figures.length === 0 ? '–' : escapeMarkdown(figures.join(', ')),
  ];
  return `| ${cells.join(' | ')} |`;
}

function findingTable(run: RunView): string[] {
  if (run.findings.length === 0) return [`${capital(WORDS.noFindings)}.`, ''];
  return [
    '| Severity | Rule | Metric | Epochs | Finding | Figures |',
    '| --- | --- | --- | --- | --- | --- |',
    ...run.findings.map((f) => findingRow(f, run)),
    '',
  ];
}

function title(d: Diagnosis): string {
  return `${escapeMarkdown(causeTitle(d.cause))} (\`${d.cause}\`)`;
}

function causeLines(run: RunView, heading: string): string[] {
  if (run.diagnoses.length === 0) return [];
  const pattern = new Set(run.pattern);
  const shared = sharedTexts(run.top, pattern);
  const hidden = new Set([...pattern, ...shared]);
  const lines = [`${heading} ${WORDS.causes}`, ''];
  for (const d of run.top) {
    lines.push(`- **${d.verdict}**: ${title(d)}`);
    for (const text of new Set(d.reasons.map((r) => causeText(d.cause, r))))
      if (!hidden.has(text)) lines.push(`  - ${escapeMarkdown(text)}`);
    lines.push(
      `  - **${capital(WORDS.check)}:** ${escapeMarkdown(causeText(d.cause, d.check))}`,
      `  - **${capital(WORDS.fix)}:** ${escapeMarkdown(causeText(d.cause, d.fix))}`,
    );
  }
  if (shared.length > 0)
    lines.push('', `${capital(WORDS.shared)}:`, '', ...shared.map((t) => `- ${escapeMarkdown(t)}`));
  const rest = [...run.considered, ...run.ruledOut];
  if (rest.length > 0) {
    lines.push('', `<details><summary>${WORDS.lessLikely} (${rest.length})</summary>`, '');
    for (const d of rest) {
      const first = d.reasons.map((r) => causeText(d.cause, r)).find((text) => !pattern.has(text));
      lines.push(`- **${d.verdict}**: ${title(d)}${first === undefined ? '' : `: ${escapeMarkdown(first)}`}`);
    }
    lines.push('', '</details>');
  }
  if (run.pattern.length > 0) {
    lines.push('', `<details><summary>${WORDS.evidence}</summary>`, '');
    append(
      lines,
      run.pattern.map((t) => `- ${escapeMarkdown(t)}`),
    );
    lines.push('', '</details>');
  }
  lines.push('');
  return lines;
}

function fileLines(file: FileView): string[] {
  const lines = [`## ${escapeMarkdown(file.file)}`, ''];
  if (file.error !== null)
    return [...lines, `**error**: ${WORDS.unreadable}: ${escapeMarkdown(file.error)}`, ''];
  lines.push(
    `${file.format ?? 'unknown format'}, ${count(file.runs.length, 'run')}, ${count(file.epochs, 'epoch')}`,
    '',
  );
  if (file.runs.length === 0) return [...lines, `**error**: ${WORDS.noEpochs}`, ''];
  for (const run of file.runs) {
    const several = file.runs.length > 1;
    if (several) lines.push(`### Run ${run.index + 1}`, '');
    append(lines, answerLines(run.headline, several ? '####' : '###'));
    append(lines, sparkLines(run));
    append(lines, findingTable(run));
    append(lines, causeLines(run, several ? '#####' : '####'));
  }
  if (file.folded.length > 0) {
    lines.push(`Notes of several runs:`, '');
    for (const g of file.folded) {
      lines.push(
        `- ${escapeMarkdown(findingMessage(g.finding))} (runs ${g.runs.map((r) => r + 1).join(', ')})`,
      );
    }
    lines.push('');
  }
  if (file.issues.length > 0) {
    lines.push(
      `${capital(
        count(
          file.issues.reduce((n, g) => n + g.count, 0),
          'issue',
        ),
      )}:`,
      '',
    );
    for (const g of file.issues) {
      const at =
        g.lines.length === 0
          ? ''
          : `line${g.lines.length > 1 ? 's' : ''} ${g.lines.slice(0, 10).join(', ')}${g.lines.length > 10 ? ', …' : ''}: `;
      lines.push(`- ${at}\`${g.kind}\`: ${escapeMarkdown(g.message)}`);
    }
    lines.push('');
  }
  return lines;
}

function runsTable(report: ReturnType<typeof buildView>): string[] {
  const rows = runRows(report);
  const h = TABLE_HEADINGS;
  return [
    `| ${[h.file, h.run, h.epochs, h.metric, h.best, h.last, h.verdict].map(capital).join(' | ')} |`,
    '| --- | ---: | ---: | --- | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${[
          escapeMarkdown(r.file),
          r.run === null ? '' : String(r.run),
          r.epochs === null ? '–' : String(r.epochs),
          cell(r.metric),
          cell(bestCell(r)),
          cell(r.last),
          r.tone === 'ok' ? r.verdict : `**${r.verdict}**`,
        ].join(' | ')} |`,
    ),
    '',
  ];
}

/** Renders the report as GitHub-flavoured Markdown. `failOn` plays no part; `version` is in the footer. */
export function renderMarkdown(report: Report, options: Pick<ReporterOptions, 'version'>): string {
  const view = buildView(report);
  const worst = worstSeverity(view.counts);
  const mark = worst === null || worst === 'info' ? MARK.ok : MARK[worst];
  const files = `${count(view.files.length, 'file')}${view.unreadable > 0 ? ` (${view.unreadable} ${WORDS.unreadable})` : ''}`;
  const out = [
    '# epochlint report',
    '',
    `**${mark} ${severityCounts(view.counts)}** in ${files}, ${count(view.epochs, 'epoch')}`,
    '',
  ];
  if (view.interrupted !== null) out.push(`> **${WORDS.interrupted(view.interrupted)}**`, '');
  if (view.config !== null) {
    out.push(`${capital(WORDS.config)}: \`${escapeControl(view.config.path).replace(/`/g, "'")}\``, '');
    if (view.config.outsideProject) out.push(`> **${WORDS.configOutside}**`, '');
  }
  if (view.many) append(out, runsTable(view));
  for (const file of view.files) append(out, fileLines(file));
  out.push(`epochlint ${escapeMarkdown(options.version)}`);
  return `${out.join('\n')}\n`;
}
