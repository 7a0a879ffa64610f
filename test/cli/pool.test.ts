/**
 * The lint pool's heap bound: a worker that runs out of its heap fails that file with one line, and
 * the sweep goes on with a new worker (no file lost, none reported as linted).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createLintPool, WORKER_LIMITS } from '../../src/cli/pool.js';
import type { FilePlan } from '../../src/cli/lint-file.js';
import { scratch } from './hostile-helpers.js';

const work = scratch('pool');
afterAll(() => work.remove());

// a stand-in for the lint worker: answers each job at once, but `huge` allocates without end
const script = join(work.dir, 'greedy-worker.mjs');
writeFileSync(
  script,
  `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => {
  if (m.kind !== 'lint') return;
  if (m.job.file === 'huge') { const kept = []; for (;;) kept.push(new Array(1e5).fill(m.id)); }
  parentPort.postMessage({ kind: 'outcome', id: m.id, outcome: { name: m.job.file, report: null, skipped: false, failed: false, cut: false, messages: [] } });
});
`,
);

const plan: FilePlan = {
  inputFormat: 'auto',
  settings: { rules: {}, ignoreMetrics: [], hints: {} },
  stdinFilename: null,
  follow: false,
  failFast: false,
  script: null,
};

describe('lint workers have a bounded heap', () => {
  test('the default bound fits the largest input the parser keeps', () => {
    expect(WORKER_LIMITS.maxOldGenerationSizeMb).toBeGreaterThanOrEqual(128);
    expect(WORKER_LIMITS.maxOldGenerationSizeMb).toBeLessThan(200);
  });

  test('a file past the bound fails with one line; the files after it are still linted', async () => {
    const pool = createLintPool({ size: 1, script, plan, cwd: work.dir, progress: false, heapMb: 16 });
    try {
      const outcomes = await Promise.all(
        ['a.log', 'huge', 'b.log'].map((file) => pool.lint({ file, fromDirectory: false })),
      );
      expect(outcomes.map((o) => [o.name, o.failed])).toEqual([
        ['a.log', false],
        ['huge', true],
        ['b.log', false],
      ]);
      expect(outcomes[1]?.messages).toEqual([
        'huge: needs more than the 16 MB of memory a lint worker has: not linted; lint it with --jobs 1',
      ]);
      expect(outcomes[1]?.report?.error).toContain('16 MB');
    } finally {
      await pool.close();
    }
  });
});
