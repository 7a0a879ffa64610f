import { Chalk } from 'chalk';
import { describe, expect, test } from 'vitest';
import { renderText } from '../../src/report/text.js';
import { SAMPLE, SAMPLE_RUNS } from './sample-report.js';

describe('text report', () => {
  const report = SAMPLE;
  const runs = SAMPLE_RUNS;

  test('fits 80 columns, has no escape codes without colour, and is stable', () => {
    const text = renderText(report, new Chalk({ level: 0 }), runs, 80);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(text).not.toContain('\u001b');
    expect(text).toMatchSnapshot();
  });

  test('the founding case: chart, findings by severity, the shared evidence once, causes with check and fix', () => {
    const text = renderText(report, new Chalk({ level: 0 }), runs, 80);
    const seed = text.slice(0, text.indexOf('fixtures/real/cnn-sentence'));
    expect(seed).toMatch(/val_acc {4}█▁█/);
    const severities = [...seed.matchAll(/^ {2}(error|warning|info) /gm)].map((m) => m[1]);
    expect(severities).toEqual(
      [...severities].sort(
        (a, b) =>
          ['error', 'warning', 'info'].indexOf(a ?? '') - ['error', 'warning', 'info'].indexOf(b ?? ''),
      ),
    );
    expect(seed.match(/ acc does not alternate/g)?.length).toBe(1); // the val_acc finding
    expect(seed.match(/validation swings with a period of 2 epochs while training does not/g)?.length).toBe(
      1,
    ); // the shared "Why"
    expect(seed).toMatch(/ruled-out {2}Validation slice rotation/);
    expect(seed).toMatch(/check: wrap the validation generator/);
  });

  test('colour on a TTY-level chalk, and a hostile metric name is escaped', () => {
    const text = renderText(report, new Chalk({ level: 1 }), runs, 80);
    expect(text).toContain('\u001b[31m');
    expect(text).not.toContain('\u001b[2J');
    expect(text).toContain('\\x1b[2J');
  });
});
