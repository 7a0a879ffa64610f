import { describe, expect, test } from 'vitest';
import { escapeControl } from '../../src/report/escape.js';
import { escapeMarkdown, renderMarkdown } from '../../src/report/markdown.js';
import { HOSTILE_FILE, HOSTILE_METRIC, MISSING, NAN, SAMPLE, SEED, sampleOptions } from './sample-report.js';

const output = renderMarkdown(SAMPLE, sampleOptions());

/** A file's section: from its `## ` heading to the next one. */
function section(file: string): string {
  const start = output.indexOf(`## ${escapeMarkdown(file)}\n`);
  if (start < 0) throw new Error(`no section for ${file}`);
  const end = output.indexOf('\n## ', start + 1);
  return output.slice(start, end < 0 ? undefined : end);
}

/** Cells of a GFM table row: split at pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** What a cell shows once rendered: backslash escapes and the entities we emit decoded. */
function rendered(cell: string): string {
  return cell
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Severity') && !l.startsWith('| ---'))
    .map(cells);
}

describe('markdown report', () => {
  test('the seed table: severity, rule, metric and epochs of each finding', () => {
    expect(tableRows(section(SEED)).map((r) => r.slice(0, 4).map(rendered))).toEqual([
      ['**error**', '`val-alternation`', 'val_acc', '1–39 (line 7)'],
      ['**error**', '`val-alternation`', 'val_loss', '1–39 (line 7)'],
      ['**warning**', '`val-swing-exceeds-sampling-noise`', 'val_acc', '1–39 (line 7)'],
      ['**info**', '`plateau`', 'val_loss', '9–39 (line 7)'],
    ]);
  });

  test('the stats column holds the first stats of the finding, compactly', () => {
    const [first] = tableRows(section(SEED));
    expect(first?.[5]).toBe('n 39, p 9.89e-18, pAdjusted 9.89e-18, t 16.42, df 34, amplitude 0.2179');
  });

  test('the NaN log: two loss-not-finite errors', () => {
    const rows = tableRows(section(NAN)).map((r) => `${r[0]} ${r[1]} ${rendered(r[2] ?? '')}`);
    expect(rows).toEqual([
      '**error** `loss-not-finite` loss',
      '**error** `loss-not-finite` val_loss',
      '**info** `val-alternation` val_acc',
    ]);
  });

  test('every table row has exactly six cells, the hostile one too', () => {
    const rows = output.split('\n').filter((l) => l.startsWith('|'));
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(cells(row)).toHaveLength(6);
  });

  test('a hostile metric name shows as itself (control characters escaped) and makes no HTML', () => {
    const [row] = tableRows(section(HOSTILE_FILE));
    expect(rendered(row?.[2] ?? '')).toBe(escapeControl(HOSTILE_METRIC));
    expect(output).not.toContain('<');
    expect(output).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(row?.[2]).toBe('val\\_a\\|b,c:d%0A\\\\n&lt;x&gt;&amp;"\'\\`\\\\x1b\\[2J');
  });

  test('likely causes of the seed: open verdicts with check and fix, closed ones in one line', () => {
    const seed = section(SEED);
    expect(seed).toContain('### Likely causes');
    const open = [...seed.matchAll(/^- \*\*(confirmed|likely|possible)\*\*: .* \(`([a-z-]+)`\)$/gm)];
    expect(open.map((m) => m[2])).toContain('extra-validation-draws');
    expect(seed.match(/^ {2}- \*\*Check:\*\* /gm)).toHaveLength(open.length);
    expect(seed.match(/^ {2}- \*\*Fix:\*\* /gm)).toHaveLength(open.length);
    expect(seed).toMatch(/^- \*\*ruled-out\*\*: .* \(`validation-slice-rotation`\): /m);
    expect(section(NAN)).not.toContain('Likely causes');
  });

  test('an unreadable file, a healthy file, the totals', () => {
    expect(section(MISSING)).toContain('**error**: could not be read: no such file');
    expect(output).toContain('No findings.');
    expect(output).toContain('**Total:** 5 files: 4 errors, 2 warnings, 2 notes, 1 file not read');
    expect(output.startsWith('# epochlint report\n')).toBe(true);
  });

  test.each([
    { name: 'pipe', text: 'a|b', escaped: 'a\\|b' },
    { name: 'code span', text: '`x`', escaped: '\\`x\\`' },
    { name: 'tag', text: '<img src=x>', escaped: '&lt;img src=x&gt;' },
    { name: 'entity', text: '&amp;', escaped: '&amp;amp;' },
    { name: 'link', text: '[a](b)', escaped: '\\[a\\](b)' },
    { name: 'backslash before pipe', text: '\\|', escaped: '\\\\\\|' },
    { name: 'newline', text: 'a\nb', escaped: 'a\\\\nb' },
  ])('escapeMarkdown: $name', ({ text, escaped }) => {
    expect(escapeMarkdown(text)).toBe(escaped);
  });

  test('snapshot', async () => {
    await expect(output).toMatchFileSnapshot('./__snapshots__/markdown.snap');
  });
});
