/**
 * Live linting while a log streams in (`--follow`, stdin): after each epoch the detectors run on the
 * last `window` epochs of the current run, so the cost per epoch stays the same however long the
 * training (and memory holds one window). The full report at the end uses every epoch.
 */
import { DETECTORS, runDetectors } from './detect/index.js';
import { buildContext } from './diagnose/context.js';
import type { Epoch, Finding, Run, Severity } from './model/index.js';
import type { LintSettings } from './lint.js';

/** What changed with one epoch. */
export interface LiveUpdate {
  run: number;
  epoch: Epoch;
  /** Findings (error or warning) that were not there before this epoch. */
  newFindings: Finding[];
  /** An error finding exists in the current window. */
  hasError: boolean;
}

/** Default window: enough for the alternation and trend tests, small enough to stay fast. */
export const LIVE_WINDOW = 60;

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Creates a live linter; feed it epochs in order with their run index. */
export function createLiveLinter(settings: LintSettings, window: number = LIVE_WINDOW) {
  let currentRun = -1;
  let epochs: Epoch[] = [];
  let seen = new Map<string, Severity>();
  const ignoreMetrics = new Set(settings.ignoreMetrics);

  return {
    add(epoch: Epoch, run: number): LiveUpdate {
      if (run !== currentRun) {
        currentRun = run;
        epochs = [];
        seen = new Map();
      }
      epochs.push(epoch);
      if (epochs.length > window) epochs.shift();
      const first = epochs[0] ?? epoch;
      const slice: Run = {
        index: run,
        epochs: [...epochs],
        events: [],
        datasets: [],
        source: { dialect: 'keras-text', file: null, fromLine: first.line, toLine: epoch.line },
      };
      const context = buildContext(slice, settings.hints);
      const findings = runDetectors(DETECTORS, slice, context, { rules: settings.rules, ignoreMetrics });
      const newFindings: Finding[] = [];
      for (const f of findings) {
        if (f.severity === 'info') continue;
        const key = `${f.rule}\u0000${f.metric ?? ''}`;
        const before = seen.get(key);
        if (before === undefined || RANK[f.severity] < RANK[before]) {
          seen.set(key, f.severity);
          newFindings.push(f);
        }
      }
      return { run, epoch, newFindings, hasError: findings.some((f) => f.severity === 'error') };
    },
  };
}
