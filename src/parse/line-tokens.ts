/**
 * Reading one printed line of a hand-written training loop into named values, with one forward scan
 * (no regular expressions over the line). It understands the shapes people print:
 * `Epoch 1/10, Loss: 0.1, Val Loss: 0.2`, `epoch: 1 train_loss=0.1`, `[1/10] train loss 0.1 | valid loss
 * 0.2`, `Epoch [1/5], Step [100/600], Loss: ...`, tqdm bars with a description and a postfix
 * (`Epoch 3: 100%|███| 938/938 [00:12<00:00, 75.1it/s, loss=0.23]`), `tensor(0.93)` and `[0.0002]`
 * values, glued units (`13.52%`, `2.2s`, `4.89G`), fullwidth colons and commas, `Accuracy: 9897/10000
 * (99%)` counts, and phase labels (`Test set: Average loss: ...` names its values `Test Average loss`).
 */
import type { MetricPhase } from '../model/index.js';
import { nameParts } from '../model/roles.js';
import { readFrameworkLine, stripLogPrefix } from './framework-lines.js';

/** One value printed with a name. */
export interface MetricPair {
  /** The name as printed (words joined by one space), with the phase word of its label when it has none. */
  name: string;
  /** The value; null when the cell says it is missing (`No log`, `N/A`). */
  value: number | null;
  /** The text when it is not a number (`2.22z`); the value is then null. */
  bad: string | null;
  /** The phase the format gives a name that has no phase word (accelerate's eval dict); absent otherwise. */
  phase?: MetricPhase;
}

/** Everything read from one line. */
export interface LineReading {
  pairs: MetricPair[];
  /** The epoch number printed on the line (`Epoch 3/10`, `epoch: 3`, `[3/10]`, `[3,  300]`). */
  epoch: { value: number; of: number | null } | null;
  /** A within-epoch counter: `Step [100/600]`, `[58240/60000 (97%)]`, the `300` of `[1,   300]`. */
  step: { done: number; total: number | null } | null;
  /** A tqdm bar: percent and counter. */
  bar: { percent: number; done: number; total: number } | null;
  /** Seconds of a time value (`Epoch Time: 0m 57s`, `time: 12.3s`). */
  seconds: number | null;
  /** `name: correct/total` counts (`Accuracy: 9897/10000 (99%)`). */
  counts: Array<{ name: string; correct: number; total: number }>;
  /** Words that named nothing (prose). */
  strayWords: number;
  /** An evaluation at this step, not an epoch (TF Estimator's `Saving dict for global step N:`). */
  evalStep?: number;
  /** The phase word of the line's label (`Test` of `Test: [ 0/196]`), when it has one. */
  labelPhase?: string;
}

type Token =
  | { t: 'word'; text: string; start: number; end: number }
  | { t: 'num'; value: number; unit: string; raw: string }
  | { t: 'frac'; a: number; b: number }
  | { t: 'space'; width: number }
  | { t: 'colon' }
  | { t: 'eq' }
  | { t: 'sep'; hard: boolean; dash?: boolean }
  | { t: 'clock'; seconds: number }
  | { t: 'open'; c: '[' | '(' | '{' }
  | { t: 'close'; c: ']' | ')' | '}' }
  | { t: 'lt' }
  | { t: 'string' };

/** Units a value may carry, glued (`13.52%`) or after a space (`0.44 GB`); kept out of the value. */
const UNITS = new Set([
  '%',
  's',
  'ms',
  'us',
  'µs',
  'sec',
  'secs',
  'm',
  'min',
  'mins',
  'h',
  'hr',
  'hrs',
  'g',
  'gb',
  'gib',
  'mb',
  'mib',
  'kb',
  'k',
  'it/s',
  's/it',
  'img/s',
  'samples/s',
  'x',
]);
const DURATION_SECONDS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  ms: 0.001,
  us: 1e-6,
  µs: 1e-6,
  m: 60,
  min: 60,
  mins: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
};
const NONFINITE: Record<string, number> = {
  nan: Number.NaN,
  '-nan': Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '+inf': Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  '-infinity': Number.NEGATIVE_INFINITY,
};
/** Cells that say "no value" (the Trainer's `No log` before the first logging step). */
const MISSING_WORDS = new Set(['n/a', 'na', 'none', 'null', 'no']);
/** Calls whose first argument is the value: `tensor(0.93)`, `np.float32(0.5)`, `array(0.5)`. */
const WRAPPERS = new Set([
  'tensor',
  'torch.tensor',
  'array',
  'np.array',
  'float',
  'np.float16',
  'np.float32',
  'np.float64',
  'float32',
  'float64',
  'tf.tensor',
  'decimal',
  'scalar',
]);
const EPOCH_WORDS = new Set(['epoch', 'ep']);
/** Words after a bare number that make it a count in prose, not a value. */
const COUNTED_WORDS = new Set(['epoch', 'epochs', 'iteration', 'iterations', 'iters', 'steps', 'rounds']);
/** Phase words printed with a full stop: `Val. Loss`, `Valid. Acc`. */
const ABBREVIATED = new Set(['val', 'valid', 'eval', 'trn', 'tr']);
const EPOCH_SUFFIX = new Set(['no', 'num', 'number', '#', 'idx', 'index']);
const STEP_WORDS = new Set([
  'step',
  'steps',
  'iter',
  'iters',
  'iteration',
  'batch',
  'global step',
  'global_step',
]);
const TIME_WORDS = new Set([
  'time',
  'epoch time',
  'elapsed',
  'duration',
  'took',
  'epoch_time',
  'time taken',
  'total time',
]);
/** Progress-bar bookkeeping that is not a metric (Lightning's `v_num`, a dataloader index). */
const NOT_METRICS = new Set(['v_num', 'dataloader', 'dataloader_idx', 'local_rank', 'pid']);
/**
 * Whole names that are timing or resources, not metrics: torchvision's MetricLogger and timm (`eta`,
 * `data`, `max mem`, `img/s`), mmengine (`data_time`, `memory`), mmdet's `bbox_mAP_copypaste` (six
 * numbers, not one metric).
 */
const NOT_METRIC_NAMES = new Set([
  'eta',
  'data',
  'data time',
  'data_time',
  'max mem',
  'max_mem',
  'mem',
  'memory',
  'img/s',
  'samples/s',
  'it/s',
  'remaining',
  'total',
  'model_time',
  'evaluator_time',
  't',
]);

/** Tokenizes and reads one (cleaned) line. Linear in its length. */
export function readLine(text: string): LineReading {
  const line = stripLogPrefix(text);
  const framework = readFrameworkLine(line);
  if (framework === null) return interpret(tokenize(line));
  const reading = framework.rest === null ? emptyReading() : interpret(tokenize(framework.rest));
  if (framework.epoch !== null) reading.epoch = { value: framework.epoch, of: null };
  if (framework.evalStep !== null) {
    reading.evalStep = framework.evalStep;
    reading.step = null;
  }
  for (const p of framework.pairs) {
    const pair: MetricPair = { name: p.name, value: p.value, bad: null };
    if (p.phase !== null) pair.phase = p.phase;
    reading.pairs.push(pair);
  }
  const phase = framework.phase;
  if (phase !== null) {
    for (const p of reading.pairs) if (nameParts(p.name).phase === null) p.phase = phase;
  }
  return reading;
}

function emptyReading(): LineReading {
  return { pairs: [], epoch: null, step: null, bar: null, seconds: null, counts: [], strayWords: 0 };
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c > 0xbf && isWordish(c));
}
function isWordish(c: number): boolean {
  // letters of other scripts (accents, CJK) may name values; box drawing, blocks and fullwidth punctuation do not
  return !(c >= 0x2500 && c <= 0x259f) && !(c >= 0xff00 && c <= 0xff20) && c !== 0x2014 && c !== 0x2013;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      let j = i;
      while (j < n && s.charCodeAt(j) === 32) j += 1;
      // ` - ` (Keras-like separators, `resnet-50 - Epoch 1`) and ` — `
      const d = s.charCodeAt(j);
      if ((d === 45 || d === 0x2014 || d === 0x2013) && s.charCodeAt(j + 1) === 32) {
        tokens.push({ t: 'sep', hard: true, dash: true });
        i = j + 1;
        continue;
      }
      tokens.push({ t: 'space', width: j - i });
      i = j;
      continue;
    }
    if (c === 9) {
      tokens.push({ t: 'sep', hard: true });
      i += 1;
      continue;
    }
    if (isDigit(c) || ((c === 45 || c === 43 || c === 46) && isNumberStart(s, i))) {
      i = readNumberToken(s, i, tokens);
      continue;
    }
    if (isLetter(c)) {
      let j = i + 1;
      while (j < n) {
        const d = s.charCodeAt(j);
        if (isLetter(d) || isDigit(d) || d === 64 || d === 39 || d === 35) j += 1;
        else if ((d === 46 || d === 45 || d === 47) && j + 1 < n) {
          const e = s.charCodeAt(j + 1);
          // `val/box_loss`, `Top-1`, `np.float32`, `mAP@.5`; not a sentence's full stop or `loss:-0.5`
          if (isLetter(e) || isDigit(e) || (d === 46 && s.charCodeAt(j - 1) === 64)) j += 1;
          else break;
        } else break;
      }
      // `Val. Loss` (bentrevett's tutorials): the abbreviation's full stop belongs to the phase word
      if (
        s.charCodeAt(j) === 46 &&
        s.charCodeAt(j + 1) === 32 &&
        ABBREVIATED.has(s.slice(i, j).toLowerCase())
      ) {
        j += 1;
      }
      const text = s.slice(i, j);
      const lower = text.toLowerCase();
      if (NONFINITE[lower] !== undefined && !isLetter(s.charCodeAt(j)) && !isDigit(s.charCodeAt(j))) {
        tokens.push({ t: 'num', value: NONFINITE[lower] ?? Number.NaN, unit: '', raw: text });
      } else tokens.push({ t: 'word', text, start: i, end: j });
      i = j;
      continue;
    }
    switch (c) {
      case 58: // :
      case 0xff1a: // fullwidth colon
        tokens.push({ t: 'colon' });
        break;
      case 61: // =
        tokens.push({ t: 'eq' });
        break;
      case 44: // ,
      case 0xff0c:
      case 59: // ;
      case 124: // |
        tokens.push({ t: 'sep', hard: true });
        break;
      case 91:
        tokens.push({ t: 'open', c: '[' });
        break;
      case 40:
      case 0xff08:
        tokens.push({ t: 'open', c: '(' });
        break;
      case 123:
        tokens.push({ t: 'open', c: '{' });
        break;
      case 93:
        tokens.push({ t: 'close', c: ']' });
        break;
      case 41:
      case 0xff09:
        tokens.push({ t: 'close', c: ')' });
        break;
      case 125:
        tokens.push({ t: 'close', c: '}' });
        break;
      case 60:
        tokens.push({ t: 'lt' });
        break;
      case 39:
      case 34: {
        // a quoted string: skipped (`device='cuda:0'`, `'accuracy':` keys are read by the dict readers)
        const close = s.indexOf(String.fromCharCode(c), i + 1);
        if (close > i) {
          tokens.push({ t: 'string' });
          i = close + 1;
          continue;
        }
        tokens.push({ t: 'sep', hard: false });
        break;
      }
      default:
        tokens.push({ t: 'sep', hard: false });
    }
    i += 1;
  }
  return tokens;
}

function isNumberStart(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  const prev = i > 0 ? s.charCodeAt(i - 1) : 32;
  if (isLetter(prev) || isDigit(prev)) return false;
  if (c === 46) return isDigit(s.charCodeAt(i + 1));
  const next = s.charCodeAt(i + 1);
  return isDigit(next) || (next === 46 && isDigit(s.charCodeAt(i + 2))) || isLetter(next);
}

/** A number with its glued unit, or `a/b`; a sign may also start `-inf`/`-nan`. Returns the next index. */
function readNumberToken(s: string, start: number, tokens: Token[]): number {
  const n = s.length;
  let i = start;
  const c = s.charCodeAt(i);
  if ((c === 45 || c === 43) && isLetter(s.charCodeAt(i + 1))) {
    let j = i + 1;
    while (j < n && isLetter(s.charCodeAt(j))) j += 1;
    const raw = s.slice(i, j);
    const value = NONFINITE[raw.toLowerCase()];
    if (value !== undefined) tokens.push({ t: 'num', value, unit: '', raw });
    else tokens.push({ t: 'sep', hard: false });
    return value !== undefined ? j : i + 1;
  }
  if (isDigit(c)) {
    const clock = readClock(s, start);
    if (clock !== null) {
      tokens.push({ t: 'clock', seconds: clock.seconds });
      return clock.end;
    }
  }
  if (c === 45 || c === 43) i += 1;
  while (i < n && isDigit(s.charCodeAt(i))) i += 1;
  if (s.charCodeAt(i) === 46 && isDigit(s.charCodeAt(i + 1))) {
    i += 1;
    while (i < n && isDigit(s.charCodeAt(i))) i += 1;
  } else if (s.charCodeAt(i) === 46 && !isLetter(s.charCodeAt(i + 1))) {
    i += 1; // `5.` (Python prints `1.` for some floats); a sentence's full stop reads the same way
  }
  const e = s.charCodeAt(i);
  if ((e === 101 || e === 69) && i + 1 < n) {
    let j = i + 1;
    const sign = s.charCodeAt(j);
    if (sign === 43 || sign === 45) j += 1;
    if (isDigit(s.charCodeAt(j))) {
      while (j < n && isDigit(s.charCodeAt(j))) j += 1;
      i = j;
    }
  }
  const raw = s.slice(start, i);
  const value = Number(raw.endsWith('.') ? raw.slice(0, -1) : raw);
  // `a/b`: a counter or a fraction (`3/10`, `9897/10000`)
  if (s.charCodeAt(i) === 47 && isDigit(s.charCodeAt(i + 1))) {
    let j = i + 1;
    while (j < n && isDigit(s.charCodeAt(j))) j += 1;
    tokens.push({ t: 'frac', a: value, b: Number(s.slice(i + 1, j)) });
    return j;
  }
  let j = i;
  while (j < n) {
    const d = s.charCodeAt(j);
    if (isLetter(d) || d === 37 /* % */ || d === 0xb5 /* µ */) j += 1;
    else if (d === 47 && isLetter(s.charCodeAt(j + 1)) && j > i)
      j += 1; // it/s
    else break;
  }
  tokens.push({ t: 'num', value, unit: s.slice(i, j), raw: s.slice(start, j) });
  return j;
}

/** Reads `d+ digits` at `at`; returns the index after them and their value. */
function digitsAt(s: string, at: number, max: number): { end: number; value: number } | null {
  let j = at;
  while (j < s.length && j - at < max && isDigit(s.charCodeAt(j))) j += 1;
  if (j === at || isDigit(s.charCodeAt(j))) return null;
  return { end: j, value: Number(s.slice(at, j)) };
}

/**
 * A clock value: `0:05:12`, `12:30`, `0:00:00.51`, `1 day, 4:36:31` (torchvision's and mmengine's
 * `eta`, `Total time: 0:01:42`): a duration, never a metric. Null when the text is not one.
 */
function readClock(s: string, start: number): { seconds: number; end: number } | null {
  let days = 0;
  let at = start;
  const first = digitsAt(s, at, 6);
  if (first === null) return null;
  if (s.startsWith(' day', first.end)) {
    let j = first.end + 4;
    if (s.charCodeAt(j) === 115) j += 1; // days
    if (s.charCodeAt(j) !== 44 || s.charCodeAt(j + 1) !== 32) return null;
    days = first.value;
    at = j + 2;
  } else if (s.charCodeAt(first.end) !== 58) return null;
  const h = digitsAt(s, at, 3);
  if (h === null || s.charCodeAt(h.end) !== 58) return null;
  const m = digitsAt(s, h.end + 1, 2);
  if (m === null || m.end - h.end !== 3) return null;
  let seconds = days * 86400;
  let end = m.end;
  if (s.charCodeAt(end) === 58) {
    const sec = digitsAt(s, end + 1, 2);
    if (sec === null || sec.end - end !== 3) return null;
    seconds += h.value * 3600 + m.value * 60 + sec.value;
    end = sec.end;
  } else {
    if (days > 0) return null;
    seconds += h.value * 60 + m.value;
  }
  if (s.charCodeAt(end) === 46 && isDigit(s.charCodeAt(end + 1))) {
    let j = end + 1;
    while (j < s.length && isDigit(s.charCodeAt(j))) j += 1;
    seconds += Number(`0${s.slice(end, j)}`);
    end = j;
  }
  if (isLetter(s.charCodeAt(end))) return null;
  return { seconds, end };
}

interface State {
  reading: LineReading;
  words: string[];
  /** The pending name had a `:`/`=` after it. */
  assigned: boolean;
  /** Phase word of a label (`Test set:`, `Train Epoch: 3`): holds for the rest of the line. */
  labelPhase: string | null;
  /** Phase word leading a name (`train Loss`): holds until the next separator. */
  pairPhase: string | null;
  lastPair: MetricPair | null;
  lastWasDuration: boolean;
}

function interpret(tokens: Token[]): LineReading {
  const reading: LineReading = {
    pairs: [],
    epoch: null,
    step: null,
    bar: null,
    seconds: null,
    counts: [],
    strayWords: 0,
  };
  const st: State = {
    reading,
    words: [],
    assigned: false,
    labelPhase: null,
    pairPhase: null,
    lastPair: null,
    lastWasDuration: false,
  };
  const n = tokens.length;
  /** Where each bracket closes, by the index of its open token (see `matching`). */
  let closes: Int32Array | null = null;
  /** `Epoch(val)`: the epoch word had a mode; a counter right after it is a step (`Epoch(test) [625/625]`). */
  let modeEpoch = false;
  let i = 0;
  let firstToken = 0;
  while (firstToken < n && tokens[firstToken]?.t === 'space') firstToken += 1;
  const peek = (k: number): Token | undefined => {
    let j = k;
    while (j < n && tokens[j]?.t === 'space') j += 1;
    return tokens[j];
  };
  const skipSpaces = (k: number): number => {
    let j = k;
    while (j < n && tokens[j]?.t === 'space') j += 1;
    return j;
  };
  const dropName = (): void => {
    reading.strayWords += st.words.length;
    st.words = [];
    st.assigned = false;
  };

  while (i < n) {
    const tok = tokens[i];
    if (tok === undefined) break;
    switch (tok.t) {
      case 'word': {
        const lower = tok.text.toLowerCase();
        const next = tokens[i + 1];
        if (WRAPPERS.has(lower) && next?.t === 'open' && next.c === '(' && st.words.length > 0) {
          // `accuracy: tensor(0.9144)`, `loss: tensor(0.93, device='cuda:0')`
          const close = matching(tokens, i + 1);
          const inner = firstNumber(tokens, i + 2, close);
          if (inner !== null) value(st, { t: 'num', value: inner, unit: '', raw: String(inner) });
          else dropName();
          i = close + 1;
          continue;
        }
        if (MISSING_WORDS.has(lower) && st.assigned && st.words.length > 0) {
          // `Training Loss: No log`
          emitPair(st, null, null);
          i += 1;
          if (lower === 'no' && tokens[i]?.t === 'space' && tokens[i + 1]?.t === 'word') i += 2;
          continue;
        }
        const prev = tokens[i - 1];
        const joined = st.words.length > 0 && !st.assigned && prev?.t === 'space' && prev.width === 1;
        if (joined) st.words.push(tok.text);
        else {
          if (st.words.length > 0) {
            if (st.assigned) labelOrValueWord(st);
            else dropName();
          }
          if (st.words.length === 0) st.words = [tok.text];
          st.assigned = false;
        }
        st.lastWasDuration = false;
        i += 1;
        continue;
      }
      case 'num': {
        if (isBar(tokens, i)) {
          i = readBar(tokens, i, st);
          continue;
        }
        if (
          st.words.length === 1 &&
          st.assigned &&
          reading.epoch === null &&
          tok.unit === '' &&
          Number.isInteger(tok.value) &&
          tok.value >= 0 &&
          isPhaseWord((st.words[0] ?? '').toLowerCase()) &&
          peek(i + 1)?.t === 'open'
        ) {
          // timm's `Train: 3 [ 100/1251 (  8%)]`: the phase label and the epoch number
          const next = tokens[skipSpaces(i + 1)];
          if (next?.t === 'open' && next.c === '[') {
            st.labelPhase = st.words[0] ?? null;
            st.words = [];
            st.assigned = false;
            reading.epoch = { value: tok.value, of: null };
            i += 1;
            continue;
          }
        }
        if (st.words.length > 0) {
          const before = reading.pairs.length;
          const assigned = st.assigned;
          value(st, tok);
          const counted = tokens[i + 2];
          if (
            !assigned &&
            reading.pairs.length === before + 1 &&
            tokens[i + 1]?.t === 'space' &&
            counted?.t === 'word' &&
            COUNTED_WORDS.has(counted.text.toLowerCase())
          ) {
            // prose: `Saving checkpoint at 1 epochs`, `Stopped after 12 iterations`
            reading.pairs.pop();
            i += 1;
            continue;
          }
          // `0.44 GB`: a unit after a space belongs to the value
          const after = tokens[i + 1];
          const unit = tokens[i + 2];
          if (after?.t === 'space' && unit?.t === 'word' && UNITS.has(unit.text.toLowerCase())) i += 2;
          if (reading.step !== null && reading.pairs.length === before + 1) {
            // a step line's `loss: 6.9078 (6.9534)` (torchvision's MetricLogger, timm, AverageMeter):
            // the value in parentheses is the average since the epoch began, so the last step's is the
            // epoch's value
            const j = skipSpaces(i + 1);
            const open = tokens[j];
            if (open?.t === 'open' && open.c === '(') {
              const close = matching(tokens, j);
              const inner = bracketed(tokens, j + 1, close);
              const pair = reading.pairs[before];
              if (inner?.kind === 'number' && pair !== undefined && pair.value !== null) {
                pair.value = inner.value;
                i = close + 1;
                continue;
              }
            }
          }
        } else if (st.lastWasDuration && DURATION_SECONDS[tok.unit.toLowerCase()] !== undefined) {
          // `0m 57s`: the second part of a duration
          reading.seconds =
            (reading.seconds ?? 0) + tok.value * (DURATION_SECONDS[tok.unit.toLowerCase()] ?? 1);
        } else if (
          reading.pairs.length === 0 &&
          reading.epoch === null &&
          tok.unit === '' &&
          Number.isInteger(tok.value) &&
          tok.value >= 0
        ) {
          // a leading bare integer: a row number or a stray count, not a value of anything
          reading.strayWords += 1;
        }
        i += 1;
        continue;
      }
      case 'frac': {
        if (st.words.length > 0) {
          fraction(st, tok, tokens, i);
          i = skipPercent(tokens, i + 1, st);
          continue;
        }
        if (isBar(tokens, i)) {
          i = readBar(tokens, i, st);
          continue;
        }
        i += 1;
        continue;
      }
      case 'colon':
      case 'eq': {
        if (st.words.length > 0) {
          st.assigned = true;
          const nxt = peek(i + 1);
          if (nxt === undefined || nxt.t === 'sep' || nxt.t === 'colon') {
            // `Test set:` or `Validation:` with nothing after it: a label
            label(st);
          }
        }
        i += 1;
        continue;
      }
      case 'open': {
        const close = matching(tokens, i);
        if (tok.c === '(' && st.words.length === 1 && !st.assigned && close === i + 2) {
          // mmengine's `Epoch(train) [1][50/500]`, `Epoch(val) [1][625/625]`, `Epoch(test) [625/625]`
          const mode = tokens[i + 1];
          const w = (st.words[0] ?? '').toLowerCase();
          if (mode?.t === 'word' && EPOCH_WORDS.has(w) && isPhaseWord(mode.text.toLowerCase())) {
            // the training loop's values keep their printed names; an evaluation's are named by its mode
            if (nameParts(`${mode.text} x`).phase !== 'train') st.labelPhase = mode.text;
            modeEpoch = true;
            i = close + 1;
            continue;
          }
        }
        if (tok.c === '[' || tok.c === '(') {
          const inner = bracketed(tokens, i + 1, close);
          if (inner !== null && inner.kind === 'frac' && st.words.length === 1) {
            const w = (st.words[0] ?? '').toLowerCase();
            if ((st.assigned && isPhaseWord(w)) || (modeEpoch && EPOCH_WORDS.has(w))) {
              // `Test: [ 48/48]` (timm, torchvision), `Epoch(test) [625/625]`: a phase label and the
              // evaluation's step counter, not an epoch
              if (!modeEpoch) st.labelPhase = st.words[0] ?? null;
              st.words = [];
              st.assigned = false;
              reading.step ??= { done: inner.a, total: inner.b };
              i = close + 1;
              continue;
            }
          }
          if (inner !== null && st.words.length > 0 && inner.kind === 'number') {
            // `lr: [0.0002]`
            value(st, { t: 'num', value: inner.value, unit: '', raw: '' });
            i = close + 1;
            continue;
          }
          if (inner !== null && st.words.length > 0 && inner.kind === 'frac') {
            // `Epoch [1/5]`, `Step [100/600]`
            fraction(st, { t: 'frac', a: inner.a, b: inner.b }, tokens, i);
            i = close + 1;
            continue;
          }
          const atStart = i === firstToken;
          if (
            inner !== null &&
            st.words.length === 0 &&
            tok.c === '[' &&
            (atStart || reading.epoch !== null)
          ) {
            // a leading `[3/10]`, `[3,  300]`; a later `[58240/60000 (97%)]` is a counter
            if (inner.kind === 'frac') {
              if (atStart) {
                reading.epoch = { value: inner.a, of: inner.b };
              } else reading.step ??= { done: inner.a, total: inner.b };
              i = close + 1;
              continue;
            }
            if (inner.kind === 'pair' && atStart && inner.a >= 0 && Number.isInteger(inner.a)) {
              reading.epoch = { value: inner.a, of: null };
              reading.step = { done: inner.b, total: null };
              i = close + 1;
              continue;
            }
            if (inner.kind === 'number' && atStart && inner.value >= 0 && Number.isInteger(inner.value)) {
              reading.epoch = { value: inner.value, of: null };
              i = close + 1;
              continue;
            }
          }
        }
        if (tok.c === '(' && reading.pairs.length > 0 && close > i + 1) {
          // `Best metric: 9.87 (epoch 1)`, `Time: 0.3s, 3401/s (0.31s, 3303/s)`: an aside about a value
          dropName();
          i = close + 1;
          continue;
        }
        if (tok.c === '{' || close > i + 1) {
          dropName();
          st.pairPhase = null;
          i = tok.c === '{' ? close + 1 : i + 1;
          continue;
        }
        dropName();
        i += 1;
        continue;
      }
      case 'sep': {
        if (tok.hard) st.pairPhase = null;
        if (st.words.length > 0) {
          if (st.assigned) label(st);
          else if (tok.dash === true && isDashLabel(st.words)) {
            // `Validation - Loss: 0.3`, ignite's `Training Results - Epoch: 1  Avg loss: 0.29`
            label(st);
          } else dropName();
        }
        st.lastWasDuration = false;
        i += 1;
        continue;
      }
      case 'clock': {
        if (st.words.length > 0) {
          // a duration: the epoch's time when its name says so (`Total time: 0:01:42`), else not a value
          const kind = nameKind(st.words.map((w) => w.toLowerCase()));
          const phase = st.labelPhase === null ? 'train' : nameParts(`${st.labelPhase} x`).phase;
          if (kind.kind === 'time' && phase === 'train') reading.seconds = tok.seconds;
          st.words = [];
          st.assigned = false;
        }
        i += 1;
        continue;
      }
      case 'space':
        i += 1;
        continue;
      default:
        if (st.words.length > 0 && st.assigned) label(st);
        else dropName();
        i += 1;
    }
  }
  if (st.words.length > 0) {
    if (st.assigned) label(st);
    else dropName();
  }
  if (st.labelPhase !== null) reading.labelPhase = st.labelPhase;
  return reading;

  /**
   * The close of the bracket opened at `open` (the last token when it is never closed). Every pair is
   * found in one pass over the line, on first use: searched from each open, a line of `[[[[…` that
   * never closes would be rescanned from every bracket (quadratic).
   */
  function matching(_ts: Token[], open: number): number {
    if (closes === null) {
      closes = new Int32Array(n).fill(n - 1);
      const stack: number[] = [];
      for (let k = 0; k < n; k += 1) {
        const t = tokens[k];
        if (t?.t === 'open') stack.push(k);
        else if (t?.t === 'close' && stack.length > 0) closes[stack.pop() as number] = k;
      }
    }
    return closes[open] ?? n - 1;
  }

  function firstNumber(ts: Token[], from: number, to: number): number | null {
    for (let k = from; k < to; k += 1) {
      const t = ts[k];
      if (t?.t === 'num') return t.value;
      if (t?.t !== 'space') return null;
    }
    return null;
  }

  /** What a bracket holds when it is a value: one number, `a/b` (optionally `(p%)`), or `a, b`. */
  function bracketed(
    ts: Token[],
    from: number,
    to: number,
  ):
    | { kind: 'number'; value: number }
    | { kind: 'frac'; a: number; b: number }
    | { kind: 'pair'; a: number; b: number }
    | null {
    const items: Token[] = [];
    for (let k = from; k < to; k += 1) {
      const t = ts[k];
      if (t === undefined || t.t === 'space') continue;
      if (t.t === 'open') {
        // `(97%)` after a counter
        const close = matching(ts, k);
        k = close;
        continue;
      }
      items.push(t);
      // a value holds at most three items: a longer bracket is not read further (linear per line)
      if (items.length > 3) return null;
    }
    const [a, b, c] = items;
    if (items.length === 1 && a?.t === 'num' && (a.unit === '' || a.unit === '%'))
      return { kind: 'number', value: a.value };
    if (items.length === 1 && a?.t === 'frac') return { kind: 'frac', a: a.a, b: a.b };
    if (
      items.length === 3 &&
      a?.t === 'num' &&
      b?.t === 'sep' &&
      c?.t === 'num' &&
      a.unit === '' &&
      c.unit === ''
    ) {
      return { kind: 'pair', a: a.value, b: c.value };
    }
    return null;
  }

  function isBar(ts: Token[], k: number): boolean {
    const t = ts[k];
    if (t?.t === 'num' && t.unit === '%') {
      // `100%|████| 938/938`, `100% 2785/2785`
      for (let j = k + 1; j < Math.min(n, k + 40); j += 1) {
        const u = ts[j];
        if (u?.t === 'frac') return true;
        if (u?.t === 'word' || u?.t === 'num') return false;
      }
    }
    return false;
  }

  function readBar(ts: Token[], k: number, s: State): number {
    const pct = ts[k];
    let j = k + 1;
    while (j < n && ts[j]?.t !== 'frac') j += 1;
    const f = ts[j];
    if (pct?.t === 'num' && f?.t === 'frac') s.reading.bar = { percent: pct.value, done: f.a, total: f.b };
    dropName();
    s.pairPhase = null;
    j = skipSpaces(j + 1);
    const open = ts[j];
    if (open?.t === 'open' && open.c === '[') {
      const close = matching(ts, j);
      // `[00:12<00:00, 75.1it/s, v_num=0, loss=0.23]`: timing first, then the postfix pairs
      let k2 = j + 1;
      while (k2 < close) {
        const t = ts[k2];
        const after = peek(k2 + 1);
        if (t?.t === 'word' && (after?.t === 'eq' || after?.t === 'colon')) break;
        k2 += 1;
      }
      readPostfix(ts, k2, close, s);
      return close + 1;
    }
    return j;
  }

  function readPostfix(ts: Token[], from: number, to: number, s: State): void {
    const sub = interpret(ts.slice(from, to));
    for (const p of sub.pairs) s.reading.pairs.push(p);
  }

  function skipPercent(ts: Token[], from: number, s: State): number {
    // `9897/10000 (99%)`: the percent is the value of the count's name
    const j = skipSpaces(from);
    const open = ts[j];
    const pct = ts[j + 1];
    const close = ts[j + 2];
    if (
      open?.t === 'open' &&
      open.c === '(' &&
      pct?.t === 'num' &&
      pct.unit === '%' &&
      close?.t === 'close'
    ) {
      // the count is exact where the percent is rounded (`9890/10000 (99%)`): the value is 0.989
      const count = s.reading.counts[s.reading.counts.length - 1];
      if (count !== undefined) pushPair(s, count.name, count.correct / count.total, null);
      return j + 3;
    }
    return from;
  }
}

/** The name words before a `:` that got no value: a label; its phase word holds for the rest of the line. */
function label(st: State): void {
  const words = st.words;
  const first = words[0]?.toLowerCase() ?? '';
  if (isPhaseWord(first)) st.labelPhase = words[0] ?? null;
  st.words = [];
  st.assigned = false;
}

/** `Dataset: tag`, `Test set: Average loss`: the name got words, not a number: a label (or prose). */
function labelOrValueWord(st: State): void {
  st.reading.strayWords += st.words.length;
  label(st);
}

const PHASE_WORDS = new Set([
  'train',
  'training',
  'val',
  'valid',
  'validation',
  'validate',
  'eval',
  'evaluation',
  'evaluate',
  'test',
  'testing',
  'dev',
]);

function isPhaseWord(word: string): boolean {
  return PHASE_WORDS.has(word.replace(/:$/, ''));
}

/** Words before ` - ` that label what follows: a phase word, then at most `Results`/`set`/`metrics`. */
function isDashLabel(words: string[]): boolean {
  if (words.length > 2 || !isPhaseWord((words[0] ?? '').toLowerCase())) return false;
  return words.length === 1 || LABEL_TAILS.has((words[1] ?? '').toLowerCase());
}
const LABEL_TAILS = new Set(['results', 'result', 'set', 'metrics', 'stats', 'phase', 'summary']);

/** Reads the name words + value into a pair, an epoch, a step or a time. */
function value(st: State, tok: Extract<Token, { t: 'num' }>): void {
  const words = st.words;
  st.words = [];
  st.assigned = false;
  const lowerWords = words.map((w) => w.toLowerCase());
  const kind = nameKind(lowerWords);
  const unit = tok.unit.toLowerCase();
  if (kind.kind === 'epoch' && tok.unit === '' && tok.value >= 0 && Number.isFinite(tok.value)) {
    if (kind.phase !== null) st.labelPhase = words[0] ?? null;
    if (st.reading.epoch === null) st.reading.epoch = { value: tok.value, of: null };
    st.lastWasDuration = false;
    return;
  }
  if (kind.kind === 'step') {
    st.reading.step ??= { done: tok.value, total: null };
    return;
  }
  if (kind.kind === 'time' && DURATION_SECONDS[unit] !== undefined) {
    st.reading.seconds = tok.value * (DURATION_SECONDS[unit] ?? 1);
    st.lastWasDuration = true;
    return;
  }
  if (kind.kind === 'time' && unit === '' && Number.isFinite(tok.value)) {
    st.reading.seconds = tok.value;
    return;
  }
  st.lastWasDuration = DURATION_SECONDS[unit] !== undefined;
  if (unit !== '' && !UNITS.has(unit) && !isKnownUnitish(unit)) {
    emitPair(st, null, tok.raw, words);
    return;
  }
  emitPair(st, tok.value, null, words);
}

/** Suffixes glued to numbers in real logs that are units, not typos (`4.89G`, `12.5it`). */
function isKnownUnitish(unit: string): boolean {
  return unit === 'it' || unit === 'b' || unit === 'gib' || unit === 'mib';
}

function fraction(st: State, tok: Extract<Token, { t: 'frac' }>, _tokens: Token[], _at: number): void {
  const words = st.words;
  st.words = [];
  st.assigned = false;
  const kind = nameKind(words.map((w) => w.toLowerCase()));
  if (kind.kind === 'epoch') {
    if (kind.phase !== null) st.labelPhase = words[0] ?? null;
    if (st.reading.epoch === null) st.reading.epoch = { value: tok.a, of: tok.b };
    return;
  }
  if (kind.kind === 'step') {
    st.reading.step ??= { done: tok.a, total: tok.b };
    return;
  }
  const name = qualified(st, words);
  if (tok.b > 0 && tok.a <= tok.b) st.reading.counts.push({ name, correct: tok.a, total: tok.b });
}

type NameKind =
  { kind: 'epoch'; phase: string | null } | { kind: 'step' } | { kind: 'time' } | { kind: 'metric' };

function nameKind(words: string[]): NameKind {
  let ws = words;
  let phase: string | null = null;
  if (ws.length > 1 && isPhaseWord(ws[0] ?? '')) {
    phase = ws[0] ?? null;
    ws = ws.slice(1);
  }
  const last = ws[ws.length - 1] ?? '';
  if (
    ws.length >= 1 &&
    ws.length <= 2 &&
    EPOCH_WORDS.has(ws[0] ?? '') &&
    (ws.length === 1 || EPOCH_SUFFIX.has(last))
  ) {
    return { kind: 'epoch', phase };
  }
  const joined = ws.join(' ');
  if (STEP_WORDS.has(joined)) return { kind: 'step' };
  if (
    TIME_WORDS.has(joined) ||
    (ws.length === 2 && ws[0] === 'epoch' && (last === 'time' || last === 'duration'))
  ) {
    return { kind: 'time' };
  }
  return { kind: 'metric' };
}

function qualified(st: State, words: string[]): string {
  const name = words.join(' ');
  const first = words[0]?.toLowerCase() ?? '';
  if (words.length > 1 && isPhaseWord(first)) {
    st.pairPhase = words[0] ?? null;
    return name;
  }
  const phase = st.pairPhase ?? st.labelPhase;
  if (phase === null || nameParts(name).phase !== null) return name;
  return `${phase} ${name}`;
}

function emitPair(st: State, v: number | null, bad: string | null, words: string[] = st.words): void {
  st.words = [];
  st.assigned = false;
  const lower = words.map((w) => w.toLowerCase());
  if (lower.length === 0 || lower.some((w) => NOT_METRICS.has(w)) || NOT_METRICS.has(lower.join('_'))) return;
  const joined = lower.join(' ');
  if (NOT_METRIC_NAMES.has(joined) || joined.endsWith('_copypaste')) return;
  pushPair(st, qualified(st, words), v, bad);
}

function pushPair(st: State, name: string, v: number | null, bad: string | null): void {
  const pair: MetricPair = { name, value: v, bad };
  st.reading.pairs.push(pair);
  st.lastPair = pair;
}
