/**
 * `--follow` on a regular file, like `tail -F`: read to the end, poll for growth, and keep track of
 * what the name points at. Between reads the follower checks, by identity and content, that it is
 * still reading the same bytes:
 *
 * - the name now points at another file (dev/ino changed: rotation, or a tool that replaces the file
 *   with a fresh copy), or the file was removed (then it waits for a new one);
 * - the file shrank below what was read (truncation, logrotate's copytruncate);
 * - the bytes already read changed in place (rewritten to the same or a larger size between polls,
 *   which a size check alone cannot see).
 *
 * The new content is then compared with a fingerprint of what was read. When it begins with exactly
 * those bytes (an identical rewrite, `rsync` replacing the file by a longer copy), reading goes on
 * after them: nothing is read twice. Otherwise it is read from its start, which for a console log
 * continues the stream (a copytruncate keeps the epochs coming; a restarted training starts a new
 * run). Either way the follower says so through `notice`, so no epoch is lost or doubled in silence.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeQuietly, errorCode, identity, openForReading, readAt, statOf, type OpenedFile } from './fd.js';

/** What changed under a followed name, as a parse-issue kind (`waiting-for-file` is not kept). */
export type FollowNoticeKind = 'file-replaced' | 'file-truncated' | 'waiting-for-file';

/** Options of {@link followFile}. */
export interface FollowOptions {
  /** The path to follow (absolute or relative to the process). */
  path: string;
  /** The file already opened, or null when it does not exist yet. */
  opened: OpenedFile | null;
  /** Bytes of the followed content, in order. */
  take(chunk: Uint8Array): void;
  /**
   * The followed content changed identity or was rewritten. `restart`: the bytes that follow start
   * the file anew (a whole-file format must be parsed from them alone).
   */
  notice(kind: FollowNoticeKind, message: string, restart: boolean): void;
  /** Polled between reads: true ends the follow. */
  stop: () => boolean;
  /** Aborted on interrupt: a pause between polls ends at once. */
  signal?: AbortSignal;
  pollMs: number;
  /** Called before each pause between polls (tests wait for the follower to have looked). */
  onPause?: () => void;
}

const CHUNK_BYTES = 1 << 20;

/** Follows `path` until `stop()`. Throws only when the file cannot be read at all. */
export async function followFile(options: FollowOptions): Promise<void> {
  const { path, stop } = options;
  const print = createContentPrint();
  const buffer = Buffer.alloc(CHUNK_BYTES);
  let current = options.opened;
  let offset = 0;
  let checked = { mtimeMs: -1, size: -1 };
  let verifying: { why: Change; blocks: number } | null = null;
  let removedNoted = false;
  const pause = async (): Promise<void> => {
    options.onPause?.();
    try {
      await sleep(options.pollMs, undefined, options.signal ? { signal: options.signal } : {});
    } catch {
      // aborted: the loop sees stop()
    }
  };

  /** The new content of the name is known to differ from, or to continue, what was read. */
  const settle = (why: Change, same: boolean): void => {
    options.notice(KIND_OF_CHANGE[why], MESSAGES[why][same ? 'same' : 'different'], !same);
    if (!same) {
      offset = 0;
      print.reset();
    }
    verifying = null;
  };

  if (current === null)
    options.notice('waiting-for-file', 'does not exist yet: waiting for it to appear', false);
  try {
    while (!stop()) {
      if (current === null) {
        current = await openIfFile(path);
        if (current === null) await pause();
        else if (print.length > 0) verifying = { why: 'replaced', blocks: 0 };
        continue;
      }
      const fd = current.fd;
      const info = await statOf(fd);
      if (verifying !== null) {
        const verdict = await print.compare(rangeReader(fd), info.size, verifying.blocks);
        if (verdict.result === 'shorter') {
          // equal so far but shorter: being rewritten with the same bytes, or a new file that has
          // not yet said anything different; nothing is fed until it does
          verifying.blocks = verdict.verifiedBlocks;
          await pause();
        } else settle(verifying.why, verdict.result === 'same');
        continue;
      }
      if (info.size < offset) {
        verifying = { why: 'truncated', blocks: 0 };
        continue;
      }
      if (print.length > 0 && (info.mtimeMs !== checked.mtimeMs || info.size !== checked.size)) {
        checked = { mtimeMs: info.mtimeMs, size: info.size };
        // bytes already read changed in place (a rewrite that did not shrink the file by the next poll)
        if (!(await print.edgesIntact(rangeReader(fd)))) {
          verifying = { why: 'rewritten', blocks: 0 };
          continue;
        }
      }
      const bytesRead = await readAt(fd, buffer, buffer.length, offset);
      if (bytesRead > 0) {
        // the file may have been rewritten between the checks above and this read (a copytruncate
        // landing in between): keep the new bytes only if what was read before is still in place
        if (print.length > 0 && !(await print.edgesIntact(rangeReader(fd)))) {
          verifying = { why: 'rewritten', blocks: 0 };
          continue;
        }
        const bytes = Buffer.from(buffer.subarray(0, bytesRead));
        offset += bytesRead;
        print.add(bytes);
        options.take(bytes);
        continue;
      }
      // at the end of the open file: does the name still point at it?
      const named = await stat(path).catch((error: unknown) => {
        if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
        throw error;
      });
      if (named === null) {
        if (!removedNoted) options.notice('file-replaced', REMOVED, false);
        removedNoted = true;
        await pause();
        continue;
      }
      if (identity(named) !== identity(current.info)) {
        const next = await openIfFile(path);
        if (next === null) {
          await pause();
          continue;
        }
        // the old file was read to its end just now; what is written to it later belongs to the rotated copy
        await closeQuietly(current.fd);
        current = next;
        removedNoted = false;
        verifying = { why: 'replaced', blocks: 0 };
        continue;
      }
      removedNoted = false;
      await pause();
    }
  } finally {
    if (current !== null) await closeQuietly(current.fd);
  }
}

type Change = 'truncated' | 'rewritten' | 'replaced';

const KIND_OF_CHANGE: Record<Change, FollowNoticeKind> = {
  truncated: 'file-truncated',
  rewritten: 'file-truncated',
  replaced: 'file-replaced',
};

const MESSAGES = {
  truncated: {
    same: 'was emptied and written again with the same beginning: reading on after what was already read',
    different: 'was truncated (copytruncate, or a new run writing to it): reading it again from its start',
  },
  rewritten: {
    same: 'was rewritten with the same beginning: reading on after what was already read',
    different: 'was rewritten in place: reading it again from its start',
  },
  replaced: {
    same: 'now names a new copy that begins with what was read: reading on after it',
    different: 'now names another file (rotated or recreated): reading the new file from its start',
  },
} as const;

const REMOVED = 'was removed: reading on from the open file, and waiting for a new file of that name';

/** Opens `path` when it is a regular file now; null when it is missing or something else. */
async function openIfFile(path: string): Promise<OpenedFile | null> {
  let opened: OpenedFile;
  try {
    opened = openForReading(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
    throw error;
  }
  if (opened.kind === 'file') return opened;
  await closeQuietly(opened.fd);
  return null;
}

/** Reads exactly `[position, position + length)` (fewer bytes only at the end of the file). */
type ReadRange = (position: number, length: number) => Promise<Uint8Array>;

function rangeReader(fd: number): ReadRange {
  return async (position, length) => {
    const out = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const n = await readAt(fd, out.subarray(filled), length - filled, position + filled);
      if (n === 0) break;
      filled += n;
    }
    return out.subarray(0, filled);
  };
}

// ---------------------------------------------------------------------------------------------
// Fingerprint of the bytes read

/** Bytes per fingerprint block: the first and the last block are kept verbatim, the others hashed. */
export const PRINT_BLOCK = 64 * 1024;
/** Bytes at each end compared by the cheap check between polls. */
const EDGE_BYTES = 4096;

/** How the start of a file compares with the bytes read before. */
export interface PrintVerdict {
  /** `shorter`: equal as far as the file goes, but it holds fewer bytes than were read. */
  result: 'same' | 'different' | 'shorter';
  /** Whole blocks found equal (where a later comparison may resume). */
  verifiedBlocks: number;
}

/**
 * A fingerprint of a byte stream that is cheap to keep (two blocks verbatim plus a 20-byte hash per
 * 64 KiB: about 330 KB per GB read) and tells whether another file begins with the same bytes.
 */
export interface ContentPrint {
  /** Bytes added since the last reset. */
  readonly length: number;
  add(bytes: Uint8Array): void;
  reset(): void;
  /** Whether the first and the last bytes read are still the same in the file (reads ≤ 8 KiB). */
  edgesIntact(read: ReadRange): Promise<boolean>;
  /** Compares the file's first `length` bytes with the ones read, from block `fromBlock` on. */
  compare(read: ReadRange, size: number, fromBlock?: number): Promise<PrintVerdict>;
}

/** Creates an empty fingerprint. */
export function createContentPrint(): ContentPrint {
  let length = 0;
  let head = Buffer.alloc(PRINT_BLOCK);
  let partial = Buffer.alloc(PRINT_BLOCK);
  let partialFill = 0;
  let hashes: string[] = [];
  let edge: Buffer = Buffer.alloc(0);
  const digest = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('base64');

  return {
    get length() {
      return length;
    },
    add(bytes) {
      let i = 0;
      while (i < bytes.length) {
        if (length < PRINT_BLOCK) {
          const n = Math.min(PRINT_BLOCK - length, bytes.length - i);
          head.set(bytes.subarray(i, i + n), length);
          length += n;
          i += n;
          continue;
        }
        const n = Math.min(PRINT_BLOCK - partialFill, bytes.length - i);
        partial.set(bytes.subarray(i, i + n), partialFill);
        partialFill += n;
        length += n;
        i += n;
        if (partialFill === PRINT_BLOCK) {
          hashes.push(digest(partial));
          partialFill = 0;
        }
      }
      edge =
        bytes.length >= EDGE_BYTES
          ? Buffer.from(bytes.subarray(bytes.length - EDGE_BYTES))
          : Buffer.concat([edge, bytes]).subarray(-EDGE_BYTES);
    },
    reset() {
      length = 0;
      head = Buffer.alloc(PRINT_BLOCK);
      partial = Buffer.alloc(PRINT_BLOCK);
      partialFill = 0;
      hashes = [];
      edge = Buffer.alloc(0);
    },
    async edgesIntact(read) {
      if (length === 0) return true;
      const first = Math.min(EDGE_BYTES, length);
      if (!head.subarray(0, first).equals(await read(0, first))) return false;
      return edge.equals(await read(length - edge.length, edge.length));
    },
    async compare(read, size, fromBlock = 0) {
      const blocks = Math.ceil(length / PRINT_BLOCK);
      for (let i = fromBlock; i < blocks; i += 1) {
        const start = i * PRINT_BLOCK;
        const want = Math.min(PRINT_BLOCK, length - start);
        const available = Math.min(want, size - start);
        if (available <= 0) return { result: 'shorter', verifiedBlocks: i };
        const verbatim = i === 0 ? head : want < PRINT_BLOCK ? partial : null;
        if (verbatim !== null) {
          const got = await read(start, available);
          if (!verbatim.subarray(0, got.length).equals(got))
            return { result: 'different', verifiedBlocks: i };
          if (got.length < want) return { result: 'shorter', verifiedBlocks: i };
        } else {
          // a hashed block can only be compared whole
          if (available < want) return { result: 'shorter', verifiedBlocks: i };
          const got = await read(start, want);
          if (got.length < want) return { result: 'shorter', verifiedBlocks: i };
          if (digest(got) !== hashes[i - 1]) return { result: 'different', verifiedBlocks: i };
        }
      }
      return { result: 'same', verifiedBlocks: blocks };
    },
  };
}
