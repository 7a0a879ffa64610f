/** Shared pieces of the hostile-input CLI tests: a scratch directory and the "nothing raw" check. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasUnsafeCharacters } from '../../src/report/escape.js';

/** A fresh scratch directory under the OS temp directory, and a function that removes it. */
export function scratch(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `epochlint-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Whether output holds a raw control, bidi or invisible character (line breaks and tabs are layout). */
export function hasRawUnsafe(output: string): boolean {
  return hasUnsafeCharacters(output.replace(/[\n\t]/g, ''));
}
