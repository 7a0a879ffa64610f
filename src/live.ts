/**
 * Live linting while a log streams in (`--follow`, stdin): after each epoch the detectors run on the
 * last `window` epochs of the current run, so the cost per epoch stays the same however long the
 * training (and memory holds one window). Live looks see the epochs' values and the context hints; callback
 * events and dataset sizes arrive with the run and are judged in the full report at the end, which uses every
 * epoch.
 */
import { DETECTORS, runDetectors } from './detect/index.js';
import { buildContext } from './diagnose/context.js';
import { Severity, type Epoch, type Finding, type Run } from './model/index.js';
import { ignoredIn, type LintSettings } from './lint.js';

/** 0 for the most severe (the model's enum is in severity order). */
const severityRank = (severity: Severity): number => Severity.options.indexOf(severity);

/** What changed with one epoch. */
export interface LiveUpdate {
  run: number;
  epoch: Epoch;
  /**
   * Findings (error or warning) established by the live look that were not there before this epoch, or
   * that reached a higher severity. Each carries the severity the report gives the same epochs (the
   * user's levels), so the status line and the final report agree.
   */
  newFindings: Finding[];
  /** The live look (stricter levels) establishes an error in the current window: `--fail-fast` stops. */
  hasError: boolean;
}

/** Default window: enough for the alternation and trend tests, small enough to stay fast. */
export const LIVE_WINDOW = 60;

/**
 * Testing after every epoch is a new look at the data each time: at the full-run levels, 6–7 % of healthy
 * 100-epoch runs would raise an alternation error at some epoch. Live looks use these much stricter levels
 * (simulated: ≤ 0.5 % of healthy runs alarm at any epoch, and a swing of one noise SD is still caught by a
 * median of epoch 20). The report at the end of input uses the normal levels.
 */
export const LIVE_ALTERNATION_LEVELS = {
  alpha: 1e-5,
  warnAlpha: 1e-4,
  replicatedAlpha: 1e-6,
  rankAlpha: 1e-4,
} as const;

/** The rule settings of live looks: the user's, with the alternation levels tightened (never loosened). */
export function liveRules(rules: LintSettings['rules']): LintSettings['rules'] {
  const setting = rules['val-alternation'] ?? {};
  const options = (
    typeof setting.options === 'object' && setting.options !== null ? setting.options : {}
  ) as Record<string, unknown>;
  const tightened: Record<string, unknown> = { ...options };
  for (const [key, level] of Object.entries(LIVE_ALTERNATION_LEVELS)) {
    const given = options[key];
    tightened[key] = typeof given === 'number' ? Math.min(given, level) : level;
  }
  return { ...rules, 'val-alternation': { ...setting, options: tightened } };
}

/** Creates a live linter; feed it epochs in order with their run index. */
export function createLiveLinter(settings: LintSettings, window: number = LIVE_WINDOW) {
  let currentRun = -1;
  let epochs: Epoch[] = [];
  let seen = new Map<string, Severity>();
  const rules = liveRules(settings.rules);
  // `--metric`: only findings about the named metrics (or the run as a whole) are announced, as in the report
  const named = new Set(settings.metrics ?? []);
  const kept = (f: Finding): boolean => named.size === 0 || f.metric === null || named.has(f.metric);

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
      const ignoreMetrics = ignoredIn(slice, settings);
      const findings = runDetectors(DETECTORS, slice, context, { rules, ignoreMetrics }).filter(kept);
      const established = findings.filter((f) => f.severity !== 'info');
      // the stricter look decides *that* a finding is announced; its label is the severity the report
      // gives these epochs at the user's levels (a p of 1e-5 can be a warning live and an error in the report)
      const reported =
        established.length === 0
          ? []
          : runDetectors(DETECTORS, slice, context, { rules: settings.rules, ignoreMetrics }).filter(kept);
      const newFindings: Finding[] = [];
      for (const f of established) {
        const key = `${f.rule}\u0000${f.metric ?? ''}`;
        const same = reported.find((r) => `${r.rule}\u0000${r.metric ?? ''}` === key);
        const severity =
          same !== undefined && severityRank(same.severity) < severityRank(f.severity)
            ? same.severity
            : f.severity;
        const before = seen.get(key);
        if (before === undefined || severityRank(severity) < severityRank(before)) {
          seen.set(key, severity);
          newFindings.push({ ...f, severity });
        }
      }
      return { run, epoch, newFindings, hasError: findings.some((f) => f.severity === 'error') };
    },
  };
}
