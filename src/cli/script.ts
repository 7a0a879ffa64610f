/**
 * Reading the training script named by `--script`. It is untrusted like a log: opened without blocking
 * (a named pipe or `/dev/urandom` must not hang the run), regular files only, and bounded, since the code
 * reader looks at no more than its first few hundred KiB anyway.
 */
import { closeQuietly, errorCode, KIND_NAME, openForReading, readAt } from './fd.js';

/** The most of a script read; the rest is not looked at (the code reader's own bound is smaller). */
export const MAX_SCRIPT_BYTES = 4 * 1024 * 1024;

/** The script's text, or the problem as the end of a one-line error. */
export async function readScript(path: string): Promise<string | { problem: string }> {
  let opened;
  try {
    opened = openForReading(path);
  } catch (error) {
    const code = errorCode(error);
    return {
      problem:
        code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'cannot be read',
    };
  }
  try {
    if (opened.kind !== 'file') return { problem: `is ${KIND_NAME[opened.kind]}, not a script file` };
    const size = Math.min(opened.info.size, MAX_SCRIPT_BYTES);
    const buffer = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const n = await readAt(opened.fd, buffer.subarray(filled), size - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    const text = new TextDecoder('utf-8', { fatal: false }).decode(buffer.subarray(0, filled));
    if (text.includes('\u0000')) return { problem: 'is binary data, not a script' };
    return text;
  } catch {
    return { problem: 'cannot be read' };
  } finally {
    await closeQuietly(opened.fd);
  }
}
