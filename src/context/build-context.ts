/**
 * What is known about a run: read from the log (dataset lines, progress counters, callback events, an
 * `lr` column), overridden by the user's hints (flags, config). Every value carries its source and, when it
 * was derived or read by a convention, a note that says how: nothing is guessed silently.
 */
import {
  findRole,
  isLearningRateName,
  type Dataset,
  type Fact,
  type Hints,
  type Run,
  type RunContext,
} from '../model/index.js';
import { applyCodeFacts, type CodeFacts } from './code/facts.js';
import { readLearningRate } from './learning-rate.js';
import { runSampleCounts } from './sample-counts.js';

/** What a samples/steps pair says about the batch size. */
export interface BatchSizeInference {
  samples: number;
  steps: number;
  /** Batch sizes b with floor(N / b) = S (the `N // batch_size` idiom). */
  floor: number[];
  /** Batch sizes b with ceil(N / b) = S (`len(iterator)`, a step count that covers every sample). */
  ceil: number[];
  /** The union, ascending. */
  candidates: number[];
  /** The batch size when exactly one candidate exists; null when none or several do. */
  value: number | null;
  /** How the value was derived, or why it could not be. */
  note: string;
}

/** Largest candidate list spelled out in a note; beyond it a range is given. */
const LISTED_CANDIDATES = 4;

function integersIn(from: number, to: number): number[] {
  const out: number[] = [];
  for (let b = Math.max(1, from); b <= to; b++) out.push(b);
  return out;
}

function describeCandidates(candidates: number[]): string {
  if (candidates.length <= LISTED_CANDIDATES) return candidates.join(', ');
  return `${candidates[0]}–${candidates[candidates.length - 1]}`;
}

/**
 * The batch size implied by N samples in S steps per epoch (spec §5 item 2: 29124 images in 910 steps
 * → 32, because floor(29124 / 32) = 910 while ceil gives 911 and no other integer gives 910).
 */
export function inferBatchSize(samples: number, steps: number): BatchSizeInference {
  // floor(N / b) = S  ⇔  N / (S + 1) < b ≤ N / S
  const floor =
    steps > 0 ? integersIn(Math.floor(samples / (steps + 1)) + 1, Math.floor(samples / steps)) : [];
  // ceil(N / b) = S  ⇔  N / S ≤ b < N / (S − 1); for S = 1 every b ≥ N qualifies, which says nothing.
  const ceil = steps > 1 ? integersIn(Math.ceil(samples / steps), Math.ceil(samples / (steps - 1)) - 1) : [];
  const candidates = [...new Set([...floor, ...ceil])].sort((x, y) => x - y);
  const base = { samples, steps, floor, ceil, candidates };
  if (steps === 1) {
    return { ...base, value: null, note: `1 step per epoch: any batch size ≥ ${samples} gives 1 step` };
  }
  if (candidates.length === 0) {
    return {
      ...base,
      value: null,
      note: `no integer batch size gives ${steps} steps for ${samples} samples (floor or ceil)`,
    };
  }
  const only = candidates.length === 1 ? candidates[0] : undefined;
  if (only !== undefined) {
    const f = Math.floor(samples / only);
    const c = Math.ceil(samples / only);
    const idiom =
      f === c
        ? `${samples} / ${only} = ${steps} exactly`
        : f === steps
          ? `floor(${samples} / ${only}) = ${steps} (the \`N // batch_size\` idiom; ceil would give ${c})`
          : `ceil(${samples} / ${only}) = ${steps} (a full pass, \`len(iterator)\`; floor would give ${f})`;
    return { ...base, value: only, note: `${idiom}; no other integer batch size gives ${steps} steps` };
  }
  return {
    ...base,
    value: null,
    note:
      `ambiguous: batch sizes ${describeCandidates(candidates)} all give ${steps} steps for ${samples} samples` +
      ` (floor: ${describeCandidates(floor) || 'none'}; ceil: ${describeCandidates(ceil) || 'none'})`,
  };
}

type DatasetRole = 'train' | 'validation';

interface DatasetPick {
  dataset: Dataset;
  note: string | null;
}

function isStepCount(d: Dataset): boolean {
  return d.unit === 'steps' || d.unit === 'step';
}

/** Dataset lines printed before the first epoch (or all of them for a run without epochs). */
function datasetsBeforeTraining(run: Run): Dataset[] {
  const first = run.epochs[0];
  if (!first) return run.datasets;
  return run.datasets.filter((d) => d.line <= first.line);
}

/**
 * The sample-count lines for training and validation. Lines that name their role (`Using N files for
 * validation.`, `Train on N samples, validate on M samples`) win; otherwise two `Found N images` lines
 * before training are read as train then validation (ImageDataGenerator scripts create the training
 * generator first). `Found` lines next to `Using` lines are totals before a split and carry no role.
 */
function pickDatasets(run: Run): Record<DatasetRole, DatasetPick | null> {
  const before = datasetsBeforeTraining(run);
  const sized = run.datasets.filter((d) => !isStepCount(d));
  const picks: Record<DatasetRole, DatasetPick | null> = { train: null, validation: null };
  for (const role of ['train', 'validation'] as const) {
    const tagged = sized.filter((d) => d.role === role);
    const taggedBefore = tagged.filter((d) => before.includes(d));
    const chosen = taggedBefore[taggedBefore.length - 1] ?? tagged[0];
    if (!chosen) continue;
    const counts = new Set(tagged.map((d) => d.count));
    picks[role] = {
      dataset: chosen,
      note:
        counts.size > 1
          ? `the log states ${[...counts].join(', ')} ${chosen.unit} for ${role}; used line ${chosen.line}, ${taggedBefore.length > 0 ? 'the last before training' : 'the first'}`
          : null,
    };
  }
  const hasUsing = run.datasets.some((d) => d.source === 'using');
  const found = before.filter((d) => d.source === 'found' && d.role === 'unknown' && !isStepCount(d));
  if (hasUsing || found.length === 0) return picks;
  const [first, second, ...rest] = found;
  const ignored =
    rest.length > 0
      ? `; later \`Found\` lines (${rest.map((d) => `line ${d.line}`).join(', ')}) ignored`
      : '';
  if (first && second) {
    if (!picks.train) {
      picks.train = {
        dataset: first,
        note: `first of ${found.length} \`Found N ${first.unit}\` lines before training: ImageDataGenerator scripts create the training generator first${ignored}`,
      };
    }
    if (!picks.validation) {
      picks.validation = {
        dataset: second,
        note: `second of ${found.length} \`Found N ${second.unit}\` lines before training: ImageDataGenerator scripts create the validation generator after the training one${ignored}`,
      };
    }
  } else if (first && !picks.train && !picks.validation) {
    picks.train = {
      dataset: first,
      note: `the only \`Found N ${first.unit}\` line before training, assumed to be the training set (validation data printed no size line)`,
    };
  }
  return picks;
}

function fromLog<T>(value: T, line: number | null, note: string | null): Fact<T> {
  return { value, source: 'log', line, note };
}

function derived<T>(value: T, line: number | null, note: string): Fact<T> {
  return { value, source: 'derived', line, note };
}

/** A flag wins over the log; when both exist and disagree the note says what the log said. */
function fromFlag<T>(value: T | undefined, hint: keyof Hints, log: Fact<T>): Fact<T> {
  if (value === undefined) return log;
  const disagree =
    log !== null && JSON.stringify(log.value) !== JSON.stringify(value)
      ? `; the log says ${JSON.stringify(log.value)}${log.line !== null ? ` (line ${log.line})` : ''}`
      : '';
  return { value, source: 'flag', line: null, note: `given by the user (${hint})${disagree}` };
}

interface StepsReading {
  fact: Fact<number>;
  /** Samples per epoch when the progress counter counts samples (Keras ≤ 2.3 `fit` on arrays). */
  samples: Fact<number>;
}

/** The most common progress total (ties: the larger count of epochs, then the earlier epoch). */
function readProgressCounters(run: Run): StepsReading {
  const tally = new Map<
    string,
    { unit: 'step' | 'sample'; total: number; epochs: number; line: number; unitKnown: boolean }
  >();
  for (const epoch of run.epochs) {
    if (!epoch.steps || epoch.steps.total <= 0) continue;
    const unit = epoch.countUnit === 'sample' ? 'sample' : 'step';
    const key = `${unit}:${epoch.steps.total}`;
    const entry = tally.get(key);
    if (entry) {
      entry.epochs += 1;
      entry.unitKnown ||= epoch.countUnit !== null;
    } else {
      tally.set(key, {
        unit,
        total: epoch.steps.total,
        epochs: 1,
        line: epoch.line,
        unitKnown: epoch.countUnit !== null,
      });
    }
  }
  let best: {
    unit: 'step' | 'sample';
    total: number;
    epochs: number;
    line: number;
    unitKnown: boolean;
  } | null = null;
  for (const entry of tally.values()) if (!best || entry.epochs > best.epochs) best = entry;
  if (!best) return { fact: null, samples: null };
  const counted = run.epochs.filter((e) => e.steps && e.steps.total > 0).length;
  const share = `${best.total}/${best.total} on ${best.epochs} of ${counted} epochs with a progress counter`;
  if (best.unit === 'sample') {
    return {
      fact: null,
      samples: fromLog(best.total, best.line, `progress counter counts samples (${share})`),
    };
  }
  const unitNote = best.unitKnown ? '' : '; the counter does not say its unit, read as steps';
  return {
    fact: fromLog(best.total, best.line, `most common progress total (${share})${unitNote}`),
    samples: null,
  };
}

/** The dataset line that states a step count for a role (`Train for N steps, validate for M steps`). */
function stepLine(run: Run, role: DatasetRole): Dataset | undefined {
  return run.datasets.find((d) => d.role === role && isStepCount(d));
}

/** Relative change below which two printed learning rates are the same value (5 significant digits). */
const LR_TOLERANCE = 1e-3;

function sameRate(a: number, b: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Object.is(a, b);
  return Math.abs(a - b) <= LR_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * First epochs trained with a new learning rate: the epoch after a `ReduceLROnPlateau` message (it fires
 * at the end of its epoch), the epoch of a `LearningRateScheduler` message that sets a different rate
 * (it fires at the start), and epochs whose `lr`/`learning_rate` column differs from the previous epoch.
 * A reduction announced at the last epoch affects no logged epoch and is left out.
 */
export function findLearningRateChanges(run: Run): number[] {
  const changes = new Set<number>();
  let scheduled: number | null = null;
  for (const event of run.events) {
    if (event.epoch === null) continue;
    if (event.kind === 'lr-reduced') changes.add(event.epoch + 1);
    if (event.kind === 'lr-scheduled') {
      if (scheduled !== null && !sameRate(scheduled, event.lr)) changes.add(event.epoch);
      scheduled = event.lr;
    }
  }
  const names = new Set(run.epochs.flatMap((e) => Object.keys(e.metrics)));
  const lrName = [...names].find((n) => isLearningRateName(n));
  if (lrName !== undefined) {
    let previous: number | null = null;
    for (const epoch of run.epochs) {
      const value = epoch.metrics[lrName];
      if (value === undefined) continue;
      if (previous !== null && !sameRate(previous, value)) changes.add(epoch.epoch);
      previous = value;
    }
  }
  const last = run.epochs[run.epochs.length - 1]?.epoch;
  return [...changes].filter((e) => last === undefined || e <= last).sort((x, y) => x - y);
}

function classesFact(run: Run, hints: Hints, picks: Record<DatasetRole, DatasetPick | null>): Fact<number> {
  if (hints.valClassCounts !== undefined) {
    return {
      value: hints.valClassCounts.length,
      source: 'flag',
      line: null,
      note: `number of entries of the user's valClassCounts (${hints.valClassCounts.join(', ')})`,
    };
  }
  const withClasses = [picks.train?.dataset, picks.validation?.dataset, ...run.datasets].filter(
    (d): d is Dataset => d !== undefined && d.classes !== null && d.classes > 0,
  );
  const first = withClasses[0];
  if (!first || first.classes === null) {
    // no dataset line counts them: the log may state them in its own words (a banner, printed arguments)
    const stated = run.classes;
    return stated === undefined
      ? null
      : fromLog(stated.count, stated.line, `stated by the log: \`${stated.text}\``);
  }
  const all = [...new Set(withClasses.map((d) => d.classes))];
  const note =
    all.length > 1 ? `dataset lines disagree (${all.join(', ')} classes); used line ${first.line}` : null;
  return fromLog(first.classes, first.line, note);
}

/**
 * Builds the context of one run from its log, the training code read for it and the user's hints (pure).
 * Precedence: a flag or config key, then the log, then the code (the log shows what ran; code may be stale).
 */
export function buildContext(run: Run, hints: Hints, code: CodeFacts | null = null): RunContext {
  const picks = pickDatasets(run);
  const counters = readProgressCounters(run);

  const trainPick = picks.train;
  const trainLog: Fact<number> = trainPick
    ? fromLog(trainPick.dataset.count, trainPick.dataset.line, trainPick.note)
    : counters.samples;
  const trainSamples = fromFlag(hints.trainSamples, 'trainSamples', trainLog);

  const valPick = picks.validation;
  const valLog: Fact<number> = valPick
    ? fromLog(valPick.dataset.count, valPick.dataset.line, valPick.note)
    : null;
  const valSamples = fromFlag(hints.valSamples, 'valSamples', valLog);

  const trainStepLine = stepLine(run, 'train');
  const stepsLog: Fact<number> = trainStepLine
    ? fromLog(trainStepLine.count, trainStepLine.line, `\`Train for ${trainStepLine.count} steps\``)
    : counters.fact;
  let stepsPerEpoch = fromFlag(hints.stepsPerEpoch, 'stepsPerEpoch', stepsLog);

  let batchSize: Fact<number> = null;
  if (hints.batchSize !== undefined) {
    batchSize = fromFlag(hints.batchSize, 'batchSize', null);
  } else if (trainSamples && stepsPerEpoch && trainSamples.value > 0) {
    const inference = inferBatchSize(trainSamples.value, stepsPerEpoch.value);
    if (inference.value !== null) {
      batchSize = derived(inference.value, null, inference.note);
    } else {
      // The RunContext has no slot for an unknown value with a reason; the steps fact carries it.
      stepsPerEpoch = {
        ...stepsPerEpoch,
        note: joinNotes(stepsPerEpoch.note, `training batch size not derived: ${inference.note}`),
      };
    }
  }

  const valStepLine = stepLine(run, 'validation');
  const valStepsLog: Fact<number> = valStepLine
    ? fromLog(valStepLine.count, valStepLine.line, `\`validate for ${valStepLine.count} steps\``)
    : null;
  const valSteps = fromFlag(hints.valSteps, 'valSteps', valStepsLog);
  // No validation batch size is derived from N and s: validation_steps is often the user's own number
  // (`N // batch_size` with another batch variable), so only the user can state it.
  const valBatchSize = fromFlag(hints.valBatchSize, 'valBatchSize', null);

  const flagOnly = <T>(value: T | undefined, hint: keyof Hints): Fact<T> =>
    value === undefined ? null : { value, source: 'flag', line: null, note: `given by the user (${hint})` };

  const names = new Set(run.epochs.flatMap((e) => Object.keys(e.metrics)));
  const context: RunContext = {
    run: run.index,
    trainSamples,
    valSamples,
    classes: classesFact(run, hints, picks),
    stepsPerEpoch,
    batchSize,
    valBatchSize,
    valSteps,
    valClassCounts: flagOnly(hints.valClassCounts, 'valClassCounts'),
    valShuffle: flagOnly(hints.valShuffle, 'valShuffle'),
    valData: flagOnly(hints.valData, 'valData'),
    kerasVersion: flagOnly(hints.kerasVersion, 'kerasVersion'),
    workers: flagOnly(hints.workers, 'workers'),
    batchnorm: flagOnly(hints.batchnorm, 'batchnorm'),
    lrChanges: findLearningRateChanges(run),
    useMultiprocessing: null,
    trainShuffle: null,
    dropout: null,
    valAugmented: null,
    preprocessingMatch: null,
    optimizer: null,
    lrSchedule: null,
    callbacks: null,
    valStepsExpression: null,
    stepsPerEpochExpression: null,
    valStepsDivisor: null,
    learningRate: readLearningRate(run),
    // a count can never exceed the set it is drawn from, when the log states that set
    valCounts: runSampleCounts(run, findRole(names, 'val_accuracy'), valSamples?.value ?? null),
    trainCounts: runSampleCounts(run, findRole(names, 'accuracy'), null),
    code: [],
  };
  return code === null ? context : applyCodeFacts(context, code);
}

function joinNotes(first: string | null, second: string): string {
  return first === null ? second : `${first}; ${second}`;
}
