import { describe, expect, test } from 'vitest';
import { DETECTORS } from '../../src/detect/index.js';
import type { Report } from '../../src/model/index.js';
import { pathToUri, renderSarif } from '../../src/report/sarif.js';
import { MISSING, SAMPLE, SEED, sampleOptions } from './sample-report.js';

interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: {
      driver: {
        name: string;
        version: string;
        informationUri: string;
        rules: Array<{
          id: string;
          name: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          help: { text: string; markdown: string };
          defaultConfiguration: { level: string };
        }>;
      };
    };
    invocations: Array<{
      executionSuccessful: boolean;
      toolExecutionNotifications?: Array<{
        level: string;
        message: { text: string };
        locations: SarifLocation[];
      }>;
    }>;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: SarifLocation[];
      properties: {
        metric: string | null;
        epochs: [number, number];
        stats: Record<string, unknown>;
        diagnosis?: unknown;
      };
    }>;
  }>;
}

const output = renderSarif(SAMPLE, sampleOptions());
const sarif = JSON.parse(output) as SarifLog;
const run = sarif.runs[0];
const findings = SAMPLE.files.flatMap((file) => file.findings.map((f) => ({ file: file.file, ...f })));

describe('sarif report', () => {
  test('the SARIF 2.1.0 envelope: $schema, version, one run, the driver', () => {
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(run?.tool.driver.name).toBe('epochlint');
    expect(run?.tool.driver.version).toBe('0.1.0-test');
    expect(run?.tool.driver.informationUri).toBe('https://www.npmjs.com/package/epochlint');
  });

  test('one rule per detector, in registry order, with docs and default level', () => {
    const rules = run?.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(DETECTORS.map((d) => d.id));
    const level = { error: 'error', warning: 'warning', info: 'note' } as const;
    DETECTORS.forEach((d, i) => {
      const rule = rules[i];
      expect(rule?.name).toBe(d.title);
      expect(rule?.shortDescription.text).toBe(d.title);
      expect(rule?.fullDescription.text).toBe(d.docs.what);
      expect(rule?.help.text).toContain(d.docs.why);
      expect(rule?.help.markdown).toContain(d.docs.example);
      expect(rule?.defaultConfiguration.level).toBe(level[d.defaultSeverity]);
    });
  });

  test('one result per finding: ruleId and ruleIndex agree, level allowed, location at the finding line', () => {
    const rules = run?.tool.driver.rules ?? [];
    const results = run?.results ?? [];
    expect(results).toHaveLength(findings.length);
    results.forEach((r, i) => {
      const f = findings[i];
      expect(rules[r.ruleIndex]?.id).toBe(r.ruleId);
      expect(r.ruleId).toBe(f?.rule);
      expect(['none', 'note', 'warning', 'error']).toContain(r.level);
      expect(r.message.text.length).toBeGreaterThan(5);
      const location = r.locations[0]?.physicalLocation;
      expect(location?.artifactLocation.uri).toBe(f?.file);
      expect(location?.region?.startLine).toBe(f?.line);
      expect(r.properties.epochs).toEqual(f?.epochs);
    });
  });

  test('the seed: two val-alternation errors, a warning, a note, at line 7', () => {
    const seed = (run?.results ?? []).filter(
      (r) => r.locations[0]?.physicalLocation.artifactLocation.uri === SEED,
    );
    const where = (r: (typeof seed)[number]) =>
      `${r.level}:${r.ruleId}:${r.properties.metric}:${r.locations[0]?.physicalLocation.region?.startLine}`;
    expect(seed.map(where)).toEqual([
      'error:val-alternation:val_acc:7',
      'error:val-alternation:val_loss:7',
      'warning:val-swing-exceeds-sampling-noise:val_acc:7',
      'note:plateau:val_loss:7',
    ]);
    expect(seed[0]?.properties.stats.n).toBe(39);
  });

  test('results carry the most likely cause and the check that settles it (not a note)', () => {
    const seed = (run?.results ?? []).filter(
      (r) => r.locations[0]?.physicalLocation.artifactLocation.uri === SEED,
    );
    expect(seed[0]?.message.text.split('\n').slice(1)).toEqual([
      'why: the evaluation changes between epochs, not the model; possible cause: Extra draws from the validation iterator (discarded prefetch, a second consumer)',
      expect.stringMatching(/^next: find what changes between two consecutive evaluations/),
    ]);
    expect(seed[0]?.properties).toMatchObject({
      diagnosis: {
        cause: expect.stringContaining('Extra draws') as string,
        next: expect.stringContaining('find what changes between two consecutive evaluations') as string,
      },
    });
    expect(seed[3]?.message.text).not.toContain('why:');
  });

  test('an interrupted report: a warning notification, execution not successful', () => {
    const parsed = JSON.parse(renderSarif({ ...SAMPLE, interrupted: 'SIGINT' }, sampleOptions())) as SarifLog;
    const invocation = parsed.runs[0]?.invocations[0];
    expect(invocation?.executionSuccessful).toBe(false);
    expect(invocation?.toolExecutionNotifications?.[0]).toMatchObject({
      level: 'warning',
      descriptor: { id: 'interrupted' },
    });
  });

  test('an unreadable file: an error notification and executionSuccessful false', () => {
    const invocation = run?.invocations[0];
    expect(invocation?.executionSuccessful).toBe(false);
    const errors = (invocation?.toolExecutionNotifications ?? []).filter((n) => n.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(MISSING);
    expect(errors[0]?.message.text).toContain('no such file');
  });

  test('without unreadable files execution is successful', () => {
    const report: Report = { ...SAMPLE, files: SAMPLE.files.filter((f) => f.error === null) };
    const parsed = JSON.parse(renderSarif(report, sampleOptions())) as SarifLog;
    expect(parsed.runs[0]?.invocations[0]?.executionSuccessful).toBe(true);
  });

  test('non-finite stats are strings, so the output stays JSON; no time fields', () => {
    const report: Report = {
      ...SAMPLE,
      files: SAMPLE.files.map((f) => ({
        ...f,
        findings: f.findings.map((x) => ({ ...x, stats: { ...x.stats, worst: Number.NaN, top: -Infinity } })),
      })),
    };
    const text = renderSarif(report, sampleOptions());
    const parsed = JSON.parse(text) as SarifLog;
    expect(parsed.runs[0]?.results[0]?.properties.stats).toMatchObject({ worst: 'NaN', top: '-Infinity' });
    expect(text).not.toMatch(/Time(Utc)?"/);
  });

  test.each([
    { path: 'logs/train.log', uri: 'logs/train.log' },
    { path: 'my logs/run #1.log', uri: 'my%20logs/run%20%231.log' },
    { path: 'logs\\win\\train.log', uri: 'logs/win/train.log' },
    { path: 'C:\\runs\\train.log', uri: 'file:///C:/runs/train.log' },
    { path: 'a:b.log', uri: 'a%3Ab.log' },
    { path: 'résumé.log', uri: 'r%C3%A9sum%C3%A9.log' },
  ])('pathToUri($path) = $uri', ({ path, uri }) => {
    expect(pathToUri(path)).toBe(uri);
  });

  test('snapshot', async () => {
    await expect(output).toMatchFileSnapshot('./__snapshots__/sarif.snap');
  });
});
