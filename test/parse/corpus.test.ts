import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseText } from '../../src/parse/index.js';

/** Real logs written by other people, with hand-counted facts (fixtures/real/manifest.json). */
interface ManifestEntry {
  file: string;
  format: string;
  epochs: number;
  last_epoch: Record<string, string>;
  counts: number[];
}

const dir = new URL('../../fixtures/real/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as ManifestEntry[];

/** Manifest values are printed strings; `nan` and friends compare as numbers too. */
function sameValue(actual: number | undefined, printed: string): boolean {
  if (actual === undefined) return false;
  const expected = Number(printed.toLowerCase() === 'nan' ? Number.NaN : printed);
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return actual === expected;
}

describe('real logs (fixtures/real)', () => {
  test.each(manifest)('$file ($format): $epochs epochs', (entry) => {
    const { runs, summary } = parseText(readFileSync(new URL(entry.file, dir)), { file: entry.file });
    const epochs = runs.reduce((n, r) => n + r.epochs.length, 0);
    expect(epochs).toBe(entry.epochs);
    expect(summary.epochs).toBe(entry.epochs);
    const last = runs.at(-1)?.epochs.at(-1);
    for (const [name, printed] of Object.entries(entry.last_epoch)) {
      if (name === 'epoch') {
        // CSVLogger's 0-based epoch column; records are 1-based
        expect(last?.epoch).toBe(Number(printed) + 1);
        continue;
      }
      expect({ name, ok: sameValue(last?.metrics[name], printed) }).toEqual({ name, ok: true });
    }
    expect(runs.flatMap((r) => r.datasets.filter((d) => d.source === 'found').map((d) => d.count))).toEqual(
      entry.counts,
    );
  });

  test('the seed paste: 39 epochs of 910 steps, two image datasets, epoch 40 reported as truncated', () => {
    const { runs, issues } = parseText(readFileSync(new URL('crossvalidated-416172.txt', dir)));
    expect(runs).toHaveLength(1);
    const run = runs[0];
    expect(run?.epochs).toHaveLength(39);
    expect(run?.epochs.at(-1)).toMatchObject({
      epoch: 39,
      of: 60,
      steps: { done: 910, total: 910 },
      seconds: 527,
      metrics: { loss: 0.1206, acc: 0.9528, val_loss: 0.0469, val_acc: 0.9861 },
    });
    expect(run?.datasets.map((d) => [d.count, d.unit, d.classes])).toEqual([
      [29124, 'images', 2],
      [10401, 'images', 2],
    ]);
    expect(issues.map((i) => i.kind)).toEqual(['truncated-epoch']);
  });
});
