/**
 * The Hugging Face Trainer's log history (`trainer_state.json`'s `log_history`, or the dicts the
 * Trainer prints) turned into records. Entries are training logs (`loss`, `learning_rate`, `grad_norm`,
 * `epoch`, `step`), evaluations (`eval_*`, or `test_*` with another metric prefix) and the final summary
 * (`train_runtime`, `train_loss`: an average over the whole run, never the last epoch's loss).
 * - Each evaluation is a record, with the last training entry logged since the previous evaluation
 *   (evaluations at one step, e.g. of several eval sets, merge). Without evaluations, each training
 *   entry is a record.
 * - Records are keyed by step: the printed `epoch` is kept (`Epoch.epochValue`) but may go back (a
 *   streaming dataset's bookkeeping); a step that goes back starts a new run. When every record sits on
 *   a whole epoch (`eval_strategy="epoch"`), the run is on the epoch axis.
 * - The Trainer's default `logging_nan_inf_filter=True` leaves NaN/Inf step losses out of the logged
 *   averages: every run gets a `nonfinite-hidden` issue saying so unless its log shows a non-finite loss.
 */
import type { Dialect, Epoch, ParseIssue, Run } from '../model/index.js';

/** One entry: its numeric values by key as printed, and its 1-based line. */
export interface HfEntry {
  values: Map<string, number>;
  line: number;
}

/** True for an entry the Trainer logs (training, evaluation or summary keys). */
export function isHfEntry(entry: HfEntry): boolean {
  return kindOf(entry) !== 'other';
}

function kindOf(entry: HfEntry): 'train' | 'eval' | 'summary' | 'other' {
  const keys = [...entry.values.keys()];
  if (keys.includes('train_runtime') || (keys.includes('train_loss') && !keys.includes('loss')))
    return 'summary';
  if (keys.some((k) => k.startsWith('eval_') || (k.startsWith('test_') && k !== 'test_runtime')))
    return 'eval';
  if (
    keys.includes('loss') &&
    (keys.includes('epoch') || keys.includes('step') || keys.includes('learning_rate'))
  ) {
    return 'train';
  }
  return 'other';
}

const NOT_VALUES = new Set(['epoch', 'step']);

/** Builds the runs of a log history. */
export function buildHfRuns(
  entries: readonly HfEntry[],
  source: { dialect: Dialect; file: string | null; fromLine: number; toLine: number },
  onIssue: (issue: ParseIssue) => void,
): Run[] {
  const parts: HfEntry[][] = [[]];
  let lastStep: number | null = null;
  for (const entry of entries) {
    const step = entry.values.get('step') ?? null;
    if (step !== null && lastStep !== null && step < lastStep) parts.push([]);
    if (step !== null) lastStep = step;
    parts[parts.length - 1]?.push(entry);
  }
  const runs: Run[] = [];
  for (const part of parts) {
    const epochs = records(part);
    if (epochs.length === 0) continue;
    const whole = epochs.every(
      (e, i) =>
        e.epochValue !== null &&
        e.epochValue !== undefined &&
        Number.isInteger(e.epochValue) &&
        e.epochValue >= 1 &&
        (i === 0 || e.epochValue > (epochs[i - 1]?.epochValue ?? 0)),
    );
    if (whole) {
      for (const e of epochs) {
        e.epoch = e.epochValue ?? e.epoch;
        e.epochValue = null;
      }
    }
    const hasSteps = epochs.some((e) => e.step !== null && e.step !== undefined);
    let first = Number.POSITIVE_INFINITY;
    let last = 1;
    for (const e of part) {
      first = Math.min(first, e.line);
      last = Math.max(last, e.line);
    }
    const run: Run = {
      index: runs.length,
      epochs,
      events: [],
      datasets: [],
      axis: whole ? 'epoch' : hasSteps ? 'step' : 'evaluation',
      source: {
        ...source,
        fromLine: parts.length === 1 || !Number.isFinite(first) ? source.fromLine : first,
        toLine: parts.length === 1 ? source.toLine : last,
      },
    };
    runs.push(run);
    reportHiddenNonFinite(part, onIssue);
  }
  return runs;
}

function records(entries: HfEntry[]): Epoch[] {
  const evals = entries.some((e) => kindOf(e) === 'eval');
  const epochs: Epoch[] = [];
  let train: HfEntry | null = null;
  let open: { values: Map<string, number>; step: number | null; epoch: number | null; line: number } | null =
    null;
  const commit = (): void => {
    if (open === null) return;
    epochs.push({
      epoch: epochs.length + 1,
      of: null,
      metrics: Object.fromEntries(open.values),
      steps: null,
      countUnit: null,
      seconds: null,
      stepTime: null,
      step: open.step,
      epochValue: open.epoch,
      line: open.line,
    });
    open = null;
  };
  for (const entry of entries) {
    const kind = kindOf(entry);
    const step = entry.values.get('step') ?? null;
    const epoch = entry.values.get('epoch') ?? null;
    if (kind === 'train' && evals) {
      commit();
      train = entry;
      continue;
    }
    if (kind !== (evals ? 'eval' : 'train')) continue;
    const current = open as { step: number | null } | null;
    if (current !== null && kind === 'eval' && current.step !== null && current.step === step) {
      for (const [k, v] of entry.values)
        if (!NOT_VALUES.has(k)) (open as { values: Map<string, number> } | null)?.values.set(k, v);
      continue;
    }
    commit();
    const values = new Map<string, number>();
    if (train !== null) for (const [k, v] of train.values) if (!NOT_VALUES.has(k)) values.set(k, v);
    for (const [k, v] of entry.values) if (!NOT_VALUES.has(k)) values.set(k, v);
    train = null;
    open = { values, step: step === null ? null : Math.round(step), epoch, line: entry.line };
  }
  commit();
  return epochs;
}

function reportHiddenNonFinite(entries: HfEntry[], onIssue: (issue: ParseIssue) => void): void {
  let sawNonFiniteLoss = false;
  let gradLine: number | null = null;
  for (const e of entries) {
    const loss = e.values.get('loss');
    if (loss !== undefined && !Number.isFinite(loss)) sawNonFiniteLoss = true;
    const grad = e.values.get('grad_norm');
    if (grad !== undefined && !Number.isFinite(grad) && loss !== undefined && Number.isFinite(loss)) {
      gradLine ??= e.line;
    }
  }
  if (sawNonFiniteLoss) return;
  onIssue(
    gradLine === null
      ? hiddenNonFinite()
      : {
          kind: 'nonfinite-hidden',
          line: gradLine,
          message:
            'grad_norm is not finite while the logged loss is: NaN/Inf losses were filtered out of the log (logging_nan_inf_filter=True)',
        },
  );
}

/**
 * The note every Trainer log gets unless it shows a non-finite loss: the logged training loss is an
 * average the default `logging_nan_inf_filter=True` kept NaN/Inf step losses out of (also said of the
 * Trainer's tables: model cards, notebook progress tables).
 */
export function hiddenNonFinite(): ParseIssue {
  return {
    kind: 'nonfinite-hidden',
    line: null,
    message:
      "the Trainer's default logging_nan_inf_filter=True leaves NaN/Inf step losses out of the logged loss: a clean loss curve here does not rule them out",
  };
}
