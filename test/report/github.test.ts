import { describe, expect, test } from 'vitest';
import type { Report } from '../../src/model/index.js';
import { escapeControl } from '../../src/report/escape.js';
import { escapeCommandData, escapeCommandProperty, renderGithub } from '../../src/report/github.js';
import { HEALTHY, HOSTILE_FILE, HOSTILE_METRIC, NAN, SAMPLE, SEED } from './sample-report.js';

interface Command {
  level: string;
  properties: Record<string, string>;
  message: string;
}

function unescape(text: string): string {
  return text
    .replace(/%2C/g, ',')
    .replace(/%3A/g, ':')
    .replace(/%0A/g, '\n')
    .replace(/%0D/g, '\r')
    .replace(/%25/g, '%');
}

/** Splits a workflow command the way the runner does: properties by `,`, each at its first `=`. */
function parseCommand(line: string): Command {
  const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
  if (m === null) throw new Error(`not a workflow command: ${line}`);
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',')) {
    const eq = pair.indexOf('=');
    properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
  }
  return { level: m[1] ?? '', properties, message: unescape(m[3] ?? '') };
}

const output = renderGithub(SAMPLE);
const lines = output.trimEnd().split('\n');
const commands = lines.map(parseCommand);
const head = (line: string) => line.slice(0, line.indexOf('::', 2));

describe('github annotations', () => {
  test('the seed: one command per finding, at line 7, plus the truncated epoch', () => {
    expect(lines.filter((l) => l.includes(`file=${SEED},`)).map(head)).toEqual([
      `::error file=${SEED},line=7,title=val-alternation (val_acc)`,
      `::error file=${SEED},line=7,title=val-alternation (val_loss)`,
      `::warning file=${SEED},line=7,title=val-swing-exceeds-sampling-noise (val_acc)`,
      `::notice file=${SEED},line=7,title=plateau (val_loss)`,
      `::notice file=${SEED},line=7,title=truncated-epoch`,
    ]);
  });

  test('errors and warnings carry the most likely cause and the check that settles it; notes do not', () => {
    const seed = commands.filter((c) => c.properties.file === SEED);
    const [first] = seed;
    expect(first?.message.split('\n')).toEqual([
      expect.stringMatching(/^val_acc alternates between epochs: /),
      'why: the evaluation changes between epochs, not the model; possible cause: Extra draws from the validation iterator (discarded prefetch, a second consumer)',
      expect.stringMatching(/^next: find what changes between two consecutive evaluations/),
    ]);
    expect(seed[2]?.message).toContain('\nwhy: ');
    expect(seed[3]?.message).not.toContain('why:');
  });

  test('an interrupted report: a notice last (an interrupt is known only at the end of a sweep)', () => {
    const out = renderGithub({ ...SAMPLE, interrupted: 'SIGINT' });
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      '::notice title=epochlint::interrupted (SIGINT): reading stopped early; this report covers only what was read',
    );
  });

  test('the NaN log: loss-not-finite errors at line 4, the short-run note at line 2', () => {
    expect(lines.filter((l) => l.includes(`file=${NAN},`)).map(head)).toEqual([
      `::error file=${NAN},line=4,title=loss-not-finite (loss)`,
      `::error file=${NAN},line=4,title=loss-not-finite (val_loss)`,
      `::notice file=${NAN},line=2,title=val-alternation (val_acc)`,
    ]);
  });

  test('a healthy file gives no annotation; an unreadable one gives an error without a line', () => {
    expect(output).not.toContain(HEALTHY);
    expect(lines).toContain('::error file=missing.log::no such file');
  });

  test('one line per finding, truncated epoch and unreadable file; messages are prose, not ids', () => {
    const findings = SAMPLE.files.reduce((n, f) => n + f.findings.length, 0);
    expect(lines).toHaveLength(findings + 1 + 1);
    expect(output.endsWith('\n')).toBe(true);
    for (const c of commands) expect(c.message.length).toBeGreaterThan(5);
  });

  test('a hostile metric name is escaped: no extra property, no line break, no control character', () => {
    const shown = escapeControl(HOSTILE_METRIC);
    const line = lines.find((l) => l.includes(`file=${HOSTILE_FILE},`)) ?? '';
    expect(line).toBe(
      `::warning file=${HOSTILE_FILE},line=5,title=plateau (val_a|b%2Cc%3Ad%250A\\n<x>&"'\`\\x1b[2J)` +
        `::no new best val_a|b,c:d%250A\\n<x>&"'\`\\x1b[2J for the last 11 epochs (best 0.25 at epoch 3)`,
    );
    const command = parseCommand(line);
    expect(Object.keys(command.properties)).toEqual(['file', 'line', 'title']);
    expect(command.properties.title).toBe(`plateau (${shown})`);
    expect(command.message).toContain(shown);
    expect(output).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
  });

  test.each([
    { name: 'percent first', text: '%0A', data: '%250A', property: '%250A' },
    { name: 'line breaks', text: 'a\r\nb', data: 'a%0D%0Ab', property: 'a%0D%0Ab' },
    { name: 'separators only in properties', text: 'a:b,c', data: 'a:b,c', property: 'a%3Ab%2Cc' },
  ])('escaping: $name', ({ text, data, property }) => {
    expect(escapeCommandData(text)).toBe(data);
    expect(escapeCommandProperty(text)).toBe(property);
  });

  test('parse issues other than truncated-epoch are not annotated', () => {
    const seed = SAMPLE.files[0];
    if (seed === undefined) throw new Error('no seed');
    const report: Report = {
      ...SAMPLE,
      files: [
        {
          ...seed,
          findings: [],
          issues: [
            { kind: 'ignored-bar', line: 3, message: 'a progress bar after the epoch' },
            { kind: 'truncated-epoch', line: null, message: 'the log ends inside epoch 2' },
          ],
        },
      ],
    };
    expect(renderGithub(report)).toBe(
      `::notice file=${SEED},title=truncated-epoch::the log ends inside epoch 2\n`,
    );
  });

  test('an empty report prints nothing', () => {
    expect(renderGithub({ ...SAMPLE, files: [] })).toBe('');
  });

  test('snapshot', async () => {
    await expect(output).toMatchFileSnapshot('./__snapshots__/github.snap');
  });
});
