import { readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { runCli } from './run-cli.js';

/** The JSON outputs are checked against the JSON Schema that `epochlint schema` prints (and the README documents). */
const ajv = new Ajv2020({ allErrors: true, strict: false });
const lintSchema = ajv.compile(JSON.parse((await runCli(['schema'])).stdout) as object);
const recordsSchema = ajv.compile(JSON.parse((await runCli(['schema', 'records'])).stdout) as object);
const real = readdirSync(new URL('../../fixtures/real/', import.meta.url))
  .filter((f) => f !== 'manifest.json')
  .map((f) => `fixtures/real/${f}`);

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

  test('the schema rejects a document of the wrong shape', async () => {
    expect(lintSchema({ schemaVersion: 1, files: [{ file: 'x' }] })).toBe(false);
    expect(recordsSchema({ schemaVersion: 2, file: 'x', runs: [], issues: [] })).toBe(false);
  });
});
