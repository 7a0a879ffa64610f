import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseIssue } from '../../src/model/index.js';
import type { ParseIssueKind } from '../../src/model/index.js';
import { extractNotebookStreams } from '../../src/parse/notebook.js';

const fixture = (path: string): string =>
  readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

const BACKSPACES = '\b'.repeat(63);

interface Case {
  name: string;
  input: string;
  /** null: not a notebook. */
  expected: {
    text: string;
    lineMap: number[];
    issues: { kind: ParseIssueKind; line: number | null }[];
  } | null;
}

const cases: Case[] = [
  {
    name: 'backspaces, carriage returns and ANSI escapes come out as real characters',
    input: fixture('parse/ipynb/backspace-streams.ipynb'),
    expected: {
      text:
        'Epoch 1/2\n' +
        `1/2 [==============>...............] - ETA: 0s - loss: 0.9000${BACKSPACES}\r` +
        '2/2 [==============================] - 1s 10ms/step - loss: 0.8000\n' +
        'Epoch 2/2\n' +
        '\u001b[1m2/2\u001b[0m \u001b[32m━━━━━━━━━━━━━━━━━━━━\u001b[0m\u001b[37m\u001b[0m \u001b[1m0s\u001b[0m 5ms/step' +
        ' - loss: 0.7000\n',
      lineMap: [12, 13, 14, 15, 15],
      issues: [],
    },
  },
  {
    name: 'two training cells, stderr between, execute_result and markdown left out',
    input: fixture('parse/ipynb/two-training-cells.ipynb'),
    expected: {
      text:
        'Epoch 1/2\n10/10 - 1s - loss: 0.9000 - val_loss: 1.0000\n' +
        'Epoch 2/2\n10/10 - 1s - loss: 0.8000 - val_loss: 0.9500\n' +
        'WARNING: something on stderr\n' +
        'Epoch 1/1\n10/10 - 1s - loss: 0.7000 - val_loss: 0.9000\n',
      lineMap: [19, 20, 21, 22, 49, 56, 57, 57],
      issues: [],
    },
  },
  {
    name: 'nbformat 3 worksheets with "stream" outputs',
    input: fixture('parse/ipynb/nbformat3.ipynb'),
    expected: {
      text:
        'Epoch 1/2\n60000/60000 [==============================] - 5s - loss: 0.3000\n' +
        'Epoch 2/2\n60000/60000 [==============================] - 5s - loss: 0.2000\n',
      lineMap: [30, 31, 38, 39, 39],
      issues: [],
    },
  },
  {
    name: 'one-line notebook: text as one string, a newline added between outputs',
    input: fixture('parse/ipynb/one-line.ipynb'),
    expected: {
      text: 'Epoch 1/1\n10/10 - 1s - loss: 0.5000\ndone\nafter\n',
      lineMap: [1, 1, 1, 1, 1],
      issues: [],
    },
  },
  {
    name: 'truncated notebook',
    input: fixture('parse/ipynb/truncated.ipynb'),
    expected: { text: '', lineMap: [], issues: [{ kind: 'malformed-input', line: 22 }] },
  },
  {
    name: 'a notebook without stream output',
    input: '{"cells": [{"cell_type": "code", "outputs": [], "source": []}], "nbformat": 4}',
    expected: { text: '', lineMap: [], issues: [] },
  },
  {
    name: 'the last output keeps its missing newline',
    input: '{"cells": [{"cell_type": "code", "outputs": [{"output_type": "stream", "text": "a\\nb"}]}]}',
    expected: { text: 'a\nb', lineMap: [1, 1], issues: [] },
  },
  {
    name: 'stream output of a non-code cell is ignored',
    input: '{"cells": [{"cell_type": "raw", "outputs": [{"output_type": "stream", "text": "x"}]}]}',
    expected: { text: '', lineMap: [], issues: [] },
  },
  {
    name: 'a text item that is not a string is reported',
    input:
      '{"cells": [{"cell_type": "code", "outputs": [\n{"output_type": "stream", "text": ["a\\n", 5]}]}]}',
    expected: { text: 'a\n', lineMap: [2, 2], issues: [{ kind: 'malformed-input', line: 2 }] },
  },
  {
    name: 'cells that are not a list',
    input: '{"cells": 5, "nbformat": 4}',
    expected: { text: '', lineMap: [], issues: [{ kind: 'malformed-input', line: 1 }] },
  },
  { name: 'console text is not a notebook', input: 'Epoch 1/2\n10/10 - loss: 0.5\n', expected: null },
  { name: 'a history JSON is not a notebook', input: '{"loss": [0.5, 0.4]}', expected: null },
  { name: 'broken JSON that is not a notebook', input: '{"loss": [0.5,', expected: null },
  { name: 'empty input', input: '', expected: null },
];

describe('extractNotebookStreams', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    const result = extractNotebookStreams(input);
    if (expected === null) {
      expect(result).toBeNull();
      return;
    }
    expect(result).not.toBeNull();
    for (const issue of result?.issues ?? []) ParseIssue.parse(issue);
    expect({
      text: result?.text,
      lineMap: result?.lineMap,
      issues: result?.issues.map(({ kind, line }) => ({ kind, line })),
    }).toEqual(expected);
    expect(result?.lineMap.length).toBe(result?.text === '' ? 0 : result?.text.split('\n').length);
  });

  it('maps every line of a real notebook to a line of the file', () => {
    const input = fixture('real/vinay-mnist-notebook-saved-as-py.ipynb');
    const result = extractNotebookStreams(input);
    const lines = result?.text.split('\n') ?? [];
    const finalBars = lines.filter((line) => line.startsWith('60000/60000 [') && line.includes('loss:'));
    expect(finalBars).toHaveLength(5);
    expect(finalBars[4]).toContain('loss: 0.0269 - acc: 0.9917');
    expect(result?.text).not.toContain('keras.callbacks.History');
    expect(result?.issues).toEqual([]);
    const fileLines = input.split('\n');
    lines.forEach((line, index) => {
      const fileLine = result?.lineMap[index] ?? 0;
      expect(fileLine).toBeGreaterThanOrEqual(1);
      if (line !== '') expect(fileLines[fileLine - 1]).toContain(JSON.stringify(line).slice(1, -1));
    });
  });
});
