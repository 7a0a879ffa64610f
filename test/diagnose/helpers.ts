/** Builders shared by the diagnosis tests: real runs from fixtures, hand-made runs and findings. */
import { readFileSync } from 'node:fs';
import { buildContext, readTrainingCode, type CodeFacts } from '../../src/context/index.js';
import { DETECTORS, runDetectors } from '../../src/detect/index.js';
import { Finding, Run, type Hints, type Scalar } from '../../src/model/index.js';
import { parseText } from '../../src/parse/index.js';

/** The runs of a file in fixtures/real. */
export function realRuns(file: string): Run[] {
  return parseText(readFileSync(new URL(`../../fixtures/real/${file}`, import.meta.url), 'utf8')).runs;
}

/** The first run of a file in fixtures/real (throws when there is none). */
export function realRun(file: string): Run {
  const run = realRuns(file)[0];
  if (!run) throw new Error(`no run in ${file}`);
  return run;
}

/** A validated finding. */
export function finding(
  rule: string,
  metric: string | null,
  stats: Record<string, Scalar>,
  options: { severity?: 'error' | 'warning' | 'info'; run?: number; epochs?: [number, number] } = {},
): Finding {
  return Finding.parse({
    rule,
    severity: options.severity ?? 'error',
    run: options.run ?? 0,
    metric,
    epochs: options.epochs ?? [1, 39],
    line: null,
    stats,
    evidence: {},
    messageId: 'test',
    data: {},
    next: { messageId: 'next', data: {} },
  });
}

/** A `val-alternation` finding in the detector's contract (full swing, 1-based parity of the high epochs). */
export function alternation(
  metric: string,
  highParity: 'odd' | 'even',
  amplitude: number,
  extra: Record<string, Scalar> = {},
  options: { severity?: 'error' | 'warning' | 'info'; run?: number; epochs?: [number, number] } = {},
): Finding {
  const n = options.epochs ? options.epochs[1] - options.epochs[0] + 1 : 39;
  return finding(
    'val-alternation',
    metric,
    {
      n,
      p: 1e-12,
      pAdjusted: 2e-12,
      amplitude,
      amplitudeToValNoise: 8,
      amplitudeToTrainNoise: null,
      rankP: 1e-9,
      alternatingChanges: n - 1,
      changes: n - 1,
      longestPhaseRun: n,
      highParity,
      phaseConsistent: true,
      t: 12,
      df: n - 5,
      valNoise: 0.02,
      trainMetric: metric.replace(/^val_/, ''),
      trainP: 0.6,
      trainAlternates: false,
      trainPhase: 'none',
      basis: 'log-cubic',
      ...extra,
    },
    options,
  );
}

/** The founding case's findings: val_acc high on odd epochs, val_loss high on even ones, training smooth. */
export function seedFindings(): Finding[] {
  return [alternation('val_acc', 'odd', 0.2), alternation('val_loss', 'even', 0.62)];
}

/** A hand-made run from per-epoch metrics (epochs numbered from 1). */
export function syntheticRun(
  rows: Array<Record<string, number>>,
  extra: { datasets?: Run['datasets']; events?: Run['events']; steps?: number } = {},
): Run {
  return Run.parse({
    index: 0,
    epochs: rows.map((metrics, i) => ({
      epoch: i + 1,
      of: rows.length,
      metrics,
      steps: extra.steps === undefined ? null : { done: extra.steps, total: extra.steps },
      countUnit: extra.steps === undefined ? null : 'step',
      seconds: null,
      stepTime: null,
      line: i + 10,
    })),
    events: extra.events ?? [],
    datasets: extra.datasets ?? [],
    source: { dialect: 'keras-text', file: null, fromLine: 1, toLine: rows.length + 10 },
  });
}

/** n epochs of a smoothly converging run whose validation accuracy alternates (odd high). */
export function alternatingRows(
  n: number,
  options: { trainAlternates?: boolean } = {},
): Array<Record<string, number>> {
  const rows: Array<Record<string, number>> = [];
  for (let e = 1; e <= n; e++) {
    const odd = e % 2 === 1;
    const wobble = options.trainAlternates ? (odd ? -0.08 : 0.08) : 0;
    rows.push({
      loss: 0.6 * Math.exp(-e / 10) + 0.1 + wobble,
      acc: 0.95 - 0.3 * Math.exp(-e / 10) - wobble / 2,
      val_loss: odd ? 0.05 : 0.7,
      val_acc: odd ? 0.97 : 0.78,
    });
  }
  return rows;
}

/** The findings the registered detectors make on a run (with its context from the hints). */
export function detectAll(run: Run, hints: Hints = {}, code: CodeFacts | null = null): Finding[] {
  const context = buildContext(run, hints, code);
  return runDetectors(DETECTORS, run, context, { rules: {}, ignoreMetrics: new Set() });
}

/** The first run of a file in fixtures/lab. */
export function labRun(file: string): Run {
  const run = parseText(readFileSync(new URL(`../../fixtures/lab/${file}`, import.meta.url))).runs[0];
  if (!run) throw new Error(`no run in ${file}`);
  return run;
}

/** The code facts of the founding case's paste. */
export async function seedCode(): Promise<CodeFacts | null> {
  const text = readFileSync(
    new URL('../../fixtures/real/crossvalidated-416172.txt', import.meta.url),
    'utf8',
  );
  return readTrainingCode({ text, file: null }, null);
}
