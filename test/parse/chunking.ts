/**
 * Helpers of the chunk-boundary tests: a parse fed in given pieces, a seeded generator of cut points (a
 * failing split can be replayed from its seed), and the split itself.
 */
import type { ParseIssue, Run } from '../../src/model/index.js';
import { createParser, type Parser } from '../../src/parse/index.js';

/**
 * Feeds `chunks` the way a file is read: each copied into one buffer, which is overwritten (with 0xAA,
 * never valid UTF-8 on its own) as soon as `feed` returns, so a parser that kept a reference to a
 * chunk instead of copying what it needs gives other records than the same chunks fed fresh.
 */
export function feedReused(parser: Pick<Parser, 'feed'>, chunks: readonly Uint8Array[]): void {
  const buffer = Buffer.alloc(Math.max(1, ...chunks.map((c) => c.length)));
  for (const chunk of chunks) {
    buffer.set(chunk, 0);
    parser.feed(buffer.subarray(0, chunk.length));
    buffer.fill(0xaa);
  }
}

/** The runs and issues of one input fed to the streaming parser in these chunks (through one buffer). */
export function parseChunks(chunks: Uint8Array[]): { runs: Run[]; issues: ParseIssue[] } {
  const runs: Run[] = [];
  const issues: ParseIssue[] = [];
  const parser = createParser({ onRun: (r) => runs.push(r), onIssue: (i) => issues.push(i) });
  feedReused(parser, chunks);
  parser.end();
  return { runs, issues };
}

/** Deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `bytes` cut at the given offsets (duplicates and order do not matter). */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const sorted = [...new Set(cuts)].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const cut of sorted) {
    chunks.push(bytes.subarray(from, cut));
    from = cut;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}
