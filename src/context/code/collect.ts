/**
 * Keeps the head of an input as it streams by, for the code readers (code pasted with a log comes before
 * the training output; a notebook's code cells are inside its JSON). Bounded: at most `max` bytes are kept,
 * whatever the size of the input.
 */
import { isNotebookText, MAX_CODE_BYTES } from './regions.js';

/** A bounded collector of the first bytes of an input. */
export function createHeadCollector(max: number = MAX_CODE_BYTES * 8) {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let cut = false;
  return {
    push(chunk: Uint8Array): void {
      if (kept >= max) {
        cut ||= chunk.length > 0;
        return;
      }
      cut ||= chunk.length > max - kept;
      const take = chunk.length <= max - kept ? chunk : chunk.subarray(0, max - kept);
      chunks.push(take);
      kept += take.length;
    },
    /**
     * The kept bytes as text (invalid UTF-8 replaced, never thrown); empty for a notebook cut short: its
     * code cells are read from its JSON, which a cut head never holds whole (and decoding and parsing the
     * 32 MB head of a notebook with a huge output cost as much memory as the rest of the lint).
     */
    text(): string {
      if (
        cut &&
        isNotebookText(new TextDecoder('utf-8', { fatal: false }).decode(chunks[0]?.subarray(0, 4096)))
      )
        return '';
      const all = new Uint8Array(kept);
      let at = 0;
      for (const c of chunks) {
        all.set(c, at);
        at += c.length;
      }
      return new TextDecoder('utf-8', { fatal: false }).decode(all);
    },
  };
}
