/**
 * Named scenarios (run, findings, hints, code) shared by the cause tables and the message-contract test.
 * Findings come from the registered detectors run on the scenario's run, so a scenario is what the CLI
 * would see; the founding case is diagnosed with and without the code in its paste.
 */
import type { CodeFacts } from '../../src/context/index.js';
import type { Finding, Hints, Run } from '../../src/model/index.js';
import { alternatingRows, detectAll, labRun, realRun, seedCode, syntheticRun } from './helpers.js';

export interface Scenario {
  name: string;
  run: Run;
  findings: Finding[];
  hints: Hints;
  code: CodeFacts | null;
}

const seedRun = realRun('crossvalidated-416172.txt');
const code = await seedCode();

function make(name: string, run: Run, hints: Hints = {}, facts: CodeFacts | null = null): Scenario {
  return { name, run, findings: detectAll(run, hints, facts), hints, code: facts };
}

const seed = (name: string, hints: Hints = {}): Scenario => make(name, seedRun, hints);
const seedWithCode = (name: string, hints: Hints = {}): Scenario => make(name, seedRun, hints, code);

/** n epochs with irregular validation collapses (a few epochs far below the trend) and smooth training. */
function collapsingRows(n: number): Array<Record<string, number>> {
  return Array.from({ length: n }, (_, i) => {
    const e = i + 1;
    const collapse = e === 9 || e === 17 || e === 24 ? 0.2 : 0;
    // tiny deterministic jitter of a fixed set of 2000 images (well inside its sampling noise)
    const jitter = (((e * 7919) % 11) - 5) / 2000;
    return {
      loss: 0.6 * Math.exp(-e / 8) + 0.1,
      acc: 0.95 - 0.3 * Math.exp(-e / 8),
      val_loss: 0.3 * Math.exp(-e / 8) + 0.15 + (collapse > 0 ? 0.9 : 0) + jitter,
      val_acc: 0.93 - 0.25 * Math.exp(-e / 8) - collapse + jitter,
    };
  });
}

const twoFound = (train: number, val: number): Run['datasets'] => [
  { source: 'found', role: 'unknown', count: train, unit: 'images', classes: 2, line: 1 },
  { source: 'found', role: 'unknown', count: val, unit: 'images', classes: 2, line: 2 },
];

/** Every scenario, by name. */
export const SCENARIOS: Scenario[] = [
  seed('seed'),
  seedWithCode('seed with code'),
  seed('seed, valBatchSize 16', { valBatchSize: 16 }),
  seedWithCode('seed with code, valBatchSize 16 and valSteps 325', { valBatchSize: 16, valSteps: 325 }),
  seed('seed, valBatchSize 16 with class counts', { valBatchSize: 16, valClassCounts: [5200, 5201] }),
  seed('seed, valSteps 163', { valSteps: 163 }),
  seed('seed, stated b 32 and s 325', { valBatchSize: 32, valSteps: 325 }),
  seed('seed, batchnorm false', { batchnorm: false }),
  seed('seed, batchnorm true', { batchnorm: true }),
  seed('seed, valShuffle true', { valShuffle: true }),
  seed('seed, valData arrays', { valData: 'arrays' }),
  seed('seed, valData sequence, tf.keras 2.6', { valData: 'sequence', kerasVersion: '2.6.0' }),
  seed('seed, valBatchSize 16, valData sequence, Keras 2.2.4', {
    valBatchSize: 16,
    valData: 'sequence',
    kerasVersion: '2.2.4',
  }),
  seed('seed, workers 1', { workers: 1 }),
  seed('seed, workers 2', { workers: 2 }),
  seed('seed, workers 4', { workers: 4 }),
  seed('seed, prefetch geometry', { valSamples: 1000, valBatchSize: 32, valSteps: 6 }),
  make('alternation, sizes unknown', syntheticRun(alternatingRows(39))),
  make('training alternates too', syntheticRun(alternatingRows(39, { trainAlternates: true }))),
  make(
    'logged learning rate cycles',
    syntheticRun(
      alternatingRows(30, { trainAlternates: true }).map((row, i) => ({
        ...row,
        lr: i % 2 === 0 ? 0.01 : 0.001,
      })),
    ),
  ),
  make(
    'logged learning rate only steps down',
    syntheticRun(alternatingRows(30).map((row, i) => ({ ...row, lr: i < 15 ? 0.001 : 0.0005 }))),
  ),
  make(
    'forward-filled validation',
    syntheticRun(
      alternatingRows(30).map((row, i, rows) =>
        i % 4 === 1
          ? { ...row, val_acc: rows[i - 1]?.val_acc ?? 0, val_loss: rows[i - 1]?.val_loss ?? 0 }
          : row,
      ),
    ),
  ),
  make(
    'irregular collapses, 2000 images',
    syntheticRun(collapsingRows(30), { datasets: twoFound(8000, 2000), steps: 250 }),
  ),
  make(
    'irregular collapses, batchnorm and shuffled validation',
    syntheticRun(collapsingRows(30), { datasets: twoFound(8000, 2000), steps: 250 }),
    { batchnorm: true, valShuffle: true },
  ),
  make(
    'validation stuck at chance',
    syntheticRun(
      Array.from({ length: 20 }, (_, i) => ({
        loss: 0.7 - i * 0.03,
        acc: 0.55 + i * 0.02,
        val_loss: 2.5,
        val_acc: 0.5 + (i % 3) * 0.001,
      })),
      { datasets: twoFound(4000, 1000), steps: 125 },
    ),
  ),
  make(
    'truncated subset, stuck',
    syntheticRun(
      Array.from({ length: 20 }, (_, i) => ({
        loss: 0.7 - i * 0.02,
        acc: 0.6 + i * 0.015,
        val_loss: 0.3,
        val_acc: 0.91,
      })),
    ),
    { valSamples: 10000, valBatchSize: 32, valSteps: 100 },
  ),
  make('lab: slice rotation, CSVLogger digits', labRun('dev-01.csv')),
  make('lab: slice rotation with period 3', labRun('dev-08.csv')),
  make('lab: weight swap, CSVLogger digits', labRun('dev-21.csv')),
  make('lab: cyclic learning rate', labRun('dev-12.csv')),
  make('lab: learning rate too high', labRun('dev-05.csv')),
  make('lab: batchnorm statistics', labRun('dev-16.log')),
  make('lab: preprocessing mismatch, stuck at the majority share', labRun('dev-23.txt')),
  make('lab: preprocessing mismatch, detached', labRun('dev-19.log')),
  make('lab: fixed subset', labRun('dev-20.log')),
  make('lab: overfitting', labRun('dev-13.log')),
];

/** The scenario with this name (throws for a typo). */
export function scenario(name: string): Scenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found) throw new Error(`no scenario ${name}`);
  return found;
}
