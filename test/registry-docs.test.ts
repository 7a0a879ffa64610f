/**
 * The registries and their documentation agree: every detector has its own test file and exactly one row
 * of the README's detector table (with its default severity), the table has no row for anything else, and
 * every cause is named once in the README's causes section, which names nothing else.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DETECTORS } from '../src/detect/index.js';
import { CAUSES } from '../src/diagnose/causes/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The text of a README section: from its heading to the next heading of the same or a higher level. */
function section(heading: string): string {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  expect(start, `README has a "${heading}" section`).toBeGreaterThanOrEqual(0);
  const level = heading.indexOf(' ');
  const end = lines.findIndex(
    (l, i) => i > start && /^#+ /.test(l) && l.indexOf(' ') <= level && l.startsWith('#'),
  );
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** Rows of the first Markdown table of a text: cells of each body row, trimmed. */
function tableRows(text: string): string[][] {
  const lines = text.split('\n').filter((l) => l.trimStart().startsWith('|'));
  return lines
    .slice(2)
    .map((l) =>
      l
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim()),
    )
    .filter((cells) => cells.length > 1);
}

/** The part of the detectors section before its causes subsection. */
const detectorSection = section('## Detectors').split('### ')[0] ?? '';
const rows = tableRows(detectorSection);
const byId = DETECTORS.map((d) => [d.id, d] as const);

describe('README detector table, row by row', () => {
  test('one row per detector, in registry order, and no other row', () => {
    expect(rows.map((r) => r[0])).toEqual(DETECTORS.map((d) => `\`${d.id}\``));
  });

  test.each(byId)('%s: its default severity and a description', (id, detector) => {
    const row = rows.find((r) => r[0] === `\`${id}\``);
    expect(row?.[1]).toBe(detector.defaultSeverity);
    expect((row?.[2] ?? '').length).toBeGreaterThan(20);
  });

  test.each(byId)('%s has its own test file', (id) => {
    expect(existsSync(new URL(`./detect/${id}.test.ts`, import.meta.url))).toBe(true);
  });
});

describe('README causes section', () => {
  const causes = section('### Causes the diagnosis weighs');
  const named = [...causes.matchAll(/`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`/g)].map((m) => m[1]);

  test.each(CAUSES.map((c) => c.id))('%s is named exactly once', (id) => {
    expect(named.filter((n) => n === id)).toHaveLength(1);
  });

  test('names nothing but causes', () => {
    const ids = new Set(CAUSES.map((c) => c.id));
    expect(named.filter((n) => n !== undefined && !ids.has(n))).toEqual([]);
  });
});
