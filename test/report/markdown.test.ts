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

/** Rows of the findings tables (after a `| Severity |` header, up to the blank line). */
function tableRows(text: string): string[][] {
  const rows: string[][] = [];
  let inside = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('| Severity')) inside = true;
    else if (!line.startsWith('|')) inside = false;
    else if (inside && !line.startsWith('| ---')) rows.push(cells(line));
  }
  return rows;
}

describe('markdown report', () => {
  test('the verdict and totals first, then the runs table, then the files', () => {
    const lines = output.split('\n');
    expect(lines[0]).toBe('# epochlint report');
    expect(lines[2]).toBe('**✖ 4 errors, 2 warnings, 2 notes** in 5 files (1 could not be read), 80 epochs');
    expect(lines[4]).toBe('| File | Run | Epochs | Metric | Best (epoch) | Last | Verdict |');
    expect(output.indexOf('| File |')).toBeLessThan(output.indexOf('\n## '));
    expect(lines.slice(6, 11).map((l) => cells(l)[6])).toEqual([
      '**2 errors**',
      '**2 errors**',
      'clean',
      '**could not be read**',
      '**1 warning**',
    ]);
  });

  test('each run answers first: what is wrong, the next step, the likely cause', () => {
    const seed = section(SEED);
    expect(seed).toMatch(
      /^### ✖ Validation metric alternates between epochs \(val\\_acc, val\\_loss\) while training is smooth: the evaluation changes between epochs, not the model$/m,
    );
    expect(seed).toMatch(/^\*\*Next:\*\* find what changes between two consecutive evaluations/m);
    expect(seed).toMatch(/^\*\*Why:\*\* possible cause: Extra draws/m);
    expect(seed.indexOf('**Next:**')).toBeLessThan(seed.indexOf('| Severity'));
  });

  test('a sparkline per metric, with its range', () => {
    expect(section(SEED)).toContain(
      '| val\\_acc | `█▁█▅█▄█▃█▄█▃█▂█▂█▃█▃█▃█▄█▂█▁█▂█▅█▄█▂█▅█` | 0.66–0.988 best at 23 |',
    );
    expect(section(NAN)).toContain('| loss | `▄××××××` | 0.624 |');
  });

  test('the seed table: severity, rule, metric and epochs of each finding', () => {
    expect(tableRows(section(SEED)).map((r) => r.slice(0, 4).map(rendered))).toEqual([
      ['**error**', '`val-alternation`', 'val_acc', '1–39 (line 7)'],
      ['**error**', '`val-alternation`', 'val_loss', '1–39 (line 7)'],
      ['**warning**', '`val-swing-exceeds-sampling-noise`', 'val_acc', '1–39 (line 7)'],
      ['**info**', '`plateau`', 'val_loss', '9–39 (line 7)'],
    ]);
  });

  test('the figures column holds one figure per quantity', () => {
    expect(tableRows(section(SEED)).map((r) => r[5])).toEqual([
      'swing 21.8 points, 10.4× its noise',
      'swing 0.659, 10.6× its noise',
      '45.7× sampling error',
      'no new best for 30 epochs',
    ]);
  });

  test('the NaN log: two loss-not-finite errors', () => {
    const rows = tableRows(section(NAN)).map((r) => `${r[0]} ${r[1]} ${rendered(r[2] ?? '')}`);
    expect(rows).toEqual([
      '**error** `loss-not-finite` loss',
      '**error** `loss-not-finite` val_loss',
      '**info** `val-alternation` val_acc',
    ]);
  });

  test('every table row has the cells of its table, the hostile one too', () => {
    const rows = output.split('\n').filter((l) => l.startsWith('|'));
    expect(rows.length).toBeGreaterThan(20);
    let width = 0;
    for (const row of rows) {
      // every table starts with its header row, which sets the number of cells of the rows below it
      if (/^\| (Severity|Metric|File) \|/.test(row)) width = cells(row).length;
      expect(width).toBeGreaterThan(0);
      expect(cells(row)).toHaveLength(width);
    }
  });

  test('a hostile metric name shows as itself (control characters escaped) and makes no HTML', () => {
    const [row] = tableRows(section(HOSTILE_FILE));
    expect(rendered(row?.[2] ?? '')).toBe(escapeControl(HOSTILE_METRIC));
    // the only tags are the folds of the less likely causes
    expect(output.replace(/<\/?(details|summary)>/g, '')).not.toContain('<');
    expect(output).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(row?.[2]).toBe('val\\_a\\|b,c:d%0A\\\\n&lt;x&gt;&amp;"\'\\`\\\\x1b\\[2J');
  });

  test('causes of the seed: the open ones with check and fix, the less likely ones folded', () => {
    const seed = section(SEED);
    expect(seed).toContain('#### Causes, most likely first');
    const open = [...seed.matchAll(/^- \*\*(confirmed|likely|possible)\*\*: .* \(`([a-z-]+)`\)$/gm)];
    expect(open.map((m) => m[2])).toEqual(['extra-validation-draws', 'weight-averaging-swap']);
    expect(seed.match(/^ {2}- \*\*Check:\*\* /gm)).toHaveLength(open.length);
    expect(seed.match(/^ {2}- \*\*Fix:\*\* /gm)).toHaveLength(open.length);
    const folded = seed.slice(seed.indexOf('<details><summary>Less likely causes (10)</summary>'));
    expect(folded).toMatch(/^- \*\*ruled-out\*\*: .* \(`validation-slice-rotation`\): /m);
    expect(folded.indexOf('validation-slice-rotation')).toBeLessThan(folded.indexOf('</details>'));
    expect(section(NAN)).not.toContain('Causes, most likely first');
  });

  test('an unreadable file, a healthy file', () => {
    expect(section(MISSING)).toContain('**error**: could not be read: no such file');
    expect(output).toContain('No findings.');
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
