/** The one-line status per finished epoch that `--follow` prints to stderr. */
import type { ChalkInstance } from 'chalk';
import { findDetector } from '../detect/index.js';
import type { Epoch, Finding } from '../model/index.js';
import { isValidationName } from '../model/index.js';
import { escapeControl } from './escape.js';
import { formatMetric } from './numbers.js';

/** `epoch 12/60  loss 0.1715  val_loss 0.6787  val_acc 0.7792  ▲ error val-alternation (val_acc)` */
export function renderStatus(
  epoch: Epoch,
  run: number,
  newFindings: Finding[],
  chalk: ChalkInstance,
): string {
  const head = `${run > 0 ? `run ${run + 1} ` : ''}epoch ${epoch.epoch}${epoch.of === null ? '' : `/${epoch.of}`}`;
  const metrics = Object.entries(epoch.metrics)
    .filter(([name]) => isValidationName(name) || name === 'loss')
    .slice(0, 5)
    .map(([name, value]) => `${escapeControl(name)} ${formatMetric(value)}`);
  const marks = newFindings.map((f) => {
    const label = `${f.severity} ${f.rule}${f.metric === null ? '' : ` (${escapeControl(f.metric)})`}`;
    const title = findDetector(f.rule)?.title;
    const text = `▲ ${label}${title === undefined ? '' : `: ${title.toLowerCase()}`}`;
    return f.severity === 'error' ? chalk.red.bold(text) : chalk.yellow(text);
  });
  return [chalk.bold(head), ...metrics, ...marks].join('  ');
}
