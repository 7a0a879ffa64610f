import { describe, expect, test } from 'vitest';
import { FORMATS, REPORTERS } from '../../src/report/index.js';
import { SAMPLE, sampleOptions } from './sample-report.js';

describe('reporter registry', () => {
  test('every --format has a reporter', () => {
    expect([...FORMATS]).toEqual(['text', 'json', 'markdown', 'github', 'junit', 'sarif', 'html']);
    expect(Object.keys(REPORTERS).sort()).toEqual([...FORMATS].sort());
  });

  test.each([...FORMATS])('%s is deterministic, ends with a newline and has no ANSI escape', (format) => {
    const first = REPORTERS[format](SAMPLE, sampleOptions());
    expect(REPORTERS[format](structuredClone(SAMPLE), sampleOptions())).toBe(first);
    expect(first.endsWith('\n')).toBe(true);
    expect(first).not.toContain('\u001b');
  });
});
