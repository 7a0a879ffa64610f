import { readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { Dialect } from '../../src/model/index.js';
import { runCli } from './run-cli.js';

/** The JSON outputs are checked against the JSON Schema that `epochlint schema` prints (and the README documents). */
const ajv = new Ajv2020({ allErrors: true, strict: false });
const lintSchema = ajv.compile(JSON.parse((await runCli(['schema'])).stdout) as object);
const recordsSchema = ajv.compile(JSON.parse((await runCli(['schema', 'records'])).stdout) as object);
const real = readdirSync(new URL('../../fixtures/real/', import.meta.url))
  .filter((f) => !f.includes('manifest'))
  .map((f) => `fixtures/real/${f}`);
/** Inputs of the formats the real logs do not cover. */
const made = [
  'fixtures/parse/lightning/console-four-epochs.log',
  'fixtures/parse/hf/console-eval-accuracy-alternates.log',
  'fixtures/parse/jsonl/train-and-val-lines.jsonl',
  'fixtures/parse/tfevents/events.out.tfevents.1700000000.pytorch-steps',
  'fixtures/parse/fastai/history.csv',
  'fixtures/parse/tensorboard/run-lightning_logs_version_0-tag-val_loss.csv',
  'fixtures/parse/wandb/panel-two-runs.csv',
  'fixtures/parse/mlflow/mlruns/0/9f1c2a7e4b3d4f5a8c6e0d1b2a3c4d5e/metrics/val/loss',
];

describe('JSON outputs validate against their JSON Schema', () => {
  test('lint --format json over every real log and an unreadable file', async () => {
    const { stdout } = await runCli([...real, 'missing.log', '--format', 'json']);
    const doc: unknown = JSON.parse(stdout);
    const valid = lintSchema(doc);
    expect(lintSchema.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test('parse --format json, one file and several', async () => {
    for (const args of [[real[0] ?? ''], real]) {
      const doc: unknown = JSON.parse((await runCli(['parse', ...args])).stdout);
      const valid = recordsSchema(doc);
      expect(recordsSchema.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  test("records of every dialect validate, and the schema names exactly the model's dialects", async () => {
    const docs = JSON.parse((await runCli(['parse', ...real, ...made])).stdout) as Array<{
      format: string | null;
    }>;
    expect(recordsSchema(docs)).toBe(true);
    expect(recordsSchema.errors ?? []).toEqual([]);
    expect(new Set(docs.map((d) => d.format))).toEqual(new Set(Dialect.options));
    const schema = JSON.stringify(JSON.parse((await runCli(['schema', 'records'])).stdout));
    for (const dialect of Dialect.options) expect(schema).toContain(`"${dialect}"`);
  });

  test('the schema rejects a document of the wrong shape', () => {
    expect(lintSchema({ schemaVersion: 1, files: [{ file: 'x' }] })).toBe(false);
    expect(recordsSchema({ schemaVersion: 2, file: 'x', runs: [], issues: [] })).toBe(false);
  });
});
