/**
 * Logs are untrusted input: text taken from them is shown with control characters escaped, so a
 * log cannot move the cursor, recolour the terminal or hide lines (`\x1b[2J`, `\r`, `\b`).
 */
/** C0 and C1 controls, and the bidirectional overrides that can reorder a line on screen ("Trojan source"). */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Escapes C0/C1 control characters as `\xNN` (and `\t`, `\n`, `\r` by name). */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/**
 * JSON.stringify leaves C1 controls and bidirectional overrides raw (valid JSON, unsafe on a terminal):
 * written as `\uXXXX` escapes instead, which parse back to the same strings.
 */
export function escapeJsonText(json: string): string {
  return json.replace(
    /[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
