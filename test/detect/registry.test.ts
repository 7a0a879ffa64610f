import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { DETECTORS, findDetector } from '../../src/detect/index.js';
import { FindingKind, Severity } from '../../src/model/index.js';
import { formatMessage } from '../../src/report/format.js';
import { findingsOf, fixtureFiles } from './helpers.js';

const detectorFiles = readdirSync(new URL('../../src/detect/detectors/', import.meta.url))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const ids = DETECTORS.map((d) => d.id);
const byId = DETECTORS.map((d) => [d.id, d] as const);

/** `{name}` placeholders of a template. */
function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
}

describe('detector registry', () => {
  test('DETECTORS is alphabetical by id', () => {
    expect(ids).toEqual([...ids].sort());
  });

  test('ids are unique kebab-case and equal the file names of src/detect/detectors', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/);
    expect([...ids].sort()).toEqual(detectorFiles);
  });

  test('findDetector finds every id and nothing else', () => {
    for (const d of DETECTORS) expect(findDetector(d.id)).toBe(d);
    expect(findDetector('no-such-rule')).toBeUndefined();
  });

  test.each(byId)('%s has a title, a valid default severity and docs', (_, d) => {
    expect(d.title.trim()).not.toBe('');
    expect(Severity.options).toContain(d.defaultSeverity);
    expect(d.docs.what.trim()).not.toBe('');
    expect(d.docs.why.trim()).not.toBe('');
    expect(d.docs.example.trim()).not.toBe('');
    expect(Object.keys(d.messages).length).toBeGreaterThan(0);
  });

  test.each(byId)('%s has fixtures: at least one fires-* and one quiet-*', (id) => {
    const files = fixtureFiles(id);
    expect(files.filter((f) => f.startsWith('fires-')).length).toBeGreaterThanOrEqual(1);
    expect(files.filter((f) => f.startsWith('quiet-')).length).toBeGreaterThanOrEqual(1);
    expect(files.every((f) => /^(fires|quiet)-[a-z0-9-]+\.(log|txt|csv|json)$/.test(f))).toBe(true);
  });

  test.each(byId)('%s: messages of its findings on the fires fixtures render completely', (id, d) => {
    const fires = fixtureFiles(id).filter((f) => f.startsWith('fires-'));
    let rendered = 0;
    for (const file of fires) {
      for (const f of findingsOf(id, file)) {
        const template = d.messages[f.messageId];
        expect(template, `${file}: message ${f.messageId}`).toBeDefined();
        if (template === undefined) continue;
        // placeholders of the template, and of a message named by a string value (one level deep)
        const nested = placeholders(template).flatMap((name) => {
          const value = f.data[name];
          const inner = typeof value === 'string' ? d.messages[value] : undefined;
          return inner === undefined ? [] : placeholders(inner);
        });
        for (const name of [...placeholders(template), ...nested]) {
          expect(Object.hasOwn(f.data, name), `${file}: {${name}} of ${f.messageId} is in data`).toBe(true);
        }
        const text = formatMessage(d.messages, f.messageId, f.data);
        expect(text, file).not.toContain('{');
        expect(text, file).not.toContain('undefined');
        rendered++;
      }
    }
    expect(rendered, `${id} produced no finding on its fires fixtures`).toBeGreaterThan(0);
  });

  test.each(byId)('%s: its findings fit its stats schema and carry a next step of its own', (id, d) => {
    expect(FindingKind.options).toContain(d.kind);
    expect(typeof d.startsDiagnosis).toBe('boolean');
    for (const file of fixtureFiles(id)) {
      for (const f of findingsOf(id, file)) {
        expect(d.stats.safeParse(f.stats).success, `${file}: stats fit the schema`).toBe(true);
        const next = d.messages[f.next.messageId];
        expect(next, `${file}: next step ${f.next.messageId}`).toBeDefined();
        const text = formatMessage(d.messages, f.next.messageId, f.next.data);
        expect(text, file).not.toContain('{');
      }
    }
  });

  test('the detectors that start a diagnosis are the instability ones', () => {
    expect(DETECTORS.filter((d) => d.startsDiagnosis).map((d) => d.id)).toEqual([
      'checkpoint-bias',
      'train-loss-jumps',
      'train-oscillation',
      'val-alternation',
      'val-better-than-train',
      'val-instability',
      'val-periodic',
      'val-stuck',
      'val-swing-exceeds-sampling-noise',
    ]);
  });

  test.each(byId)('%s: the options schema parses {} to its defaults', (_, d) => {
    const parsed: unknown = d.options.parse({});
    expect(parsed).toBeTypeOf('object');
    expect(d.options).toBeInstanceOf(z.ZodObject);
    if (!(d.options instanceof z.ZodObject) || parsed === null || typeof parsed !== 'object') return;
    for (const key of Object.keys(d.options.shape)) {
      expect(
        (parsed as Record<string, unknown>)[key],
        `${d.id}.options.${key} has a default`,
      ).not.toBeUndefined();
    }
    expect(d.options.parse(parsed)).toEqual(parsed);
  });

  test.each(byId)('%s: the options schema rejects unknown keys', (_, d) => {
    expect(d.options.safeParse({ notAnOption: 1 }).success).toBe(false);
  });

  test.each(byId)('README.md documents %s', (id) => {
    expect(readme).toContain(`\`${id}\``);
  });
});
