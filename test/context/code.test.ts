import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  codeInInput,
  divisorOf,
  isCodeLine,
  readTrainingCode,
  scanCode,
} from '../../src/context/code/index.js';
import { passFractionOf, splitTopLevel } from '../../src/context/code/read-facts.js';
import { runCli } from '../cli/run-cli.js';

const fixture = (path: string): string =>
  readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');
const script = (name: string) => ({ text: fixture(`scripts/${name}`), file: `fixtures/scripts/${name}` });

describe('the founding case paste: code flattened into one line of prose', async () => {
  const facts = await readTrainingCode({ text: fixture('real/crossvalidated-416172.txt'), file: null }, null);

  it('is scanned tolerantly, line 7', () => {
    expect(facts?.sources).toEqual([{ origin: 'log', file: null, fromLine: 7, toLine: 7, reader: 'scan' }]);
  });

  it.each([
    ['batchnorm', false, 'Conv2D(32, (7, 7)'],
    ['dropout', true, 'Dropout(0.5)'],
    ['valBatchSize', 32, 'batch_size=val_batchsize'],
    ['trainBatchSize', 32, 'batch_size=train_batchsize'],
    ['valShuffle', false, 'shuffle=False'],
    ['trainShuffle', true, 'shuffle=True'],
    ['valStepsExpression', 'nb_validation_samples // batch_size', 'validation_steps'],
    ['stepsPerEpochExpression', 'nb_train_samples // batch_size', 'steps_per_epoch'],
    ['valStepsDivisor', 'batch_size', 'validation_steps'],
    ['valBatchVariable', 'val_batchsize', 'batch_size=val_batchsize'],
    ['workers', 1, 'fit_generator'],
    ['useMultiprocessing', false, 'fit_generator'],
    ['lrSchedule', 'plateau', 'ReduceLROnPlateau'],
    ['valAugmented', false, 'ImageDataGenerator(rescale=1. / 255)'],
    ['preprocessingMatch', true, 'rescale=1. / 255'],
  ] as const)('%s = %j (line 7, `%s`)', (key, value, code) => {
    const fact = facts?.[key];
    expect(fact?.value).toEqual(value);
    expect(fact?.line).toBe(7);
    expect(fact?.excerpt).toContain(code);
  });

  it('reads the optimizer and the callbacks it states', () => {
    expect(facts?.optimizer?.value).toEqual({ name: 'Adam', learningRate: 3e-5, averaging: false });
    expect(facts?.callbacks?.value).toEqual(['ModelCheckpoint', 'ReduceLROnPlateau']);
  });
});

describe('intact scripts through tree-sitter', () => {
  it('a Keras script: BatchNormalization, a cyclic rate, copied workers, a rescale on one generator only', async () => {
    const facts = await readTrainingCode(null, script('keras_bn_cyclic.py'));
    expect(facts?.sources[0]).toMatchObject({ origin: 'script', reader: 'tree-sitter', fromLine: 1 });
    expect(facts?.batchnorm).toMatchObject({
      value: true,
      line: 13,
      file: 'fixtures/scripts/keras_bn_cyclic.py',
    });
    expect(facts?.dropout?.value).toBe(false);
    expect(facts?.valBatchSize).toMatchObject({ value: 16, line: 27 });
    expect(facts?.lrSchedule).toMatchObject({ value: 'cyclic', line: 29 });
    expect(facts?.callbacks?.value).toEqual(['CyclicLR', 'ModelCheckpoint']);
    expect(facts?.workers?.value).toBe(4);
    expect(facts?.useMultiprocessing?.value).toBe(true);
    expect(facts?.optimizer?.value).toEqual({ name: 'SGD', learningRate: 0.2, averaging: false });
    expect(facts?.preprocessingMatch).toMatchObject({ value: false, line: 25 });
    expect(facts?.valStepsPasses?.value).toBe(2);
  });

  it('a PyTorch script: no BatchNorm, dropout, SWA, a validation DataLoader that does not shuffle', async () => {
    const facts = await readTrainingCode(null, script('torch_swa.py'));
    expect(facts?.batchnorm?.value).toBe(false);
    expect(facts?.dropout).toMatchObject({ value: true, line: 15 });
    expect(facts?.optimizer?.value).toEqual({ name: 'Adam', learningRate: 1e-3, averaging: true });
    expect(facts?.valShuffle).toMatchObject({ value: false, line: 27 });
    expect(facts?.valData?.value).toBe('dataset');
  });

  it('a script pasted above its output: the code block is parsed, the epochs are not code', async () => {
    const text = fixture('scripts/pasted-script-and-log.txt');
    const regions = codeInInput(text, null);
    expect(regions).toHaveLength(1);
    expect(regions[0]).toMatchObject({ firstLine: 3, intact: true });
    const facts = await readTrainingCode({ text, file: null }, null);
    expect(facts?.sources[0]).toMatchObject({ reader: 'tree-sitter', fromLine: 3 });
    expect(facts?.batchnorm).toMatchObject({ value: true, line: 8 });
    expect(facts?.optimizer?.value).toMatchObject({ name: 'Adam', learningRate: 0.01 });
    expect(facts?.valData?.value).toBe('arrays');
  });

  it("a notebook's code cells (use_ema=True), named by cell", async () => {
    const facts = await readTrainingCode(
      { text: fixture('scripts/keras-ema-notebook.ipynb'), file: null },
      null,
    );
    expect(facts?.sources.map((s) => s.file)).toEqual(['#cell-2', '#cell-3', '#cell-4']);
    expect(facts?.optimizer).toMatchObject({ value: { averaging: true }, file: '#cell-3', line: 6 });
    expect(facts?.batchnorm?.value).toBe(false);
  });
});

describe('pieces of the readers', () => {
  it.each([
    ['model.add(Dense(64))', true],
    ['history = model.fit(x, y)', true],
    ['import numpy as np', true],
    ['Epoch 3/10', false],
    ['910/910 [======] - 5s - loss: 0.31 - acc: 0.88', false],
    ['I tried many things (nothing helped).', false],
  ])('%j is code: %j', (line, code) => {
    expect(isCodeLine(line)).toBe(code);
  });

  it('the scanner splits statements a newline would have ended and skips prose apostrophes', () => {
    const model = scanCode(
      "I've tried val_batchsize = 32 train_generator = gen.flow(x, batch_size=val_batchsize) it's slow",
      false,
    );
    expect(model.assignments.map((a) => [a.target, a.value])).toEqual([
      ['val_batchsize', '32'],
      ['train_generator', 'gen.flow(x, batch_size=val_batchsize)'],
    ]);
    expect(model.calls[0]).toMatchObject({ callee: 'gen.flow', target: 'train_generator' });
    expect(model.calls[0]?.args).toEqual([
      { keyword: null, text: 'x' },
      { keyword: 'batch_size', text: 'val_batchsize' },
    ]);
  });

  it('divisors, pass fractions and top-level commas', () => {
    expect(divisorOf('nb_validation_samples // batch_size')).toBe('batch_size');
    expect(divisorOf('int(math.ceil(n / bs))')).toBe('bs');
    expect(divisorOf('len(val_gen) // 2')).toBeNull();
    expect(passFractionOf('len(val_gen) // 2')).toEqual({ of: 'val_gen', parts: 2 });
    expect(passFractionOf('len(val_gen)')).toEqual({ of: 'val_gen', parts: 1 });
    expect(splitTopLevel('a, f(b, c), [d, "e,f"]')).toEqual(['a', 'f(b, c)', '[d, "e,f"]']);
  });

  it('a long input whose only code-like line never closes a bracket yields no call', () => {
    const text = 'Epoch 1/1\n'.repeat(200_000) + 'f('.repeat(50_000);
    const regions = codeInInput(text, null);
    expect(regions).toHaveLength(1);
    expect(scanCode(regions[0]?.text ?? '', false).calls).toEqual([]);
  });
});

describe('--script', () => {
  it('reads the script for every input and changes the verdicts it bears on', async () => {
    const log = 'fixtures/lab/dev-16.log';
    interface Doc {
      files: Array<{
        diagnoses: Array<{ cause: string; verdict: string }>;
        contexts: Array<Record<string, unknown>>;
      }>;
    }
    const without = JSON.parse((await runCli([log, '--format', 'json'])).stdout) as Doc;
    const withScript = JSON.parse(
      (await runCli([log, '--format', 'json', '--script', 'fixtures/scripts/torch_swa.py'])).stdout,
    ) as Doc;
    const verdict = (doc: Doc) =>
      doc.files[0]?.diagnoses.find((d) => d.cause === 'batchnorm-statistics')?.verdict;
    expect(verdict(without)).toBe('likely');
    // the script has no BatchNormalization layer: ruled out, with its file and line
    expect(verdict(withScript)).toBe('ruled-out');
    expect(withScript.files[0]?.contexts[0]?.batchnorm).toMatchObject({
      value: false,
      source: 'code',
      file: 'fixtures/scripts/torch_swa.py',
      line: 13,
    });
  });

  it('an unreadable script is one line and exit code 2', async () => {
    const result = await runCli(['fixtures/lab/dev-16.log', '--script', 'no/such/train.py']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('epochlint: --script no/such/train.py: no such file\n');
  });
});
