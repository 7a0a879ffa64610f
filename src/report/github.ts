/**
 * GitHub Actions workflow commands (`--format github`): one `::error|warning|notice` annotation per
 * finding, pointing at the log line of the evidence. Stdout holds annotations only, one per line.
 */
import { findDetector } from '../detect/index.js';
import type { FileReport, Finding, ParseIssue, Report, Severity } from '../model/index.js';
import { escapeControl } from './escape.js';
import { formatMessage } from './format.js';

type AnnotationLevel = 'error' | 'warning' | 'notice';

const LEVEL: Record<Severity, AnnotationLevel> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * Parse issues worth an annotation: a truncated epoch changes what was linted. The others (ignored
 * progress bars, odd lines) are too frequent to annotate and are in the text and JSON reports.
 */
const ANNOTATED_ISSUES: ReadonlySet<ParseIssue['kind']> = new Set(['truncated-epoch']);

/** Escapes the message of a workflow command (GitHub's `escapeData`). */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value of a workflow command (GitHub's `escapeProperty`). */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

interface Annotation {
  level: AnnotationLevel;
  file: string;
  line: number | null;
  title: string | null;
  message: string;
}

function command(a: Annotation): string {
  const properties = [`file=${escapeCommandProperty(escapeControl(a.file))}`];
  if (a.line !== null) properties.push(`line=${a.line}`);
  if (a.title !== null) properties.push(`title=${escapeCommandProperty(a.title)}`);
  return `::${a.level} ${properties.join(',')}::${escapeCommandData(a.message)}`;
}

function findingAnnotation(file: string, f: Finding): Annotation {
  return {
    level: LEVEL[f.severity],
    file,
    line: f.line,
    title: f.metric === null ? f.rule : `${f.rule} (${escapeControl(f.metric)})`,
    message: formatMessage(findDetector(f.rule)?.messages ?? {}, f.messageId, f.data),
  };
}

function fileAnnotations(file: FileReport): Annotation[] {
  if (file.error !== null) {
    return [{ level: 'error', file: file.file, line: null, title: null, message: escapeControl(file.error) }];
  }
  const issues = file.issues
    .filter((i) => ANNOTATED_ISSUES.has(i.kind))
    .map((i): Annotation => ({
      level: 'notice',
      file: file.file,
      line: i.line,
      title: i.kind,
      message: escapeControl(i.message),
    }));
  return [...file.findings.map((f) => findingAnnotation(file.file, f)), ...issues];
}

/**
 * Renders one annotation per finding (and per unreadable file or truncated epoch). Severity maps to
 * the command (info → notice); `failOn` plays no part: the exit code decides whether the job fails.
 */
export function renderGithub(report: Report): string {
  const lines = report.files.flatMap(fileAnnotations).map(command);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
