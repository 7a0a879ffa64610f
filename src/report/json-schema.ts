/**
 * The documented shape of epochlint's JSON outputs (`--format json` and `parse --format json`), derived
 * from the model's zod schemas so a new format, record field, event kind or finding field can never
 * leave them out of date. What rendering adds is declared here: prose fields (`message`, `text`,
 * `title`) and the lint summary; non-finite numbers are rendered as the strings "NaN", "Infinity" and
 * "-Infinity". `epochlint schema` prints them as JSON Schema; the tests validate real output against them.
 */
import { z } from 'zod';
import {
  Diagnosis,
  FileReport,
  Finding,
  ParseIssue,
  Reason,
  REPORT_SCHEMA_VERSION,
  WeightedReason,
  Report,
  Dialect,
  Run,
} from '../model/index.js';
import { RECORDS_SCHEMA_VERSION } from './records.js';

const RenderedReason = Reason.extend({ text: z.string().describe('the rendered sentence') });

const RenderedFile = FileReport.extend({
  findings: z.array(Finding.extend({ message: z.string().describe('the rendered message') })),
  diagnoses: z.array(
    Diagnosis.extend({
      title: z.string(),
      reasons: z.array(WeightedReason.extend({ text: z.string().describe('the rendered sentence') })),
      check: RenderedReason.describe('the one check that settles it'),
      fix: RenderedReason,
    }),
  ),
});

/** `epochlint --format json`. */
export const LintJsonDocument = Report.extend({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  files: z.array(RenderedFile),
  summary: z.object({
    files: z.number().int().min(0),
    unreadable: z.number().int().min(0),
    epochs: z.number().int().min(0),
    errors: z.number().int().min(0),
    warnings: z.number().int().min(0),
    infos: z.number().int().min(0),
  }),
}).describe('epochlint lint report');

const RecordsFile = z.object({
  schemaVersion: z.literal(RECORDS_SCHEMA_VERSION),
  file: z.string(),
  format: Dialect.nullable(),
  runs: z.array(Run),
  issues: z.array(ParseIssue),
});

/** `epochlint parse --format json`: one document, or an array of them for several files. */
export const RecordsJsonDocument = z
  .union([RecordsFile, z.array(RecordsFile)])
  .describe('epochlint parse records');

/** How a number that may be non-finite is written in the JSON outputs. */
const JSON_NUMBER = { anyOf: [{ type: 'number' }, { enum: ['NaN', 'Infinity', '-Infinity'] }] };

/** The model's only custom types are numbers that may be NaN or ±Infinity (metric values, stats). */
function toJsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === 'custom') {
        for (const key of Object.keys(ctx.jsonSchema))
          delete (ctx.jsonSchema as Record<string, unknown>)[key];
        Object.assign(ctx.jsonSchema, JSON_NUMBER);
      }
    },
  });
}

/** Both schemas as JSON Schema (draft 2020-12). */
export function jsonSchemas(): { lint: unknown; records: unknown } {
  return { lint: toJsonSchema(LintJsonDocument), records: toJsonSchema(RecordsJsonDocument) };
}
