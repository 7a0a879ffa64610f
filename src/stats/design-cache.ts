/**
 * A small cache of what the trend tests derive from a design alone (its QR factors, projections of the
 * harmonics, AR(1) moments of the projection), keyed by what the design is made of: the series length, the
 * basis options and the index offset. The detectors test several series of one run (loss, accuracy, their
 * validation twins), and a sweep many runs, of the same length: each design is decomposed once. Values are
 * the very numbers a fresh computation gives (same operations in the same order), so results do not change.
 * Bounded: the least recently used designs are dropped beyond `MAX_DESIGNS` per kind.
 */

/** Designs kept per kind (a 5000-point spline design with its factors is a few MB). */
const MAX_DESIGNS = 8;

const caches = new Map<string, Map<string, unknown>>();

/** `compute()` once per kind and key (a failed computation is not kept: it throws again next time). */
export function cachedDesign<T>(kind: string, key: string, compute: () => T): T {
  let cache = caches.get(kind);
  if (cache === undefined) {
    cache = new Map();
    caches.set(kind, cache);
  }
  if (cache.has(key)) {
    const value = cache.get(key) as T;
    // most recently used last
    cache.delete(key);
    cache.set(key, value);
    return value;
  }
  const value = compute();
  cache.set(key, value);
  if (cache.size > MAX_DESIGNS) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return value;
}

/** The cache key of a trend design: length, basis options, index offset. */
export function designKey(
  n: number,
  options: { basis?: string | undefined; knotSpacing?: number | undefined },
  offset: number,
): string {
  return `${n}|${options.basis ?? 'auto'}|${options.knotSpacing ?? ''}|${offset}`;
}

/** Forgets every design (tests compare a first computation with a cached one). */
export function clearDesignCache(): void {
  caches.clear();
}

/** How many designs of a kind are kept. */
export function designCacheSize(kind: string): number {
  return caches.get(kind)?.size ?? 0;
}
