/**
 * SARIF 2.1.0 (`--format sarif`) for code-scanning uploads: one run, every registered detector as a
 * rule, one result per finding located at the log line of its evidence, its message carrying the run's
 * most likely cause and the check that settles it. No time fields, so the same report gives the same bytes.
 */
import { DETECTORS, type Detector } from '../detect/index.js';
import type { FileReport, Finding, Report, Scalar, Severity } from '../model/index.js';
import type { ReporterOptions } from './options.js';
import { escapeControl, escapeJsonText } from './escape.js';
import { jsonNumberReplacer } from './numbers.js';
import { WORDS, findingMessage } from './prose.js';
import { answerLines, runAnswer, type Headline } from './view.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
const INFORMATION_URI = 'https://www.npmjs.com/package/epochlint';

type SarifLevel = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

interface ReportingDescriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel };
}

interface Location {
  physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
}

interface Notification {
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  descriptor: { id: string };
  locations?: Location[];
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The path as given as a URI reference: backslashes become slashes and each segment is
 * percent-encoded (spaces, `%`, `#`, `?`, `:`, non-ASCII). A Windows drive path becomes a `file:` URI,
 * since `C:/x` would otherwise read as scheme `C`.
 */
export function pathToUri(path: string): string {
  const slashed = path.replace(LONE_SURROGATE, '\ufffd').replace(/\\/g, '/');
  const drive = /^[A-Za-z]:\//.test(slashed) ? slashed.slice(0, 2) : null;
  const rest = drive === null ? slashed : slashed.slice(2);
  const encoded = rest
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return drive === null ? encoded : `file:///${drive}${encoded}`;
}

function fenced(example: string): string {
  const longest = Math.max(2, ...[...example.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${example}\n${fence}`;
}

function descriptor(d: Detector): ReportingDescriptor {
  return {
    id: d.id,
    name: d.title,
    shortDescription: { text: d.title },
    fullDescription: { text: d.docs.what },
    help: {
      text: `${d.docs.what}\n\nWhy it matters: ${d.docs.why}\n\nExample:\n${d.docs.example}`,
      markdown: `${d.docs.what}\n\n**Why it matters:** ${d.docs.why}\n\n**Example:**\n\n${fenced(d.docs.example)}`,
    },
    defaultConfiguration: { level: LEVEL[d.defaultSeverity] },
  };
}

/** A rule no detector defines (a finding from elsewhere): described by its id, so `ruleIndex` stays valid. */
function unknownDescriptor(id: string): ReportingDescriptor {
  return {
    id,
    name: id,
    shortDescription: { text: id },
    fullDescription: { text: id },
    help: { text: id, markdown: id },
    defaultConfiguration: { level: 'warning' },
  };
}

function location(file: string, line: number | null): Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: pathToUri(file) },
      ...(line === null ? {} : { region: { startLine: line } }),
    },
  };
}

function logScalar(value: Scalar): Scalar {
  return typeof value === 'string' ? escapeControl(value) : value;
}

function result(file: FileReport, f: Finding, ruleIndex: number, answer: Headline | undefined) {
  // the diagnosis explains the run's problems; a note is not one of them
  const diagnosis = f.severity === 'info' || answer === undefined ? [] : answerLines(answer);
  return {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: [findingMessage(f), ...diagnosis].join('\n') },
    locations: [location(file.file, f.line)],
    properties: {
      metric: f.metric === null ? null : escapeControl(f.metric),
      run: f.run,
      epochs: f.epochs,
      stats: Object.fromEntries(Object.entries(f.stats).map(([k, v]) => [escapeControl(k), logScalar(v)])),
      ...(diagnosis.length === 0 || answer === undefined ? {} : { diagnosis: answerProperties(answer) }),
    },
  };
}

/** The answer as data for SARIF consumers that read properties rather than the message. */
function answerProperties(answer: Headline) {
  return { side: answer.side, cause: answer.why, next: answer.next };
}

function reportNotifications(report: Report): Notification[] {
  const out: Notification[] = [];
  if (report.interrupted !== null) {
    out.push({
      level: 'warning',
      message: { text: WORDS.interrupted(report.interrupted) },
      descriptor: { id: 'interrupted' },
    });
  }
  if (report.config?.outsideProject === true) {
    out.push({
      level: 'warning',
      message: { text: `${escapeControl(report.config.path)}: ${WORDS.configOutside}` },
      descriptor: { id: 'config-outside-project' },
      locations: [location(report.config.path, null)],
    });
  }
  return out;
}

function notifications(file: FileReport): Notification[] {
  if (file.error !== null) {
    return [
      {
        level: 'error',
        message: { text: `${escapeControl(file.file)}: ${escapeControl(file.error)}` },
        descriptor: { id: 'read-error' },
        locations: [location(file.file, null)],
      },
    ];
  }
  return file.issues
    .filter((i) => i.kind !== 'no-epochs')
    .map((i) => ({
      level: 'note',
      message: { text: escapeControl(i.message) },
      descriptor: { id: i.kind },
      locations: [location(file.file, i.line)],
    }));
}

/**
 * Renders the report as SARIF 2.1.0. Severity maps to the level (info → note); `failOn` plays no part.
 * Unreadable files are `toolExecutionNotifications` of level error and make `executionSuccessful` false;
 * parse issues are notifications of level note.
 */
export function renderSarif(report: Report, options: Pick<ReporterOptions, 'version'>): string {
  const known = new Set(DETECTORS.map((d) => d.id));
  const unknown = [
    ...new Set(
      report.files.flatMap((file) => file.findings.map((f) => f.rule)).filter((id) => !known.has(id)),
    ),
  ].sort();
  const rules = [...DETECTORS.map(descriptor), ...unknown.map(unknownDescriptor)];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = report.files.flatMap((file) => {
    const answers = new Map(file.runs.map((r) => [r.index, runAnswer(file, r.index)]));
    return file.findings.map((f) => result(file, f, index.get(f.rule) ?? -1, answers.get(f.run)));
  });
  const notes = [...reportNotifications(report), ...report.files.flatMap(notifications)];
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: { name: 'epochlint', version: options.version, informationUri: INFORMATION_URI, rules },
        },
        invocations: [
          {
            executionSuccessful:
              report.interrupted === null && report.files.every((file) => file.error === null),
            ...(notes.length === 0 ? {} : { toolExecutionNotifications: notes }),
          },
        ],
        results,
      },
    ],
  };
  return `${escapeJsonText(JSON.stringify(sarif, jsonNumberReplacer, 2))}\n`;
}
