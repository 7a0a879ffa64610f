/**
 * Shared plumbing of the detector table tests: lint a fixture through the whole pipeline (`parseText` →
 * `lintRuns`, so the context read from the log is used) and read numbers back out of the fixture text with
 * plain regular expressions, independently of the parser, to compute what a finding should say.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEFAULT_SETTINGS, lintRuns, type LintSettings } from '../../src/lint.js';
import type { Finding, Severity } from '../../src/model/index.js';
import { parseText } from '../../src/parse/index.js';

/** The directory of a detector's fixtures. */
export function fixtureDir(id: string): URL {
  return new URL(`../../fixtures/detectors/${id}/`, import.meta.url);
}

/** File names in a detector's fixture directory (empty when it does not exist). */
export function fixtureFiles(id: string): string[] {
  try {
    return readdirSync(fixtureDir(id)).sort();
  } catch {
    return [];
  }
}

/** The raw text of a fixture. */
export function readFixture(id: string, file: string): string {
  return readFileSync(new URL(file, fixtureDir(id)), 'utf8');
}

/** All findings of a fixture, every rule, after the full lint pipeline. */
export function lintFixture(id: string, file: string, settings: LintSettings = DEFAULT_SETTINGS): Finding[] {
  const parsed = parseText(readFileSync(new URL(file, fixtureDir(id))), { file });
  return lintRuns(file, parsed.summary.dialect, parsed.runs, parsed.issues, settings).findings;
}

/** The findings of one rule on a fixture. */
export function findingsOf(id: string, file: string, settings: LintSettings = DEFAULT_SETTINGS): Finding[] {
  return lintFixture(id, file, settings).filter((f) => f.rule === id);
}

// A final progress frame: `910/910 [====…] - 530s 582ms/step - loss: …` (counter complete, no ETA).
const FINAL_FRAME = /^\s*(\d+)\/(\d+) \[=+\] - \d+s .*?- ((?:\w+: \S+(?: - )?)+)$/;
const METRIC = /(\w+): (\S+)/g;

function parseValue(text: string): number {
  if (text === 'nan') return Number.NaN;
  if (text === 'inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** What the tests read from a fixture without the parser. */
export interface FixtureLog {
  text: string;
  /** Metric name → values of the completed epochs, in order (epoch k is index k − 1). */
  metrics: Map<string, number[]>;
  /** Values of one metric; throws when the fixture does not print it. */
  column(name: string): number[];
  /** Epochs (1-based, as printed) of `… improved from … saving model …` messages. */
  improvedEpochs: number[];
  /** Epochs of `ReduceLROnPlateau reducing learning rate` messages. */
  lrReducedEpochs: number[];
  /** `Found N images belonging to K classes.` lines, in order. */
  found: Array<{ count: number; classes: number }>;
  /** `validate on M samples`, when printed. */
  validateOn: number | null;
}

/** Reads a fixture into columns and events with regular expressions. */
export function readLog(id: string, file: string): FixtureLog {
  const text = readFixture(id, file);
  const metrics = new Map<string, number[]>();
  const improvedEpochs: number[] = [];
  const lrReducedEpochs: number[] = [];
  const found: Array<{ count: number; classes: number }> = [];
  let validateOn: number | null = null;
  for (const line of text.split('\n')) {
    const frame = FINAL_FRAME.exec(line);
    if (frame !== null && frame[1] === frame[2] && frame[3] !== undefined) {
      for (const m of frame[3].matchAll(METRIC)) {
        const [, name, value] = m;
        if (name === undefined || value === undefined) continue;
        const list = metrics.get(name) ?? [];
        list.push(parseValue(value));
        metrics.set(name, list);
      }
      continue;
    }
    const improved = /^Epoch 0*(\d+): \w+ improved from \S+ to \S+, saving model/.exec(line);
    if (improved?.[1] !== undefined) improvedEpochs.push(Number(improved[1]));
    const reduced = /^Epoch 0*(\d+): ReduceLROnPlateau reducing learning rate/.exec(line);
    if (reduced?.[1] !== undefined) lrReducedEpochs.push(Number(reduced[1]));
    const dataset = /^Found (\d+) images belonging to (\d+) classes\.$/.exec(line);
    if (dataset?.[1] !== undefined && dataset[2] !== undefined) {
      found.push({ count: Number(dataset[1]), classes: Number(dataset[2]) });
    }
    const trainOn = /^Train on \d+ samples, validate on (\d+) samples$/.exec(line);
    if (trainOn?.[1] !== undefined) validateOn = Number(trainOn[1]);
  }
  return {
    text,
    metrics,
    column(name) {
      const values = metrics.get(name);
      if (values === undefined) throw new Error(`${file} prints no ${name}`);
      return values;
    },
    improvedEpochs,
    lrReducedEpochs,
    found,
    validateOn,
  };
}

/** A stat compared with `toBeCloseTo(value, digits)`; a bare number is compared exactly. */
export type ExpectedStat = number | string | boolean | null | { closeTo: number; digits: number };

/** What one finding of the rule must look like. */
export interface ExpectedFinding {
  severity: Severity;
  metric: string | null;
  epochs: [number, number];
  stats?: Record<string, ExpectedStat>;
  data?: Record<string, string | number>;
}

/** A named row of a detector's table. */
export interface DetectorCase {
  /** What the fixture shows, as the test name. */
  name: string;
  file: string;
  /** The expected findings of the rule, computed from the fixture text; empty for a quiet case. */
  expected(log: FixtureLog): ExpectedFinding[];
  /** Checks of the fixture itself (how near a near miss is), independent of the detector. */
  fixture?(log: FixtureLog): void;
  settings?: LintSettings;
}

/** `{ closeTo, digits }` shorthand. */
export function near(closeTo: number, digits: number): ExpectedStat {
  return { closeTo, digits };
}

function checkStat(name: string, actual: unknown, expected: ExpectedStat): void {
  if (expected !== null && typeof expected === 'object') {
    expect(typeof actual, `stats.${name}`).toBe('number');
    expect(actual as number, `stats.${name}`).toBeCloseTo(expected.closeTo, expected.digits);
  } else {
    expect(actual, `stats.${name}`).toBe(expected);
  }
}

/** Runs a detector's table: one test per case, matching findings by metric. */
export function runDetectorTable(id: string, cases: DetectorCase[]): void {
  describe(id, () => {
    test.each(cases.map((c) => [`${c.file}: ${c.name}`, c] as const))('%s', (_, c) => {
      const log = readLog(id, c.file);
      c.fixture?.(log);
      const expected = c.expected(log);
      const actual = findingsOf(id, c.file, c.settings);
      expect(c.file.startsWith('fires-') || c.file.startsWith('quiet-'), 'fixture name').toBe(true);
      expect(actual.map((f) => f.metric).sort(), `metrics of the ${id} findings on ${c.file}`).toEqual(
        expected.map((e) => e.metric).sort(),
      );
      for (const e of expected) {
        const f = actual.find((a) => a.metric === e.metric);
        expect(f, `${id} finding on ${String(e.metric)}`).toBeDefined();
        if (f === undefined) continue;
        expect({ severity: f.severity, epochs: f.epochs }, `${String(e.metric)}`).toEqual({
          severity: e.severity,
          epochs: e.epochs,
        });
        for (const [name, value] of Object.entries(e.stats ?? {})) checkStat(name, f.stats[name], value);
        for (const [name, value] of Object.entries(e.data ?? {})) {
          expect(f.data[name], `data.${name}`).toEqual(value);
        }
      }
    });
  });
}

/** 1-based epoch of the smallest value (the first one on ties). */
export function argminEpoch(values: readonly number[]): number {
  let best = 0;
  values.forEach((v, i) => {
    if (v < (values[best] ?? Number.POSITIVE_INFINITY)) best = i;
  });
  return best + 1;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Successive-change pairs with opposite signs (k) out of pairs with two non-zero changes (m). */
export function zigzag(values: readonly number[]): { k: number; m: number } {
  let k = 0;
  let m = 0;
  for (let t = 2; t < values.length; t++) {
    const a = Math.sign((values[t - 1] as number) - (values[t - 2] as number));
    const b = Math.sign((values[t] as number) - (values[t - 1] as number));
    if (a === 0 || b === 0) continue;
    m++;
    if (a !== b) k++;
  }
  return { k, m };
}
