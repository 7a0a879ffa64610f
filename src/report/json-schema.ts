/**
 * The documented shape of epochlint's JSON outputs (`--format json` and `parse --format json`), as zod
 * schemas of the *rendered* documents: non-finite numbers appear as the strings "NaN", "Infinity" and
 * "-Infinity", and prose fields (`message`, `text`, `title`) are present. `epochlint schema` prints
 * them as JSON Schema; the tests validate real output against them.
 */
import { z } from 'zod';

const JsonNumber = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);
const JsonScalar = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const Line = z.number().int().min(1);

const Severity = z.enum(['error', 'warning', 'info']);
const Verdict = z.enum(['confirmed', 'likely', 'possible', 'unlikely', 'ruled-out']);
const Dialect = z.enum(['keras-text', 'csv-logger', 'history-json', 'notebook']);

const ParseIssue = z.object({
  kind: z.string().describe('truncated-epoch, incomplete-epoch, unparsed-epoch-line, ... (see the README)'),
  line: Line.nullable(),
  message: z.string(),
});

const RenderedReason = z.object({
  messageId: z.string(),
  data: z.record(z.string(), JsonScalar),
  text: z.string().describe('the rendered sentence'),
});

const RenderedFinding = z.object({
  rule: z.string().describe('detector id, e.g. val-alternation'),
  severity: Severity,
  run: z.number().int().min(0),
  metric: z.string().nullable(),
  epochs: z.tuple([z.number().int(), z.number().int()]),
  line: Line.nullable().describe('log line of the epoch where the evidence is'),
  stats: z.record(z.string(), JsonScalar).describe('test statistics and effect sizes, flat'),
  evidence: z.record(z.string(), z.unknown()),
  messageId: z.string(),
  data: z.record(z.string(), JsonScalar),
  message: z.string().describe('the rendered message'),
});

const RenderedDiagnosis = z.object({
  cause: z.string().describe('cause id, e.g. validation-slice-rotation'),
  title: z.string(),
  run: z.number().int().min(0),
  verdict: Verdict,
  reasons: z.array(RenderedReason),
  check: RenderedReason.describe('the one check that settles it'),
  fix: RenderedReason,
});

const RunSummary = z.object({
  index: z.number().int().min(0),
  epochs: z.number().int().min(0),
  firstEpoch: z.number().int().nullable(),
  lastEpoch: z.number().int().nullable(),
  fromLine: Line,
  toLine: Line,
  metrics: z.array(z.string()),
});

/** `epochlint --format json`. */
export const LintJsonDocument = z
  .object({
    schemaVersion: z.literal(1),
    files: z.array(
      z.object({
        file: z.string(),
        format: Dialect.nullable(),
        runs: z.array(RunSummary),
        findings: z.array(RenderedFinding),
        diagnoses: z.array(RenderedDiagnosis),
        issues: z.array(ParseIssue),
        error: z.string().nullable().describe('set when the file could not be read'),
      }),
    ),
    interrupted: z
      .enum(['SIGINT', 'SIGTERM'])
      .nullable()
      .describe('set when reading was interrupted before the inputs ended: the report is partial'),
    config: z
      .object({
        path: z.string().describe('as given to --config, or relative to the working directory'),
        outsideProject: z
          .boolean()
          .describe('above the nearest package.json or .git of the working directory'),
      })
      .nullable()
      .describe('the config file used; null when none'),
    summary: z.object({
      files: z.number().int().min(0),
      unreadable: z.number().int().min(0),
      epochs: z.number().int().min(0),
      errors: z.number().int().min(0),
      warnings: z.number().int().min(0),
      infos: z.number().int().min(0),
    }),
  })
  .describe('epochlint lint report');

const Epoch = z.object({
  epoch: z.number().int().min(1),
  of: z.number().int().min(1).nullable(),
  metrics: z.record(z.string(), JsonNumber),
  steps: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
  countUnit: z.enum(['step', 'sample']).nullable(),
  seconds: z.number().nullable(),
  stepTime: z.number().nullable(),
  line: Line,
});

const Event = z
  .object({
    kind: z.enum([
      'checkpoint-improved',
      'checkpoint-not-improved',
      'checkpoint-saved',
      'lr-reduced',
      'lr-scheduled',
      'early-stopping',
      'restore-best-weights',
      'terminate-nan',
    ]),
    epoch: z.number().int().min(1).nullable(),
    line: Line,
  })
  .catchall(z.union([JsonNumber, z.string(), z.null()]))
  .describe('monitor/from/to/path, best, path, lr, bestEpoch or batch, by kind');

const Dataset = z.object({
  source: z.enum(['found', 'using', 'train-on']),
  role: z.enum(['train', 'validation', 'unknown']),
  count: z.number().int().min(0),
  unit: z.string(),
  classes: z.number().int().min(0).nullable(),
  line: Line,
});

const RecordsFile = z.object({
  schemaVersion: z.literal(1),
  file: z.string(),
  format: Dialect.nullable(),
  runs: z.array(
    z.object({
      index: z.number().int().min(0),
      epochs: z.array(Epoch),
      events: z.array(Event),
      datasets: z.array(Dataset),
      source: z.object({ dialect: Dialect, file: z.string().nullable(), fromLine: Line, toLine: Line }),
    }),
  ),
  issues: z.array(ParseIssue),
});

/** `epochlint parse --format json`: one document, or an array of them for several files. */
export const RecordsJsonDocument = z
  .union([RecordsFile, z.array(RecordsFile)])
  .describe('epochlint parse records');

/** Both schemas as JSON Schema (draft 2020-12). */
export function jsonSchemas(): { lint: unknown; records: unknown } {
  return {
    lint: z.toJSONSchema(LintJsonDocument, { target: 'draft-2020-12' }),
    records: z.toJSONSchema(RecordsJsonDocument, { target: 'draft-2020-12' }),
  };
}
