/**
 * A `chars` reader for a document read whole at its end, with a cap on what it holds.
 */
import type { FormatReader, ReaderEnd } from './types.js';

/** Whole documents are buffered; beyond this a file is refused rather than exhausting memory. */
export const MAX_BUFFERED_CHARS = 256 * 1024 * 1024;

/** Holds the text (up to {@link MAX_BUFFERED_CHARS}) and hands it to `read` at the end. */
export function bufferedDocument(what: string, read: (text: string) => ReaderEnd): FormatReader {
  let parts: string[] = [];
  let length = 0;
  let over = false;
  return {
    kind: 'chars',
    write(text: string): void {
      if (over) return;
      length += text.length;
      if (length > MAX_BUFFERED_CHARS) {
        over = true;
        parts = [];
        return;
      }
      parts.push(text);
    },
    end(): ReaderEnd {
      if (over) return { fatal: `${what} input larger than ${MAX_BUFFERED_CHARS >> 20} MiB` };
      const text = parts.join('');
      parts = [];
      return read(text);
    },
  };
}
