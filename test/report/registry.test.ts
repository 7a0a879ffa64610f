import { describe, expect, test } from 'vitest';
import { FORMATS, REPORTERS, createReportStream } from '../../src/report/index.js';
import { TABLE_LOOKAHEAD } from '../../src/report/text.js';
import { SAMPLE, sampleOptions } from './sample-report.js';

describe('reporter registry', () => {
  test('every --format has a reporter', () => {
    expect([...FORMATS]).toEqual(['text', 'json', 'jsonl', 'markdown', 'github', 'junit', 'sarif', 'html']);
    expect(Object.keys(REPORTERS).sort()).toEqual([...FORMATS].sort());
  });

  test.each([...FORMATS])('%s is deterministic, ends with a newline and has no ANSI escape', (format) => {
    const first = REPORTERS[format](SAMPLE, sampleOptions());
    expect(REPORTERS[format](structuredClone(SAMPLE), sampleOptions())).toBe(first);
    expect(first.endsWith('\n')).toBe(true);
    expect(first).not.toContain('\u001b');
  });
});

describe('report streams', () => {
  test.each([...FORMATS])('%s printed file by file gives the bytes of the whole report', (format) => {
    const options = sampleOptions();
    const stream = createReportStream(format, options, SAMPLE.config);
    const parts = [
      stream.begin(),
      ...SAMPLE.files.map((f) => stream.file(f)),
      stream.end(SAMPLE.interrupted),
    ];
    expect(parts.join('')).toBe(REPORTERS[format](SAMPLE, options));
  });

  test.each(['json', 'jsonl', 'github'] as const)('%s prints a file before the end', (format) => {
    const stream = createReportStream(format, sampleOptions(), SAMPLE.config);
    stream.begin();
    const printed = SAMPLE.files.map((f) => stream.file(f)).join('');
    expect(printed).toContain('crossvalidated-416172');
  });

  test(`text prints the runs table before the end once ${TABLE_LOOKAHEAD} rows set its columns`, () => {
    const stream = createReportStream('text', sampleOptions(), SAMPLE.config);
    stream.begin();
    const files = Array.from({ length: TABLE_LOOKAHEAD }, (_, i) => SAMPLE.files[i % SAMPLE.files.length]);
    const printed = files.map((f) => (f === undefined ? '' : stream.file(f))).join('');
    const rows = printed.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^ {2}file /);
    expect(rows).toHaveLength(TABLE_LOOKAHEAD + 1);
    expect(rows[1]).toMatch(/ 39 +val_loss +0\.0339 \(9\) +0\.0469 +2 errors$/);
  });
});
