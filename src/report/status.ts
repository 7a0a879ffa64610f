/** The one-line status per finished epoch that live linting (`--follow`, `--fail-fast`) prints to stderr. */
import type { ChalkInstance } from 'chalk';
import type { Epoch, Finding } from '../model/index.js';
import { isValidationName } from '../model/index.js';
import { escapeControl } from './escape.js';
import { MARK, formatMetric, ruleTitle } from './prose.js';

/** How many metrics a status line shows (the validation metrics and the training loss come first). */
const STATUS_METRICS = 5;

/**
 * `epoch 12/60  loss 0.1715  val_loss 0.6787  val_acc 0.7792  ▲ error val-alternation (val_acc): ...`;
 * a finding is marked on the epoch where it first reaches its severity, with the severity the final
 * report gives the same epochs.
 */
export function renderStatus(
  epoch: Epoch,
  run: number,
  newFindings: Finding[],
  chalk: ChalkInstance,
): string {
  const head = `${run > 0 ? `run ${run + 1} ` : ''}epoch ${epoch.epoch}${epoch.of === null ? '' : `/${epoch.of}`}`;
  const metrics = Object.entries(epoch.metrics)
    .filter(([name]) => isValidationName(name) || name === 'loss')
    .slice(0, STATUS_METRICS)
    .map(([name, value]) => `${escapeControl(name)} ${formatMetric(value)}`);
  const marks = newFindings.map((f) => {
    const label = `${f.severity} ${f.rule}${f.metric === null ? '' : ` (${escapeControl(f.metric)})`}`;
    const text = `${MARK.warning} ${label}: ${ruleTitle(f.rule).toLowerCase()}`;
    return f.severity === 'error' ? chalk.red.bold(text) : chalk.yellow(text);
  });
  return [chalk.bold(head), ...metrics, ...marks].join('  ');
}
