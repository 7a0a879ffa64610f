/** Where a fact of the run context comes from, as message data (`line`, `code`, `file`, `source`). */
import type { Fact, Scalar } from '../model/index.js';

/** The provenance of a fact for a reason: its source, line, file and the code that states it. */
export function provenance(fact: Fact<unknown>): Record<string, Scalar> {
  if (fact === null) return { source: null, line: null, code: null, file: null };
  return {
    source: fact.source,
    line: fact.line,
    code: fact.excerpt ?? null,
    file: fact.file ?? null,
  };
}

/** A fact that comes from code (flags and the log outrank code, so such a fact was not contradicted). */
export function fromCode(fact: Fact<unknown>): boolean {
  return fact !== null && fact.source === 'code';
}
