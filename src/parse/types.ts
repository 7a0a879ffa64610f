import type { Epoch, ParseIssue, Run } from '../model/index.js';
import type { InputLimits } from './limits.js';
import type { TerminalLine } from './terminal.js';

/** What every whole-input parser returns: runs in file order and the problems met on the way. */
export interface ParseResult {
  runs: Run[];
  issues: ParseIssue[];
}

/** Options shared by the parsers. */
export interface ParseOptions {
  /** The file as given by the user (`-` for stdin); null for in-memory text. Copied into `Run.source.file`. */
  file: string | null;
}

/** What a reader gets for one input: where its records go, and what the user said. */
export interface ReaderContext {
  /** The file as the user named it (`-` for stdin); null for in-memory text. */
  file: string | null;
  /** `--metric` names: what a bare list's series is called (the first), in order. */
  metricNames: readonly string[];
  onRun: (run: Run) => void;
  onIssue: (issue: ParseIssue) => void;
  /** Each record as soon as it is complete (live status); its run is the 0-based run index. */
  onEpoch?: (epoch: Epoch, run: number) => void;
  /** The caps of this input: count what is kept, intern metric names (see `limits.ts`). */
  limits: InputLimits;
}

/** How a reader ends: null, or a one-line reason why the input could not be read at all. */
export interface ReaderEnd {
  fatal: string | null;
}

/**
 * A reader of one format. `lines` readers stream the visible lines of the terminal model (console
 * output); `chars` readers stream the decoded text as it comes and read it as one document (JSON, CSV
 * tables: a rewrite of the file replaces it); `bytes` readers stream raw bytes (binary formats). None
 * holds the input: memory follows the records kept.
 */
export type FormatReader =
  | {
      kind: 'lines';
      line(line: TerminalLine): void;
      end(): ReaderEnd;
      /** Also hand on the last frame of each epoch of a bar redrawn with `\r` (see `TerminalOptions`). */
      epochFrames?: boolean;
    }
  | { kind: 'chars'; write(text: string): void; end(): ReaderEnd }
  | { kind: 'bytes'; feed(bytes: Uint8Array): void; end(): ReaderEnd };

/** How many lines of each shape the head of an input holds (what the sniffers and misread messages use). */
export interface Census {
  /** Non-blank visible lines looked at. */
  lines: number;
  /** `Epoch k/N` alone on a line. */
  kerasHeaders: number;
  /** Keras progress frames (`910/910 [====] - 530s ...`, `━`, `- ETA:`, `ms/step`). */
  kerasFrames: number;
  /** Lines with an epoch number and named values (`Epoch 3, loss: 0.1`). */
  epochLines: number;
  /** Lines with an epoch number (with or without values: `Epoch: 01 | Epoch Time: 0m 57s`). */
  epochMarks: number;
  /** Lines with named values but no epoch number (`Test set: Average loss: 0.97`). */
  valueLines: number;
  /** tqdm-style bars (`100%|███| 938/938`). */
  bars: number;
  /** Lines of names only (a table header, or prose). */
  nameRows: number;
  /** Lines of numbers only (table rows, bare lists). */
  numberRows: number;
  /** Lines holding a `{...}` dict. */
  dicts: number;
  /** 1-based line of the first line with values, for messages; null when none. */
  firstValueLine: number | null;
}

/** The head of an input, as the sniffers see it. */
export interface SniffHead {
  /** Decoded text of the head (BOM removed). */
  text: string;
  /** Visible lines of the head (text after the last `\r`), trailing `\r` removed, each cut to a bounded length. */
  rawLines: string[];
  /**
   * The first two non-blank lines in full (split at `\n`, trailing `\r` removed), however long: a CSV
   * header of 100,000 columns is seen whole, whatever the chunking.
   */
  firstRows: string[];
  /** The same lines cleaned of terminal remnants and paste decoration (ANSI, fences, `> `, `## `). */
  lines: string[];
  /** The head is the whole input. */
  complete: boolean;
  /** The first bytes hold NUL bytes (binary data). */
  binary: boolean;
  /** The first bytes as read (for binary formats); empty for string input. */
  bytes: Uint8Array;
  /** The file as named (`-` for stdin); only a hint. */
  fileName: string | null;
  census: Census;
}

/** One format: how to recognise it and how to read it. */
export interface ReaderEntry {
  dialect: import('../model/index.js').Dialect;
  /** Other `--input-format` names for it (older or shorter spellings). */
  aliases: readonly string[];
  /** Binary formats are the only ones NUL bytes may reach. */
  binary: boolean;
  /** File names that hint at the format (ties only: content decides). */
  fileHint: RegExp | null;
  /**
   * How much the head looks like this format, 0 (not at all) to 1; at 0.9 or above the decision is made
   * without waiting for more input (live logs).
   */
  sniff(head: SniffHead): number;
  create(ctx: ReaderContext): FormatReader;
}
