/** epochlint's library API. */
export * from './model/index.js';
export { createParser, parseText } from './parse/index.js';
export type {
  InputFormat,
  Parser,
  ParserOptions,
  ParseSummary,
  ParsedText,
  ParseResult,
} from './parse/index.js';
