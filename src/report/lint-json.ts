/** The lint report as JSON (`--format json`): the Report schema plus rendered prose for each item. */
import { escapeJsonText } from './escape.js';
import type { Reason, Report } from '../model/index.js';
import { countFindings, epochTotal } from './counts.js';
import { jsonNumberReplacer } from './numbers.js';
import { causeText, causeTitle, findingMessage } from './prose.js';

/**
 * Renders the report; every finding gets `message`, every reason, check and fix gets `text`. The chart
 * curves (`runs[].series`) are left out: they are the records, which `epochlint parse` prints.
 */
export function renderJson(report: Report): string {
  const files = report.files.map((file) => ({
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
  }));
  const counts = countFindings(report);
  const summary = {
    files: report.files.length,
    unreadable: report.files.filter((f) => f.error !== null).length,
    epochs: epochTotal(report),
    errors: counts.error,
    warnings: counts.warning,
    infos: counts.info,
  };
  const document = {
    schemaVersion: report.schemaVersion,
    files,
    interrupted: report.interrupted,
    config: report.config,
    summary,
  };
  return `${escapeJsonText(JSON.stringify(document, jsonNumberReplacer, 2))}\n`;
}
