import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Dialect } from '../../src/model/index.js';
import { parseText } from '../../src/parse/index.js';

/**
 * A malformed or cut file of every format gets its clear one-line error (a fatal reason, or a parse issue
 * with its line), never a crash and never a cut record read as values.
 */
const events = readFileSync(
  new URL('../../fixtures/parse/tfevents/events.out.tfevents.1700000000.pytorch-steps', import.meta.url),
);
const flipped = (at: number): Uint8Array => {
  const b = Uint8Array.from(events);
  b[at] = (b[at] ?? 0) ^ 0x55;
  return b;
};

interface Case {
  dialect: string;
  name: string;
  input: string | Uint8Array;
  /** An issue kind the reader must report, or `fatal` for a one-line reason. */
  expect: string;
  epochs: number;
}

const cases: Case[] = [
  {
    dialect: 'keras-text',
    name: 'cut inside the final frame',
    input: 'Epoch 1/3\n10/10 [=======',
    expect: 'truncated-epoch',
    epochs: 0,
  },
  {
    dialect: 'csv-logger',
    name: 'a ragged row',
    input: 'epoch,loss,val_loss\n0,0.5,0.6\n1,0.4\n',
    expect: 'malformed-input',
    epochs: 1,
  },
  {
    dialect: 'lightning-csv',
    name: 'a ragged row',
    input: 'epoch,step,train_loss,val_loss\n0,10,0.5,\n0,10,0.4\n',
    expect: 'malformed-input',
    epochs: 1,
  },
  {
    dialect: 'yolo-csv',
    name: 'a cut row',
    input: '  epoch, train/box_loss, metrics/mAP50(B)\n 0, 1.2, 0.3\n 1, 1.1',
    expect: 'malformed-input',
    epochs: 1,
  },
  {
    dialect: 'timm-csv',
    name: 'a text cell',
    input: 'epoch,train_loss,eval_loss,eval_top1\n0,0.9,0.8,oops\n',
    expect: 'bad-value',
    epochs: 1,
  },
  {
    dialect: 'fastai-csv',
    name: 'a cut row',
    input: 'epoch,train_loss,valid_loss,accuracy,time\n0,0.9,0.8,0.6,00:10\n1,0.8',
    expect: 'malformed-input',
    epochs: 1,
  },
  {
    dialect: 'tensorboard-csv',
    name: 'a value that is not a number',
    input: 'Wall time,Step,Value\n1.5,0,0.9\n2.5,1,oops\n',
    expect: 'bad-value',
    epochs: 1,
  },
  {
    dialect: 'tensorboard-csv',
    name: 'no header',
    input: '1.5,0,0.9\n2.5,1,0.8\n',
    expect: 'fatal',
    epochs: 0,
  },
  {
    dialect: 'wandb-csv',
    name: 'a cut row',
    input: 'Step,run-1 - val_loss,run-1 - val_loss__MIN,run-1 - val_loss__MAX\n0,0.9,0.9,0.9\n1,0.8',
    expect: 'malformed-input',
    epochs: 1,
  },
  {
    dialect: 'mlflow-metric',
    name: 'a line cut inside its timestamp',
    input: '1701425190421 0.9 0\n1701425190422 0.8 1\n17014',
    expect: 'malformed-input',
    epochs: 2,
  },
  { dialect: 'history-json', name: 'cut JSON', input: '{"loss": [0.5, 0.4,', expect: 'fatal', epochs: 0 },
  {
    dialect: 'notebook',
    name: 'cut notebook',
    input: '{"cells": [{"cell_type": "code", "outputs": [{"na',
    expect: 'fatal',
    epochs: 0,
  },
  {
    dialect: 'hf-trainer-state',
    name: 'cut trainer state',
    input: '{"global_step": 10, "log_history": [{"loss": 0.5,',
    expect: 'fatal',
    epochs: 0,
  },
  {
    dialect: 'hf-trainer-state',
    name: 'no log_history list',
    input: '{"log_history": 3}',
    expect: 'fatal',
    epochs: 0,
  },
  {
    dialect: 'hf-trainer-log',
    name: 'a dict cut by the end',
    input: "{'loss': 0.5, 'learning_rate': 5e-05, 'epo",
    expect: 'no-epochs',
    epochs: 0,
  },
  {
    dialect: 'hf-model-card',
    name: 'a cut row',
    input:
      '| Training Loss | Epoch | Step | Validation Loss |\n|:---:|:---:|:---:|:---:|\n| 0.5 | 1.0 | 10 | 0.6 |\n| 0.4 | 2.0',
    expect: 'truncated-epoch',
    epochs: 1,
  },
  {
    dialect: 'fastai-table',
    name: 'a cut row',
    input:
      'epoch     train_loss  valid_loss  accuracy  time\n0         0.5  0.4  0.9  00:10\n1         0.4  0.3',
    expect: 'truncated-epoch',
    epochs: 1,
  },
  {
    dialect: 'yolo-console',
    name: 'a cut epoch row',
    input:
      '     Epoch   gpu_mem       box       obj\n     0/9     1.2G   0.06   0.03: 100%|##########| 2/2 [00:01<00:00]\n     Epoch   gpu_mem       box       obj\n     1/9     1.2G   0.05',
    expect: 'truncated-epoch',
    epochs: 1,
  },
  {
    dialect: 'lightning-console',
    name: 'a bar that never reaches 100%',
    input:
      'LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]\nEpoch 0:  45%|████▌     | 422/938 [00:04<00:05, v_num=0, train_loss=0.5]',
    expect: 'truncated-epoch',
    epochs: 0,
  },
  {
    dialect: 'epoch-lines',
    name: 'the last epoch cut',
    input: 'Epoch 1, loss: 0.5, val_loss: 0.4\nEpoch 2, loss: 0.4, val_lo',
    expect: 'truncated-epoch',
    epochs: 1,
  },
  {
    dialect: 'epoch-lines',
    name: 'a value that is not a number',
    input: 'Epoch 1, loss: 0.5z, val_loss: 0.4\nEpoch 2, loss: 0.4, val_loss: 0.3\n',
    expect: 'bad-value',
    epochs: 2,
  },
  {
    dialect: 'boosting-rounds',
    name: 'the last round cut',
    input: '[0]\ttrain-logloss:0.5\teval-logloss:0.6\n[1]\ttrain-logloss:0.4',
    expect: 'truncated-epoch',
    epochs: 1,
  },
  {
    dialect: 'json-lines',
    name: 'the last line cut',
    input: '{"epoch": 0, "loss": 0.5}\n{"epoch": 1, "loss": 0.4}\n{"epoch": 2, "lo',
    expect: 'truncated-epoch',
    epochs: 2,
  },
  {
    dialect: 'json-lines',
    name: 'a line that is not a dict',
    input: '{"epoch": 0, "loss": 0.5}\nnot json\n{"epoch": 1, "loss": 0.4}\n',
    expect: 'malformed-input',
    epochs: 2,
  },
  {
    dialect: 'tfevents',
    name: 'a data checksum that fails',
    input: flipped(events.length - 8),
    expect: 'malformed-input',
    epochs: 3,
  },
  {
    dialect: 'tfevents',
    name: 'cut inside a record',
    input: events.subarray(0, events.length - 7),
    expect: 'truncated-epoch',
    epochs: 3,
  },
  {
    dialect: 'tfevents',
    name: 'not a TFRecord at all',
    input: Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9, 0]),
    expect: 'fatal',
    epochs: 0,
  },
  {
    dialect: 'bare-list',
    name: 'a list cut by the end',
    input: '[0.5, 0.4,\n 0.3, 0.',
    expect: 'truncated-epoch',
    epochs: 0,
  },
];

describe('a malformed file of each format gets its clear error', () => {
  test.each(cases)('$dialect: $name', (c) => {
    const { runs, issues, summary } = parseText(c.input, { inputFormat: c.dialect });
    expect(runs.reduce((n, r) => n + r.epochs.length, 0)).toBe(c.epochs);
    if (c.expect === 'fatal') {
      expect(summary.fatal).toMatch(/./);
      expect(summary.fatal).not.toContain('\n');
      return;
    }
    expect(summary.fatal).toBeNull();
    const found = issues.filter((i) => i.kind === c.expect);
    expect(found.length).toBeGreaterThan(0);
    for (const i of issues) expect(i.message).not.toContain('\n');
  });

  test('every format has a case', () => {
    expect(Dialect.options.filter((d) => !cases.some((c) => c.dialect === d))).toEqual([]);
  });
});
