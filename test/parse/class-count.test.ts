import { describe, expect, test } from 'vitest';
import { buildContext } from '../../src/context/index.js';
import { findClassStatement } from '../../src/parse/class-count.js';
import { parseText } from '../../src/parse/index.js';

describe('findClassStatement: the class count a line states', () => {
  test.each([
    { text: '--- resnet50 on CIFAR100 (100 classes) using cuda ---', count: 100, words: '100 classes' },
    { text: "Namespace(dataset='x', num_classes=100, lr=0.1)", count: 100, words: 'num_classes=100' },
    { text: 'n_classes: 10', count: 10, words: 'n_classes=10' },
    { text: '  "num_classes": 1000,', count: 1000, words: 'num_classes=1000' },
    { text: 'number of classes: 7', count: 7, words: 'number of classes=7' },
    { text: 'a linear head with 37 classes', count: 37, words: '37 classes' },
    // near misses: not a statement of K
    { text: 'top 5 classes by recall: cat, dog', count: null, words: null },
    { text: 'num_classes=1 (regression)', count: null, words: null },
    { text: 'classes: cat dog', count: null, words: null },
    { text: 'Epoch 3 loss 0.5 acc 0.9', count: null, words: null },
  ])('$text', ({ text, count, words }) => {
    const found = findClassStatement(text);
    expect(found === null ? null : [found.count, found.text]).toEqual(count === null ? null : [count, words]);
  });
});

describe('a stated class count reaches the context of its run', () => {
  const log = (banner: string): string =>
    [
      banner,
      ...Array.from({ length: 3 }, (_, i) => `Epoch ${i + 1} loss ${(1 - i / 10).toFixed(2)} acc 0.5`),
      '--- second run (3 classes) ---',
      ...Array.from({ length: 3 }, (_, i) => `Epoch ${i + 1} loss ${(1 - i / 10).toFixed(2)} acc 0.5`),
    ].join('\n');

  test('the banner before each run belongs to that run, with its line', () => {
    const { runs } = parseText(log('--- resnet on CIFAR10 (10 classes) ---'));
    expect(runs.map((r) => r.classes)).toEqual([
      { count: 10, text: '10 classes', line: 1 },
      { count: 3, text: '3 classes', line: 5 },
    ]);
    expect(runs.map((r) => r.epochs.length)).toEqual([3, 3]);
    const context = buildContext(runs[0]!, {});
    expect(context.classes).toEqual({
      value: 10,
      source: 'log',
      line: 1,
      note: 'stated by the log: `10 classes`',
    });
  });

  test('the valClassCounts hint wins over the stated count', () => {
    const { runs } = parseText(log('--- resnet on CIFAR10 (10 classes) ---'));
    expect(buildContext(runs[0]!, { valClassCounts: [5, 5] }).classes).toMatchObject({
      value: 2,
      source: 'flag',
    });
  });

  test('no statement: no class count, and no classes field on the run', () => {
    const { runs } = parseText(log('--- resnet on CIFAR10 ---').replace('(3 classes)', ''));
    expect(runs.map((r) => 'classes' in r)).toEqual([false, false]);
    expect(buildContext(runs[0]!, {}).classes).toBeNull();
  });
});
