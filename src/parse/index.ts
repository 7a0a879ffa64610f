/**
 * The parser front door: bytes in (any chunking), runs and issues out. Finds the encoding (UTF-8, or
 * UTF-16/UTF-32 with a byte-order mark or recognised without one), refuses binary data unless the head is
 * a binary format of the readers table (TensorBoard event files), sniffs the format (`sniff.ts`, the table
 * in `readers.ts`), and hands the input to that format's reader as it comes: line-based readers through
 * the terminal model, documents (JSON, CSV) as decoded text, binary readers as bytes. Nothing holds the
 * whole input: the caps of `limits.ts` bound what is kept, and an input beyond them fails with one line.
 */
import { TextDecoder } from 'node:util';
import { PARSE_LIMITS, type Dialect, type Epoch, type ParseIssue, type Run } from '../model/index.js';
import { createDecoder, detectEncoding, type Decoder } from './encoding.js';
import { escapeControl } from '../report/escape.js';
import { boundedIssues, createInputLimits, thousands } from './limits.js';
import { INPUT_FORMATS, READERS, readerForInputFormat } from './readers.js';
import { buildHead, CERTAIN, chooseReader, createHeadTracker, SNIFF_CHARS } from './sniff.js';
import { createTerminal, MAX_WORD_CHARS, type Terminal } from './terminal.js';
import type { Census, FormatReader, ParseResult, ReaderEntry, SniffHead } from './types.js';

export type { ParseResult, ParseOptions } from './types.js';
export { INPUT_FORMATS } from './readers.js';

/**
 * `--input-format`: `auto` sniffs the content; otherwise a dialect name or one of its aliases
 * (`keras`, `csv`, `json`, `ipynb`, `pytorch`, `lightning`, ...; see {@link INPUT_FORMATS}).
 */
export type InputFormat = string;

/** Callbacks and hints for {@link createParser}. */
export interface ParserOptions {
  onRun: (run: Run) => void;
  onIssue?: (issue: ParseIssue) => void;
  /** Each epoch as soon as it completes (streamed formats; whole-file formats report at the end). */
  onEpoch?: (epoch: Epoch, run: number) => void;
  /** The file as the user named it; copied into every run, and its name breaks sniffing ties. */
  file?: string | null;
  inputFormat?: InputFormat;
  /** `--metric` names: what a bare list of values is called (default `val_value`). */
  metricNames?: readonly string[];
}

/** What a finished parse says about the input as a whole. */
export interface ParseSummary {
  /** The dialect that was read; null when nothing could be read. */
  dialect: Dialect | null;
  runs: number;
  epochs: number;
  /** Set when the input could not be read at all (binary data, malformed file): a one-line reason. */
  fatal: string | null;
}

/** A streaming parser: feed chunks split anywhere (even inside a UTF-8 character or `\r\n`), then end. */
export interface Parser {
  /** Keeps no reference to `chunk` once it returns: the caller may fill the same buffer again. */
  feed(chunk: Uint8Array | string): void;
  /** The input already proved unreadable (binary data, over a limit): reading on is pointless. */
  failed(): boolean;
  /**
   * Whether the chosen reader reads the input as one document (JSON, CSV tables) rather than line by
   * line; null while the format is not decided yet.
   */
  readsWhole(): boolean | null;
  end(): ParseSummary;
}

const BINARY_PROBE_BYTES = 8000;
/** Bytes of a document decoded at once (see `route`). */
const DOCUMENT_SLICE_BYTES = 32 * 1024;
/** Bytes a binary format's sniffer needs (a TFRecord header). */
const BINARY_HEAD_BYTES = 16;
const BINARY_DATA = 'binary data (NUL bytes), not a text log';

/** Creates a streaming parser. */
export function createParser(options: ParserOptions): Parser {
  const file = options.file ?? null;
  const inputFormat = options.inputFormat ?? 'auto';
  let runs = 0;
  let epochs = 0;
  let fatal: string | null = null;
  let sawInput = false;
  let probedBytes = 0;
  let binary = false;
  let entry: ReaderEntry | null = null;
  if (inputFormat !== 'auto') {
    entry = readerForInputFormat(inputFormat);
    if (entry === null) fatal = `unknown input format '${inputFormat}' (one of: ${INPUT_FORMATS.join(', ')})`;
  }
  let reader: FormatReader | null = null;
  /** The encoding, once the first bytes decided it; bytes held until then. */
  let decoder: Decoder | null = null;
  let encodingHead: Uint8Array = new Uint8Array(0);
  /** Input held until the sniffer has seen enough of it. */
  let headText = '';
  let headChunks: Array<Uint8Array | string> = [];
  let headBytes = new Uint8Array(0);
  let head: SniffHead | null = null;
  /** Follows the held head to its second non-blank line (the head's end). */
  const headTracker = createHeadTracker();
  const sniffDecoder = new TextDecoder('utf-8');
  const documentDecoder = new TextDecoder('utf-8');
  let terminal: Terminal | null = null;
  let replacementReported = false;
  let noEpochsReported = false;

  const bounded = boundedIssues((issue) => {
    if (issue.kind === 'no-epochs' || issue.kind === 'not-a-log') noEpochsReported = true;
    options.onIssue?.(issue);
  });
  const onIssue = bounded.onIssue;
  const limits = createInputLimits({
    onIssue,
    onExceeded: (reason) => {
      fatal ??= reason;
    },
  });
  const onRun = (run: Run): void => {
    if (fatal !== null) return;
    if (runs >= PARSE_LIMITS.runs) {
      fatal = `more than ${thousands(PARSE_LIMITS.runs)} runs in one input (epochlint's limit, which keeps memory bounded): not read; split the log`;
      return;
    }
    const checked = checkRun(run, onIssue);
    runs += 1;
    epochs += checked.epochs.length;
    options.onRun(checked);
  };
  const reportReplacement = (line: number | null): void => {
    if (replacementReported) return;
    replacementReported = true;
    onIssue({ kind: 'invalid-utf8', line, message: 'bytes that are not valid UTF-8 were replaced' });
  };

  const start = (chosen: ReaderEntry): void => {
    entry = chosen;
    const r = chosen.create({
      file,
      metricNames: options.metricNames ?? [],
      onRun,
      onIssue,
      limits,
      ...(options.onEpoch
        ? {
            onEpoch: (epoch: Epoch, run: number) => {
              if (fatal === null) options.onEpoch?.(epoch, run);
            },
          }
        : {}),
    });
    reader = r;
    if (r.kind === 'lines') {
      terminal = createTerminal(
        (line) => {
          if (fatal !== null) return;
          if (line.text.includes('\uFFFD')) reportReplacement(line.line);
          if (line.longWord === true) {
            onIssue({
              kind: 'line-too-long',
              line: line.line,
              message: `a word of more than ${MAX_WORD_CHARS} characters without a space: the rest of it is skipped`,
            });
          }
          r.line(line);
        },
        undefined,
        { epochFrames: r.epochFrames === true },
      );
    }
  };

  /** Hands a chunk to the reader once the format is known. */
  const route = (chunk: Uint8Array | string): void => {
    const r = reader;
    if (fatal !== null || r === null) return;
    if (r.kind === 'lines') {
      const t = terminal;
      if (typeof chunk === 'string') t?.write(chunk);
      else t?.writeBytes(chunk);
    } else if (r.kind === 'chars') {
      if (typeof chunk === 'string') {
        if (!replacementReported && chunk.includes('\uFFFD')) reportReplacement(null);
        r.write(chunk);
        return;
      }
      // decoded in small slices: strings past ~128 KB live outside the young generation, and a file read
      // in 1 MiB chunks would leave one such string behind per chunk until a full collection
      for (let at = 0; at < chunk.length && fatal === null; at += DOCUMENT_SLICE_BYTES) {
        const text = documentDecoder.decode(chunk.subarray(at, at + DOCUMENT_SLICE_BYTES), { stream: true });
        if (!replacementReported && text.includes('\uFFFD')) reportReplacement(null);
        r.write(text);
      }
    } else if (typeof chunk === 'string') {
      fatal = 'a binary format cannot be read from text';
    } else {
      r.feed(chunk);
    }
  };

  /** Decides the format from the head (or takes the forced one) and replays the held input. */
  const decide = (complete: boolean): void => {
    let chosen = entry;
    if (chosen === null) {
      const decision = decideFormat(headText.replace(/^\uFEFF/, ''), {
        complete,
        binary,
        bytes: headBytes,
        fileName: file,
      });
      head = decision.head;
      chosen = decision.entry;
      if (chosen === null && binary) {
        fatal = BINARY_DATA;
        return;
      }
    } else if (binary && !chosen.binary) {
      fatal = BINARY_DATA;
      return;
    }
    start(chosen ?? readerForInputFormat('keras-text') ?? (READERS[0] as ReaderEntry));
    const chunks = headChunks;
    headChunks = [];
    headText = '';
    for (const chunk of chunks) route(chunk);
  };

  let checkpointsTried = 0;
  const hold = (chunk: Uint8Array | string): void => {
    // bytes are copied: a chunk is the caller's only while `feed` runs (a file is read into one buffer)
    headChunks.push(typeof chunk === 'string' ? chunk : new Uint8Array(chunk));
    const text = typeof chunk === 'string' ? chunk : sniffDecoder.decode(chunk, { stream: true });
    headText += text;
    headTracker.push(text);
    if (entry !== null) {
      decide(false);
      return;
    }
    if (binary) {
      if (headBytes.length >= BINARY_HEAD_BYTES) decide(false);
      return;
    }
    // the head is its first 8 KB and, however long they are, its first two lines (a wide CSV's header and row)
    if (headText.length >= SNIFF_CHARS && headTracker.done()) {
      decide(false);
      return;
    }
    // live logs must not wait for 8 KB: at each checkpoint of complete lines, a certain format decides
    const lines = headTracker.lines();
    if (lines >= (CHECKPOINTS[checkpointsTried] ?? Number.POSITIVE_INFINITY)) {
      const early = earlyDecision(headText.replace(/^\uFEFF/, ''), file, checkpointsTried);
      checkpointsTried = early.tried;
      if (early.entry !== null) decide(false);
    }
  };

  const keepHeadBytes = (bytes: Uint8Array): void => {
    if (headBytes.length >= BINARY_HEAD_BYTES) return;
    const joined = new Uint8Array(Math.min(BINARY_HEAD_BYTES, headBytes.length + bytes.length));
    joined.set(headBytes, 0);
    joined.set(bytes.subarray(0, joined.length - headBytes.length), headBytes.length);
    headBytes = joined;
  };

  const hasNul = (bytes: Uint8Array): boolean => {
    const end = Math.min(bytes.length, BINARY_PROBE_BYTES - probedBytes);
    probedBytes += Math.max(0, end);
    for (let i = 0; i < end; i += 1) if (bytes[i] === 0) return true;
    return false;
  };

  const accept = (chunk: Uint8Array | string): void => {
    if (reader === null) hold(chunk);
    else route(chunk);
  };

  /** Bytes in the decided encoding: UTF-8 goes on as bytes (the terminal scans them), others as text. */
  const acceptBytes = (bytes: Uint8Array): void => {
    const d = decoder as Decoder;
    if (d.encoding !== 'utf-8') {
      const text = d.decode(bytes, true);
      if (text.length > 0) accept(text);
      return;
    }
    if (reader === null) keepHeadBytes(bytes);
    if (probedBytes < BINARY_PROBE_BYTES && hasNul(bytes) && !binary) {
      binary = true;
      const r = reader;
      if (r !== null && r.kind !== 'bytes') {
        fatal = BINARY_DATA;
        return;
      }
    }
    accept(bytes);
  };

  /** Decides the encoding from the first bytes (held until it can), then passes them on. */
  const decideEncoding = (bytes: Uint8Array, complete: boolean): void => {
    let held = bytes;
    if (encodingHead.length > 0) {
      held = new Uint8Array(encodingHead.length + bytes.length);
      held.set(encodingHead, 0);
      held.set(bytes, encodingHead.length);
    }
    const found = detectEncoding(held, complete);
    if (found === null) {
      encodingHead = held === bytes ? new Uint8Array(bytes) : held;
      return;
    }
    encodingHead = new Uint8Array(0);
    decoder = createDecoder(found.encoding, found.skip > 0);
    if (found.encoding !== 'utf-8' && found.skip === 0) {
      onIssue({
        kind: 'ambiguous',
        line: null,
        message: `no byte-order mark, but the bytes are ${found.encoding.toUpperCase()} text: read as such`,
      });
    }
    const rest = held.subarray(found.skip);
    if (rest.length > 0) acceptBytes(rest);
  };

  return {
    failed: () => fatal !== null,
    readsWhole: () => (reader === null ? null : reader.kind === 'chars'),
    feed(chunk: Uint8Array | string): void {
      if (fatal !== null || chunk.length === 0) return;
      if (typeof chunk === 'string') {
        accept(!sawInput ? chunk.replace(/^\uFEFF/, '') : chunk);
        sawInput = true;
        probedBytes += chunk.length;
        return;
      }
      sawInput = true;
      if (decoder === null) decideEncoding(chunk, false);
      else acceptBytes(chunk);
    },
    end(): ParseSummary {
      if (fatal === null && decoder === null && encodingHead.length > 0)
        decideEncoding(new Uint8Array(0), true);
      const d = decoder;
      if (fatal === null && d !== null && d.encoding !== 'utf-8') {
        const rest = d.decode(new Uint8Array(0), false);
        if (rest.length > 0) accept(rest);
      }
      if (fatal === null && reader === null) {
        headText += sniffDecoder.decode();
        if (!binary && headText.trim().length === 0) fatal = 'empty input';
        else decide(true);
      }
      const r = reader;
      if (fatal === null && r !== null) {
        let end: { fatal: string | null };
        if (r.kind === 'lines') {
          terminal?.end();
          end = r.end();
        } else if (r.kind === 'chars') {
          const rest = documentDecoder.decode();
          if (rest.length > 0) route(rest);
          end = fatal === null ? r.end() : { fatal };
        } else {
          end = r.end();
        }
        fatal ??= end.fatal;
      }
      const dialect = entry?.dialect ?? null;
      if (fatal === null && epochs === 0 && !noEpochsReported) {
        onIssue(noEpochsIssue(dialect, head?.census ?? null));
      }
      bounded.finish();
      // a reason may quote the input (a syntax error's character, a format name): escaped once here
      return {
        dialect: fatal === null ? dialect : null,
        runs,
        epochs,
        fatal: fatal === null ? null : escapeControl(fatal),
      };
    },
  };
}

/**
 * The records of a run as the model defines them, whatever a reader did: an epoch number below 1 (a
 * log that counts from 0 where its reader did not expect it) renumbers the run by position, said in an
 * `ambiguous` issue, so no record ever breaks the schema downstream.
 */
function checkRun(run: Run, onIssue: (issue: ParseIssue) => void): Run {
  let bad = false;
  for (const e of run.epochs) {
    if (!Number.isInteger(e.epoch) || e.epoch < 1 || (e.of !== null && !(e.of >= 1))) {
      bad = true;
      break;
    }
  }
  if (!bad) return run;
  onIssue({
    kind: 'ambiguous',
    line: run.epochs[0]?.line ?? null,
    message: 'epoch numbers below 1 in this run: its records are numbered by position',
  });
  const epochs = run.epochs.map((e, i) => ({
    ...e,
    epoch: i + 1,
    of: e.of !== null && e.of >= 1 ? e.of : null,
    epochValue: e.epochValue ?? e.epoch,
  }));
  return { ...run, epochs };
}

/**
 * Sniffing checkpoints, in complete lines: the first prefix of this many lines on which one format is
 * certain decides; otherwise the whole head (8 KB, or all of a shorter input) does. Prefixes, not chunk
 * boundaries, so any chunking of an input gives the same decision.
 */
const CHECKPOINTS = [2, 4, 8, 16, 32, 64, 128, 256];

/** The end of the k-th line (after its `\n`), or -1. */
function lineEnd(text: string, k: number): number {
  let at = -1;
  for (let n = 0; n < k; n += 1) {
    at = text.indexOf('\n', at + 1);
    if (at < 0 || at >= SNIFF_CHARS) return -1;
  }
  return at + 1;
}

/** Tries the checkpoints from `from` on; returns the certain reader (or null) and how many were tried. */
function earlyDecision(
  text: string,
  fileName: string | null,
  from: number,
): { entry: ReaderEntry | null; tried: number; head: SniffHead | null } {
  let tried = from;
  for (; tried < CHECKPOINTS.length; tried += 1) {
    const end = lineEnd(text, CHECKPOINTS[tried] ?? 0);
    if (end < 0) break;
    const head = buildHead(text.slice(0, end), {
      complete: false,
      binary: false,
      bytes: new Uint8Array(0),
      fileName,
    });
    const best = chooseReader(head, READERS);
    if (best !== null && best.score >= CERTAIN) return { entry: best.entry, tried: tried + 1, head };
  }
  return { entry: null, tried, head: null };
}

/** The format of an input from its head: a certain checkpoint prefix, else the best score on the head. */
function decideFormat(
  text: string,
  options: { complete: boolean; binary: boolean; bytes: Uint8Array; fileName: string | null },
): { entry: ReaderEntry | null; head: SniffHead } {
  if (!options.binary) {
    const early = earlyDecision(text, options.fileName, 0);
    if (early.entry !== null && early.head !== null) return { entry: early.entry, head: early.head };
  }
  const head = buildHead(text, options);
  return { entry: chooseReader(head, READERS)?.entry ?? null, head };
}

/** Says what the text held when no record was found (which shapes), or that nothing looked like a log. */
function noEpochsIssue(dialect: Dialect | null, census: Census | null): ParseIssue {
  if (census === null)
    return { kind: 'no-epochs', line: null, message: 'no completed epoch found in the input' };
  const shapes: string[] = [];
  const add = (n: number, what: string): void => {
    if (n > 0) shapes.push(`${n} ${what}`);
  };
  add(census.kerasHeaders, "'Epoch k/N' header(s)");
  add(census.kerasFrames, 'Keras progress frame(s)');
  add(census.epochLines, 'line(s) with an epoch number and values');
  add(census.epochMarks - census.epochLines, 'line(s) with an epoch number only');
  add(census.valueLines, 'line(s) of named values without an epoch number');
  add(census.bars, 'progress bar(s)');
  add(census.numberRows, 'line(s) of numbers only');
  add(census.dicts, 'dict line(s)');
  const logLike = shapes.length > 0;
  add(census.nameRows, 'line(s) of names only');
  if (!logLike) {
    return {
      kind: 'not-a-log',
      line: null,
      message: `not a training log: no epoch line, metric value, progress bar or table row in its first ${census.lines} line(s)`,
    };
  }
  return {
    kind: 'no-epochs',
    line: census.firstValueLine,
    message: `no completed epoch found (read as ${dialect ?? 'text'}; its first ${census.lines} line(s) hold ${shapes.join(', ')}, but no record with an epoch, step or round)`,
  };
}

/** Everything a whole text yields: the runs, the issues and the summary. */
export interface ParsedText extends ParseResult {
  summary: ParseSummary;
}

/** Parses a whole text (or byte array) at once; the same records as streaming it in any chunks. */
export function parseText(
  input: string | Uint8Array,
  options: { file?: string | null; inputFormat?: InputFormat; metricNames?: readonly string[] } = {},
): ParsedText {
  const runs: Run[] = [];
  const issues: ParseIssue[] = [];
  const parser = createParser({
    ...options,
    onRun: (run) => runs.push(run),
    onIssue: (issue) => issues.push(issue),
  });
  parser.feed(input);
  const summary = parser.end();
  return { runs, issues, summary };
}
