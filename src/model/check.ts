/**
 * How epochlint asks zod to check a value: without zod's eval-based fast path. zod compiles a checker
 * with `new Function` for an object schema on its first parse, which pays off over thousands of parses in
 * one process; a lint checks each schema a few times, and those compiles (never in a code cache) cost
 * more than they saved. Passed to each parse, not set in zod's global config: an importer of the library
 * keeps its own zod settings.
 */
export const CHECK = { jitless: true } as const;
