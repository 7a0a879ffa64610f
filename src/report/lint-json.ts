/**
 * The lint report as JSON (`--format json`): the Report schema plus rendered prose for each item; and as
 * JSON lines (`--format jsonl`): one line per file as it is linted, then one summary line. Both are
 * printed as the files come: the JSON document is written around its `files` array, which is the only
 * part that grows with the inputs.
 */
import { escapeJsonText } from './escape.js';
import type { FileReport, Reason, Report, Severity } from '../model/index.js';
import { REPORT_SCHEMA_VERSION } from '../model/index.js';
import { jsonNumberReplacer } from './numbers.js';
import type { ReportStream } from './options.js';
import { causeText, causeTitle, findingMessage } from './prose.js';

/**
 * A file of the JSON report: every finding gets `message`, every reason, check and fix gets `text`. The
 * chart curves (`runs[].series`) are left out: they are the records, which `epochlint parse` prints.
 */
function jsonFile(file: FileReport) {
  return {
    ...file,
    runs: file.runs.map(({ series: _series, ...summary }) => summary),
    findings: file.findings.map((f) => ({ ...f, message: findingMessage(f) })),
    diagnoses: file.diagnoses.map((d) => {
      const text = (r: Reason) => ({ ...r, text: causeText(d.cause, r) });
      return {
        ...d,
        title: causeTitle(d.cause),
        reasons: d.reasons.map(text),
        check: text(d.check),
        fix: text(d.fix),
      };
    }),
  };
}

/** The totals of the `summary` object, counted as the files come. */
function createTally() {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let files = 0;
  let unreadable = 0;
  let epochs = 0;
  return {
    add(file: FileReport): void {
      files += 1;
      if (file.error !== null) unreadable += 1;
      for (const run of file.runs) epochs += run.epochs;
      for (const f of file.findings) counts[f.severity] += 1;
    },
    summary: () => ({
      files,
      unreadable,
      epochs,
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
    }),
  };
}

const json = (value: unknown, indent?: number): string =>
  escapeJsonText(JSON.stringify(value, jsonNumberReplacer, indent));

/** `text` with every line but none indented by `indent` (JSON strings hold no raw line break). */
function indentLines(text: string, indent: string): string {
  // one replace, not a split into a string per line (half a million of them for a run at the records cap)
  return `${indent}${text.replaceAll('\n', `\n${indent}`)}`;
}

/**
 * The JSON document, printed around its `files` array: the same bytes as `JSON.stringify(document,
 * null, 2)` of the whole report, with only the running totals kept between files.
 */
export function createJsonStream(config: Report['config']): ReportStream {
  const tally = createTally();
  let first = true;
  return {
    begin: () => `{\n  "schemaVersion": ${REPORT_SCHEMA_VERSION},\n  "files": [`,
    file: (file) => {
      tally.add(file);
      const separator = first ? '\n' : ',\n';
      first = false;
      return `${separator}${indentLines(json(jsonFile(file), 2), '    ')}`;
    },
    end: (interrupted) => {
      // the rest of the document at the top level's indentation, without its opening brace
      const rest = json({ interrupted, config, summary: tally.summary() }, 2).slice(2);
      return `${first ? ']' : '\n  ]'},\n${rest}\n`;
    },
  };
}

/**
 * JSON lines: `{"schemaVersion":1,"kind":"file",...}` per file, with the fields of a `files[]` item of
 * the JSON report, as soon as it is linted; then `{"schemaVersion":1,"kind":"summary",...}` with
 * `interrupted`, `config` and `summary` as in the JSON report.
 */
export function createJsonLinesStream(config: Report['config']): ReportStream {
  const tally = createTally();
  return {
    begin: () => '',
    file: (file) => {
      tally.add(file);
      return `${json({ schemaVersion: REPORT_SCHEMA_VERSION, kind: 'file', ...jsonFile(file) })}\n`;
    },
    end: (interrupted) =>
      `${json({ schemaVersion: REPORT_SCHEMA_VERSION, kind: 'summary', interrupted, config, summary: tally.summary() })}\n`,
  };
}

/** Renders the whole report through a stream. */
function renderThrough(stream: ReportStream, report: Report): string {
  const parts = [stream.begin()];
  for (const file of report.files) parts.push(stream.file(file));
  parts.push(stream.end(report.interrupted));
  return parts.join('');
}

/** Renders the report as one JSON document. */
export function renderJson(report: Report): string {
  return renderThrough(createJsonStream(report.config), report);
}

/** Renders the report as JSON lines. */
export function renderJsonLines(report: Report): string {
  return renderThrough(createJsonLinesStream(report.config), report);
}
