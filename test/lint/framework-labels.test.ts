import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { lintRuns } from '../../src/lint.js';
import type { FileReport } from '../../src/model/index.js';
import { parseText } from '../../src/parse/index.js';

/**
 * The hand labels of the framework corpus (fixtures/real/frameworks-manifest.json, conventions in
 * frameworks-manifest-README.md), through the whole pipeline: no val-alternation error on a zigzag log,
 * no error on a healthy log, frozen or chance-level validation flagged on `val_stuck` logs, NaN flagged on
 * `nan` logs. Cases today's detectors miss are kept as known gaps (`test.fails`), with the reason: when
 * a detector learns them, the case fails here and moves to the passing table.
 */
interface Entry {
  file: string;
  framework: string;
  last_epoch: Record<string, string>;
  labels: { sawtooth: boolean; zigzag: boolean; healthy: boolean; nan: boolean; val_stuck: boolean };
}

type Label = 'zigzag' | 'healthy' | 'val_stuck' | 'nan';

const dir = new URL('../../fixtures/real/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('frameworks-manifest.json', dir), 'utf8')) as Entry[];

/** Where today's detectors (or the corpus) cannot meet a label, and why. */
const KNOWN_GAPS: Record<string, Partial<Record<Label, string>>> = {};

function lint(entry: Entry): FileReport {
  const metricNames = entry.framework === 'bare-list' ? Object.keys(entry.last_epoch) : [];
  const { runs, issues, summary } = parseText(readFileSync(new URL(entry.file, dir)), {
    file: entry.file,
    metricNames,
  });
  return lintRuns(entry.file, summary.dialect, runs, issues);
}

const CHECKS: Record<Label, (report: FileReport) => void> = {
  zigzag: (r) =>
    expect(r.findings.filter((f) => f.rule === 'val-alternation' && f.severity === 'error')).toEqual([]),
  healthy: (r) => expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual([]),
  val_stuck: (r) => expect(r.findings.some((f) => f.rule === 'val-stuck')).toBe(true),
  nan: (r) => expect(r.findings.some((f) => f.rule === 'loss-not-finite')).toBe(true),
};

const cases = manifest.flatMap((entry) =>
  (Object.keys(CHECKS) as Label[])
    .filter((label) => entry.labels[label] && !(label === 'zigzag' && entry.labels.sawtooth))
    .map((label) => ({ entry, label, gap: KNOWN_GAPS[entry.file]?.[label] ?? null })),
);

describe('framework corpus labels', () => {
  test.each(cases.filter((c) => c.gap === null))('$entry.file: $label', ({ entry, label }) => {
    CHECKS[label](lint(entry));
  });

  test.fails.each(cases.filter((c) => c.gap !== null))(
    'known gap: $entry.file: $label ($gap)',
    ({ entry, label }) => {
      CHECKS[label](lint(entry));
    },
  );

  test('every label of the manifest is checked', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(KNOWN_GAPS).every((f) => manifest.some((e) => e.file === f))).toBe(true);
  });
});
