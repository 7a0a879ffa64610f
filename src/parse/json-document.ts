/**
 * A `chars` reader for JSON documents: the text is read as it comes (`json-stream.ts`) into a tree of
 * values whose size is capped, so memory is bounded by what the tree keeps, never by the file: past the
 * cap the input fails with one line.
 */
import { PARSE_LIMITS } from '../model/index.js';
import { thousands } from './limits.js';
import { createJsonStream } from './json-stream.js';
import { createTreeBuilder, type TolerantNode, type TolerantResult } from './json-tolerant.js';
import type { FormatReader, ReaderEnd } from './types.js';

/** Longest string kept in a document tree (a JSON string holding a whole history dump is one). */
export const MAX_DOCUMENT_STRING_CHARS = 64 << 20;

/**
 * Reads a JSON document (or, with `sequence`, several values one after another) and hands the values
 * to `read` at the end, or the first problem.
 */
export function jsonDocumentReader(
  sequence: boolean,
  read: (values: TolerantResult<TolerantNode[]>) => ReaderEnd,
): FormatReader {
  const tree = createTreeBuilder({
    maxNodes: PARSE_LIMITS.values,
    maxStringChars: MAX_DOCUMENT_STRING_CHARS,
    overNodes: `more than ${thousands(PARSE_LIMITS.values)} values in one JSON document (epochlint's limit, which keeps memory bounded): not read; split the file`,
  });
  // keys longer than a metric name may be are cut (and then reported by the reader as over-long)
  const stream = createJsonStream(tree.handler, { sequence, maxKeyChars: PARSE_LIMITS.nameChars + 1 });
  let over: string | null = null;
  return {
    kind: 'chars',
    write(text: string): void {
      if (over !== null) return;
      stream.write(text);
      const problem = tree.problem();
      if (problem !== null) over = problem.message;
    },
    end(): ReaderEnd {
      if (over !== null) return { fatal: over };
      const problem = stream.end();
      const capped = tree.problem();
      if (capped !== null) return { fatal: capped.message };
      if (problem !== null) return read({ ok: false, line: problem.line, message: problem.message });
      return read({ ok: true, value: tree.values() });
    },
  };
}
