/**
 * Keeps the head of an input as it streams by, for the code readers (code pasted with a log comes before
 * the training output; a notebook's code cells are inside its JSON). Bounded: at most `max` bytes are kept
 * of an input that may be JSON (a notebook, whose cells sit among its outputs), and `MAX_CODE_BYTES` of any
 * other text, all the text code reader looks at (`codeRegions`): keeping 32 MB of a 500 MB console log
 * cost the lint 35 MB of memory and a decode and scan of text it never used.
 */
import { isNotebookText, MAX_CODE_BYTES } from './regions.js';

/** True for the bytes of JSON whitespace (space, tab, newline, carriage return) and a UTF-8 byte order mark. */
function isLeading(byte: number): boolean {
  return (
    byte === 0x20 ||
    byte === 0x09 ||
    byte === 0x0a ||
    byte === 0x0d ||
    byte === 0xef ||
    byte === 0xbb ||
    byte === 0xbf
  );
}

/** A bounded collector of the first bytes of an input. */
export function createHeadCollector(max: number = MAX_CODE_BYTES * 8) {
  // one buffer, doubled as it fills (a copy: the reader hands out one buffer, filled again for the next
  // chunk): the 4 MB head of a long log is then held once, not as its chunks and again as their join
  let bytes = new Uint8Array(0);
  let kept = 0;
  let cut = false;
  // until the first byte that is not whitespace: `{` may open a notebook (the bound stays), anything else is text
  let limit = max;
  let decided = false;
  return {
    push(chunk: Uint8Array): void {
      if (!decided) {
        const first = chunk.findIndex((b) => !isLeading(b));
        if (first >= 0) {
          decided = true;
          if (chunk[first] !== 0x7b) limit = Math.min(max, MAX_CODE_BYTES);
        }
      }
      if (kept >= limit) {
        cut ||= chunk.length > 0;
        return;
      }
      cut ||= chunk.length > limit - kept;
      const take = chunk.length <= limit - kept ? chunk : chunk.subarray(0, limit - kept);
      if (kept + take.length > bytes.length) {
        const grown = new Uint8Array(Math.min(limit, Math.max(kept + take.length, bytes.length * 2)));
        grown.set(bytes.subarray(0, kept), 0);
        bytes = grown;
      }
      bytes.set(take, kept);
      kept += take.length;
    },
    /**
     * The kept bytes as text (invalid UTF-8 replaced, never thrown); empty for a notebook cut short: its
     * code cells are read from its JSON, which a cut head never holds whole (and decoding and parsing the
     * 32 MB head of a notebook with a huge output cost as much memory as the rest of the lint). The bytes
     * are let go: the text is asked for once.
     */
    text(): string {
      const head = bytes.subarray(0, kept);
      bytes = new Uint8Array(0);
      kept = 0;
      if (cut && isNotebookText(new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 4096))))
        return '';
      return new TextDecoder('utf-8', { fatal: false }).decode(head);
    },
  };
}
