/**
 * The parser front door: bytes in (any chunking), runs and issues out. Decodes UTF-8 (or UTF-16
 * with a BOM), refuses binary data, sniffs the dialect, and streams console output through the
 * terminal model and the Keras parser; whole-file dialects (CSV, JSON, notebooks) are buffered.
 */
import { TextDecoder } from 'node:util';
import type { Dialect, Epoch, ParseIssue, Run } from '../model/index.js';
import { parseCsvLogger } from './csv-logger.js';
import { parseHistoryJson } from './history-json.js';
import { createKerasTextParser, type KerasTextParser } from './keras-text.js';
import { extractNotebookStreams } from './notebook.js';
import { SNIFF_CHARS, sniffFormat, type SniffedFormat } from './sniff.js';
import { createTerminal, type Terminal } from './terminal.js';
import type { ParseResult } from './types.js';

export type { ParseResult, ParseOptions } from './types.js';

/** `--input-format`: `auto` sniffs the content. */
export type InputFormat = 'auto' | 'keras' | 'csv' | 'json' | 'ipynb';

/** Callbacks and hints for {@link createParser}. */
export interface ParserOptions {
  onRun(run: Run): void;
  onIssue?(issue: ParseIssue): void;
  /** Each epoch as soon as it completes (console logs only; whole-file formats report at the end). */
  onEpoch?(epoch: Epoch, run: number): void;
  /** The file as the user named it; copied into every run, and its extension breaks sniffing ties. */
  file?: string | null;
  inputFormat?: InputFormat;
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
  feed(chunk: Uint8Array | string): void;
  /** The input already proved unreadable (binary data, too large): reading on is pointless. */
  failed(): boolean;
  end(): ParseSummary;
}

/** Whole-file dialects are buffered; beyond this a JSON/CSV file is refused rather than exhausting memory. */
const MAX_BUFFERED_CHARS = 256 * 1024 * 1024;
const BINARY_PROBE_BYTES = 8000;

/** Creates a streaming parser. */
export function createParser(options: ParserOptions): Parser {
  const file = options.file ?? null;
  const inputFormat = options.inputFormat ?? 'auto';
  let runs = 0;
  let epochs = 0;
  let fatal: string | null = null;
  /** Set for UTF-16 input (decoded to text first); UTF-8 bytes go to the terminal undecoded. */
  let utf16: TextDecoder | null = null;
  let sawBytes = false;
  let probedBytes = 0;
  let format: SniffedFormat | null = forcedFormat(inputFormat);
  /** Input held until the sniffer has seen enough of it. */
  let headText = '';
  let headChunks: Array<Uint8Array | string> = [];
  const sniffDecoder = new TextDecoder('utf-8');
  const wholeFileDecoder = new TextDecoder('utf-8');
  let buffered: string[] = [];
  let bufferedChars = 0;
  let terminal: Terminal | null = null;
  let keras: KerasTextParser | null = null;
  let dialect: Dialect | null = null;
  let replacementReported = false;

  const onIssue = (issue: ParseIssue): void => options.onIssue?.(issue);
  const onRun = (run: Run): void => {
    runs += 1;
    epochs += run.epochs.length;
    options.onRun(run);
  };
  const reportReplacement = (line: number | null): void => {
    if (replacementReported) return;
    replacementReported = true;
    onIssue({ kind: 'invalid-utf8', line, message: 'bytes that are not valid UTF-8 were replaced' });
  };

  const textParser = (): Terminal => {
    if (terminal !== null) return terminal;
    dialect = 'keras-text';
    const k = createKerasTextParser({
      file,
      onRun,
      onIssue,
      ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
    });
    keras = k;
    terminal = createTerminal((line) => {
      if (line.text.includes('\uFFFD')) reportReplacement(line.line);
      k.line(line);
    });
    return terminal;
  };

  const bufferText = (text: string): void => {
    bufferedChars += text.length;
    if (bufferedChars > MAX_BUFFERED_CHARS) {
      fatal = `${format === 'csv' ? 'CSV' : 'JSON'} input larger than ${MAX_BUFFERED_CHARS >> 20} MiB`;
      buffered = [];
      return;
    }
    buffered.push(text);
  };

  /** Hands a chunk to the dialect's reader once the format is known. */
  const route = (chunk: Uint8Array | string): void => {
    if (fatal !== null) return;
    if (format === 'keras-text') {
      if (typeof chunk === 'string') textParser().write(chunk);
      else textParser().writeBytes(chunk);
      return;
    }
    bufferText(typeof chunk === 'string' ? chunk : wholeFileDecoder.decode(chunk, { stream: true }));
  };

  const hold = (chunk: Uint8Array | string): void => {
    headChunks.push(chunk);
    headText += typeof chunk === 'string' ? chunk : sniffDecoder.decode(chunk, { stream: true });
    // two complete lines say as much as the sniffer needs (live logs must not wait for 8 KB)
    if (headText.length >= SNIFF_CHARS || hasTwoLines(headText)) releaseHead();
  };

  const releaseHead = (): void => {
    format ??= sniffFormat(headText.replace(/^\uFEFF/, ''), file);
    const chunks = headChunks;
    headChunks = [];
    headText = '';
    for (const chunk of chunks) route(chunk);
  };

  const accept = (chunk: Uint8Array | string): void => {
    if (format === null) hold(chunk);
    else route(chunk);
  };

  const hasNul = (bytes: Uint8Array): boolean => {
    const end = Math.min(bytes.length, BINARY_PROBE_BYTES - probedBytes);
    probedBytes += Math.max(0, end);
    for (let i = 0; i < end; i += 1) if (bytes[i] === 0) return true;
    return false;
  };

  return {
    failed: () => fatal !== null,
    feed(chunk: Uint8Array | string): void {
      if (fatal !== null || chunk.length === 0) return;
      if (typeof chunk === 'string') {
        accept(!sawBytes && probedBytes === 0 ? chunk.replace(/^\uFEFF/, '') : chunk);
        probedBytes += chunk.length;
        return;
      }
      let bytes = chunk;
      if (!sawBytes) {
        sawBytes = true;
        const encoding = utf16Encoding(bytes);
        if (encoding !== null) utf16 = new TextDecoder(encoding);
        else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      }
      if (utf16 !== null) {
        accept(utf16.decode(bytes, { stream: true }));
        return;
      }
      if (probedBytes < BINARY_PROBE_BYTES && hasNul(bytes)) {
        fatal = 'binary data (NUL bytes), not a text log';
        return;
      }
      accept(bytes);
    },
    end(): ParseSummary {
      if (fatal === null && utf16 !== null) accept(utf16.decode());
      if (fatal === null && format === null) {
        headText += sniffDecoder.decode();
        if (headText.trim().length === 0) fatal = 'empty input';
        else releaseHead();
      }
      if (fatal === null) {
        if (format === 'keras-text') {
          textParser().end();
          (keras as KerasTextParser | null)?.end();
        } else if (format !== null) {
          bufferText(wholeFileDecoder.decode());
          const text = buffered.join('');
          buffered = [];
          if (text.includes('\uFFFD')) reportReplacement(null);
          if (fatal === null) {
            const result = parseWholeFile(text, format, inputFormat, file, onIssue);
            dialect = result.dialect;
            fatal = result.fatal;
            for (const run of result.runs) onRun(run);
          }
        }
      }
      if (fatal === null && epochs === 0) {
        onIssue({ kind: 'no-epochs', line: null, message: 'no completed epoch found in the input' });
      }
      return { dialect: fatal === null ? dialect : null, runs, epochs, fatal };
    },
  };
}

function hasTwoLines(text: string): boolean {
  const first = text.indexOf('\n');
  return first !== -1 && text.indexOf('\n', first + 1) !== -1 && text.trim().length > 0;
}

function forcedFormat(inputFormat: InputFormat): SniffedFormat | null {
  switch (inputFormat) {
    case 'keras':
      return 'keras-text';
    case 'csv':
      return 'csv';
    case 'json':
    case 'ipynb':
      return 'json';
    case 'auto':
      return null;
  }
}

function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

interface WholeFileResult {
  dialect: Dialect | null;
  runs: Run[];
  fatal: string | null;
}

function parseWholeFile(
  text: string,
  format: SniffedFormat,
  inputFormat: InputFormat,
  file: string | null,
  onIssue: (issue: ParseIssue) => void,
): WholeFileResult {
  if (format === 'csv') {
    return fromResult('csv-logger', parseCsvLogger(text, { file }), onIssue);
  }
  if (inputFormat !== 'json') {
    const notebook = extractNotebookStreams(text);
    if (notebook !== null) {
      for (const issue of notebook.issues) onIssue(issue);
      if (notebook.text.length === 0 && notebook.issues.length > 0) {
        return { dialect: null, runs: [], fatal: notebook.issues[0]?.message ?? 'malformed notebook' };
      }
      const runs: Run[] = [];
      const lineMap = notebook.lineMap;
      const keras = createKerasTextParser({
        file,
        dialect: 'notebook',
        onRun: (run) => runs.push(run),
        onIssue: (issue) =>
          onIssue(issue.line === null ? issue : { ...issue, line: lineMap[issue.line - 1] ?? 1 }),
        mapLine: (line) => lineMap[line - 1] ?? 1,
      });
      const terminal = createTerminal((line) => keras.line(line));
      terminal.write(notebook.text);
      terminal.end();
      keras.end();
      return { dialect: 'notebook', runs, fatal: null };
    }
    if (inputFormat === 'ipynb') return { dialect: null, runs: [], fatal: 'not a Jupyter notebook' };
  }
  return fromResult('history-json', parseHistoryJson(text, { file }), onIssue);
}

function fromResult(
  dialect: Dialect,
  result: ParseResult,
  onIssue: (issue: ParseIssue) => void,
): WholeFileResult {
  for (const issue of result.issues) onIssue(issue);
  const malformed =
    result.runs.length === 0 ? result.issues.find((i) => i.kind === 'malformed-input') : undefined;
  return { dialect, runs: result.runs, fatal: malformed ? malformed.message : null };
}

/** Everything a whole text yields: the runs, the issues and the summary. */
export interface ParsedText extends ParseResult {
  summary: ParseSummary;
}

/** Parses a whole text (or byte array) at once; the same records as streaming it in any chunks. */
export function parseText(
  input: string | Uint8Array,
  options: { file?: string | null; inputFormat?: InputFormat } = {},
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
