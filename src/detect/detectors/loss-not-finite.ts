import { z } from 'zod';
import type { ParseIssue } from '../../model/index.js';
import type { FindingDraft } from '../define-detector.js';
import { defineDetector, stat } from '../define-detector.js';
import { metricNames } from '../series.js';

/** The numbers of a non-finite-loss finding. */
export const NotFiniteStats = z.union([
  z.object({ firstEpoch: stat(), count: stat(), total: stat() }),
  /** A log without epoch records: the lines that print it non-finite (`firstLine`, how many). */
  z.object({ firstLine: stat(), count: stat() }),
  z.object({ batch: stat().nullable() }),
]);

export default defineDetector({
  id: 'loss-not-finite',
  title: 'Loss is NaN or infinite',
  defaultSeverity: 'error',
  requires: [],
  kind: 'divergence',
  startsDiagnosis: false,
  stats: NotFiniteStats,
  options: z.object({}).strict(),
  docs: {
    what: 'Fires when a loss (`loss`, `val_loss`, `<output>_loss`, ...) is printed as `nan`, `inf` or `-inf` in any epoch, or when TerminateOnNaN stopped training; in a log without any epoch record, when its unnumbered metric lines print a loss as `nan` or `inf` (the finding cites those lines).',
    why: 'A non-finite loss means the weights are garbage from that epoch on; every later metric is meaningless. Usual causes: a learning rate too high, a log or division of zero in a custom loss, labels outside the loss range (e.g. class ids for a sigmoid output), exploding gradients, or float16 overflow.',
    example:
      'Epoch 2/10\n9595/9595 [====] - 1s - loss: nan - acc: 0.4117 - val_loss: nan - val_acc: 0.0000e+00',
  },
  messages: {
    nonFinite: '{metric} is {value} from epoch {first} on ({count} of {total} epochs)',
    terminated: 'TerminateOnNaN stopped training at batch {batch} of epoch {epoch}',
    nonFiniteLines:
      '{metric} is not finite (nan or inf) on {count} line(s) without an epoch number, from line {firstLine} on (lines {lines})',
    nextLines:
      'everything from line {firstLine} on is meaningless: restart from an earlier checkpoint with a lower learning rate or gradient clipping, and check the loss for log(0) or division by zero and the labels for values outside its range',
    next: 'everything from epoch {first} on is meaningless: restart from an earlier checkpoint with a lower learning rate or gradient clipping, and check the loss for log(0) or division by zero and the labels for values outside its range (tf.debugging.enable_check_numerics finds the first bad op)',
  },
  detect(run, { ignoreMetrics }) {
    const drafts: FindingDraft<z.output<typeof NotFiniteStats>>[] = [];
    const losses = metricNames(run).filter((n) => /loss/i.test(n) && !ignoreMetrics.has(n));
    for (const metric of losses) {
      const bad = run.epochs.filter((e) => {
        const v = e.metrics[metric];
        return v !== undefined && !Number.isFinite(v);
      });
      const first = bad[0];
      const last = bad.at(-1);
      if (first === undefined || last === undefined) continue;
      const value = first.metrics[metric] ?? Number.NaN;
      const total = run.epochs.filter((e) => e.metrics[metric] !== undefined).length;
      drafts.push({
        metric,
        epochs: [first.epoch, last.epoch],
        line: first.line,
        stats: { firstEpoch: first.epoch, count: bad.length, total },
        evidence: { epochs: bad.map((e) => e.epoch) },
        messageId: 'nonFinite',
        data: {
          metric,
          value: Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf',
          first: first.epoch,
          count: bad.length,
          total,
        },
        next: { messageId: 'next', data: { first: first.epoch } },
      });
    }
    for (const event of run.events) {
      if (event.kind !== 'terminate-nan' || drafts.length > 0) continue;
      const epoch = event.epoch ?? run.epochs.at(-1)?.epoch ?? 1;
      drafts.push({
        metric: 'loss',
        epochs: [epoch, epoch],
        line: event.line,
        stats: { batch: event.batch },
        evidence: {},
        messageId: 'terminated',
        data: { batch: event.batch, epoch },
        next: { messageId: 'next', data: { first: epoch } },
      });
    }
    return drafts;
  },
});

/** Lines listed in a finding's message (the rest are counted). */
const LISTED_LINES = 8;

/**
 * The findings of a log in which no epoch record was found but whose unnumbered metric lines print a loss
 * as `nan` or `inf` (the parser's `nonfinite-unnumbered` issues): one per metric, citing its lines. There
 * is no run, so the finding spans no epoch (`epochs` [0, 0]) and points at the first line.
 */
export function nonFiniteLines(
  issues: readonly ParseIssue[],
): FindingDraft<z.output<typeof NotFiniteStats>>[] {
  const byMetric = new Map<string, ParseIssue[]>();
  for (const issue of issues) {
    if (issue.kind !== 'nonfinite-unnumbered' || issue.metric === undefined || issue.line === null) continue;
    const list = byMetric.get(issue.metric) ?? [];
    list.push(issue);
    byMetric.set(issue.metric, list);
  }
  return [...byMetric].map(([metric, list]) => {
    const lines = list.map((i) => i.line ?? 0);
    const firstLine = lines[0] ?? 1;
    const listed = lines.slice(0, LISTED_LINES).join(', ');
    return {
      metric,
      epochs: [0, 0] as [number, number],
      line: firstLine,
      stats: { firstLine, count: lines.length },
      evidence: { lines },
      messageId: 'nonFiniteLines',
      data: {
        metric,
        count: lines.length,
        firstLine,
        lines: lines.length > LISTED_LINES ? `${listed}, …` : listed,
      },
      next: { messageId: 'nextLines', data: { firstLine } },
    };
  });
}
