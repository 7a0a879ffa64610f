/**
 * GitHub Actions workflow commands (`--format github`): one `::error|warning|notice` annotation per
 * finding, pointing at the log line of the evidence, with the run's most likely cause and the check that
 * settles it in the message. Stdout holds annotations only, one per line.
 */
import type { FileReport, Finding, ParseIssue, Report, Severity } from '../model/index.js';
import { escapeControl } from './escape.js';
import type { ReportStream } from './options.js';
import { WORDS, findingMessage } from './prose.js';
import { answerLines, runAnswer } from './view.js';

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
  file: string | null;
  line: number | null;
  title: string | null;
  /** Lines of the message (joined by line breaks, which GitHub shows). */
  message: string[];
}

function command(a: Annotation): string {
  const properties: string[] = [];
  if (a.file !== null) properties.push(`file=${escapeCommandProperty(escapeControl(a.file))}`);
  if (a.line !== null) properties.push(`line=${a.line}`);
  if (a.title !== null) properties.push(`title=${escapeCommandProperty(a.title)}`);
  const head = properties.length > 0 ? ` ${properties.join(',')}` : '';
  return `::${a.level}${head}::${escapeCommandData(a.message.join('\n'))}`;
}

function findingAnnotation(file: FileReport, f: Finding, answers: Map<number, string[]>): Annotation {
  // the diagnosis explains the run's problems; a note is not one of them
  const diagnosis = f.severity === 'info' ? [] : (answers.get(f.run) ?? []);
  return {
    level: LEVEL[f.severity],
    file: file.file,
    line: f.line,
    title: f.metric === null ? f.rule : `${f.rule} (${escapeControl(f.metric)})`,
    message: [findingMessage(f), ...diagnosis],
  };
}

function fileAnnotations(file: FileReport): Annotation[] {
  if (file.error !== null) {
    return [
      { level: 'error', file: file.file, line: null, title: null, message: [escapeControl(file.error)] },
    ];
  }
  const answers = new Map(file.runs.map((r) => [r.index, answerLines(runAnswer(file, r.index))]));
  const issues = file.issues
    .filter((i) => ANNOTATED_ISSUES.has(i.kind))
    .map((i): Annotation => ({
      level: 'notice',
      file: file.file,
      line: i.line,
      title: i.kind,
      message: [escapeControl(i.message)],
    }));
  return [...file.findings.map((f) => findingAnnotation(file, f, answers)), ...issues];
}

function configAnnotations(config: Report['config']): Annotation[] {
  if (config?.outsideProject !== true) return [];
  return [
    {
      level: 'warning',
      file: escapeControl(config.path),
      line: null,
      title: 'epochlint config',
      message: [WORDS.configOutside],
    },
  ];
}

function interruptAnnotations(interrupted: Report['interrupted']): Annotation[] {
  if (interrupted === null) return [];
  return [
    {
      level: 'notice',
      file: null,
      line: null,
      title: 'epochlint',
      message: [WORDS.interrupted(interrupted)],
    },
  ];
}

const lines = (annotations: readonly Annotation[]): string =>
  annotations.map((a) => `${command(a)}\n`).join('');

/**
 * One annotation per finding (and per unreadable file or truncated epoch), printed as each file is
 * linted; errors and warnings carry the run's most likely cause and next step. Severity maps to the
 * command (info → notice); `failOn` plays no part: the exit code decides whether the job fails. A config
 * from outside the project is a warning first; an interrupt is a notice at the end, when it is known.
 */
export function createGithubStream(config: Report['config']): ReportStream {
  return {
    begin: () => lines(configAnnotations(config)),
    file: (file) => lines(fileAnnotations(file)),
    end: (interrupted) => lines(interruptAnnotations(interrupted)),
  };
}

/** Renders every annotation of the report. */
export function renderGithub(report: Report): string {
  const stream = createGithubStream(report.config);
  return [stream.begin(), ...report.files.map((f) => stream.file(f)), stream.end(report.interrupted)].join(
    '',
  );
}
