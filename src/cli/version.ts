/** epochlint's version, for `--version` and the reports' tool metadata. */
import { readFileSync } from 'node:fs';

/** Set by the bundler from package.json (`bin/build.mjs`); undefined when the sources run as they are. */
declare const EPOCHLINT_VERSION: string | undefined;

let read: string | null = null;

/** The version of package.json: built into the bundle, read from the file otherwise. */
export function packageVersion(): string {
  if (typeof EPOCHLINT_VERSION === 'string') return EPOCHLINT_VERSION;
  if (read !== null) return read;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    read = pkg.version ?? '0.0.0';
  } catch {
    read = '0.0.0';
  }
  return read;
}
