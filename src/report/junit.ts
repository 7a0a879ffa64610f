/**
 * JUnit XML (`--format junit`) for CI test tabs: a test suite per file and a test case per file and
 * registered rule, so rules that found nothing show up as passed tests. A rule fails when it has a
 * finding at or above `--fail-on`; the failure's body carries the findings and the run's most likely
 * cause with the check that settles it. Findings below the threshold are in the test case's `<system-out>`.
 */
import { DETECTORS } from '../detect/index.js';
import type { FileReport, Finding, Report, Severity } from '../model/index.js';
import type { ReporterOptions } from './options.js';
import { escapeControl } from './escape.js';
import { WORDS, epochSpan, findingMessage, meetsFailOn, severityRank, statPairs } from './prose.js';
import { answerLines, runAnswer } from './view.js';
import { append } from './lists.js';

export { meetsFailOn } from './prose.js';

/**
 * Characters XML 1.0 does not allow in a document (C0 controls other than tab, LF and CR; U+FFFE,
 * U+FFFF; unpaired surrogates): removed, since no escape can represent them.
 */
const XML_FORBIDDEN =
  /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const XML_ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text content: the five predefined entities, forbidden characters removed. */
export function escapeXml(text: string): string {
  return text.replace(XML_FORBIDDEN, '').replace(/[&<>"']/g, (c) => XML_ENTITY[c] ?? c);
}

/**
 * Escapes an attribute value. Attribute values carry file names and metric names from the input, and CI
 * tools show them raw in a terminal or a web page: every control, bidi or invisible character is
 * escaped first (line breaks and tabs too, so an attribute stays one line).
 */
function escapeAttribute(text: string): string {
  return escapeXml(escapeControl(text));
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join('');
}

/** One line per finding: severity, metric, run, epochs, line, message and stats. */
function findingLine(f: Finding, runs: number): string {
  const where = [
    f.metric === null ? null : escapeControl(f.metric),
    runs > 1 ? `run ${f.run + 1}` : null,
    epochSpan(f.epochs),
    f.line === null ? null : `line ${f.line}`,
  ].filter((part) => part !== null);
  const stats = statPairs(f.stats).join(', ');
  return `${f.severity} ${where.join(', ')}: ${findingMessage(f)}${stats.length > 0 ? ` [${stats}]` : ''}`;
}

/** The answers of the runs among `findings` (the most likely cause and its check), once per run. */
function diagnosisLines(file: FileReport, findings: readonly Finding[]): string[] {
  const runs = [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.run))];
  return runs.flatMap((run) => {
    const lines = answerLines(runAnswer(file, run));
    return file.runs.length > 1 && lines.length > 0 ? [`run ${run + 1}:`, ...lines] : lines;
  });
}

interface Case {
  name: string;
  failing: Finding[];
  passing: Finding[];
  error: string | null;
}

function ruleIds(file: FileReport): string[] {
  const ids = DETECTORS.map((d) => d.id);
  const unknown = [...new Set(file.findings.map((f) => f.rule))].filter((id) => !ids.includes(id)).sort();
  return [...ids, ...unknown];
}

function fileCases(file: FileReport, failOn: Severity | 'never'): Case[] {
  if (file.error !== null) return [{ name: 'read', failing: [], passing: [], error: file.error }];
  return ruleIds(file).map((name) => {
    const findings = file.findings.filter((f) => f.rule === name);
    return {
      name,
      failing: findings.filter((f) => meetsFailOn(f.severity, failOn)),
      passing: findings.filter((f) => !meetsFailOn(f.severity, failOn)),
      error: null,
    };
  });
}

function caseXml(file: FileReport, c: Case): string[] {
  const open = `    <testcase${attributes({ classname: file.file, name: c.name })}`;
  const body: string[] = [];
  if (c.error !== null) {
    const text = escapeControl(c.error);
    const type = c.name === 'interrupted' ? 'interrupted' : 'read';
    body.push(`      <error${attributes({ type, message: text })}>${escapeXml(text)}</error>`);
  }
  const [first, ...more] = [...c.failing].sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
  if (first !== undefined) {
    const summary = `${findingMessage(first)}${more.length > 0 ? ` (and ${more.length} more)` : ''}`;
    const lines = [
      ...c.failing.map((f) => findingLine(f, file.runs.length)),
      ...diagnosisLines(file, c.failing),
    ].map(escapeXml);
    body.push(
      `      <failure${attributes({ type: first.severity, message: summary })}>${lines.join('\n')}</failure>`,
    );
  }
  if (c.passing.length > 0) {
    const lines = c.passing.map((f) => escapeXml(findingLine(f, file.runs.length)));
    body.push(`      <system-out>${lines.join('\n')}</system-out>`);
  }
  return body.length === 0 ? [`${open} />`] : [`${open}>`, ...body, '    </testcase>'];
}

function suiteXml(file: FileReport, cases: Case[], version: string, config: Report['config']): string[] {
  const failures = cases.filter((c) => c.failing.length > 0).length;
  const errors = cases.filter((c) => c.error !== null).length;
  const head = `  <testsuite${attributes({ name: file.file, tests: cases.length, failures, errors, skipped: 0 })}>`;
  const lines = [
    head,
    '    <properties>',
    `      <property${attributes({ name: 'epochlint.version', value: version })} />`,
    ...(file.format === null
      ? []
      : [`      <property${attributes({ name: 'format', value: file.format })} />`]),
    ...(config === null
      ? []
      : [`      <property${attributes({ name: 'epochlint.config', value: escapeControl(config.path) })} />`]),
    '    </properties>',
  ];
  for (const c of cases) append(lines, caseXml(file, c));
  const issues = file.issues.filter((i) => i.kind !== 'no-epochs');
  const notes = [
    ...(config?.outsideProject === true ? [WORDS.configOutside] : []),
    ...issues.map(
      (i) => `${i.line === null ? '' : `line ${i.line}: `}${i.kind}: ${escapeControl(i.message)}`,
    ),
  ];
  if (notes.length > 0) lines.push(`    <system-out>${escapeXml(notes.join('\n'))}</system-out>`);
  lines.push('  </testsuite>');
  return lines;
}

/**
 * Renders the report as JUnit XML. `failOn` decides which findings are failures; a file that could not
 * be read is a test case `read` with an `<error>`.
 */
export function renderJunit(report: Report, options: Pick<ReporterOptions, 'failOn' | 'version'>): string {
  const suites = report.files.map((file) => ({ file, cases: fileCases(file, options.failOn) }));
  // an interrupted read is a partial report: a test case that errors, so the tab does not look green
  const interrupted: Case | null =
    report.interrupted === null
      ? null
      : {
          name: 'interrupted',
          failing: [],
          passing: [],
          error: WORDS.interrupted(report.interrupted),
        };
  const cases = [...suites.flatMap((s) => s.cases), ...(interrupted === null ? [] : [interrupted])];
  const totals = {
    name: 'epochlint',
    tests: cases.length,
    failures: cases.filter((c) => c.failing.length > 0).length,
    errors: cases.filter((c) => c.error !== null).length,
  };
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attributes(totals)}>`];
  for (const s of suites) append(lines, suiteXml(s.file, s.cases, options.version, report.config));
  if (interrupted !== null) {
    const run: FileReport = {
      file: 'epochlint',
      format: null,
      runs: [],
      findings: [],
      diagnoses: [],
      contexts: [],
      issues: [],
      error: null,
    };
    append(lines, suiteXml(run, [interrupted], options.version, null));
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
