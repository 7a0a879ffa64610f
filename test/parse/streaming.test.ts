import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseText } from '../../src/parse/index.js';
import { createInputLimits, thousands } from '../../src/parse/limits.js';
import { READERS } from '../../src/parse/readers.js';
import { parseChunks, prng, splitAt } from './chunking.js';

const fixture = (path: string): Uint8Array =>
  readFileSync(new URL(`../../fixtures/${path}`, import.meta.url));

const files = [
  'parse/keras/keras3-ansi.log', // multi-byte `━`, ESC sequences, \b and \r
  'parse/keras/crlf-windows.log', // \r\n
  'parse/keras/backspace-frames-tfkeras.log',
  'parse/keras/family-a-zero-based-messages.log',
  'parse/keras/escaped-controls.log',
  'parse/keras/wrapped-lines.log',
  'parse/keras/truncated-mid-value.log',
  'real/treasure-island-charrnn-backspace-stream.txt',
  'real/crossvalidated-416172.txt',
  'real/adam-optimisation-keras3-mnist.txt',
  'real/bloodgroup-lr-training_log.csv', // \r\r\n
  'real/brain-tumor-prettier-history.json',
  'real/vinay-mnist-notebook-saved-as-py.ipynb',
  // every other streamed format (line-based readers and binary event files)
  'real/automap-issue-4-epoch-comma-valloss-excerpt.txt', // epoch-lines, no final newline
  'real/dmrgcn-issue-1-val-loss-nan-tqdm.txt', // tqdm bars and summary blocks, cut mid-record
  'real/bert-issue-855-asterisk-header-tsv-frozen-val.txt', // header repeated per epoch, tab rows
  'real/liuer-mnist-fc-bracket-steps-typo.md', // [epoch, step] lines, a bad value, a CJK heading
  'real/pdll-mnist-example-fragments-optimizers.md', // step lines, two runs
  'real/pytorch-pose-issue-56-val-flat-trailing-tab-tsv.txt', // trailing tabs, cut row
  'real/imagenet-resnet50-tqdm-postfix-testset.md', // multi-byte bar characters
  'parse/epoch-lines/tqdm-postfix-zero-based.log', // \r-redrawn tqdm frames
  'parse/epoch-lines/fullwidth-glued-units.log',
  'parse/lightning/console-four-epochs.log', // lightning-console
  'parse/yolo/console-two-epochs-excerpt.md', // yolo-console (lines of real/yolov5-cots-150e-console.md)
  'real/fastai-r-callbacks-earlystop-reducelr.Rmd', // fastai-table, three runs, R data frame
  'real/ulmfit-imdb-bilm-gradual-unfreeze-fragments-fastai1.txt',
  'real/hf-modelcard-mrpc-nolog.md', // hf-model-card
  'parse/hf/console-eval-accuracy-alternates.log', // hf-trainer-log
  'parse/hf/console-steps-json-spelling.log',
  'real/xgboost-issue-2777-eval-every-500-overfit.txt', // boosting-rounds, cut last round
  'parse/jsonl/train-and-val-lines.jsonl', // json-lines
  'real/gw103-medimgnet-val-accs-tensor-repr.txt', // bare-list of vectors over two lines each
  'real/sentiment-val-accs-comma-one-line.txt', // bare-list on one line, no newline
  'real/gemastik-ann-val-acc-crlf-bare.txt', // bare-list, CRLF
  'parse/lists/python-list-wrapped.txt',
  'parse/tfevents/events.out.tfevents.1700000000.pytorch-steps', // tfevents, binary
  'parse/tfevents/validation/events.out.tfevents.1700000001.keras-epochs.v2',
];

describe('chunking does not change the records', () => {
  test('every streamed format has a file in this table', () => {
    const ctx = {
      file: null,
      metricNames: [],
      onRun: () => undefined,
      onIssue: () => undefined,
      limits: createInputLimits({ onIssue: () => undefined, onExceeded: () => undefined }),
    };
    const streamed = READERS.filter((r) => r.create(ctx).kind !== 'chars').map((r) => r.dialect);
    const covered = new Set(files.map((f) => parseText(fixture(f)).summary.dialect));
    expect(streamed.filter((d) => !covered.has(d))).toEqual([]);
  });

  // 120 two-way and 60 many-way splits per fixture: the fuzz suite (test/fuzz) adds random chunkings of every
  // reader, and `npm run fuzz` runs them twenty times longer
  test.each(files)('%s: 120 evenly spaced two-way splits and 60 random many-way splits', (file) => {
    const bytes = fixture(file);
    const whole = parseText(bytes);
    const expected = JSON.stringify(parseChunks([bytes]));
    expect(whole.summary.epochs).toBeGreaterThan(0);
    expect(JSON.stringify({ runs: whole.runs, issues: whole.issues })).toBe(expected);
    const step = Math.max(1, Math.floor(bytes.length / 120));
    for (let cut = 1; cut < bytes.length; cut += step) {
      expect(JSON.stringify(parseChunks(splitAt(bytes, [cut])))).toBe(expected);
    }
    const random = prng(bytes.length);
    for (let round = 0; round < 60; round += 1) {
      const n = 1 + Math.floor(random() * 30);
      const cuts = Array.from({ length: n }, () => 1 + Math.floor(random() * (bytes.length - 1)));
      expect(JSON.stringify(parseChunks(splitAt(bytes, cuts)))).toBe(expected);
    }
  });

  test('splits inside a multi-byte character and inside \\r\\n, one byte at a time', () => {
    const bytes = fixture('parse/keras/keras3-ansi.log');
    const crlf = fixture('parse/keras/crlf-windows.log');
    for (const b of [bytes, crlf]) {
      const expected = JSON.stringify(parseChunks([b]));
      const oneByOne = Array.from(b, (_, i) => b.subarray(i, i + 1));
      expect(JSON.stringify(parseChunks(oneByOne))).toBe(expected);
    }
    // `━` is E2 94 81: a cut after its first byte must not produce a replacement character
    const bar = bytes.indexOf(0xe2);
    expect(bar).toBeGreaterThan(0);
    const cut = parseChunks(splitAt(bytes, [bar + 1, bar + 2]));
    expect(cut.issues.some((i) => i.kind === 'invalid-utf8')).toBe(false);
  });
});

describe('limit messages', () => {
  test('counts are grouped by thousands as en-US writes them', () => {
    expect([0, 7, 999, 1000, 65536, 5_000_000, 123_456_789].map(thousands)).toEqual([
      '0',
      '7',
      '999',
      '1,000',
      '65,536',
      '5,000,000',
      '123,456,789',
    ]);
  });
});
