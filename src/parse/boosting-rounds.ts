/**
 * XGBoost and LightGBM evaluation lines: `[500]\teval-logloss:0.41906\ttrain-logloss:0.160439`
 * (XGBoost's native and sklearn APIs: `validation_0-logloss`), `[10]\tvalid_0's l2: 0.5` and
 * `[10]\ttraining's binary_logloss: 0.2\tvalid_1's binary_logloss: 0.3` (LightGBM). Each line is one
 * evaluation on the `round` axis (`Epoch.round` keeps the printed, 0-based round). After `Stopping. Best
 * iteration:` the best round is printed again: that line is a summary, not a record. A last line cut
 * by the end of the log (it lacks values every earlier round had) is reported, not read.
 * LightGBM's `Early stopping, best iteration is:` and `Did not meet early stopping. Best iteration is:`
 * are followed by such a summary too; its `[LightGBM] [Info]` lines are not rounds.
 * CatBoost's verbose output, `0:\tlearn: 0.68\ttest: 0.68\tbest: 0.68 (0)\ttotal: 52ms\tremaining: 52s`
 * (0-based iterations, every `metric_period`): `learn` is the training set's value and `test` the eval
 * set's (a validation metric, `Run.phases`); `best`, `total` and `remaining` are not metrics.
 */
import type { Epoch, Event, ParseIssue, Run } from '../model/index.js';
import { shorten } from '../report/escape.js';
import { numericLiteral } from './json-tolerant.js';
import { cleanLine } from './keras-line.js';
import type { TerminalLine } from './terminal.js';
import type { FormatReader, ReaderContext, ReaderEntry, SniffHead } from './types.js';

const ROUND_LINE = /^\[(\d+)\]\s+(\S[^:\t]*:\s*\S)/;
/** CatBoost's verbose line: `0:\tlearn: 0.6821324\ttest: 0.6830112\tbest: 0.6830112 (0)\ttotal: 52ms`. */
const CATBOOST_LINE = /^(\d+):\t(?:learn|test\d*): /;
/** Words that say the best round follows (printed again: a summary, not a round). */
const BEST_FOLLOWS =
  /^(?:Stopping\. Best iteration|Early stopping, best iteration is|Did not meet early stopping\. Best iteration is)/i;
/** CatBoost's bookkeeping fields: the best value so far, the time spent and left. */
const CATBOOST_NOT_METRICS = new Set(['best', 'total', 'remaining']);

function sniff(head: SniffHead): number {
  let rounds = 0;
  for (const line of head.lines) {
    if ((ROUND_LINE.test(line) && /[-']|\t/.test(line)) || CATBOOST_LINE.test(line)) rounds += 1;
  }
  return rounds >= 2 ? 0.97 : rounds === 1 ? 0.9 : 0;
}

interface Pending {
  round: number;
  metrics: Map<string, number>;
  line: number;
  terminated: boolean;
}

function createReader(ctx: ReaderContext): FormatReader {
  let epochs: Epoch[] = [];
  let events: Event[] = [];
  let fromLine = 1;
  let toLine = 1;
  let runIndex = 0;
  let core: Set<string> | null = null;
  let pending: Pending | null = null;
  let lastRound: number | null = null;
  let bestFollows = false;
  const issue = (kind: ParseIssue['kind'], line: number | null, message: string): void =>
    ctx.onIssue({ kind, line, message });

  const commit = (): void => {
    const p = pending;
    pending = null;
    if (p === null || !ctx.limits.keep(p.metrics.size)) return;
    if (epochs.length === 0) fromLine = p.line;
    const epoch: Epoch = {
      epoch: epochs.length + 1,
      of: null,
      metrics: Object.fromEntries(p.metrics),
      steps: null,
      countUnit: null,
      seconds: null,
      stepTime: null,
      round: p.round,
      line: p.line,
    };
    epochs.push(epoch);
    toLine = p.line;
    const names = new Set(p.metrics.keys());
    core = core === null ? names : new Set([...core].filter((n) => names.has(n)));
    ctx.onEpoch?.(epoch, runIndex);
  };

  let catboostSeen = false;
  const finishRun = (): void => {
    if (epochs.length === 0) return;
    const phases: NonNullable<Run['phases']> = {};
    if (catboostSeen) {
      for (const name of Object.keys(epochs[0]?.metrics ?? {})) {
        if (name === 'learn') phases[name] = 'train';
        else if (/^test\d*$/.test(name)) phases[name] = 'validation';
      }
    }
    const run: Run = {
      index: runIndex,
      epochs,
      events,
      datasets: [],
      axis: 'round',
      source: { dialect: 'boosting-rounds', file: ctx.file, fromLine, toLine },
    };
    if (Object.keys(phases).length > 0) run.phases = phases;
    ctx.onRun(run);
    runIndex += 1;
    epochs = [];
    events = [];
    core = null;
    lastRound = null;
  };

  const line = (tl: TerminalLine): void => {
    const text = cleanLine(tl.text);
    if (text.length === 0) return;
    const best = BEST_FOLLOWS.exec(text);
    if (best !== null) {
      commit();
      bestFollows = true;
      if (!/^Did not/i.test(best[0])) {
        events.push({
          kind: 'early-stopping',
          epoch: epochs.length === 0 ? null : epochs.length,
          line: tl.line,
        });
      }
      return;
    }
    const catboost = CATBOOST_LINE.exec(text);
    const m = catboost ?? /^\[(\d+)\]/.exec(text);
    if (m === null) return;
    const round = Number(m[1]);
    const start = catboost === null ? m[0].length : text.indexOf('\t') + 1;
    if (catboost !== null) catboostSeen = true;
    if (bestFollows && lastRound !== null && round <= lastRound) {
      bestFollows = false; // the best round printed again after early stopping
      return;
    }
    bestFollows = false;
    const metrics = new Map<string, number>();
    for (const field of text.slice(start).split('\t')) {
      const colon = field.lastIndexOf(':');
      if (colon <= 0) continue;
      const name = field.slice(0, colon).trim();
      if (catboost !== null && CATBOOST_NOT_METRICS.has(name)) continue;
      const value = numericLiteral(field.slice(colon + 1).trim());
      if (name.length === 0) continue;
      if (value === null) {
        issue(
          'bad-value',
          tl.line,
          `${shorten(name, 200)} is ${JSON.stringify(shorten(field.slice(colon + 1).trim(), 60))}, not a number: left out`,
        );
        continue;
      }
      const key = ctx.limits.name(name, tl.line);
      if (key === null) continue;
      if (metrics.has(key)) {
        issue(
          'duplicate-metric',
          tl.line,
          `${shorten(key, 80)} is printed twice in one line: the later value is kept`,
        );
      }
      metrics.set(key, value);
    }
    if (metrics.size === 0) return;
    commit();
    if (lastRound !== null && round <= lastRound) finishRun();
    lastRound = round;
    pending = { round, metrics, line: tl.line, terminated: tl.terminated };
    // a complete line is a complete round; only the input's unterminated last line waits for the end
    if (tl.terminated) commit();
  };

  return {
    kind: 'lines',
    line,
    end() {
      const p = pending;
      if (p !== null && !p.terminated && core !== null) {
        const missing = [...core].filter((n) => !p.metrics.has(n));
        if (missing.length > 0) {
          issue(
            'truncated-epoch',
            p.line,
            `the log ends inside round ${p.round}: ${missing.join(', ')} never printed; not counted`,
          );
          pending = null;
        }
      }
      commit();
      finishRun();
      return { fatal: null };
    },
  };
}

export const boostingRoundsReader: ReaderEntry = {
  dialect: 'boosting-rounds',
  aliases: ['xgboost', 'lightgbm'],
  binary: false,
  fileHint: null,
  sniff,
  create: createReader,
};
