import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONFIG_DOC,
  CONFIG_FILE_NAMES,
  EpochlintConfig,
  MAX_CONFIG_PROBLEMS,
  NODE_FILE_SYSTEM,
  findConfigFile,
  loadConfig,
  parseJson,
  suggest,
  toRuleSettings,
  type ConfigFileSystem,
} from '../../src/cli/config.js';
import { DETECTORS, findDetector } from '../../src/detect/index.js';
import { Hints } from '../../src/model/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Files by relative path (a trailing `/` makes an empty directory). */
type Tree = Record<string, string>;

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Writes a tree into a fresh directory under the OS temp directory and returns its path. */
function makeTree(tree: Tree): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'epochlint-config-'));
  roots.push(root);
  for (const [name, content] of Object.entries(tree)) {
    const file = path.join(root, name);
    if (name.endsWith('/')) {
      mkdirSync(file, { recursive: true });
    } else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }
  return root;
}

/** The real filesystem, blind above `root`, so a stray config in /tmp or / cannot change a result. */
function confinedTo(root: string): ConfigFileSystem {
  const inside = (file: string): boolean => !path.relative(root, file).startsWith('..');
  return {
    kind: (file) => (inside(file) ? NODE_FILE_SYSTEM.kind(file) : 'missing'),
    readText: (file) =>
      inside(file) ? NODE_FILE_SYSTEM.readText(file) : { ok: false, reason: 'no such file' },
  };
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

describe('findConfigFile', () => {
  const cases: { name: string; tree: Tree; cwd: string; found: string | null }[] = [
    {
      name: 'a config in the working directory',
      tree: { 'epochlint.config.json': '{}' },
      cwd: '.',
      found: 'epochlint.config.json',
    },
    {
      name: 'a config two levels up',
      tree: { '.epochlintrc.json': '{}', 'a/b/': '' },
      cwd: 'a/b',
      found: '.epochlintrc.json',
    },
    {
      name: 'a nearer package.json without "epochlint" is skipped',
      tree: { 'epochlint.config.json': '{}', 'pkg/package.json': json({ name: 'x' }), 'pkg/src/': '' },
      cwd: 'pkg/src',
      found: 'epochlint.config.json',
    },
    {
      name: 'a package.json with "epochlint" counts',
      tree: { 'package.json': json({ name: 'x', epochlint: {} }), 'a/': '' },
      cwd: 'a',
      found: 'package.json',
    },
    {
      name: 'epochlint.config.json beats .epochlintrc.json and package.json',
      tree: {
        'epochlint.config.json': '{}',
        '.epochlintrc.json': '{}',
        'package.json': json({ epochlint: {} }),
      },
      cwd: '.',
      found: 'epochlint.config.json',
    },
    {
      name: '.epochlintrc.json beats package.json',
      tree: { '.epochlintrc.json': '{}', 'package.json': json({ epochlint: {} }) },
      cwd: '.',
      found: '.epochlintrc.json',
    },
    {
      name: 'the nearest directory wins over a higher-priority name further up',
      tree: { 'epochlint.config.json': '{}', 'a/package.json': json({ epochlint: {} }), 'a/b/c/': '' },
      cwd: 'a/b/c',
      found: 'a/package.json',
    },
    {
      name: 'a broken package.json that mentions "epochlint" counts (its error gets reported)',
      tree: { '.epochlintrc.json': '{}', 'a/package.json': '{ "epochlint": { , }' },
      cwd: 'a',
      found: 'a/package.json',
    },
    {
      name: 'a broken package.json that does not mention it is skipped',
      tree: { '.epochlintrc.json': '{}', 'a/package.json': '{ "name": ' },
      cwd: 'a',
      found: '.epochlintrc.json',
    },
    {
      name: 'a directory named like a config is found (loading it is an error, not a silent skip)',
      tree: { '.epochlintrc.json': '{}', 'a/epochlint.config.json/': '' },
      cwd: 'a',
      found: 'a/epochlint.config.json',
    },
    {
      name: 'a directory named package.json is not a package',
      tree: { '.epochlintrc.json': '{}', 'a/package.json/': '' },
      cwd: 'a',
      found: '.epochlintrc.json',
    },
    {
      name: 'no config anywhere',
      tree: { 'package.json': json({ name: 'x' }), 'a/b/': '' },
      cwd: 'a/b',
      found: null,
    },
  ];

  it.each(cases)('$name', ({ tree, cwd, found }) => {
    const root = makeTree(tree);
    const expected = found === null ? null : path.join(root, found);
    expect(findConfigFile(path.join(root, cwd), confinedTo(root))).toBe(expected);
  });

  it('uses the real filesystem by default', () => {
    const root = makeTree({ 'x/.epochlintrc.json': '{}', 'x/y/z/': '' });
    expect(findConfigFile(path.join(root, 'x/y/z'))).toBe(path.join(root, 'x/.epochlintrc.json'));
  });

  it('checks the names in the documented order', () => {
    expect(CONFIG_FILE_NAMES).toEqual(['epochlint.config.json', '.epochlintrc.json', 'package.json']);
  });
});

describe('loadConfig: which file', () => {
  const cases: {
    name: string;
    tree: Tree;
    cwd: string;
    configPath?: string;
    noConfig?: boolean;
    path: string | null;
    config: EpochlintConfig;
    /** The config as the report names it, and whether it lies outside the project. */
    source: { shown: string; outsideProject: boolean } | null;
  }[] = [
    {
      name: 'the discovered file, above a working directory with no project marker: outside',
      tree: { '.epochlintrc.json': json({ failOn: 'warning' }), 'a/b/': '' },
      cwd: 'a/b',
      path: '.epochlintrc.json',
      config: { failOn: 'warning' },
      source: { shown: '../../.epochlintrc.json', outsideProject: true },
    },
    {
      name: 'the discovered file, at the root of the project (package.json): inside',
      tree: { '.epochlintrc.json': json({ failOn: 'warning' }), 'package.json': '{}', 'a/b/': '' },
      cwd: 'a/b',
      path: '.epochlintrc.json',
      config: { failOn: 'warning' },
      source: { shown: '../../.epochlintrc.json', outsideProject: false },
    },
    {
      name: 'a config above the git root: outside',
      tree: { 'epochlint.config.json': json({ failOn: 'never' }), 'repo/.git/': '', 'repo/src/': '' },
      cwd: 'repo/src',
      path: 'epochlint.config.json',
      config: { failOn: 'never' },
      source: { shown: '../../epochlint.config.json', outsideProject: true },
    },
    {
      name: 'a git worktree (.git is a file) marks the project too',
      tree: { 'epochlint.config.json': json({ failOn: 'never' }), 'wt/.git': 'gitdir: x', 'wt/src/': '' },
      cwd: 'wt/src',
      path: 'epochlint.config.json',
      config: { failOn: 'never' },
      source: { shown: '../../epochlint.config.json', outsideProject: true },
    },
    {
      name: 'the "epochlint" key of a discovered package.json',
      tree: { 'package.json': json({ name: 'x', epochlint: { maxWarnings: 3 } }) },
      cwd: '.',
      path: 'package.json',
      config: { maxWarnings: 3 },
      source: { shown: 'package.json', outsideProject: false },
    },
    {
      name: '--config: exactly that file, relative to cwd, ignoring the discovered one',
      tree: { 'epochlint.config.json': json({ failOn: 'never' }), 'cfg/ci.json': json({ failOn: 'info' }) },
      cwd: '.',
      configPath: 'cfg/ci.json',
      path: 'cfg/ci.json',
      config: { failOn: 'info' },
      source: { shown: 'cfg/ci.json', outsideProject: false },
    },
    {
      name: '--config with a package.json uses its "epochlint" key',
      tree: { 'other/package.json': json({ epochlint: { format: 'json' } }), 'a/': '' },
      cwd: 'a',
      configPath: '../other/package.json',
      path: 'other/package.json',
      config: { format: 'json' },
      source: { shown: '../other/package.json', outsideProject: true },
    },
    {
      name: '--no-config: none, even when one is there',
      tree: { 'epochlint.config.json': json({ failOn: 'never' }) },
      cwd: '.',
      noConfig: true,
      path: null,
      config: {},
      source: null,
    },
    {
      name: '--no-config wins over --config',
      tree: { 'cfg.json': '{ broken' },
      cwd: '.',
      configPath: 'cfg.json',
      noConfig: true,
      path: null,
      config: {},
      source: null,
    },
    {
      name: 'no file found: empty config',
      tree: { 'a/': '' },
      cwd: 'a',
      path: null,
      config: {},
      source: null,
    },
  ];

  it.each(cases)('$name', ({ tree, cwd, configPath, noConfig, path: file, config, source }) => {
    const root = makeTree(tree);
    const options = {
      cwd: path.join(root, cwd),
      fs: confinedTo(root),
      ...(configPath === undefined ? {} : { configPath }),
      ...(noConfig === undefined ? {} : { noConfig }),
    };
    const result = loadConfig(options);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.loaded.path).toBe(file === null ? null : path.join(root, file));
    expect(result.loaded.config).toEqual(config);
    const got = result.loaded.source;
    expect(got === null ? null : { shown: got.shown, outsideProject: got.outsideProject }).toEqual(source);
    expect(got?.discovered ?? null).toBe(source === null ? null : configPath === undefined);
  });
});

describe('loadConfig: problems, one line each', () => {
  const cases: { name: string; tree: Tree; cwd?: string; configPath?: string; problems: string[] }[] = [
    {
      name: 'missing --config file',
      tree: {},
      configPath: 'cfg.json',
      problems: ['cfg.json: no such file'],
    },
    {
      name: '--config names a directory',
      tree: { 'cfg/': '' },
      configPath: 'cfg',
      problems: ['cfg: is a directory'],
    },
    {
      name: '--config package.json without "epochlint"',
      tree: { 'package.json': json({ name: 'x' }) },
      configPath: 'package.json',
      problems: ['package.json: no "epochlint" key'],
    },
    {
      name: 'invalid JSON: trailing comma, with its line',
      tree: { '.epochlintrc.json': '{\n  "rules": {\n    "plateau": "off",\n  }\n}\n' },
      problems: ['.epochlintrc.json: line 4: invalid JSON: trailing comma before "}"'],
    },
    {
      name: 'invalid JSON: missing comma',
      tree: { 'epochlint.config.json': '{\n  "failOn": "error"\n  "format": "json"\n}\n' },
      problems: ['epochlint.config.json: line 3: invalid JSON: expected "," or "}", found a string'],
    },
    {
      name: 'invalid JSON: a comment',
      tree: { 'epochlint.config.json': '{\n  // strict\n  "failOn": "error"\n}\n' },
      problems: [
        'epochlint.config.json: line 2: invalid JSON: expected a property name in double quotes or "}", found a comment (JSON has no comments)',
      ],
    },
    {
      name: 'invalid JSON: a line break inside a string',
      tree: { 'epochlint.config.json': '{\n  "failOn": "error\n}\n' },
      problems: ['epochlint.config.json: line 2: invalid JSON: line break inside a string'],
    },
    {
      name: 'invalid JSON: empty file',
      tree: { 'epochlint.config.json': '' },
      problems: ['epochlint.config.json: line 1: invalid JSON: expected a value, found end of file'],
    },
    {
      name: 'invalid JSON in a package.json that mentions "epochlint"',
      tree: { 'package.json': '{\n  "name": "x",\n  "epochlint": { "failOn": }\n}' },
      problems: ['package.json: line 3: invalid JSON: expected a value, found "}"'],
    },
    {
      name: 'the root is not an object',
      tree: { 'epochlint.config.json': '["error"]' },
      problems: ['epochlint.config.json: expected object, got ["error"]'],
    },
    {
      name: 'unknown key with a suggestion',
      tree: { 'epochlint.config.json': json({ formt: 'json', 'max-warnings': 3 }) },
      problems: [
        'epochlint.config.json: formt: unknown key; did you mean "format"?',
        'epochlint.config.json: max-warnings: unknown key; did you mean "maxWarnings"?',
      ],
    },
    {
      name: 'unknown key without a close match',
      tree: { 'epochlint.config.json': json({ colour: true }) },
      problems: [
        'epochlint.config.json: colour: unknown key; expected one of rules, ignoreMetrics, metrics, inputFormat, context, failOn, maxWarnings, format',
      ],
    },
    {
      name: 'unknown rule with a suggestion',
      tree: { 'epochlint.config.json': json({ rules: { 'val-alternaton': 'off', plateu: 'off' } }) },
      problems: [
        'epochlint.config.json: rules.val-alternaton: unknown rule; did you mean "val-alternation"?',
        'epochlint.config.json: rules.plateu: unknown rule; did you mean "plateau"?',
      ],
    },
    {
      name: 'unknown rule without a close match lists the rules',
      tree: { 'epochlint.config.json': json({ rules: { 'no-such-rule': 'off' } }) },
      problems: [
        `epochlint.config.json: rules.no-such-rule: unknown rule; expected one of ${DETECTORS.map((d) => d.id).join(', ')}`,
      ],
    },
    {
      name: 'bad severity shorthand',
      tree: { 'epochlint.config.json': json({ rules: { 'val-alternation': 'loud', plateau: 2 } }) },
      problems: [
        'epochlint.config.json: rules.plateau: expected "error", "warning", "info", "off" or { severity, options }, got 2',
        'epochlint.config.json: rules.val-alternation: expected "error", "warning", "info", "off" or { severity, options }, got "loud"',
      ],
    },
    {
      name: 'bad severity in the object form, and a misspelt key in it',
      tree: {
        'epochlint.config.json': json({
          rules: { plateau: { severity: 'warn' }, overfitting: { sevrity: 'error' } },
        }),
      },
      problems: [
        'epochlint.config.json: rules.overfitting.sevrity: unknown key; did you mean "severity"?',
        'epochlint.config.json: rules.plateau.severity: expected "error", "warning", "info" or "off", got "warn"; did you mean "warning"?',
      ],
    },
    {
      name: "bad detector options, validated by that detector's schema, with their full path",
      tree: {
        'epochlint.config.json': json({
          rules: {
            overfitting: { options: { minEpochs: 2, alpha: 1.5, minEpoch: 6 } },
            plateau: { severity: 'error', options: { patience: 3.5 } },
            'loss-not-finite': { options: { factor: 2 } },
            'val-stuck': { options: 'strict' },
          },
        }),
      },
      problems: [
        'epochlint.config.json: rules.loss-not-finite.options.factor: unknown option; this object takes no keys',
        'epochlint.config.json: rules.overfitting.options.minEpochs: expected number >= 4, got 2',
        'epochlint.config.json: rules.overfitting.options.alpha: expected number < 1, got 1.5',
        'epochlint.config.json: rules.overfitting.options.minEpoch: unknown option; did you mean "minEpochs"?',
        'epochlint.config.json: rules.plateau.options.patience: expected integer, got 3.5',
        'epochlint.config.json: rules.val-stuck.options: expected object, got "strict"',
      ],
    },
    {
      name: 'bad context values, validated by the Hints schema',
      tree: {
        'epochlint.config.json': json({
          context: {
            valBatchSize: 16.5,
            valSteps: 0,
            batchnorm: 'no',
            valClassCounts: [5200, -1],
            valBatchsize: 16,
          },
        }),
      },
      problems: [
        'epochlint.config.json: context.valBatchSize: expected integer, got 16.5',
        'epochlint.config.json: context.valSteps: expected number > 0, got 0',
        'epochlint.config.json: context.valClassCounts[1]: expected number >= 0, got -1',
        'epochlint.config.json: context.batchnorm: expected boolean, got "no"',
        'epochlint.config.json: context.valBatchsize: unknown key; did you mean "valBatchSize"?',
      ],
    },
    {
      name: 'bad failOn',
      tree: { 'epochlint.config.json': json({ failOn: 'fatal' }) },
      problems: [
        'epochlint.config.json: failOn: expected "error", "warning", "info" or "never", got "fatal"',
      ],
    },
    {
      name: 'negative maxWarnings',
      tree: { 'epochlint.config.json': json({ maxWarnings: -1 }) },
      problems: ['epochlint.config.json: maxWarnings: expected number >= 0, got -1'],
    },
    {
      name: 'fractional maxWarnings',
      tree: { 'epochlint.config.json': json({ maxWarnings: 2.5 }) },
      problems: ['epochlint.config.json: maxWarnings: expected integer, got 2.5'],
    },
    {
      name: 'bad format and ignoreMetrics',
      tree: { 'epochlint.config.json': json({ format: 'html', ignoreMetrics: ['lr', 3] }) },
      problems: [
        'epochlint.config.json: ignoreMetrics[1]: expected string, got 3',
        'epochlint.config.json: format: expected "text", "json", "markdown", "github", "junit" or "sarif", got "html"',
      ],
    },
    {
      name: 'a file found two levels up is named relative to cwd',
      tree: { '.epochlintrc.json': json({ failOn: 'warn' }), 'a/b/': '' },
      cwd: 'a/b',
      problems: [
        '../../.epochlintrc.json: failOn: expected "error", "warning", "info" or "never", got "warn"; did you mean "warning"?',
      ],
    },
    {
      name: 'paths inside package.json start at "epochlint"',
      tree: { 'package.json': json({ name: 'x', epochlint: { rules: { plateau: 'loud' }, colour: 1 } }) },
      problems: [
        'package.json: epochlint.rules.plateau: expected "error", "warning", "info", "off" or { severity, options }, got "loud"',
        'package.json: epochlint.colour: unknown key; expected one of rules, ignoreMetrics, metrics, inputFormat, context, failOn, maxWarnings, format',
      ],
    },
    {
      name: 'a package.json whose "epochlint" is not an object',
      tree: { 'package.json': json({ epochlint: 'strict' }) },
      problems: ['package.json: epochlint: expected object, got "strict"'],
    },
    {
      name: 'a discovered config that is a directory is an error (probe: ignored in silence)',
      tree: { 'a/epochlint.config.json/': '' },
      cwd: 'a',
      problems: ['epochlint.config.json: is a directory'],
    },
    {
      name: '--config with an empty name',
      tree: {},
      configPath: '',
      problems: ['--config: needs a file name'],
    },
    {
      name: 'thousands of unknown keys: a capped number of lines, then a count',
      tree: {
        'epochlint.config.json': json(
          Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 1])),
        ),
      },
      problems: [
        ...Array.from(
          { length: 20 },
          (_, i) =>
            `epochlint.config.json: k${i}: unknown key; expected one of rules, ignoreMetrics, metrics, inputFormat, context, failOn, maxWarnings, format`,
        ),
        'epochlint.config.json: ... and 4980 more problem(s)',
      ],
    },
    {
      name: 'a config over 1 MiB is refused unread',
      tree: { 'epochlint.config.json': `{"ignoreMetrics": ["${'x'.repeat(1 << 20)}"]}` },
      problems: ['epochlint.config.json: larger than 1 MiB: not a config file'],
    },
  ];

  it.each(cases)('$name', ({ tree, cwd, configPath, problems }) => {
    const root = makeTree(tree);
    const options = {
      cwd: path.join(root, cwd ?? '.'),
      fs: confinedTo(root),
      ...(configPath === undefined ? {} : { configPath }),
    };
    expect(loadConfig(options)).toEqual({ ok: false, problems });
  });
});

describe('fixtures/config', () => {
  const cases: { file: string; problems: string[] }[] = [
    {
      file: 'invalid-json.json',
      problems: ['fixtures/config/invalid-json.json: line 4: invalid JSON: trailing comma before "}"'],
    },
    {
      file: 'invalid-keys.json',
      problems: [
        'fixtures/config/invalid-keys.json: rules.overfitting.option: unknown key; did you mean "options"?',
        'fixtures/config/invalid-keys.json: rules.val-alternaton: unknown rule; did you mean "val-alternation"?',
        'fixtures/config/invalid-keys.json: context.valBatchsize: unknown key; did you mean "valBatchSize"?',
        'fixtures/config/invalid-keys.json: ignoreMetric: unknown key; did you mean "ignoreMetrics"?',
      ],
    },
    {
      file: 'invalid-values.json',
      problems: [
        'fixtures/config/invalid-values.json: rules.overfitting.options.minEpochs: expected number >= 4, got 2',
        'fixtures/config/invalid-values.json: rules.val-alternation: expected "error", "warning", "info", "off" or { severity, options }, got "loud"',
        'fixtures/config/invalid-values.json: ignoreMetrics: expected array, got "lr"',
        'fixtures/config/invalid-values.json: context.valBatchSize: expected number > 0, got 0',
        'fixtures/config/invalid-values.json: context.batchnorm: expected boolean, got "no"',
        'fixtures/config/invalid-values.json: failOn: expected "error", "warning", "info" or "never", got "fatal"',
        'fixtures/config/invalid-values.json: maxWarnings: expected number >= 0, got -1',
        'fixtures/config/invalid-values.json: format: expected "text", "json", "markdown", "github", "junit" or "sarif", got "html"',
      ],
    },
  ];

  it.each(cases)('$file', ({ file, problems }) => {
    expect(loadConfig({ cwd: ROOT, configPath: `fixtures/config/${file}` })).toEqual({ ok: false, problems });
  });

  it('valid.json round-trips into rule settings, with no defaults filled in', () => {
    const result = loadConfig({ cwd: ROOT, configPath: 'fixtures/config/valid.json' });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const written: unknown = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/config/valid.json'), 'utf8'));
    expect(result.loaded.path).toBe(path.join(ROOT, 'fixtures/config/valid.json'));
    expect(result.loaded.config).toEqual(written);
    const settings = toRuleSettings(result.loaded.config);
    expect(settings).toEqual({
      'val-alternation': { severity: 'warning' },
      plateau: { severity: 'off' },
      overfitting: { severity: 'error', options: { minEpochs: 6 } },
      'val-periodic': { options: { alpha: 0.01, maxPeriod: 12 } },
    });
    // what the runner does with them: each detector's schema accepts the options and fills the rest
    expect(findDetector('overfitting')?.options.parse(settings['overfitting']?.options)).toMatchObject({
      minEpochs: 6,
      alpha: expect.any(Number) as number,
    });
    expect(findDetector('val-periodic')?.options.parse(settings['val-periodic']?.options)).toMatchObject({
      alpha: 0.01,
      maxPeriod: 12,
    });
  });
});

describe('toRuleSettings', () => {
  const cases: { name: string; config: EpochlintConfig; settings: ReturnType<typeof toRuleSettings> }[] = [
    { name: 'no rules', config: { failOn: 'never' }, settings: {} },
    {
      name: 'shorthand becomes a severity',
      config: { rules: { plateau: 'off', 'val-stuck': 'info' } },
      settings: { plateau: { severity: 'off' }, 'val-stuck': { severity: 'info' } },
    },
    {
      name: 'object form keeps only what is set',
      config: { rules: { plateau: {}, overfitting: { options: { alpha: 0.01 } } } },
      settings: { plateau: {}, overfitting: { options: { alpha: 0.01 } } },
    },
  ];

  it.each(cases)('$name', ({ config, settings }) => {
    expect(toRuleSettings(config)).toEqual(settings);
  });
});

describe('parseJson', () => {
  const cases: { name: string; text: string; line: number | null }[] = [
    { name: 'valid, with a BOM', text: '\uFEFF{ "a": [1, -2.5e3, true, null, "\\u00e9"] }', line: null },
    { name: 'deep nesting does not overflow', text: `${'['.repeat(100_000)}1${']'.repeat(99_999)}`, line: 1 },
    { name: 'garbage after the value', text: '{}\n\nx', line: 3 },
    { name: 'bad escape', text: '{\n"a": "\\q"}', line: 2 },
    { name: 'leading zero', text: '[\n\n01]', line: 3 },
    { name: 'single quotes', text: "{\n'a': 1}", line: 2 },
  ];

  it.each(cases)('$name', ({ text, line }) => {
    const result = parseJson(text);
    expect(result.ok ? null : result.line).toBe(line);
  });
});

describe('loadConfig: files that are not config files never block', () => {
  const cases = [
    {
      name: 'a named pipe with no writer (probe: hang)',
      make: 'fifo',
      reason: 'is a named pipe, not a config file',
    },
    {
      name: '/dev/urandom (probe: 5.8 GB, hang)',
      make: '/dev/urandom',
      reason: 'is a character device, not a config file',
    },
    { name: '/dev/zero', make: '/dev/zero', reason: 'is a character device, not a config file' },
    { name: 'a directory', make: 'dir', reason: 'is a directory' },
  ];
  it.each(cases)('$name', ({ make, reason }) => {
    const root = makeTree({});
    let configPath = make;
    if (make === 'fifo') {
      configPath = path.join(root, 'cfg.json');
      execFileSync('mkfifo', [configPath]);
    } else if (make === 'dir') {
      configPath = path.join(root, 'cfg');
      mkdirSync(configPath);
    }
    expect(loadConfig({ cwd: root, configPath })).toEqual({
      ok: false,
      problems: [`${configPath}: ${reason}`],
    });
  });

  it('a 200k-key config costs a count, not a line per key (probe: 200k lines)', () => {
    const root = makeTree({
      'epochlint.config.json': json(
        Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`x${i}`, 1])),
      ),
    });
    const result = loadConfig({ cwd: root });
    expect(result.ok ? [] : result.problems).toHaveLength(MAX_CONFIG_PROBLEMS + 1);
  });

  it('a key of a megabyte gets no suggestion search over its length', () => {
    expect(
      suggest(
        'r'.repeat(500_000),
        DETECTORS.map((d) => d.id),
      ),
    ).toBeNull();
  });
});

describe('CONFIG_DOC', () => {
  it('describes every key, every context hint and every file name', () => {
    const names = [
      ...Object.keys(EpochlintConfig.shape),
      ...Object.keys(Hints.shape),
      ...CONFIG_FILE_NAMES,
      '--config',
      '--no-config',
    ];
    for (const name of names) expect(CONFIG_DOC, name).toContain(`\`${name}`);
  });
});
