/**
 * `--shard i/n`: one of n parts of a sweep, for a CI matrix of n jobs (the CI system schedules them;
 * epochlint only picks its part). The inputs are expanded and sorted as always, then file k (0-based)
 * goes to shard (k mod n) + 1: every file is in exactly one shard, the shards differ in size by one
 * file at most, and neighbouring runs of a sweep (often alike in size) are spread over the shards.
 */
import { parseWholeNumber } from './hints.js';

/** A shard: 1-based index and count. */
export interface Shard {
  index: number;
  count: number;
}

/** Reads `i/n` (1 <= i <= n); a one-line problem otherwise. */
export function parseShard(text: string): Shard | { problem: string } {
  const slash = text.indexOf('/');
  const index = slash < 0 ? null : parseWholeNumber(text.slice(0, slash));
  const count = slash < 0 ? null : parseWholeNumber(text.slice(slash + 1));
  if (index === null || count === null || count < 1 || index < 1 || index > count) {
    return { problem: `--shard: expected i/n with 1 <= i <= n (e.g. 2/4), got '${text}'` };
  }
  return { index, count };
}

/** The items of one shard, in their order. */
export function selectShard<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, k) => k % shard.count === shard.index - 1);
}
