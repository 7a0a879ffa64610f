/**
 * The real Python parser for intact code: tree-sitter's Python grammar (tree-sitter-python's wasm) run by
 * web-tree-sitter. Loaded lazily, only when there is code to parse (start-up time matters), once per
 * process. Never executes anything: the tree is read for calls, assignments and generator functions.
 */
import { createRequire } from 'node:module';
import type { Node as SyntaxNode, Parser as TreeParser } from 'web-tree-sitter';
import { excerpt, type CodeArg, type CodeCall, type CodeModel } from './model.js';

let loading: Promise<TreeParser | null> | null = null;

/** The parser, or null when the grammar cannot be loaded (then the scanner reads the code). */
export function loadPythonParser(): Promise<TreeParser | null> {
  loading ??= (async () => {
    try {
      // required, not imported: the bundled command line runs as a script, where import() of a package is
      // not available, and the package's CommonJS build finds its .wasm next to itself in node_modules
      const require = createRequire(import.meta.url);
      const { Parser, Language } = require('web-tree-sitter') as typeof import('web-tree-sitter');
      await Parser.init();
      const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
      const parser = new Parser();
      parser.setLanguage(language);
      return parser;
    } catch {
      return null;
    }
  })();
  return loading;
}

/** Share of ERROR / missing nodes above which the text is not intact Python (prose around code). */
const MAX_ERROR_SHARE = 0.05;

function callOf(node: SyntaxNode, firstLine: number, target: string | null): CodeCall | null {
  const fn = node.childForFieldName('function');
  const argsNode = node.childForFieldName('arguments');
  if (fn === null) return null;
  if (fn.type !== 'identifier' && fn.type !== 'attribute') return null;
  const callee = fn.text.replace(/\s+/g, '');
  const parts = callee.split('.');
  const args: CodeArg[] = [];
  for (const child of argsNode?.namedChildren ?? []) {
    if (child === null) continue;
    if (child.type === 'keyword_argument') {
      args.push({
        keyword: child.childForFieldName('name')?.text ?? null,
        text: child.childForFieldName('value')?.text ?? '',
      });
    } else if (child.type !== 'comment') {
      args.push({ keyword: null, text: child.text });
    }
  }
  return {
    callee,
    name: parts[parts.length - 1] ?? callee,
    object: parts.length > 1 ? parts.slice(0, -1).join('.') : null,
    args,
    line: firstLine + node.startPosition.row,
    text: excerpt(node.text),
    target,
  };
}

/** Records one assignment, call or function definition (calls inside are visited by the walk itself). */
function visit(node: SyntaxNode, model: CodeModel, firstLine: number): void {
  if (node.type === 'assignment') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left === null || right === null) return;
    model.assignments.push({
      target: left.text,
      value: right.text,
      line: firstLine + node.startPosition.row,
      text: excerpt(node.text),
    });
    return;
  }
  if (node.type === 'call') {
    // the variable a call is assigned to: `validation_generator = test_datagen.flow_from_directory(...)`
    const parent = node.parent;
    const target =
      parent !== null && parent.type === 'assignment' && parent.childForFieldName('right')?.id === node.id
        ? (parent.childForFieldName('left')?.text ?? null)
        : null;
    const call = callOf(node, firstLine, target);
    if (call !== null) model.calls.push(call);
    return;
  }
  const body = node.childForFieldName('body');
  model.functions.push({
    name: node.childForFieldName('name')?.text ?? '',
    yields: body !== null && body.descendantsOfType('yield').length > 0,
    line: firstLine + node.startPosition.row,
  });
}

/**
 * Parses intact Python; null when the parser is not available or the text is not Python (too many syntax
 * errors: the caller scans it instead).
 */
export async function parseCode(text: string, firstLine = 1): Promise<CodeModel | null> {
  const parser = await loadPythonParser();
  if (parser === null) return null;
  const tree = parser.parse(text);
  if (tree === null) return null;
  try {
    const root = tree.rootNode;
    let nodes = 0;
    let errors = 0;
    const model: CodeModel = { calls: [], assignments: [], functions: [] };
    // a cursor walk: only the nodes that matter become Node objects (each crosses into wasm)
    const cursor = tree.walk();
    try {
      for (;;) {
        nodes += 1;
        const type = cursor.nodeType;
        if (type === 'ERROR' || cursor.nodeIsMissing) errors += 1;
        if (type === 'assignment' || type === 'call' || type === 'function_definition') {
          visit(cursor.currentNode, model, firstLine);
        }
        if (cursor.gotoFirstChild()) continue;
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) break;
        }
        if (cursor.nodeId === root.id) break;
      }
    } finally {
      cursor.delete();
    }
    if (errors > MAX_ERROR_SHARE * nodes) return null;
    model.calls.sort((a, b) => a.line - b.line);
    model.assignments.sort((a, b) => a.line - b.line);
    return model;
  } finally {
    tree.delete();
  }
}
