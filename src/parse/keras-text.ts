/**
 * Streaming parser of Keras console output (verbose 1 and 2, families A–F of the spec). It takes
 * the visible lines produced by `terminal.ts`, one at a time, and assembles epochs: an epoch "slot"
 * opens at an `Epoch k/N` header (or at a header-less final frame), collects frames and callback
 * messages, and commits the *last* final-shaped frame when the next slot opens (spec §11.8).
 * Memory grows with the number of epochs of the current run only.
 */
import type { Dataset, Dialect, Epoch, Event, ParseIssue, Run } from '../model/index.js';
import {
  cleanLine,
  findDatasets,
  isCompleteKerasValue,
  isMetricContinuation,
  parseFrame,
  parseHeader,
  parseMessage,
  splitRecords,
  type Frame,
  type Message,
} from './keras-line.js';
import { PARSE_LIMITS } from '../model/index.js';
import { shorten } from '../report/escape.js';
import { stepsOf, type InputLimits } from './limits.js';
import type { TerminalLine } from './terminal.js';
import type { FormatReader, ReaderContext, ReaderEntry, SniffHead } from './types.js';

/** Options of the console-output parser. */
export interface KerasTextParserOptions {
  file: string | null;
  onRun(run: Run): void;
  onIssue(issue: ParseIssue): void;
  /**
   * Called as soon as an epoch is complete (for live status), with its run index. Its number is
   * provisional when the log printed no header: the run delivered by `onRun` is authoritative.
   */
  onEpoch?(epoch: Epoch, run: number): void;
  /** Dialect recorded in `Run.source` (notebooks feed their stream text through this parser). */
  dialect?: Dialect;
  /** Maps a line of the text fed in to a line of the original file (notebook stream outputs). */
  mapLine?: (line: number) => number;
  /** The caps of the input (records kept, interned names); none for a parser used alone. */
  limits?: InputLimits;
}

/** Line-at-a-time parser; `end` flushes the last run. */
export interface KerasTextParser {
  line(line: TerminalLine): void;
  end(): void;
}

type RealMessage = Exclude<Message, { kind: 'other' }>;

interface FinalFrame {
  frame: Frame;
  line: number;
}

interface Slot {
  /** `epoch` counts from 1; `printed` is the number as printed (0-based headers are shifted). */
  header: { epoch: number; of: number; line: number; printed: number } | null;
  /** Epoch number printed by an end-of-epoch callback message, as printed (maybe 0-based). */
  hintPrinted: number | null;
  final: FinalFrame | null;
  progressLine: number | null;
  /** A problem of this slot was already reported; closing it says nothing more. */
  reported: boolean;
  /** `onEpoch` was already called for this slot's final line (it had the validation metrics). */
  emitted: boolean;
  /** Messages without an epoch number (restore weights, TerminateOnNaN): they belong to this slot. */
  unnumbered: Array<{ message: RealMessage; line: number }>;
}

interface PendingEpoch {
  epoch: number | null;
  headerEpoch: number | null;
  hintPrinted: number | null;
  /** The record itself, its values under interned names; its `epoch` is set when the run ends. */
  record: Epoch;
}

interface PendingEvent {
  message: RealMessage;
  line: number;
  printed: number | null;
  /** For unnumbered messages: the epoch of the slot they were printed in. */
  owner: PendingEpoch | null;
  /** An epoch known from the slot's header when the slot never completed. */
  forced?: number | null;
}

interface RunState {
  epochs: PendingEpoch[];
  events: PendingEvent[];
  datasets: Dataset[];
  fromLine: number;
  toLine: number;
  /** Keras ≤ 2.0.8 (no per-step time): its callback messages count epochs from 0 (pitfall 32). */
  familyA: boolean;
  lastHeader: number | null;
  /** 1 when the run's headers count from 0 (`Epoch 0/3`): added to every header of the run. */
  headerShift: number;
  onlySingleEpochHeaders: boolean;
  loopReported: boolean;
}

interface Deferred {
  text: string;
  line: number;
  atEnd: boolean;
}

/** The counter of a frame that is still running: `12/1875 ...` or `12/Unknown ...`. */
const IN_PROGRESS = /^(\d+)\/(\d+|Unknown)(?: \[[=>.]*\]| *[━=?]| - )/;

const END_OF_EPOCH_KINDS = new Set<Message['kind']>([
  'checkpoint-improved',
  'checkpoint-not-improved',
  'checkpoint-saved',
  'lr-reduced',
]);

/** Creates the console-output parser. */
export function createKerasTextParser(options: KerasTextParserOptions): KerasTextParser {
  const dialect: Dialect = options.dialect ?? 'keras-text';
  const mapLine = options.mapLine ?? ((line: number) => line);
  let runIndex = 0;
  let run: RunState | null = null;
  let slot: Slot = newSlot(null);
  let deferred: Deferred | null = null;
  /** Datasets and scheduler messages printed after a run's last epoch may open the next run. */
  let heldDatasets: Dataset[] = [];
  let heldEvents: PendingEvent[] = [];
  let lastOrphanLine = -2;
  let blindCutLine = -1;

  const issue = (kind: ParseIssue['kind'], line: number | null, message: string): void => {
    options.onIssue({ kind, line, message });
  };

  function newSlot(header: Slot['header']): Slot {
    return {
      header,
      hintPrinted: null,
      final: null,
      progressLine: null,
      reported: false,
      emitted: false,
      unnumbered: [],
    };
  }

  const currentRun = (line: number): RunState => {
    if (run === null) {
      run = {
        epochs: [],
        events: [],
        datasets: [],
        fromLine: line,
        toLine: line,
        familyA: false,
        lastHeader: null,
        headerShift: 0,
        onlySingleEpochHeaders: true,
        loopReported: false,
      };
    }
    run.toLine = Math.max(run.toLine, line);
    return run;
  };

  const limits = options.limits;

  /**
   * The record of a final frame: its values under interned names (a record must not keep the line it was
   * read from alive), at most the per-record cap of them.
   */
  const recordOf = (frame: Frame, line: number, header: Slot['header']): Epoch => {
    const metrics: Record<string, number> = {};
    let kept = 0;
    let dropped = 0;
    for (const [raw, value] of frame.metrics) {
      const name = limits === undefined ? raw : limits.name(raw, line);
      if (name === null) continue;
      if (kept >= PARSE_LIMITS.valuesPerRecord) {
        dropped += 1;
        continue;
      }
      kept += 1;
      Object.defineProperty(metrics, name, { value, enumerable: true, writable: true, configurable: true });
    }
    if (dropped > 0) limits?.tooManyValues(line, dropped);
    const f = frame;
    const record: Epoch = {
      epoch: 1,
      of: header?.of ?? null,
      metrics,
      steps: f.hasCounter && f.done !== null && f.total !== null ? stepsOf(f.done, f.total) : null,
      countUnit: f.countUnit,
      seconds: f.seconds,
      stepTime: f.stepTime,
      line,
    };
    if (header !== null && header.printed !== header.epoch) record.epochValue = header.printed;
    return record;
  };

  const runHasEpochs = (): boolean => run !== null && (run.epochs.length > 0 || slot.final !== null);

  const closeSlot = (atEnd: boolean): void => {
    const s = slot;
    slot = newSlot(null);
    if (s.final) {
      const r = currentRun(s.final.line);
      const record = recordOf(s.final.frame, s.final.line, s.header);
      if (limits !== undefined && !limits.keep(Object.keys(record.metrics).length)) return;
      const pending: PendingEpoch = {
        epoch: null,
        headerEpoch: s.header?.epoch ?? null,
        hintPrinted: s.hintPrinted,
        record,
      };
      r.epochs.push(pending);
      if (options.onEpoch) {
        const previous = r.epochs.at(-2)?.epoch ?? null;
        const provisional =
          pending.headerEpoch ?? (pending.hintPrinted === null ? null : pending.hintPrinted);
        pending.epoch = provisional ?? (previous === null ? null : previous + 1);
        if (!s.emitted)
          options.onEpoch({ ...record, epoch: Math.max(1, pending.epoch ?? r.epochs.length) }, runIndex);
        if (provisional === null) pending.epoch = null; // resolved from neighbours when the run ends
      }
      for (const u of s.unnumbered)
        r.events.push({ message: u.message, line: u.line, printed: null, owner: pending });
      for (const d of heldDatasets) r.datasets.push(d);
      for (const e of heldEvents) r.events.push(e);
      heldDatasets = [];
      heldEvents = [];
      return;
    }
    for (const u of s.unnumbered) {
      // the epoch never completed, but its header says which one it was (TerminateOnNaN in a cut log)
      const forced = s.header?.epoch ?? null;
      currentRun(u.line).events.push({
        message: u.message,
        line: u.line,
        printed: null,
        owner: null,
        forced,
      });
    }
    const started = s.progressLine ?? s.header?.line ?? null;
    if (started === null || s.reported) return;
    const name = s.header ? `epoch ${s.header.epoch}` : 'an epoch';
    if (atEnd) {
      issue('truncated-epoch', started, `the log ends inside ${name}: its final progress line is missing`);
    } else {
      issue('incomplete-epoch', started, `${name} has no final progress line before the next epoch starts`);
    }
  };

  const finishRun = (): void => {
    const r = run;
    run = null;
    if (r === null) return;
    if (r.epochs.length === 0) {
      heldDatasets = [...r.datasets, ...heldDatasets];
      heldEvents = [...r.events.filter((e) => e.owner === null), ...heldEvents];
      return;
    }
    options.onRun(buildRun(r, runIndex, dialect, options.file, issue));
    runIndex += 1;
  };

  const onHeader = (printed: { epoch: number; of: number }, line: number): void => {
    // headers that count from 0 (`Epoch 0/3`, a hand-written loop): the run is read as 0-based
    const shiftOf = (r: RunState | null): number =>
      r !== null && r.lastHeader !== null ? r.headerShift : printed.epoch === 0 ? 1 : 0;
    let header = { epoch: printed.epoch + shiftOf(run), of: printed.of };
    if (
      slot.header &&
      slot.final === null &&
      slot.progressLine === null &&
      header.epoch <= slot.header.epoch
    ) {
      // a repeated header (notebook re-display), or TF 2.1's spurious `Epoch 1/N` right after the real
      // header (tensorflow#35815, pitfall 15): the first header stands
      return;
    }
    if (slot.header && slot.header.epoch === header.epoch && slot.final === null) return;
    closeSlot(false);
    const r = run;
    let epoch: number | null = header.epoch;
    if (r !== null && r.lastHeader !== null && header.epoch <= r.lastHeader) {
      if (header.epoch === 1 && header.of === 1 && r.onlySingleEpochHeaders) {
        // `for ...: model.fit(epochs=1)` prints `Epoch 1/1` each time (pitfall 15): one curve
        if (!r.loopReported) {
          issue('ambiguous', line, "repeated 'Epoch 1/1' headers read as one run of single-epoch fit calls");
          r.loopReported = true;
        }
        epoch = null;
      } else {
        finishRun();
        header = { epoch: printed.epoch + shiftOf(null), of: printed.of };
        epoch = header.epoch;
      }
    }
    const rr = currentRun(line);
    if (rr.lastHeader === null) {
      rr.headerShift = header.epoch - printed.epoch;
      if (rr.headerShift > 0) {
        issue(
          'ambiguous',
          line,
          "the epoch headers count from 0 ('Epoch 0/N'): read as 0-based, so epoch 1 comes first",
        );
      }
    }
    if (epoch !== null) rr.lastHeader = epoch;
    else rr.lastHeader = (rr.lastHeader ?? 0) + 1;
    if (!(header.epoch === 1 && header.of === 1)) rr.onlySingleEpochHeaders = false;
    slot = newSlot(epoch === null ? null : { epoch, of: header.of, line, printed: printed.epoch });
  };

  const onFrame = (frame: Frame, piece: string, line: number, atEnd: boolean): void => {
    // a bracketed bar stopped short without an ETA is a finalized epoch that ended early
    // (TerminateOnNaN, stop_training): Keras draws it with the elapsed time (spec §5.6)
    const stoppedEarly = frame.bracketBar && !frame.eta && frame.seconds !== null && frame.stepTime !== null;
    const final = frame.hasCounter
      ? !frame.eta &&
        frame.total !== null &&
        frame.done !== null &&
        (frame.done >= frame.total || stoppedEarly)
      : frame.seconds !== null;
    if (!final) {
      onProgress(frame.total, line);
      return;
    }
    if (frame.cut && !atEnd) {
      issue(
        'unparsed-epoch-line',
        line,
        'a final progress line is cut inside its bar; its epoch is not counted',
      );
      slot.progressLine = null;
      slot.reported = true;
      return;
    }
    // predict/download bars and bare counters are not epochs
    if (frame.metrics.size === 0 && frame.badValues.length === 0) return;
    if (frame.badValues.length > 0) issue('bad-value', line, describeBadValues(frame.badValues));
    if (frame.duplicates.length > 0) {
      const names = [...new Set(frame.duplicates)];
      issue(
        'duplicate-metric',
        line,
        `${names
          .slice(0, 5)
          .map((n) => shorten(n, 80))
          .join(
            ', ',
          )}${names.length > 5 ? ` and ${names.length - 5} more` : ''} printed twice in one line: the later value is kept`,
      );
    }
    const r = currentRun(line);
    if (!frame.hasCounter && !piece.startsWith('-')) r.familyA = true;
    if (
      frame.hasCounter &&
      frame.seconds !== null &&
      frame.stepTime === null &&
      /^\d+\/\d+\s*\[/.test(piece)
    ) {
      r.familyA = true;
    }
    if (atEnd && looksCut(frame, previousKeys())) {
      slot.progressLine = line;
      return;
    }
    const current = slot.final;
    if (current === null) {
      slot.final = { frame, line };
      emitEarly();
      return;
    }
    const sameTarget = current.frame.total === frame.total;
    const keysBefore = [...current.frame.metrics.keys()];
    const superset = keysBefore.every((k) => frame.metrics.has(k));
    const strictlyMore = superset && frame.metrics.size > current.frame.metrics.size;
    if (slot.header === null && sameTarget && superset && !strictlyMore) {
      closeSlot(false); // header-less runs print one final line per epoch
      slot.final = { frame, line };
      emitEarly();
      return;
    }
    if (sameTarget && superset) {
      // Keras 3 draws the last batch before validation with the same shape (pitfall 12),
      // and duplicated ProgbarLoggers print the final line twice (pitfall 13): the later line wins
      slot.final = { frame, line };
      emitEarly();
      return;
    }
    issue(
      'ignored-bar',
      line,
      'a progress line after the epoch’s final line (evaluate or predict?) is not counted as an epoch',
    );
  };

  /**
   * Live status as soon as the epoch's final line is there: a final frame with validation metrics is the
   * last line of its epoch (Keras prints them only there); without validation, the epoch is announced
   * when the next one starts (the pre-validation frame of Keras 3 looks the same). Callback lines that
   * follow still attach to this epoch in the run delivered at the end.
   */
  const emitEarly = (): void => {
    const final = slot.final;
    if (options.onEpoch === undefined || final === null || slot.emitted) return;
    if (final.line === announcedLine) {
      slot.emitted = true; // announced while it waited for a possible continuation line
      return;
    }
    if (![...final.frame.metrics.keys()].some((k) => k.startsWith('val_'))) return;
    slot.emitted = true;
    announce(final.frame, final.line);
  };

  /** The line a final frame was announced from before it was handled (see `deferred`). */
  let announcedLine: number | null = null;

  const announce = (frame: Frame, line: number): void => {
    if (options.onEpoch === undefined) return;
    const final = { frame, line };
    const r = currentRun(final.line);
    const previous = r.epochs.at(-1)?.epoch ?? null;
    const provisional = slot.header?.epoch ?? slot.hintPrinted;
    const epoch = provisional ?? (previous === null ? r.epochs.length + 1 : previous + 1);
    const record = recordOf(final.frame, final.line, slot.header);
    options.onEpoch({ ...record, epoch: Math.max(1, epoch) }, runIndex);
  };

  /**
   * A final frame waits for the next line (it may be wrapped onto it), but live status must not: a
   * complete final frame with validation metrics is announced now.
   */
  const announceDeferred = (piece: string, line: number): void => {
    // only under a header: a header-less run's slot still holds the previous epoch until this frame is handled
    if (options.onEpoch === undefined || slot.header === null) return;
    const frame = parseFrame(piece);
    if (frame === null || !frame.hasCounter || frame.eta || frame.cut || frame.done === null) return;
    // Keras 3's pre-validation frame of the same epoch may be there already; anything else is not ours
    if (slot.final !== null && slot.final.frame.total !== frame.total) return;
    if (frame.total === null || frame.done < frame.total || frame.badValues.length > 0) return;
    if (frame.lastValueText === null || !isCompleteKerasValue(frame.lastValueText)) return;
    if (![...frame.metrics.keys()].some((k) => k.startsWith('val_'))) return;
    announcedLine = line;
    announce(frame, line);
  };

  const onProgress = (total: number | null, line: number): void => {
    if (slot.final !== null && slot.header === null && total === slot.final.frame.total) {
      closeSlot(false); // a header-less run (epochs=1 loop): a new bar starts a new epoch
    }
    slot.progressLine = line;
  };

  const previousKeys = (): string[] | null => {
    if (slot.final !== null) return [...slot.final.frame.metrics.keys()];
    const prev = run?.epochs[run.epochs.length - 1]?.record ?? null;
    return prev ? Object.keys(prev.metrics) : null;
  };

  const onMessage = (message: RealMessage, printed: number | null, line: number): void => {
    if (printed === null) {
      slot.unnumbered.push({ message, line });
      return;
    }
    if (END_OF_EPOCH_KINDS.has(message.kind) && slot.header === null && slot.hintPrinted === null) {
      slot.hintPrinted = printed;
    }
    const event: PendingEvent = { message, line, printed, owner: null };
    if (message.kind === 'lr-scheduled' && runHasEpochs()) heldEvents.push(event);
    else currentRun(line).events.push(event);
  };

  const onDatasets = (text: string, line: number): void => {
    for (const d of findDatasets(text)) {
      const dataset: Dataset = { ...d, line: mapLine(line) };
      if (runHasEpochs()) heldDatasets.push(dataset);
      else currentRun(line).datasets.push(dataset);
    }
  };

  const onOther = (text: string, line: number): void => {
    onDatasets(text, line);
    if (isMetricContinuation(text)) {
      if (lastOrphanLine !== line - 1 && lastOrphanLine !== line) {
        issue('orphan-metrics', mapLine(line), 'metric values with no progress line to belong to');
      }
      lastOrphanLine = line;
    }
  };

  const handlePiece = (piece: string, line: number, atEnd: boolean): void => {
    const first = piece.charCodeAt(0);
    if (first === 69 /* E */ || first === 82 /* R */ || first === 66 /* B */) {
      const header = parseHeader(piece);
      if (header) {
        onHeader(header, mapLine(line));
        if (header.rest.length > 0) handlePiece(header.rest, line, atEnd);
        return;
      }
      const message = parseMessage(piece);
      if (message) {
        if (message.message.kind !== 'other') onMessage(message.message, message.printedEpoch, mapLine(line));
        if (message.rest.trim().length > 0) onOther(message.rest, line);
        return;
      }
    }
    const progress = IN_PROGRESS.exec(piece);
    const runningBracket = progress !== null && (!progress[0].includes('[') || piece.includes('ETA:'));
    if (
      progress !== null &&
      runningBracket &&
      (progress[2] === 'Unknown' || Number(progress[1]) < Number(progress[2]))
    ) {
      // an in-progress frame: only its place matters (cheap path for frames run together, §8.5)
      onProgress(progress[2] === 'Unknown' ? null : Number(progress[2]), mapLine(line));
      return;
    }
    const frame = parseFrame(piece);
    if (frame) {
      onFrame(frame, piece, mapLine(line), atEnd);
      if (frame.trailing !== null) onOther(frame.trailing, line);
      return;
    }
    onOther(piece, line);
  };

  const flushDeferred = (): void => {
    const d = deferred;
    deferred = null;
    if (d) handlePiece(d.text, d.line, d.atEnd);
  };

  const continues = (d: Deferred, text: string): string | null => {
    const open = d.text.lastIndexOf('[');
    if (open >= 0 && d.text.indexOf(']', open) === -1 && /^[=>.]*\]/.test(text)) return d.text + text;
    if (!isMetricContinuation(text)) return null;
    if (text.startsWith('- ') || d.text.trimEnd().endsWith('-')) return `${d.text.trimEnd()} ${text}`;
    return null;
  };

  return {
    line(tl: TerminalLine): void {
      if (tl.blindCut === true && blindCutLine !== tl.line) {
        blindCutLine = tl.line;
        issue(
          'line-too-long',
          mapLine(tl.line),
          'an over-long line was cut where no epoch record starts; a record at the cut may be incomplete',
        );
      }
      const text = cleanLine(tl.text);
      if (text.length === 0) {
        if (!tl.continues) flushDeferred();
        return;
      }
      if (deferred) {
        const joined = continues(deferred, text);
        if (joined !== null) {
          deferred = { text: joined, line: deferred.line, atEnd: !tl.terminated && !tl.continues };
          return;
        }
        flushDeferred();
      }
      const pieces = splitRecords(text);
      const atEndOfInput = !tl.terminated && !tl.continues;
      for (let i = 0; i < pieces.length; i += 1) {
        const piece = (pieces[i] ?? '').trim();
        const last = i === pieces.length - 1;
        if (last && !atEndOfInput && /^\d+\/(?:\d+|Unknown)/.test(piece)) {
          deferred = { text: piece, line: tl.line, atEnd: false };
          announceDeferred(piece, mapLine(tl.line));
          continue;
        }
        handlePiece(piece, tl.line, last && atEndOfInput);
      }
    },
    end(): void {
      flushDeferred();
      closeSlot(true);
      finishRun();
    },
  };
}

/** An unterminated last line that stops inside a value, or before all the metrics of the run. */
function looksCut(frame: Frame, previousKeys: string[] | null): boolean {
  if (frame.cut) return true;
  if (frame.lastValueText !== null && !isCompleteKerasValue(frame.lastValueText)) return true;
  if (previousKeys !== null && !previousKeys.every((k) => frame.metrics.has(k))) return true;
  return false;
}

type IssueSink = (kind: ParseIssue['kind'], line: number | null, message: string) => void;

/** Resolves epoch numbers (headers, message hints, neighbours) and turns the run into records. */
function buildRun(r: RunState, index: number, dialect: Dialect, file: string | null, issue: IssueSink): Run {
  const printedNumbers = r.events.map((e) => e.printed).filter((p): p is number => p !== null);
  const zeroBased = printedNumbers.includes(0) || (r.familyA && printedNumbers.length > 0);
  const offset = zeroBased ? 1 : 0;

  for (const e of r.epochs) {
    e.epoch = e.headerEpoch ?? (e.hintPrinted === null ? null : e.hintPrinted + offset);
  }
  numberFromNeighbours(r.epochs);
  const epochs: Epoch[] = [];
  let previous: number | null = null;
  for (const e of r.epochs) {
    const number: number = e.epoch ?? (previous ?? 0) + 1;
    if (previous !== null && number <= previous) {
      issue(
        'duplicate-epoch',
        e.record.line,
        `epoch ${number} appears again in the same run; both are kept in order`,
      );
    }
    previous = number;
    e.record.epoch = number;
    epochs.push(e.record);
  }
  const events: Event[] = [];
  for (const e of r.events) {
    const epoch =
      e.owner !== null ? e.owner.epoch : e.printed === null ? (e.forced ?? null) : e.printed + offset;
    events.push({ ...e.message, epoch: epoch !== null && epoch >= 1 ? epoch : null, line: e.line });
  }
  events.sort((a, b) => a.line - b.line);
  let fromLine = r.fromLine;
  let toLine = r.toLine;
  for (const record of [...epochs, ...events, ...r.datasets]) {
    fromLine = Math.min(fromLine, record.line);
    toLine = Math.max(toLine, record.line);
  }
  return { index, epochs, events, datasets: r.datasets, source: { dialect, file, fromLine, toLine } };
}

/** Header-less epochs take their number from the nearest numbered neighbour (pitfall 14 excerpts). */
function numberFromNeighbours(epochs: PendingEpoch[]): void {
  let nextKnown: { at: number; epoch: number } | null = null;
  for (let i = epochs.length - 1; i >= 0; i -= 1) {
    const e = epochs[i];
    if (e === undefined) continue;
    if (e.epoch !== null) nextKnown = { at: i, epoch: e.epoch };
    else if (nextKnown !== null && nextKnown.epoch - (nextKnown.at - i) >= 1) {
      e.epoch = nextKnown.epoch - (nextKnown.at - i);
    }
  }
  let previous = 0;
  for (const e of epochs) {
    if (e.epoch === null) e.epoch = previous + 1;
    previous = e.epoch;
  }
}

/** What a bad-value issue says: the names and printed texts (the first few), and how many more. */
function describeBadValues(bad: ReadonlyArray<{ name: string; text: string }>): string {
  const shown = bad
    .slice(0, 5)
    .map((b) =>
      b.name === '(item)'
        ? JSON.stringify(shorten(b.text, 60))
        : `${shorten(b.name, 80)} is ${JSON.stringify(shorten(b.text, 60))}`,
    );
  const more = bad.length > 5 ? ` and ${bad.length - 5} more` : '';
  return `${shown.join(', ')}${more}: not a number, left out of this epoch`;
}

const KERAS_HEADER_LINE = /^Epoch \d+\/\d+$/;

/**
 * Keras console output: its progress frames are its signature (certain); `Epoch k/N` headers alone
 * could also be a PyTorch tutorial loop's. Keras is also the reader of last resort for text nobody
 * recognised (its no-epochs issue then says so).
 */
function sniffKeras(head: SniffHead): number {
  const c = head.census;
  if (c.kerasFrames > 0) return 0.98;
  if (c.kerasHeaders > 0 && c.valueLines === 0 && c.epochLines === 0) {
    return head.lines.some((l) => KERAS_HEADER_LINE.test(l.trim())) ? 0.6 : 0.1;
  }
  return 0.05;
}

export const kerasTextReader: ReaderEntry = {
  dialect: 'keras-text',
  aliases: ['keras'],
  binary: false,
  fileHint: null,
  sniff: sniffKeras,
  create(ctx: ReaderContext): FormatReader {
    const parser = createKerasTextParser({
      file: ctx.file,
      onRun: ctx.onRun,
      onIssue: ctx.onIssue,
      limits: ctx.limits,
      ...(ctx.onEpoch ? { onEpoch: ctx.onEpoch } : {}),
    });
    return {
      kind: 'lines',
      line: (l) => parser.line(l),
      end() {
        parser.end();
        return { fatal: null };
      },
    };
  },
};
