import { describe, expect, test } from 'vitest';
import { DETECTORS } from '../../src/detect/index.js';
import type { Report, Severity } from '../../src/model/index.js';
import { escapeControl } from '../../src/report/escape.js';
import { escapeXml, meetsFailOn, renderJunit } from '../../src/report/junit.js';
import { HOSTILE_FILE, HOSTILE_METRIC, MISSING, NAN, SAMPLE, SEED, sampleOptions } from './sample-report.js';
import { findAll, parseXml, type XmlElement } from './xml-check.js';

type FailOn = Severity | 'never';

function render(failOn: FailOn): XmlElement {
  return parseXml(renderJunit(SAMPLE, sampleOptions(failOn)));
}

function failing(root: XmlElement): string[] {
  return findAll(root, 'testcase')
    .filter((c) => c.children.some((e) => e.name === 'failure'))
    .map((c) => `${c.attributes.classname}:${c.attributes.name}`);
}

const count = (root: XmlElement, name: string) => findAll(root, name).length;

describe('junit report', () => {
  test.each(['error', 'warning', 'info', 'never'] as const)('well-formed XML at --fail-on %s', (failOn) => {
    const root = render(failOn);
    expect(root.name).toBe('testsuites');
    expect(root.attributes.name).toBe('epochlint');
  });

  test.each(['error', 'warning', 'info', 'never'] as const)(
    'counts in <testsuites> and <testsuite> match the test cases (--fail-on %s)',
    (failOn) => {
      const root = render(failOn);
      const withChild = (node: XmlElement, child: string) =>
        findAll(node, 'testcase').filter((c) => c.children.some((e) => e.name === child)).length;
      expect(Number(root.attributes.tests)).toBe(count(root, 'testcase'));
      expect(Number(root.attributes.failures)).toBe(withChild(root, 'failure'));
      expect(Number(root.attributes.errors)).toBe(withChild(root, 'error'));
      for (const suite of findAll(root, 'testsuite')) {
        expect(Number(suite.attributes.tests)).toBe(count(suite, 'testcase'));
        expect(Number(suite.attributes.failures)).toBe(withChild(suite, 'failure'));
        expect(Number(suite.attributes.errors)).toBe(withChild(suite, 'error'));
      }
    },
  );

  test('a suite per file, a test case per registered rule; an unreadable file is one `read` error', () => {
    const root = render('error');
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(SAMPLE.files.map((f) => f.file));
    for (const suite of suites) {
      const names = findAll(suite, 'testcase').map((c) => c.attributes.name);
      if (suite.attributes.name === MISSING) expect(names).toEqual(['read']);
      else expect(names).toEqual(DETECTORS.map((d) => d.id));
    }
    const read = findAll(root, 'testcase').find((c) => c.attributes.classname === MISSING);
    const error = read?.children.find((e) => e.name === 'error');
    expect(error?.attributes.message).toBe('no such file');
    expect(root.attributes.errors).toBe('1');
  });

  test.each([
    { failOn: 'error', fails: [`${SEED}:val-alternation`, `${NAN}:loss-not-finite`] },
    {
      failOn: 'warning',
      fails: [
        `${SEED}:val-alternation`,
        `${SEED}:val-swing-exceeds-sampling-noise`,
        `${NAN}:loss-not-finite`,
        `${HOSTILE_FILE}:plateau`,
      ],
    },
    {
      failOn: 'info',
      fails: [
        `${SEED}:plateau`,
        `${SEED}:val-alternation`,
        `${SEED}:val-swing-exceeds-sampling-noise`,
        `${NAN}:loss-not-finite`,
        `${NAN}:val-alternation`,
        `${HOSTILE_FILE}:plateau`,
      ],
    },
    { failOn: 'never', fails: [] },
  ] satisfies Array<{ failOn: FailOn; fails: string[] }>)(
    '--fail-on $failOn fails $fails.length rules',
    ({ failOn, fails }) => {
      const root = render(failOn);
      expect(failing(root)).toEqual(fails);
      expect(root.attributes.failures).toBe(String(fails.length));
    },
  );

  test('a failure lists every finding of its rule at or above --fail-on, one per line', () => {
    const root = render('error');
    const alternation = findAll(root, 'testcase').find(
      (c) => c.attributes.classname === SEED && c.attributes.name === 'val-alternation',
    );
    const failure = alternation?.children.find((e) => e.name === 'failure');
    expect(failure?.attributes.type).toBe('error');
    const lines = failure?.text.split('\n') ?? [];
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^error val_acc, epochs 1–39, line 7: .*\[n 39, p 9\.89e-18, /);
    expect(lines[1]).toMatch(/^error val_loss, epochs 1–39, line 7: /);
    // the failure carries the run's most likely cause and the check that settles it
    expect(lines[2]).toBe(
      'why: the evaluation changes between epochs, not the model; possible cause: Extra draws from the validation iterator (discarded prefetch, a second consumer)',
    );
    expect(lines[3]).toMatch(
      /^next: find what changes between two consecutive evaluations: evaluate the checkpoints of epochs 38 and 39/,
    );
  });

  test('an interrupted report is an error test case, so the tab is not green', () => {
    const root = parseXml(renderJunit({ ...SAMPLE, interrupted: 'SIGTERM' }, sampleOptions('error')));
    const interrupted = findAll(root, 'testcase').find((c) => c.attributes.name === 'interrupted');
    expect(interrupted?.children.map((e) => [e.name, e.attributes.type])).toEqual([['error', 'interrupted']]);
    expect(interrupted?.children[0]?.text).toBe(
      'interrupted (SIGTERM): reading stopped early; this report covers only what was read',
    );
  });

  test('findings below --fail-on go to <system-out> of a passing test case', () => {
    const root = render('error');
    const swing = findAll(root, 'testcase').find(
      (c) => c.attributes.classname === SEED && c.attributes.name === 'val-swing-exceeds-sampling-noise',
    );
    expect(swing?.children.map((e) => e.name)).toEqual(['system-out']);
    expect(swing?.children[0]?.text).toMatch(/^warning val_acc, epochs 1–39, line 7: /);
  });

  test('a hostile metric name round-trips through XML escaping (control characters shown escaped)', () => {
    const root = render('warning');
    const plateau = findAll(root, 'testcase').find((c) => c.attributes.classname === HOSTILE_FILE);
    const suite = findAll(root, 'testsuite').find((s) => s.attributes.name === HOSTILE_FILE);
    const failure = findAll(suite ?? root, 'failure')[0];
    expect(plateau).toBeDefined();
    expect(failure?.text).toContain(`warning ${escapeControl(HOSTILE_METRIC)}, epochs 3–14, line 5`);
    expect(failure?.attributes.message).toContain(escapeControl(HOSTILE_METRIC));
  });

  test('characters XML forbids are removed from text; attributes show them escaped', () => {
    expect(escapeXml('a\u0000b\u0008c\td\u000be\uffff\ud800f<&>"\'')).toBe(
      'abc\tdef&lt;&amp;&gt;&quot;&apos;',
    );
    const report: Report = {
      ...SAMPLE,
      files: [
        {
          file: 'bad\u0001name\u001b.log',
          format: null,
          runs: [],
          findings: [],
          diagnoses: [],
          contexts: [],
          issues: [],
          error: 'no\u0002 such file',
        },
      ],
    };
    const root = parseXml(renderJunit(report, sampleOptions()));
    // a file name reaches CI pages raw: its control characters are shown escaped, never dropped or raw
    expect(findAll(root, 'testsuite')[0]?.attributes.name).toBe('bad\\x01name\\x1b.log');
  });

  test.each([
    { name: 'C1 CSI', raw: '\u009b' },
    { name: 'bidi override', raw: '\u202e' },
    { name: 'zero-width space', raw: '\u200b' },
    { name: 'Arabic letter mark', raw: '\u061c' },
    { name: 'line break', raw: '\n' },
  ])('a file name with $name is escaped in every attribute', ({ raw }) => {
    const file = `run${raw}x.log`;
    const report: Report = {
      ...SAMPLE,
      files: [{ ...(SAMPLE.files[0] as Report['files'][number]), file }],
    };
    const xml = renderJunit(report, sampleOptions());
    expect(xml).not.toContain(raw === '\n' ? `run${raw}` : raw);
    const root = parseXml(xml);
    const escaped = `run\\${raw === '\n' ? 'n' : `u${raw.charCodeAt(0).toString(16).padStart(4, '0')}`}x.log`;
    expect(findAll(root, 'testsuite')[0]?.attributes.name).toBe(raw === '\u009b' ? 'run\\x9bx.log' : escaped);
    expect(
      findAll(root, 'testcase').every(
        (c) => c.attributes.classname === findAll(root, 'testsuite')[0]?.attributes.name,
      ),
    ).toBe(true);
  });

  test.each([
    { severity: 'error', failOn: 'error', fails: true },
    { severity: 'warning', failOn: 'error', fails: false },
    { severity: 'warning', failOn: 'warning', fails: true },
    { severity: 'info', failOn: 'warning', fails: false },
    { severity: 'info', failOn: 'info', fails: true },
    { severity: 'error', failOn: 'never', fails: false },
  ] satisfies Array<{ severity: Severity; failOn: FailOn; fails: boolean }>)(
    'meetsFailOn($severity, $failOn) = $fails',
    ({ severity, failOn, fails }) => {
      expect(meetsFailOn(severity, failOn)).toBe(fails);
    },
  );

  test('snapshot', async () => {
    await expect(renderJunit(SAMPLE, sampleOptions('error'))).toMatchFileSnapshot(
      './__snapshots__/junit.snap',
    );
  });
});

describe('the XML checker', () => {
  test.each([
    { name: 'unbalanced', xml: '<a><b></a>' },
    { name: 'unclosed', xml: '<a>' },
    { name: 'two roots', xml: '<a/><b/>' },
    { name: 'unquoted attribute', xml: '<a x=1/>' },
    { name: 'duplicate attribute', xml: '<a x="1" x="2"/>' },
    { name: 'raw < in attribute', xml: '<a x="<"/>' },
    { name: 'raw & in text', xml: '<a>&</a>' },
    { name: 'unknown entity', xml: '<a>&nbsp;</a>' },
    { name: 'reference to a control character', xml: '<a>&#27;</a>' },
    { name: 'control character', xml: '<a>\u001b</a>' },
    { name: 'raw < in text', xml: '<a>1 < 2</a>' },
  ])('rejects $name', ({ xml }) => {
    expect(() => parseXml(xml)).toThrow(/^XML: /);
  });

  test('accepts a declaration, entities, character references and self-closing tags', () => {
    const root = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<a x="&quot;&#10;" y=\'1\'><b/>&lt;&#x41;</a>\n',
    );
    expect(root.attributes).toEqual({ x: '"\n', y: '1' });
    expect(root.text).toBe('<A');
    expect(root.children.map((c) => c.name)).toEqual(['b']);
  });
});
