/** Report formats by name: each turns a lint `Report` into the text of one output document. */
import type { FileReport, Report } from '../model/index.js';
import type { FormatName } from './formats.js';
import { createGithubStream, renderGithub } from './github.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { createJsonLinesStream, createJsonStream, renderJson, renderJsonLines } from './lint-json.js';
import { renderMarkdown } from './markdown.js';
import { EMPTY_REPORT, type ReporterOptions, type ReportStream } from './options.js';
import { renderSarif } from './sarif.js';
import { createTextStream, renderText } from './text.js';

export type { ReporterOptions, ReportStream } from './options.js';
export { FORMATS, type FormatName } from './formats.js';

/** A reporter: pure, deterministic (no timestamps), paths as given. */
export type Reporter = (report: Report, options: ReporterOptions) => string;

export const REPORTERS: Record<FormatName, Reporter> = {
  text: renderText,
  json: (report) => renderJson(report),
  jsonl: (report) => renderJsonLines(report),
  markdown: renderMarkdown,
  github: renderGithub,
  junit: renderJunit,
  sarif: renderSarif,
  html: renderHtml,
};

/** Formats that draw the curves: the others do not keep a run's series until the end. */
const DRAWS_CURVES: ReadonlySet<FormatName> = new Set(['markdown', 'html']);

/**
 * A format that is one document with its totals or its tables first (markdown, JUnit, SARIF, HTML):
 * rendered at the end from the files it was given, each kept without what the format does not print.
 */
function wholeDocument(format: FormatName, options: ReporterOptions, config: Report['config']): ReportStream {
  const files: FileReport[] = [];
  const keepSeries = DRAWS_CURVES.has(format);
  return {
    begin: () => '',
    file: (file) => {
      files.push(keepSeries ? file : { ...file, runs: file.runs.map(({ series: _s, ...run }) => run) });
      return '';
    },
    end: (interrupted) => REPORTERS[format]({ ...EMPTY_REPORT, files, interrupted, config }, options),
  };
}

/**
 * The report of `format` printed as the files come (see {@link ReportStream}); the concatenation is the
 * same as `REPORTERS[format]` of the whole report.
 */
export function createReportStream(
  format: FormatName,
  options: ReporterOptions,
  config: Report['config'],
): ReportStream {
  switch (format) {
    case 'text':
      return createTextStream(options, config);
    case 'json':
      return createJsonStream(config);
    case 'jsonl':
      return createJsonLinesStream(config);
    case 'github':
      return createGithubStream(config);
    default:
      return wholeDocument(format, options, config);
  }
}
