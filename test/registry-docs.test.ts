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

/** The body rows of the Markdown table of a text whose first heading cell is `heading`. */
function tableWithHeading(text: string, heading: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\|\\s*${heading}\\s*\\|`).test(l));
  expect(start, `a table whose first column is "${heading}"`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, k) => k > start && !l.trimStart().startsWith('|'));
  return tableRows(lines.slice(start, end < 0 ? undefined : end).join('\n'));
}

describe('README causes section, the cause table row by row', () => {
  const causeRows = tableWithHeading(section('### Causes the diagnosis weighs'), 'cause');
  const byCause = CAUSES.map((c) => [c.id, c] as const);

  test('one row per cause and no other row', () => {
    expect(causeRows.map((r) => r[0]).sort()).toEqual(CAUSES.map((c) => `\`${c.id}\``).sort());
  });

  test.each(byCause)('%s: its side, what it explains and what it predicts', (id, cause) => {
    const row = causeRows.find((r) => r[0] === `\`${id}\``);
    expect(row?.[1]).toBe(cause.side);
    expect((row?.[2] ?? '').split(/,\s*/).sort()).toEqual([...cause.explains].sort());
    expect((row?.[3] ?? '').length).toBeGreaterThan(20);
  });
});
