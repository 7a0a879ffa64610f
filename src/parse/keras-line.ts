/**
 * Reading one visible line of Keras console output: cleaning (ANSI, transport escapes, paste
 * prefixes), cutting it into records (a line can hold several when newlines were lost), and
 * tokenizing progress frames, callback messages and dataset lines. Every regex here is anchored or
 * scans forward once with bounded look-ahead, so a long line costs linear time (design style 6).
 */
import { collapseLine } from './terminal.js';

// ---------------------------------------------------------------------------------------------
// Cleaning

const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?/g;
/** `[1m` / `[0m` left when only the ESC byte of Keras 3's bold counter was lost (spec §8.5). */
const ANSI_REMNANT = /\[(?:\d{1,3};)*\d{0,3}m/g;
const HAS_ANSI_REMNANT = /\[(?:\d{1,3};)*\d{0,3}m/;
/** Control characters that arrive spelled out (pitfall 4): caret, syslog, JSON / Python escapes. */
const TRANSPORT_ESCAPE = /\^H|\^M|#010|#015|\\x08|\\u0008|\\x0[dD]|\\u000[dD]|(?:\\b){2,}|\\r(?=\s*\d+\/)/g;
const HAS_TRANSPORT_ESCAPE = /\^[HM]|#01[05]|\\x0[8dD]|\\u000[8dD]|\\b\\b|\\r\s*\d+\//;
const OTHER_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;
const HAS_OTHER_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/;
/** `━` (U+2501) read as cp1252 (`â”` + an undefined byte) in console-to-web copies. */
const MOJIBAKE_BAR = /â”[\u0081\u0080-\u009f]?/g;

function unescapeTransport(match: string): string {
  if (match === '^M' || match === '#015' || /^\\(?:x0|u000)[dD]$/.test(match) || match.startsWith('\\r')) {
    return '\r';
  }
  if (match.startsWith('\\b')) return '\b'.repeat(match.length / 2);
  return '\b';
}

/**
 * What remains of a line once terminal remnants and paste decoration are gone: ANSI colour, spelled
 * out `\b`/`\r`, stray control characters, `━` mojibake, and prefixes that launchers, R, Markdown and
 * quoting add in front of every line (spec §8.2, §8.4, §8.5, pitfall 11).
 */
export function cleanLine(raw: string): string {
  let text = raw;
  if (text.includes('\x1b')) text = text.replace(ANSI, '');
  if (text.includes('[') && HAS_ANSI_REMNANT.test(text)) text = text.replace(ANSI_REMNANT, '');
  if (HAS_TRANSPORT_ESCAPE.test(text)) text = collapseLine(text.replace(TRANSPORT_ESCAPE, unescapeTransport));
  if (text.includes('â”')) text = text.replace(MOJIBAKE_BAR, '━');
  if (HAS_OTHER_CONTROLS.test(text)) text = text.replace(OTHER_CONTROLS, '');
  return stripPrefixes(text);
}

const LAUNCHER_PREFIX = /^(?:\((?:[\w ]+ )?pid=\d+(?:, ip=[\d.]+)?\)|\[\d+,\d+\]<std(?:out|err)>:)\s?/;
const QUOTE_PREFIX = /^(?:>+|#+(?= )|##|\*\*|`{1,3}(?=[^`]|$))\s*/;

function stripPrefixes(text: string): string {
  let out = text;
  for (let guard = 0; guard < 6; guard += 1) {
    const trimmed = out.trimStart();
    const launcher = LAUNCHER_PREFIX.exec(trimmed);
    if (launcher) {
      out = trimmed.slice(launcher[0].length);
      continue;
    }
    const quote = QUOTE_PREFIX.exec(trimmed);
    if (quote && quote[0].length > 0) {
      out = trimmed.slice(quote[0].length);
      continue;
    }
    out = trimmed;
    break;
  }
  return out.endsWith('**') ? out.slice(0, -2).trimEnd() : out.trimEnd();
}

// ---------------------------------------------------------------------------------------------
// Cutting a line into records

/**
 * Where a record starts inside a line: an epoch header, a numbered callback message, a progress
 * counter followed by a bar or a verbose=2 time, or an unnumbered callback message that Keras glues
 * onto the previous frame (pitfalls 8, 34). Found with one forward scan.
 */
const RECORD_START =
  /Epoch\s+\d+\s*\/\s*\d+|Epoch\s+\d+:|(?<![\w./])\d+\/(?:\d+|Unknown)(?=\s*(?:\[|━|=|\?\?\?| - \d)| *$)|Restoring model weights|Batch \d+: Invalid loss/g;

/** Splits a cleaned line at every record start; the first piece may be text before any record. */
export function splitRecords(text: string): string[] {
  RECORD_START.lastIndex = 0;
  const pieces: string[] = [];
  let last = 0;
  for (let m = RECORD_START.exec(text); m !== null; m = RECORD_START.exec(text)) {
    if (m.index > last) pieces.push(text.slice(last, m.index));
    last = m.index;
    if (m[0].length === 0) RECORD_START.lastIndex += 1;
  }
  pieces.push(text.slice(last));
  return pieces.filter((piece) => piece.trim().length > 0);
}

// ---------------------------------------------------------------------------------------------
// Epoch headers

/** `Epoch 3/10` → {epoch: 3, of: 10, rest}; null for `Epoch 3: ...` messages and fastai/Lightning bars. */
export function parseHeader(piece: string): { epoch: number; of: number; rest: string } | null {
  const m = /^Epoch\s+(\d+)\s*\/\s*(\d+)/.exec(piece);
  if (!m) return null;
  const rest = piece.slice(m[0].length);
  // fastai's `Epoch 1/5 : |████` imitates the header (pitfall 31)
  if (/^\s*:\s*\|/.test(rest)) return null;
  return { epoch: Number(m[1]), of: Number(m[2]), rest: rest.trim() };
}

// ---------------------------------------------------------------------------------------------
// Progress frames and verbose=2 lines

/** One progress frame (verbose=1) or epoch line (verbose=2), tokenized. */
export interface Frame {
  /** Counter `done/total`; null for verbose=2 lines of Keras 1/2 that print no counter. */
  done: number | null;
  /** Null when the target is `Unknown` or there is no counter. */
  total: number | null;
  hasCounter: boolean;
  /** A bracketed `[====>...]` bar (Keras 1–2, tf.keras): its running frames always print `ETA:`. */
  bracketBar: boolean;
  /** The last time item is an ETA (or the frame is Keras 3 in-progress): not a final frame. */
  eta: boolean;
  seconds: number | null;
  stepTime: number | null;
  countUnit: 'step' | 'sample' | null;
  /** Metrics after the last elapsed-time item (pitfall 10), in print order. */
  metrics: Map<string, number>;
  /** The printed text of the last metric value (to judge whether an unterminated line was cut). */
  lastValueText: string | null;
  /** The frame itself is visibly cut: unclosed bar, or a last item that is not a metric or a time. */
  cut: boolean;
  /** Text glued after the last value (a message without a leading newline, prose of a paste). */
  trailing: string | null;
  /** Metrics whose printed value could not be read (left out of `metrics`), with the text printed. */
  badValues: Array<{ name: string; text: string }>;
  /** Metrics printed more than once in the frame (the later value is in `metrics`). */
  duplicates: string[];
}

const COUNTER = /^(\d+)\/(\d+|Unknown)/;
const ELAPSED_AND_RATE = /^(\d+(?:\.\d+)?)(s|ms|us) (\d+(?:\.\d+)?)(s|ms|us)\/(step|sample)$/;
const ELAPSED = /^(\d+)s$/;
const RATE = /^(\d+(?:\.\d+)?)(s|ms|us)\/(step|sample)$/;
const EPOCH_TIME = /^(\d+(?:\.\d+)?)(s|ms|us)\/epoch$/;
const ETA = /^ETA:\s*\S+$/;
const VALUE = /^(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf(?:inity)?))/i;

function toSeconds(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'ms' ? n / 1000 : unit === 'us' ? n / 1e6 : n;
}

/** Reads a printed metric value; `nan`, `inf`, `-inf` become NaN and ±Infinity. */
export function readNumber(text: string): number {
  const lower = text.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan' || lower === '-nan') return Number.NaN;
  if (lower === 'inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** Splits `name: value[glued text]` at the first `: ` that is followed by a number. */
function readMetric(item: string): { name: string; valueText: string; rest: string } | null {
  let from = 0;
  for (;;) {
    const colon = item.indexOf(': ', from);
    if (colon <= 0) return null;
    const after = item.slice(colon + 2);
    const value = VALUE.exec(after);
    if (value) {
      return { name: item.slice(0, colon).trim(), valueText: value[0], rest: after.slice(value[0].length) };
    }
    from = colon + 2;
  }
}

/**
 * Tokenizes a progress frame that starts with its counter (`910/910 [===] - 530s ... - loss: ...`),
 * or a verbose=2 line without one (`3083s - loss: ...`, ` - 5s - loss: ...`). Null when the piece
 * is neither.
 */
export function parseFrame(piece: string): Frame | null {
  let rest: string;
  let done: number | null = null;
  let total: number | null = null;
  let hasCounter = false;
  let bracketBar = false;
  let cut = false;
  const counter = COUNTER.exec(piece);
  if (counter) {
    hasCounter = true;
    done = Number(counter[1]);
    total = counter[2] === 'Unknown' ? null : Number(counter[2]);
    rest = piece.slice(counter[0].length).trimStart();
    if (rest.startsWith('[')) {
      bracketBar = true;
      const close = rest.indexOf(']');
      const bar = close === -1 ? rest.slice(1) : rest.slice(1, close);
      // Keras bars hold only `=`, `>` and `.`; anything else in brackets is tqdm or prose (pitfall 31)
      if (!/^[=>.]*$/.test(bar)) return null;
      if (close === -1) {
        cut = true;
        rest = '';
      } else rest = rest.slice(close + 1);
    } else {
      let i = 0;
      while (i < rest.length && (rest[i] === '━' || rest[i] === '=' || rest[i] === '?' || rest[i] === '─'))
        i += 1;
      rest = rest.slice(i);
    }
  } else if (/^(?:- )?\d+s - \S/.test(piece)) {
    rest = piece;
  } else {
    return null;
  }
  rest = rest.trim();
  if (rest.startsWith('- ')) rest = rest.slice(2);
  else if (rest === '-') rest = '';

  const frame: Frame = {
    done,
    total,
    hasCounter,
    bracketBar,
    eta: false,
    seconds: null,
    stepTime: null,
    countUnit: null,
    metrics: new Map(),
    lastValueText: null,
    cut,
    trailing: null,
    badValues: [],
    duplicates: [],
  };
  if (rest.length === 0) return frame;
  const items = rest.split(' - ');
  // whether a metric follows item i: computed once from the end (asking per item made 100k metrics quadratic)
  const metricAfter: boolean[] = new Array<boolean>(items.length).fill(false);
  for (let i = items.length - 2, seen = false; i >= 0; i -= 1) {
    seen = seen || looksLikeMetric((items[i + 1] ?? '').trim());
    metricAfter[i] = seen;
  }
  const clear = (): void => {
    frame.metrics.clear();
    frame.badValues = [];
    frame.duplicates = [];
  };
  for (let i = 0; i < items.length; i += 1) {
    const item = (items[i] ?? '').trim();
    if (item.length === 0) continue;
    if (ETA.test(item)) {
      frame.eta = true;
      clear();
      continue;
    }
    const both = ELAPSED_AND_RATE.exec(item);
    if (both) {
      // a second time part means the head was an overwritten frame: keep only what follows (pitfall 10)
      frame.eta = false;
      clear();
      frame.seconds = toSeconds(both[1] ?? '0', both[2] ?? 's');
      frame.stepTime = toSeconds(both[3] ?? '0', both[4] ?? 's');
      frame.countUnit = both[5] === 'sample' ? 'sample' : 'step';
      continue;
    }
    const elapsed = ELAPSED.exec(item);
    if (elapsed) {
      frame.eta = false;
      clear();
      frame.seconds = Number(elapsed[1]);
      continue;
    }
    const rate = RATE.exec(item);
    if (rate) {
      frame.stepTime = toSeconds(rate[1] ?? '0', rate[2] ?? 's');
      frame.countUnit = rate[3] === 'sample' ? 'sample' : 'step';
      continue;
    }
    if (EPOCH_TIME.test(item)) continue;
    const broken = item.indexOf('\uFFFD');
    const colon = item.indexOf(': ');
    if (broken !== -1 && colon > 0 && broken > colon) {
      // invalid UTF-8 inside a value (`0.\x9b85`): the number cannot be trusted
      frame.badValues.push({ name: item.slice(0, colon).trim(), text: item.slice(colon + 2).trim() });
      continue;
    }
    const metric = readMetric(item);
    if (metric) {
      const glued = gluedToken(metric.rest);
      if (glued.length > 0) {
        // `loss: 0.5x00`, `0x10`, `1_000`, `nan(ind)`: a number with more glued to it is no number
        frame.badValues.push({ name: metric.name, text: metric.valueText + glued });
        const after = metric.rest.slice(glued.length).trim();
        if (after.length > 0 && !metricAfter[i]) {
          frame.trailing = [after, ...items.slice(i + 1)].join(' - ');
          break;
        }
        continue;
      }
      if (frame.metrics.has(metric.name)) frame.duplicates.push(metric.name);
      frame.metrics.set(metric.name, readNumber(metric.valueText));
      frame.lastValueText = metric.valueText;
      if (metric.rest.trim().length > 0) {
        frame.trailing = [metric.rest.trimStart(), ...items.slice(i + 1)].join(' - ');
        break;
      }
      continue;
    }
    if (i === items.length - 1 && frame.metrics.size > 0 && /^[\w.]*$/.test(item)) {
      // the line ends inside a metric name or a trailing time token (`- v`, `- 174`)
      frame.cut = frame.cut || !/^\d/.test(item);
      break;
    }
    const unreadable = badMetric(item);
    if (unreadable !== null) {
      // `acc: None`, `loss: N/A`, `val_loss: ∞`: reported, and the metrics after it are still read
      frame.badValues.push(unreadable);
      continue;
    }
    if (metricAfter[i]) {
      // text that is no metric, between metrics: said, and the metrics after it are still read
      frame.badValues.push({ name: '(item)', text: item });
      continue;
    }
    frame.trailing = items.slice(i).join(' - ');
    break;
  }
  return frame;
}

/** The characters glued to a number before the next whitespace (`x00` of `0.5x00`); empty when none. */
function gluedToken(rest: string): string {
  let i = 0;
  while (i < rest.length) {
    const c = rest.charCodeAt(i);
    if (c === 32 || c === 9) break;
    i += 1;
  }
  return rest.slice(0, i);
}

/** A metric name as Keras prints it: no whitespace, not empty, no `:` at its end. */
function isMetricName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i += 1) {
    const c = name.charCodeAt(i);
    if (c === 32 || c === 9) return false;
  }
  return true;
}

/** `name: <one token that is not a number>`: an unreadable value of a metric; null for anything else. */
function badMetric(item: string): { name: string; text: string } | null {
  const colon = item.indexOf(': ');
  if (colon <= 0) return null;
  const name = item.slice(0, colon).trim();
  const text = item.slice(colon + 2).trim();
  if (!isMetricName(name) || text.length === 0 || !isMetricName(text)) return null;
  return { name, text };
}

/** An item that reads as a metric, readable or not (`loss: 0.5`, `acc: None`). */
function looksLikeMetric(item: string): boolean {
  return readMetric(item) !== null || badMetric(item) !== null;
}

/**
 * Whether the printed text of a value is complete in Keras' own formats (`%.4f`, `%.4e`, `nan`,
 * `inf`; spec §3.1): an unterminated last line ending in `0.` or `3.4` was cut mid-value.
 */
export function isCompleteKerasValue(text: string): boolean {
  return /^-?(?:\d+\.\d{4}|\d\.\d{4}e[-+]\d{2,3}|nan|inf)$/i.test(text);
}

// ---------------------------------------------------------------------------------------------
// Callback messages

/** A callback message, before its epoch number is resolved. */
export type Message =
  | { kind: 'checkpoint-improved'; monitor: string; from: number | null; to: number; path: string | null }
  | { kind: 'checkpoint-not-improved'; monitor: string; best: number | null }
  | { kind: 'checkpoint-saved'; path: string }
  | { kind: 'lr-reduced'; lr: number }
  | { kind: 'lr-scheduled'; lr: number }
  | { kind: 'early-stopping' }
  | { kind: 'restore-best-weights'; bestEpoch: number | null }
  | { kind: 'terminate-nan'; batch: number }
  | { kind: 'other' };

/** A message with the epoch number it printed (as printed: 0-based in Keras ≤ 2.0.8). */
export interface NumberedMessage {
  printedEpoch: number | null;
  /** Printed with five zero-padded digits (`Epoch 00008:`), the Keras ≤ 2.7 style. */
  padded: boolean;
  message: Message;
  /** Text glued after the message (rare). */
  rest: string;
}

const NUMBERED = /^Epoch\s+(\d+):\s*/;
// bodies are trimmed first: no pattern ends in `\s*$` after a lazy group (quadratic on runs of spaces)
const IMPROVED = /^(.+?) improved from (\S+?) to (\S+?)(?:, saving model to (.*))?$/;
const NOT_IMPROVED = /^(.+?) did not improve(?: from (\S+?))?\.?$/;
const SAVING = /^saving model to (.*)$/;
const REDUCING = /^(?:ReduceLROnPlateau )?reducing (?:\S+ )?learning rate to (.+)$/;
const SCHEDULING = /^LearningRateScheduler (?:reducing|setting) (?:\S+ )?learning rate to (.+)$/;
const RESTORING = /^Restoring model weights from the end of the best epoch(?::\s*(\d+))?\.?/;
const TERMINATE = /^Batch (\d+): Invalid loss, terminating training/;

/** The first number in a message value: `0.001.`, `1.49e-05`, `tf.Tensor(0.0009, shape=...)`, `inf`. */
function readMessageNumber(text: string): number | null {
  const t = text.trim().replace(/^tf\.Tensor\(/, '');
  if (/^None\b/.test(t)) return null;
  const m = /^[-+]?(?:inf|nan)/i.exec(t) ?? /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(t);
  if (!m) return null;
  return readNumber(m[0]);
}

/** Reads a callback message piece (`Epoch 5: ...`, `Restoring model weights ...`, `Batch 12: ...`). */
export function parseMessage(piece: string): NumberedMessage | null {
  const restoring = RESTORING.exec(piece);
  if (restoring) {
    return {
      printedEpoch: null,
      padded: false,
      message: { kind: 'restore-best-weights', bestEpoch: restoring[1] ? Number(restoring[1]) : null },
      rest: piece.slice(restoring[0].length),
    };
  }
  const terminate = TERMINATE.exec(piece);
  if (terminate) {
    return {
      printedEpoch: null,
      padded: false,
      message: { kind: 'terminate-nan', batch: Number(terminate[1]) },
      rest: piece.slice(terminate[0].length),
    };
  }
  const numbered = NUMBERED.exec(piece);
  if (!numbered) return null;
  const digits = numbered[1] ?? '';
  const body = piece.slice(numbered[0].length).trim();
  return {
    printedEpoch: Number(digits),
    padded: digits.length > 1 && digits.startsWith('0'),
    message: readMessageBody(body),
    rest: '',
  };
}

function readMessageBody(body: string): Message {
  if (/^early stopping\b/.test(body)) return { kind: 'early-stopping' };
  const scheduled = SCHEDULING.exec(body);
  if (scheduled) {
    const lr = readMessageNumber(scheduled[1] ?? '');
    return lr === null ? { kind: 'other' } : { kind: 'lr-scheduled', lr };
  }
  const reduced = REDUCING.exec(body);
  if (reduced) {
    const lr = readMessageNumber(reduced[1] ?? '');
    return lr === null ? { kind: 'other' } : { kind: 'lr-reduced', lr };
  }
  if (body.startsWith('finished saving model')) return { kind: 'other' };
  const improved = IMPROVED.exec(body);
  if (improved) {
    const to = readMessageNumber((improved[3] ?? '').replace(/,$/, ''));
    if (to === null) return { kind: 'other' };
    return {
      kind: 'checkpoint-improved',
      monitor: improved[1] ?? '',
      from: readMessageNumber(improved[2] ?? ''),
      to,
      path: improved[4] ?? null,
    };
  }
  const notImproved = NOT_IMPROVED.exec(body);
  if (notImproved) {
    return {
      kind: 'checkpoint-not-improved',
      monitor: notImproved[1] ?? '',
      best: notImproved[2] === undefined ? null : readMessageNumber(notImproved[2]),
    };
  }
  const saving = SAVING.exec(body);
  if (saving) return { kind: 'checkpoint-saved', path: saving[1] ?? '' };
  return { kind: 'other' };
}

// ---------------------------------------------------------------------------------------------
// Dataset lines

/** A dataset size stated by a data-loading line (spec §4.2, §7). */
export interface DatasetMention {
  source: 'found' | 'using' | 'train-on';
  role: 'train' | 'validation' | 'unknown';
  count: number;
  unit: string;
  classes: number | null;
}

const FOUND =
  /Found (\d+) (images|files|validated image filenames|non-validated image filenames)(?: belonging to (\d+) class(?:es)?)?/g;
const USING = /Using (\d+) files for (training|validation)/g;
const TRAIN_ON = /Train (?:on|for) (\d+) (samples|steps)(?:, validate (?:on|for) (\d+) (samples|steps))?/g;

/** Every dataset size mentioned in a piece of text (a paste can hold several on one line). */
export function findDatasets(text: string): DatasetMention[] {
  const out: DatasetMention[] = [];
  if (text.includes('Found ')) {
    for (const m of text.matchAll(FOUND)) {
      out.push({
        source: 'found',
        role: 'unknown',
        count: Number(m[1]),
        unit: m[2] ?? 'images',
        classes: m[3] === undefined ? null : Number(m[3]),
      });
    }
  }
  if (text.includes('Using ')) {
    for (const m of text.matchAll(USING)) {
      out.push({
        source: 'using',
        role: m[2] === 'training' ? 'train' : 'validation',
        count: Number(m[1]),
        unit: 'files',
        classes: null,
      });
    }
  }
  if (text.includes('Train ')) {
    for (const m of text.matchAll(TRAIN_ON)) {
      out.push({ source: 'train-on', role: 'train', count: Number(m[1]), unit: m[2] ?? '', classes: null });
      if (m[3] !== undefined) {
        out.push({
          source: 'train-on',
          role: 'validation',
          count: Number(m[3]),
          unit: m[4] ?? '',
          classes: null,
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lines that only continue a wrapped metric list

/** `- accuracy: 0.87 - val_loss: 0.31` or `val_acc: 0.7005 - `: metrics with no counter (pitfall 11). */
export function isMetricContinuation(text: string): boolean {
  if (!text.includes(': ')) return false;
  const t = text.startsWith('- ') ? text.slice(2) : text;
  const sep = t.indexOf(' - ');
  const m = readMetric(sep < 0 ? t : t.slice(0, sep));
  return m !== null && /^[A-Za-z_][\w./-]*$/.test(m.name) && m.rest.trim().length === 0;
}
