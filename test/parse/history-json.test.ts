import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PARSE_LIMITS, ParseIssue, Run } from '../../src/model/index.js';
import type { ParseIssueKind } from '../../src/model/index.js';
import { parseHistoryJson } from '../../src/parse/history-json.js';
import { parseText } from '../../src/parse/index.js';
import { numericLiteral, readTolerant, readTolerantSequence } from '../../src/parse/json-tolerant.js';
import type { TolerantNode } from '../../src/parse/json-tolerant.js';

const fixture = (path: string): string =>
  readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

/** An expected epoch: [epoch number, source line, metrics]. */
type EpochRow = [number, number, Record<string, number>];

interface Case {
  name: string;
  input: string;
  /** The single run's epochs, or null when no run is expected. */
  epochs: EpochRow[] | null;
  lines?: [number, number];
  issues: { kind: ParseIssueKind; line: number | null }[];
}

const cases: Case[] = [
  {
    name: 'dict of lists',
    input: fixture('parse/json/dict-of-lists.json'),
    epochs: [
      [1, 1, { loss: 0.9, accuracy: 0.5, val_loss: 1.0, val_accuracy: 0.45 }],
      [2, 1, { loss: 0.8, accuracy: 0.6, val_loss: 0.9, val_accuracy: 0.55 }],
      [3, 1, { loss: 0.7, accuracy: 0.7, val_loss: 0.85, val_accuracy: 0.6 }],
    ],
    lines: [1, 1],
    issues: [],
  },
  {
    name: 'lists of different lengths are aligned to the start',
    input: fixture('parse/json/different-lengths.json'),
    epochs: [
      [1, 3, { loss: 0.9, accuracy: 0.5, val_loss: 1.0, val_accuracy: 0.4 }],
      [2, 4, { loss: 0.8, accuracy: 0.6, val_loss: 0.85, val_accuracy: 0.5 }],
      [3, 5, { loss: 0.7, accuracy: 0.7 }],
      [4, 6, { loss: 0.6, accuracy: 0.75 }],
    ],
    lines: [1, 22],
    issues: [{ kind: 'ambiguous', line: 14 }],
  },
  {
    name: 'list of per-epoch dicts',
    input: fixture('parse/json/list-of-dicts.json'),
    epochs: [
      [1, 3, { loss: 0.9, val_loss: 1.0 }],
      [2, 8, { loss: 0.8, val_loss: 0.95 }],
      [3, 13, { loss: 0.7 }],
    ],
    lines: [1, 16],
    issues: [],
  },
  {
    name: 'JSON Lines of per-epoch dicts',
    input: fixture('parse/json/json-lines.jsonl'),
    epochs: [
      [1, 1, { loss: 0.9 }],
      [2, 2, { loss: 0.8 }],
      [3, 3, { loss: 0.7 }],
    ],
    lines: [1, 3],
    issues: [],
  },
  {
    name: 'pandas column-oriented, null omitted',
    input: fixture('parse/json/pandas-columns.json'),
    epochs: [
      [1, 1, { loss: 0.69, val_loss: 0.7 }],
      [2, 1, { loss: 0.52 }],
      [3, 1, { loss: 0.41, val_loss: 0.5 }],
    ],
    issues: [],
  },
  {
    name: 'pandas column-oriented, keys out of order and sparse',
    input: '{"loss": {"1": 0.5, "0": 0.6, "2": 0.4}, "val_loss": {"2": 0.45}}',
    epochs: [
      [1, 1, { loss: 0.6 }],
      [2, 1, { loss: 0.5 }],
      [3, 1, { loss: 0.4, val_loss: 0.45 }],
    ],
    issues: [],
  },
  {
    name: 'pandas index-oriented',
    input: '{"0": {"loss": 0.5, "acc": 0.7}, "1": {"loss": 0.4, "acc": 0.8}}',
    epochs: [
      [1, 1, { loss: 0.5, acc: 0.7 }],
      [2, 1, { loss: 0.4, acc: 0.8 }],
    ],
    issues: [],
  },
  {
    name: 'pandas split-oriented',
    input: '{"columns": ["loss", "val_loss"], "index": [0, 1], "data": [[0.5, 0.6], [0.4, null]]}',
    epochs: [
      [1, 1, { loss: 0.5, val_loss: 0.6 }],
      [2, 1, { loss: 0.4 }],
    ],
    issues: [],
  },
  {
    name: 'Python repr with nan, np.float32, array(...) and booleans',
    input: fixture('parse/json/python-repr.json'),
    epochs: [
      [1, 1, { loss: 0.9, accuracy: 0.5, lr: 0.001, val_loss: 0.95 }],
      [2, 1, { loss: Number.NaN, accuracy: 0.6, lr: 0.0005, val_loss: Number.POSITIVE_INFINITY }],
      [3, 1, { loss: 0.7, accuracy: 0.7, lr: 0.00025, val_loss: 0.8 }],
    ],
    issues: [],
  },
  {
    name: 'a JSON string holding a Python repr is decoded twice',
    input: fixture('parse/json/json-string-of-repr.json'),
    epochs: [
      [1, 1, { val_loss: 0.6, loss: 0.5 }],
      [2, 1, { val_loss: Number.NaN, loss: 0.4 }],
    ],
    issues: [],
  },
  {
    name: 'bare NaN / Infinity / -Infinity tokens, CRLF, pretty-printed',
    input: fixture('parse/json/nan-infinity-tokens.json'),
    epochs: [
      [1, 3, { loss: Number.NaN }],
      [2, 4, { loss: Number.POSITIVE_INFINITY }],
      [3, 5, { loss: Number.NEGATIVE_INFINITY }],
      [4, 6, { loss: 0.5 }],
    ],
    lines: [1, 8],
    issues: [],
  },
  {
    name: 'history under a "history" key',
    input: fixture('parse/json/wrapped-history.json'),
    epochs: [
      [1, 1, { loss: 0.9, val_loss: 1.0 }],
      [2, 1, { loss: 0.8, val_loss: 0.95 }],
    ],
    issues: [],
  },
  {
    name: 'JavaScript number syntax, trailing commas, tuples',
    input: "{'lr': (6.25000029685907e-5, 1E-4, .5, 5.,), 'loss': [+1, -2e+0,],}",
    epochs: [
      [1, 1, { lr: 6.25000029685907e-5, loss: 1 }],
      [2, 1, { lr: 1e-4, loss: -2 }],
      [3, 1, { lr: 0.5 }],
      [4, 1, { lr: 5 }],
    ],
    issues: [{ kind: 'ambiguous', line: 1 }],
  },
  {
    name: 'numeric strings (json.dump default=str) are numbers',
    input: '{"loss": ["0.5", "nan", " 0.25 "]}',
    epochs: [
      [1, 1, { loss: 0.5 }],
      [2, 1, { loss: Number.NaN }],
      [3, 1, { loss: 0.25 }],
    ],
    issues: [],
  },
  {
    name: 'non-numeric values in a metric list are reported and omitted',
    input: '{"loss": [0.5,\n "abc",\n true,\n 0.3]}',
    epochs: [
      [1, 1, { loss: 0.5 }],
      [2, 2, {}],
      [3, 3, {}],
      [4, 4, { loss: 0.3 }],
    ],
    issues: [
      { kind: 'bad-value', line: 2 },
      { kind: 'bad-value', line: 3 },
    ],
  },
  {
    name: 'a column of lists is reported; a column of strings is not a metric',
    input: '{"loss": [0.5, 0.4],\n"f1": [[0.1, 0.2], [0.3, 0.4]],\n"phase": ["a", "b"]}',
    epochs: [
      [1, 1, { loss: 0.5 }],
      [2, 1, { loss: 0.4 }],
    ],
    issues: [{ kind: 'bad-value', line: 2 }],
  },
  {
    name: 'an epoch column that matches positions is not a metric',
    input: '[{"epoch": 1, "loss": 0.5}, {"epoch": 2, "loss": 0.4}]',
    epochs: [
      [1, 1, { loss: 0.5 }],
      [2, 1, { loss: 0.4 }],
    ],
    issues: [],
  },
  {
    name: 'an epoch column that disagrees with positions is ambiguous',
    input: '{"epoch": [5, 6], "loss": [0.5, 0.4]}',
    epochs: [
      [1, 1, { loss: 0.5 }],
      [2, 1, { loss: 0.4 }],
    ],
    issues: [{ kind: 'ambiguous', line: 1 }],
  },
  {
    name: 'an item of a list of dicts that is not a dict',
    input: '[{"loss": 0.5},\n 7,\n {"loss": 0.3}]',
    epochs: [
      [1, 1, { loss: 0.5 }],
      [3, 3, { loss: 0.3 }],
    ],
    issues: [{ kind: 'bad-value', line: 2 }],
  },
  {
    name: 'truncated JSON',
    input: fixture('parse/json/truncated.json'),
    epochs: null,
    issues: [{ kind: 'malformed-input', line: 3 }],
  },
  {
    name: 'a missing comma',
    input: '{\n"loss": [0.5 0.4]}',
    epochs: null,
    issues: [{ kind: 'malformed-input', line: 2 }],
  },
  {
    name: 'a JSON string that does not hold a history',
    input: '"{\'loss\': [0.5,"',
    epochs: null,
    issues: [{ kind: 'malformed-input', line: 1 }],
  },
  {
    name: 'two values that are not records',
    input: '[1]\n[2]',
    epochs: null,
    issues: [{ kind: 'malformed-input', line: 2 }],
  },
  { name: 'empty input', input: ' \n', epochs: null, issues: [{ kind: 'malformed-input', line: 2 }] },
  {
    name: 'a list of numbers',
    input: '[1, 2, 3]',
    epochs: null,
    issues: [{ kind: 'malformed-input', line: 1 }],
  },
  {
    name: 'only columns of lists',
    input: '{"f1": [[0.1, 0.2]]}',
    epochs: null,
    issues: [
      { kind: 'bad-value', line: 1 },
      { kind: 'malformed-input', line: 1 },
    ],
  },
  {
    name: 'a dict of strings',
    input: '{"a": "b"}',
    epochs: null,
    issues: [{ kind: 'malformed-input', line: 1 }],
  },
  { name: 'a bare number', input: '\n42', epochs: null, issues: [{ kind: 'malformed-input', line: 2 }] },
  {
    name: 'empty metric lists',
    input: '{"loss": []}',
    epochs: null,
    issues: [{ kind: 'no-epochs', line: null }],
  },
];

describe('parseHistoryJson', () => {
  it.each(cases)('$name', ({ input, epochs, lines, issues }) => {
    const result = parseHistoryJson(input, { file: 'h.json' });
    for (const run of result.runs) Run.parse(run);
    for (const issue of result.issues) ParseIssue.parse(issue);
    expect(result.issues.map(({ kind, line }) => ({ kind, line }))).toEqual(issues);
    if (epochs === null) {
      expect(result.runs).toEqual([]);
      return;
    }
    expect(result.runs).toHaveLength(1);
    const [run] = result.runs;
    expect(run?.index).toBe(0);
    expect(run?.epochs.map((epoch): EpochRow => [epoch.epoch, epoch.line, epoch.metrics])).toEqual(epochs);
    if (lines) expect([run?.source.fromLine, run?.source.toLine]).toEqual(lines);
  });

  it('fills the fields a history does not have with null and empty lists', () => {
    const [run] = parseHistoryJson(fixture('parse/json/dict-of-lists.json'), { file: 'h.json' }).runs;
    expect(run?.source).toEqual({ dialect: 'history-json', file: 'h.json', fromLine: 1, toLine: 1 });
    expect(run?.events).toEqual([]);
    expect(run?.datasets).toEqual([]);
    expect(run?.epochs[0]).toMatchObject({
      of: null,
      steps: null,
      countUnit: null,
      seconds: null,
      stepTime: null,
    });
  });

  it('keeps NaN and ±Infinity as numbers', () => {
    const [run] = parseHistoryJson(fixture('parse/json/nan-infinity-tokens.json'), { file: null }).runs;
    const loss = run?.epochs.map((epoch) => epoch.metrics.loss) ?? [];
    expect(loss).toHaveLength(4);
    expect(Number.isNaN(loss[0])).toBe(true);
    expect(loss.slice(1)).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.5]);
  });

  it('names the shorter lists', () => {
    const { issues } = parseHistoryJson(fixture('parse/json/different-lengths.json'), { file: null });
    expect(issues[0]?.message).toContain('val_loss (2), val_accuracy (2)');
  });

  it('says what was expected where the JSON breaks, on one line', () => {
    const { issues } = parseHistoryJson(fixture('parse/json/truncated.json'), { file: null });
    expect(issues.map((issue) => issue.message)).toEqual([
      "line 3: expected ',' or ']' after a list item, found end of input",
    ]);
  });

  it('says when no metric list was found', () => {
    const { issues } = parseHistoryJson('{"a": "b"}', { file: null });
    expect(issues[0]?.message).toContain('no metric lists found');
  });

  it('refuses a document with one distinct key past the cap in one line; at the cap it is read', () => {
    const doc = (keys: number): string =>
      `{${Array.from({ length: keys }, (_, i) => `"m${i}": [0.5, 0.25]`).join(', ')}}`;
    const over = parseText(doc(PARSE_LIMITS.keys + 1));
    expect(over.summary.fatal).toBe(
      `more than ${PARSE_LIMITS.keys.toLocaleString('en-US')} distinct keys in one JSON document (epochlint's limit, which keeps memory bounded): not read; split the file`,
    );
    expect(over.runs).toHaveLength(0);
    const at = parseText(doc(PARSE_LIMITS.keys));
    expect(at.summary.fatal).toBeNull();
    expect(at.runs[0]?.epochs).toHaveLength(2);
    // the per-record cap still applies to what is read
    expect(Object.keys(at.runs[0]?.epochs[0]?.metrics ?? {})).toHaveLength(PARSE_LIMITS.valuesPerRecord);
    // a list of records repeats its keys: only distinct ones count
    const rows = `[${Array.from({ length: PARSE_LIMITS.keys + 10 }, (_, i) => `{"loss": ${(i % 7) / 10}}`).join(', ')}]`;
    expect(parseText(rows).summary.fatal).toBeNull();
  });

  it('reads a long one-line history in linear time', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => (i % 7) / 10).join(', ');
    const started = performance.now();
    const { runs } = parseHistoryJson(`{"loss": [${values}], "val_loss": [${values}]}`, { file: null });
    expect(runs[0]?.epochs).toHaveLength(100_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

interface RealCase {
  file: string;
  epochs: number;
  last: Record<string, string>;
}

// Expected values copied from /work/shared/corpus/dev/manifest.json.
const realCases: RealCase[] = [
  {
    file: 'brain-tumor-prettier-history.json',
    epochs: 30,
    last: {
      accuracy: '0.9464285969734192',
      loss: '0.13551731407642365',
      val_accuracy: '0.904181182384491',
      val_loss: '0.49090835452079773',
      learning_rate: '7.812500371073838e-6',
    },
  },
  {
    file: 'covid-cnn-3epoch-history.json',
    epochs: 3,
    last: {
      accuracy: '0.934166669845581',
      loss: '0.17092075943946838',
      val_accuracy: '0.9266666769981384',
      val_loss: '0.22086215019226074',
    },
  },
  {
    file: 'maize-history-indented.json',
    epochs: 10,
    last: {
      accuracy: '0.9818181991577148',
      loss: '0.046899523586034775',
      val_accuracy: '0.939393937587738',
      val_loss: '0.2854174077510834',
    },
  },
  {
    file: 'satellite-unet-jaccard-history.json',
    epochs: 20,
    last: {
      loss: '0.9142705202102661',
      accuracy: '0.8500935435295105',
      jaccard_coef: '0.688226044178009',
      val_loss: '0.9271056652069092',
      val_accuracy: '0.8169068098068237',
      val_jaccard_coef: '0.646403431892395',
    },
  },
  {
    file: 'video-lstm-history-string.json',
    epochs: 5,
    last: {
      val_loss: '0.02310311080267032',
      val_accuracy: '1.0',
      loss: '0.05052638040589435',
      accuracy: '1.0',
    },
  },
];

describe('parseHistoryJson on real files', () => {
  it.each(realCases)('$file', ({ file, epochs, last }) => {
    const result = parseHistoryJson(fixture(`real/${file}`), { file });
    expect(result.issues).toEqual([]);
    expect(result.runs).toHaveLength(1);
    const all = result.runs[0]?.epochs ?? [];
    expect(all.map((epoch) => epoch.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
    expect(all[all.length - 1]?.metrics).toEqual(
      Object.fromEntries(Object.entries(last).map(([name, value]) => [name, Number(value)])),
    );
  });

  it('gives each epoch of a pretty-printed file the line of its first value', () => {
    const [run] = parseHistoryJson(fixture('real/maize-history-indented.json'), { file: null }).runs;
    expect(run?.epochs.map((epoch) => epoch.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect([run?.source.fromLine, run?.source.toLine]).toEqual([1, 50]);
  });
});

/** A node reduced to plain data, for comparing reads. */
function plain(node: TolerantNode): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.entries.map((entry) => [entry.key, plain(entry.value)]));
    case 'array':
      return node.items.map(plain);
    case 'null':
      return null;
    case 'symbol':
      return { symbol: node.name };
    default:
      return node.value;
  }
}

interface ReadCase {
  name: string;
  input: string;
  value: unknown;
}

const readCases: ReadCase[] = [
  { name: 'JSON escapes', input: '"a\\b\\u0008\\r\\n\\t\\"\\\\\\/\\u001b"', value: 'a\b\b\r\n\t"\\/\u001b' },
  { name: 'surrogate pairs', input: '"\\ud83d\\ude00"', value: '😀' },
  { name: 'Python escapes and quotes', input: "'it\\'s \\x1b[1m \\U0001F600'", value: "it's \u001b[1m 😀" },
  { name: 'unknown escapes stay as written', input: "'a\\qb'", value: 'a\\qb' },
  { name: 'raw and unicode string prefixes', input: "[r'a\\nb', u'c']", value: ['a\\nb', 'c'] },
  {
    name: 'Python constants',
    input: '[True, False, None, nan, -inf, np.nan, math.inf]',
    value: [true, false, null, NaN, -Infinity, NaN, Infinity],
  },
  {
    name: 'JSON constants',
    input: '[true, false, null, NaN, Infinity, -Infinity]',
    value: [true, false, null, NaN, Infinity, -Infinity],
  },
  {
    name: 'numeric keys and bare keys',
    input: '{0: 1, loss: 2, -1.5: 3}',
    value: { '0': 1, loss: 2, '-1.5': 3 },
  },
  {
    name: 'wrappers stand for their first argument',
    input:
      "[np.float32(0.5), array([1, 2], dtype=float32), tf.Tensor(0.25, shape=(), dtype=float32), float('nan')]",
    value: [0.5, [1, 2], 0.25, NaN],
  },
  { name: 'an unknown name is a symbol', input: '[dtype]', value: [{ symbol: 'dtype' }] },
  { name: 'a call without positional arguments', input: 'f(x=1)', value: { symbol: 'f()' } },
];

describe('readTolerant', () => {
  it.each(readCases)('$name', ({ input, value }) => {
    const read = readTolerant(input);
    expect(read.ok).toBe(true);
    if (read.ok) expect(plain(read.value)).toEqual(value);
  });

  it.each([
    { name: 'an unclosed string', input: '{\n"a": "b', line: 2 },
    { name: 'a stray character', input: '[1,\n\n @]', line: 3 },
    { name: 'a sign without a number', input: '[-"a"]', line: 1 },
    { name: 'trailing content', input: '{} x', line: 1 },
    { name: 'deep nesting', input: '['.repeat(100_000), line: 1 },
  ])('fails on $name without throwing', ({ input, line }) => {
    const read = readTolerant(input);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.line).toBe(line);
  });

  it('reads values written one after another', () => {
    const read = readTolerantSequence('{"a": 1}\n{"a": 2}\n');
    expect(read.ok && read.value.map(plain)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('tracks the line of each value', () => {
    const read = readTolerant('{\r\n  "a": [\r\n    1,\r\n    2\r\n  ]\r\n}');
    const items = read.ok && read.value.kind === 'object' ? read.value.entries[0]?.value : undefined;
    expect(items?.kind === 'array' && items.items.map((item) => item.line)).toEqual([3, 4]);
    expect(read.ok && [read.value.line, read.value.endLine]).toEqual([1, 6]);
  });
});

describe('numericLiteral', () => {
  it.each([
    ['0.5', 0.5],
    ['-1e-04', -1e-4],
    ['6.25000029685907e-5', 6.25000029685907e-5],
    ['.5', 0.5],
    ['5.', 5],
    ['+3', 3],
    ['nan', NaN],
    ['-NaN', NaN],
    ['inf', Infinity],
    ['-inf', -Infinity],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['', null],
    ['-', null],
    ['0x10', null],
    ['1e', null],
    ['1.2.3', null],
    [' 1', null],
    ['NA', null],
  ])('%j → %s', (token, value) => {
    expect(numericLiteral(token)).toEqual(value);
  });
});
