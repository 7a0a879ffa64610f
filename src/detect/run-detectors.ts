/** Running the registered detectors over one run, with per-rule configuration. */
import type { Finding, Run, RunContext, Severity } from '../model/index.js';
import { findRole, isValidationName } from '../model/index.js';
import { toFindings, type Detector, type Requirement } from './define-detector.js';
import { metricNames } from './series.js';
import { CHECK } from '../model/check.js';

/** Per-rule settings from the config file: a severity (or `off`) and options for the rule's schema. */
export interface RuleSetting {
  severity?: Severity | 'off';
  options?: unknown;
}

/** What the runner needs besides the run. */
export interface DetectSettings {
  rules: Record<string, RuleSetting>;
  ignoreMetrics: ReadonlySet<string>;
}

/** Whether the run has what a detector requires (a run without validation skips validation rules). */
export function meetsRequirements(run: Run, requires: readonly Requirement[]): boolean {
  const names = new Set(metricNames(run));
  return requires.every((r) => {
    switch (r) {
      case 'val':
        return [...names].some(isValidationName);
      case 'train':
        return [...names].some((n) => !isValidationName(n));
      case 'val-accuracy':
        return findRole(names, 'val_accuracy') !== null;
      case 'events':
        return run.events.length > 0;
    }
  });
}

/**
 * Runs every detector on a run and returns the findings sorted by epoch span, rule and metric
 * (output is deterministic). Options must already be valid (the config loader validates them).
 * `afterEach` runs after each detector (the CLI reclaims memory there on a large run).
 */
export function runDetectors(
  detectors: readonly Detector[],
  run: Run,
  context: RunContext,
  settings: DetectSettings,
  afterEach?: () => void,
): Finding[] {
  const findings: Finding[] = [];
  for (const detector of detectors) {
    const setting = settings.rules[detector.id] ?? {};
    if (setting.severity === 'off' || !meetsRequirements(run, detector.requires)) continue;
    const options: unknown = detector.options.parse(setting.options ?? {}, CHECK);
    const drafts = detector.detect(run, { options, context, ignoreMetrics: settings.ignoreMetrics });
    const found = toFindings(detector, run.index, drafts);
    const override = setting.severity;
    // a configured severity replaces the default, but never promotes an "insufficient data" note
    for (const f of found) if (override !== undefined && f.stats.insufficient !== true) f.severity = override;
    for (const f of found) findings.push(f);
    afterEach?.();
  }
  return findings.sort(compareFindings);
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Errors first, then by run, first epoch, rule id and metric (names by code unit: the same order in every
 * locale, and no ICU collator to build on a lint's first comparison, ~5 ms of the founding case).
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.run - b.run ||
    a.epochs[0] - b.epochs[0] ||
    byCodeUnit(a.rule, b.rule) ||
    byCodeUnit(a.metric ?? '', b.metric ?? '')
  );
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
