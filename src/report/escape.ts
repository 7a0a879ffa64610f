/**
 * Logs are untrusted input: text taken from them is shown with control characters escaped, so a
 * log cannot move the cursor, recolour the terminal or hide lines (`\x1b[2J`, `\r`, `\b`).
 */
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;

/** Escapes C0/C1 control characters as `\xNN` (and `\t`, `\n`, `\r` by name). */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
