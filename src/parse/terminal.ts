/**
 * Applies what a terminal does with `\r`, `\b` and `\r\n` to a stream of chunks and hands on
 * finished lines. Linear time, and memory bounded by the longest *visible* line: a progress bar
 * redrawn a thousand times on one physical line (spec §1.1) costs one frame, not a thousand.
 *
 * Bytes are scanned for `\n` and `\r` before decoding: in UTF-8 these bytes never occur inside a
 * multi-byte character, so only what survives the last `\r` of a line is ever decoded. Overwritten
 * frames (most of a verbose=1 log written to a file) are skipped at memchr speed.
 */
import { TextDecoder } from 'node:util';

/** A finished line: what a terminal would show, with its 1-based line number. */
export interface TerminalLine {
  text: string;
  line: number;
  /** False for the last line of an input without a final newline, and for pieces of an over-long line. */
  terminated: boolean;
  /** True for a piece of an over-long line whose rest follows in the next call. */
  continues: boolean;
  /** The piece was cut where no record starts (no `Epoch` header or counter nearby). */
  blindCut?: boolean;
  /** A word longer than {@link MAX_WORD_CHARS} was cut to that length (the rest of it skipped). */
  longWord?: boolean;
}

/** How a terminal hands on lines. */
export interface TerminalOptions {
  /**
   * Also hand on the last frame of each epoch of a progress bar redrawn with `\r` on one physical line
   * (`Epoch 0: 100%|...| [..., val_loss=0.2]\rEpoch 1: ...`, Lightning 1.x and tqdm loops written to a
   * file), before the frame of the next epoch: the frames are decoded (not skipped) to see their epoch.
   */
  epochFrames?: boolean;
}

/** The epoch number a progress frame starts with (`Epoch 3: 45%|`), or null. */
function frameEpoch(text: string): string | null {
  const m = /^\s{0,8}Epoch (\d{1,9})\b/.exec(text);
  return m === null ? null : (m[1] ?? null);
}

/** Receives visible lines in order. */
export type LineSink = (line: TerminalLine) => void;

/** Longest visible line kept whole; longer ones are handed on in pieces (cut before an `Epoch` token). */
export const MAX_LINE_CHARS = 1 << 20;
/** Undecoded bytes kept for the current line before they are decoded into it. */
const MAX_PENDING_BYTES = 1 << 15;
/**
 * A line longer than this is handed on in pieces cut where a record starts (an `Epoch` header or a
 * progress counter in its last half), so no piece is a large string: large strings live outside the
 * young generation and a 200 MB one-line paste made of them would raise the peak memory for nothing.
 */
const PIECE_CHARS = 48 * 1024;
/**
 * Longest run of characters without a space kept in an over-long line; the rest of such a word is
 * skipped, so a 2 MB metric name or 1 GB without a space cannot turn a line into blind pieces.
 */
export const MAX_WORD_CHARS = 1 << 16;

/** Streaming terminal model: `write` text or `writeBytes` UTF-8 in any split, then `end`. */
export interface Terminal {
  write(chunk: string): void;
  writeBytes(chunk: Uint8Array): void;
  end(): void;
}

const LF = 10;
const CR = 13;

/**
 * Creates a terminal model. `\r\n` (and `\r\r\n`, as some Windows CSV files have) ends a line;
 * a lone `\r` returns to column 0, so only the text after the last `\r` of a line survives
 * (Keras pads each frame to the previous width, so "keep the last segment" equals the screen,
 * pitfall 2); `\b` deletes the character before it.
 */
export function createTerminal(
  sink: LineSink,
  maxLineChars: number = MAX_LINE_CHARS,
  options: TerminalOptions = {},
): Terminal {
  const epochFrames = options.epochFrames === true;
  /** With `epochFrames`: the last frame of the epoch being drawn, and its epoch number. */
  let held: string | null = null;
  let heldKey: string | null = null;
  let pending = '';
  let pendingBytes: Uint8Array[] = [];
  let pendingByteLength = 0;
  let decoder = new TextDecoder('utf-8');
  let lineNo = 1;
  /** `\r` at the very end of the last chunk: a line end if `\n` follows, an overwrite otherwise. */
  let carriageReturnPending = false;
  /** The line's last word was cut at {@link MAX_WORD_CHARS}: its characters up to the next space are dropped. */
  let skippingWord = false;
  let longWord = false;
  /** `pending` holds no record start before this (searched already): each search reads new text only. */
  let searchedTo = 0;

  /** The decoder holds part of a character from an earlier call (a line decoded in several steps). */
  let decoderUsed = false;

  const decodePendingBytes = (final: boolean): void => {
    if (final && !decoderUsed && pendingBytes.length === 1 && pending === '') {
      // the common case, a line whole in one chunk: decoded at once, no decoder state involved
      const bytes = pendingBytes[0] as Uint8Array;
      pendingBytes = [];
      pendingByteLength = 0;
      pending = (
        Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
      ).toString('utf8');
      return;
    }
    if (!final) decoderUsed = true;
    if (pendingByteLength > 0) {
      const bytes =
        pendingBytes.length === 1 ? pendingBytes[0] : Buffer.concat(pendingBytes, pendingByteLength);
      pendingBytes = [];
      pendingByteLength = 0;
      pending += decoder.decode(bytes, { stream: !final });
    } else if (final && decoderUsed) {
      pending += decoder.decode();
    }
    if (final) decoderUsed = false;
  };

  /**
   * The line the next chunk continues, copied out of `chunk`: the caller may fill that buffer again (a
   * file is read into one buffer) once `writeBytes` returns.
   */
  const ownPendingBytes = (chunk: Buffer): void => {
    // this chunk's parts are the last ones (earlier parts are copies already, each in its own memory:
    // never the shared pool, which a chunk may come from): fed a byte at a time, still linear
    for (let i = pendingBytes.length - 1; i >= 0; i -= 1) {
      const part = pendingBytes[i] as Uint8Array;
      if (part.buffer !== chunk.buffer) break;
      const copy = Buffer.allocUnsafeSlow(part.length);
      copy.set(part, 0);
      pendingBytes[i] = copy;
    }
  };

  const reset = (): void => {
    pending = '';
    pendingBytes = [];
    pendingByteLength = 0;
    decoder = new TextDecoder('utf-8');
    decoderUsed = false;
    skippingWord = false;
    longWord = false;
    searchedTo = 0;
  };

  /** A frame ends at a `\r`: with `epochFrames`, the previous epoch's last frame is handed on. */
  const finishFrame = (): void => {
    decodePendingBytes(true);
    const text = pending.includes('\b') ? applyBackspaces(pending) : pending;
    const key = frameEpoch(text);
    if (key === null) return;
    if (held !== null && heldKey !== key) sinkFrame(held);
    held = text;
    heldKey = key;
  };

  const sinkFrame = (text: string): void => {
    sink({ text, line: lineNo, terminated: true, continues: false });
  };

  const emit = (terminated: boolean): void => {
    decodePendingBytes(true);
    const text = pending.includes('\b') ? applyBackspaces(pending) : pending;
    if (held !== null) {
      if (frameEpoch(text) !== heldKey) sinkFrame(held);
      held = null;
      heldKey = null;
    }
    pending = '';
    searchedTo = 0;
    carriageReturnPending = false;
    skippingWord = false;
    const cutWord = longWord;
    longWord = false;
    sink({ text, line: lineNo, terminated, continues: false, ...(cutWord ? { longWord: true } : {}) });
    if (terminated) lineNo += 1;
  };

  const append = (part: string): void => {
    if (part.length === 0) return;
    let end = part.length;
    while (end > 0 && part.charCodeAt(end - 1) === CR) end -= 1;
    const trailingCr = end < part.length;
    let body = trailingCr ? part.slice(0, end) : part;
    if (epochFrames && body.length > 0) {
      // every frame is looked at: the last frame of each epoch is handed on before the next epoch's
      let seg = 0;
      for (let cr = body.indexOf('\r'); cr >= 0; cr = body.indexOf('\r', seg)) {
        if (carriageReturnPending) {
          finishFrame();
          reset();
          carriageReturnPending = false;
        }
        pending += body.slice(seg, cr);
        finishFrame();
        reset();
        seg = cr + 1;
      }
      if (carriageReturnPending && seg < body.length) {
        finishFrame();
        reset();
        carriageReturnPending = false;
      }
      body = body.slice(seg);
    }
    if (body.length > 0) {
      const cr = body.lastIndexOf('\r');
      if (cr >= 0 || carriageReturnPending) reset();
      carriageReturnPending = false;
      // in slices, so an over-long line is cut into pieces as it grows
      for (let at = cr + 1; at < body.length;) {
        if (skippingWord) {
          const space = body.indexOf(' ', at);
          if (space < 0) break;
          at = space;
          skippingWord = false;
        }
        const stop = Math.min(body.length, at + PIECE_CHARS);
        pending += at === 0 && stop === body.length ? body : body.slice(at, stop);
        at = stop;
        while (pending.length > PIECE_CHARS && cutLongLine()) {
          // each cut hands on a piece
        }
      }
    }
    if (trailingCr) carriageReturnPending = true;
  };

  const appendBytes = (chunk: Buffer, start0: number, to: number): void => {
    let from = start0;
    if (from >= to) return;
    let end = to;
    while (end > from && chunk[end - 1] === CR) end -= 1;
    const trailingCr = end < to;
    if (epochFrames && end > from) {
      // every frame is looked at: the last frame of each epoch is handed on before the next epoch's
      let seg = from;
      for (let cr = chunk.indexOf(CR, from); cr >= 0 && cr < end; cr = chunk.indexOf(CR, seg)) {
        if (carriageReturnPending) {
          finishFrame();
          reset();
          carriageReturnPending = false;
        }
        if (cr > seg) {
          pendingBytes.push(chunk.subarray(seg, cr));
          pendingByteLength += cr - seg;
        }
        finishFrame();
        reset();
        seg = cr + 1;
      }
      if (carriageReturnPending && seg < end) {
        finishFrame();
        reset();
        carriageReturnPending = false;
      }
      from = seg;
    }
    if (end > from) {
      // searched within this line only: a search back to the chunk's start would make CR-free logs quadratic
      const inLine = chunk.subarray(from, end).lastIndexOf(CR);
      const cr = inLine < 0 ? -1 : from + inLine;
      const start = cr >= from ? cr + 1 : from;
      if (cr >= from || carriageReturnPending) reset();
      carriageReturnPending = false;
      // in slices, so an over-long line is decoded and cut into pieces as it grows
      for (let at = start; at < end;) {
        if (skippingWord) {
          // the rest of a cut word, skipped at memchr speed up to its end
          const space = chunk.indexOf(32, at);
          if (space < 0 || space >= end) break;
          at = space;
          skippingWord = false;
        }
        const stop = Math.min(end, at + MAX_PENDING_BYTES);
        pendingBytes.push(chunk.subarray(at, stop));
        pendingByteLength += stop - at;
        at = stop;
        if (pendingByteLength > MAX_PENDING_BYTES) {
          decodePendingBytes(false);
          while (pending.length > PIECE_CHARS && cutLongLine()) {
            // each cut hands on a piece
          }
        }
      }
    }
    if (trailingCr) carriageReturnPending = true;
  };

  /**
   * Hands on the head of an over-long line, cut where a record starts, so memory stays bounded. A word
   * longer than {@link MAX_WORD_CHARS} at the end is cut to that length instead (the rest of it is
   * skipped as it comes), so the line keeps its structure.
   */
  const cutLongLine = (): boolean => {
    const recordFrom = Math.max(pending.length >> 1, 1);
    const searchFrom = Math.max(recordFrom, searchedTo - 32);
    let cut = lastIndexIn(pending, 'Epoch ', searchFrom);
    if (cut < recordFrom) cut = lastCounterStart(pending, searchFrom);
    searchedTo = pending.length;
    if (cut < recordFrom && pending.length <= maxLineChars) return false; // no record starts here: the line grows
    const keepFrom = cut >= recordFrom ? recordFrom : Math.max(pending.length - (maxLineChars >> 1), 1);
    const blind = cut < keepFrom;
    if (cut < keepFrom) cut = pending.lastIndexOf(' ', pending.length - 1);
    if (cut < keepFrom) {
      const wordStart = pending.lastIndexOf(' ', keepFrom) + 1;
      if (pending.length - wordStart > MAX_WORD_CHARS) {
        pending = pending.slice(0, wordStart + MAX_WORD_CHARS);
        skippingWord = true;
        longWord = true;
        if (pending.length <= maxLineChars) return false;
      }
      cut = pending.length - 1024;
    }
    const head = pending.slice(0, cut);
    pending = pending.slice(cut);
    searchedTo = 0;
    const cutWord = longWord;
    longWord = false;
    sink({
      text: head.includes('\b') ? applyBackspaces(head) : head,
      line: lineNo,
      terminated: false,
      continues: true,
      ...(blind ? { blindCut: true } : {}),
      ...(cutWord ? { longWord: true } : {}),
    });
    return true;
  };

  return {
    write(chunk: string): void {
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf('\n', pos);
        if (nl === -1) {
          append(pos === 0 ? chunk : chunk.slice(pos));
          return;
        }
        append(chunk.slice(pos, nl));
        emit(true);
        pos = nl + 1;
      }
    },
    writeBytes(bytes: Uint8Array): void {
      const chunk = Buffer.isBuffer(bytes)
        ? bytes
        : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf(LF, pos);
        if (nl === -1) {
          appendBytes(chunk, pos, chunk.length);
          ownPendingBytes(chunk);
          return;
        }
        appendBytes(chunk, pos, nl);
        emit(true);
        pos = nl + 1;
      }
    },
    end(): void {
      decodePendingBytes(true);
      if (pending.length > 0) emit(false);
    },
  };
}

const COUNTER_AHEAD = /^\d+\/(?:\d+|Unknown) /;

/** The last occurrence of `word` at or after `from`, or -1: searched forward, so only that window is read. */
function lastIndexIn(text: string, word: string, from: number): number {
  let found = -1;
  for (let at = text.indexOf(word, from); at >= 0; at = text.indexOf(word, at + 1)) found = at;
  return found;
}

/** The start of the last progress counter (`12/1875 `) after `from`, or -1: a safe place to cut. */
function lastCounterStart(text: string, from: number): number {
  let pos = text.length - 1;
  for (let tries = 0; tries < 4096; tries += 1) {
    const space = text.lastIndexOf(' ', pos);
    if (space < from) return -1;
    const ahead = text.slice(space + 1, space + 24);
    if (COUNTER_AHEAD.test(ahead)) return space + 1;
    pos = space - 1;
  }
  return -1;
}

/**
 * `\b` deletes the character before it (a terminal moves the cursor back; the next frame overwrites).
 * One pass over a buffer of UTF-16 units with a write position that `\b` moves back (a surrogate pair
 * is one character): linear however the backspaces are spread.
 */
export function applyBackspaces(text: string): string {
  const units = new Uint16Array(text.length);
  let at = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c !== 8) {
      units[at++] = c;
      continue;
    }
    if (at === 0) continue;
    at -= 1;
    const low = units[at] ?? 0;
    if (low >= 0xdc00 && low <= 0xdfff && at > 0) {
      const high = units[at - 1] ?? 0;
      if (high >= 0xd800 && high <= 0xdbff) at -= 1;
    }
  }
  return UTF16.decode(units.subarray(0, at));
}

const UTF16 = new TextDecoder('utf-16le');

/** Applies `\r` overwrites and `\b` to text already cut into one line (used after un-escaping `^M`, `#015`). */
export function collapseLine(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === CR) end -= 1;
  const body = end < text.length ? text.slice(0, end) : text;
  const cr = body.lastIndexOf('\r');
  const tail = cr >= 0 ? body.slice(cr + 1) : body;
  return tail.includes('\b') ? applyBackspaces(tail) : tail;
}
