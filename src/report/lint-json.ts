/** The lint report as JSON (`--format json`): the Report schema plus rendered prose for each item. */
import { escapeJsonText } from './escape.js';
import { findCause } from '../diagnose/causes/index.js';
import { findDetector } from '../detect/index.js';
import type { Report } from '../model/index.js';
import { formatMessage } from './format.js';
import { countFindings, epochTotal } from './counts.js';
import { jsonNumberReplacer } from './numbers.js';

/** Renders the report; every finding gets `message`, every reason, check and fix gets `text`. */
export function renderJson(report: Report): string {
  const files = report.files.map((file) => ({
    ...file,
    findings: file.findings.map((f) => ({
      ...f,
      message: formatMessage(findDetector(f.rule)?.messages ?? {}, f.messageId, f.data),
    })),
    diagnoses: file.diagnoses.map((d) => {
      const messages = findCause(d.cause)?.messages ?? {};
      const text = (r: { messageId: string; data: Record<string, unknown> }) => ({
        ...r,
        text: formatMessage(messages, r.messageId, r.data as never),
      });
      return {
        ...d,
        title: findCause(d.cause)?.title ?? d.cause,
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
