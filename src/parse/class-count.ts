/**
 * The number of classes a log states in its own words, outside a dataset line: a banner
 * (`--- resnet50 on CIFAR100 (100 classes) using cuda ---`), printed arguments (`num_classes=100`,
 * `Namespace(..., n_classes=10)`), a config dump (`n_classes: 10`, `"num_classes": 1000`) or a sentence
 * (`number of classes: 10`). The chance level of an accuracy is 1/K, so the rules that judge "at chance"
 * need K; the context cites the line it came from. Linear in the line: a substring test first, then
 * regexes without nested repetition (each match is bounded by its digits).
 */

/** A class count stated by one line, and the words that state it. */
export interface ClassStatement {
  count: number;
  text: string;
}

/**
 * `(100 classes)`, `with 10 classes`, `into 3 classes`: a count right before the word, in parentheses or
 * after a word that states a size (`top 5 classes`, `the 2 classes above` say something else).
 */
const COUNT_CLASSES = /(?:\(|\b(?:with|into|has|have|over|across|of|to|in|:)\s)(\d{1,7}) classes\b/;
/** `num_classes=100`, `n_classes: 10`, `nb_classes = 3`, `"num_classes": 1000`, `number of classes: 10`. */
const CLASSES_KEY = /\b((?:num|n|nb|number)(?:_| of )classes)["']?\s?[=:]\s?(\d{1,7})\b/i;

/** Fewer than two classes is no classifier; more than this is a vocabulary, not a label set. */
const MAX_CLASSES = 1_000_000;

/** The class count a line states, or null (linear in the line). */
export function findClassStatement(text: string): ClassStatement | null {
  if (!text.includes('classes') && !text.includes('CLASSES') && !text.includes('Classes')) return null;
  const key = CLASSES_KEY.exec(text);
  if (key !== null) return statement(Number(key[2]), `${key[1] ?? ''}=${key[2] ?? ''}`);
  const plain = COUNT_CLASSES.exec(text);
  if (plain !== null) return statement(Number(plain[1]), `${plain[1] ?? ''} classes`);
  return null;
}

function statement(count: number, text: string): ClassStatement | null {
  return Number.isInteger(count) && count >= 2 && count <= MAX_CLASSES ? { count, text } : null;
}
