/**
 * Reading training code (issue 7 §2): a notebook's code cells, code pasted with the log, and `--script`.
 * Intact code goes through tree-sitter's Python grammar (loaded only when there is code), code that is not
 * intact (a flattened paste, prose around it) through the tolerant scanner. Nothing is ever executed.
 */
import type { CodeSource } from '../../model/index.js';
import type { CodeFacts } from './facts.js';
import type { CodeModel, CodeText } from './model.js';
import { readFacts, type ReadModel } from './read-facts.js';
import { codeInInput, MAX_CODE_CHARS } from './regions.js';
import { scanCode } from './scan.js';
import { parseCode } from './tree.js';

export type { CodeText } from './model.js';
export { createHeadCollector } from './collect.js';
export {
  codeInInput,
  codeInNotebook,
  codeInText,
  isCodeLine,
  MAX_CODE_BYTES,
  MAX_CODE_CHARS,
} from './regions.js';
export { scanCode } from './scan.js';
export { loadPythonParser, parseCode } from './tree.js';
export { divisorOf, readFacts } from './read-facts.js';

function lineCount(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) n += 1;
  return n;
}

/** Reads code texts into facts; null when none of them holds a call or an assignment. */
export async function readCode(texts: readonly CodeText[]): Promise<CodeFacts | null> {
  const models: ReadModel[] = [];
  const sources: CodeSource[] = [];
  for (const t of texts) {
    let model: CodeModel | null = null;
    let reader: CodeSource['reader'] = 'scan';
    if (t.intact) {
      model = await parseCode(t.text, t.firstLine);
      if (model !== null) reader = 'tree-sitter';
    }
    model ??= scanCode(t.text, t.intact, t.firstLine);
    if (model.calls.length === 0 && model.assignments.length === 0) continue;
    models.push({ model, file: t.file });
    sources.push({
      origin: t.origin,
      file: t.file,
      fromLine: t.firstLine,
      toLine: t.firstLine + lineCount(t.text) - 1,
      reader,
    });
  }
  if (models.length === 0) return null;
  return { ...readFacts(models), sources };
}

/** The code of one input (notebook cells or pasted code) plus an optional `--script`, read into facts. */
export async function readTrainingCode(
  input: { text: string; file: string | null } | null,
  script: { text: string; file: string } | null,
): Promise<CodeFacts | null> {
  const texts: CodeText[] = [];
  if (input !== null) texts.push(...codeInInput(input.text, input.file));
  if (script !== null) {
    texts.push(
      ...(script.file.endsWith('.ipynb')
        ? codeInInput(script.text, script.file).map((t) => ({ ...t, origin: 'script' as const }))
        : [
            {
              text: script.text.slice(0, MAX_CODE_CHARS),
              origin: 'script' as const,
              file: script.file,
              firstLine: 1,
              intact: true,
            },
          ]),
    );
  }
  return texts.length === 0 ? null : readCode(texts);
}
