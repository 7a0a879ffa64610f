import { expect } from 'vitest';
import { median, near, runDetectorTable, type ExpectedFinding, type FixtureLog } from './helpers.js';

/** Validation samples as the log states them: `validate on M samples`, else the second `Found` line. */
function valSamples(log: FixtureLog): number | null {
  return log.validateOn ?? log.found[1]?.count ?? null;
}

/** Two-proportion z of each epoch-to-epoch change on N samples per evaluation (pooled under H0). */
function changes(values: readonly number[], n: number): Array<{ d: number; z: number }> {
  const out: Array<{ d: number; z: number }> = [];
  for (let t = 1; t < values.length; t++) {
    const a = values[t - 1] as number;
    const b = values[t] as number;
    const pooled = (a + b) / 2;
    out.push({ d: b - a, z: (b - a) / Math.sqrt((pooled * (1 - pooled) * 2) / n) });
  }
  return out;
}

function swing(log: FixtureLog, metric: string): ExpectedFinding {
  const values = log.column(metric);
  const n = valSamples(log) ?? 0;
  const c = changes(values, n);
  return {
    severity: 'warning',
    metric,
    epochs: [1, values.length],
    stats: {
      valSamples: n,
      valSamplesSource: 'log',
      medianAbsChange: near(median(c.map((x) => Math.abs(x.d))), 4),
      medianAbsZ: near(median(c.map((x) => Math.abs(x.z))), 1),
      changes: values.length - 1,
    },
    data: { metric, samples: n },
  };
}

runDetectorTable('val-swing-exceeds-sampling-noise', [
  {
    name: 'Found 10401 validation images; val_acc swings ~20 points where a change has an SE of ~0.5',
    file: 'fires-found-10401.log',
    fixture: (log) => expect(valSamples(log)).toBe(10401),
    expected: (log) => [swing(log, 'val_acc')],
  },
  {
    name: 'Keras 2.2 array fit, validate on 10000 samples; val_acc jumps ~5 points per epoch',
    file: 'fires-validate-on-10000.log',
    fixture: (log) => expect(valSamples(log)).toBe(10000),
    expected: (log) => [swing(log, 'val_acc')],
  },
  {
    name: 'near miss: 500 validation images, changes of about one binomial standard error',
    file: 'quiet-within-binomial-noise.log',
    fixture: (log) => {
      const z = changes(log.column('val_acc'), valSamples(log) ?? 0).map((c) => Math.abs(c.z));
      expect(valSamples(log)).toBe(500);
      expect(median(z)).toBeLessThan(2);
    },
    expected: () => [],
  },
  {
    name: 'near miss: 20-point swings, but the log never states the validation set size',
    file: 'quiet-no-sample-count.log',
    fixture: (log) => {
      expect(valSamples(log)).toBeNull();
      const d = changes(log.column('val_acc'), 1).map((c) => Math.abs(c.d));
      expect(median(d)).toBeGreaterThan(0.1);
    },
    expected: () => [],
  },
]);
