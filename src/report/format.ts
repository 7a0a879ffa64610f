/** Filling message templates (`{name}` placeholders) from a finding's or reason's data. */
import type { Scalar } from '../model/index.js';
import { escapeControl } from './escape.js';

/** Formats a number for prose: 4 significant digits, scientific for tiny p-values. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-4 || abs >= 1e7) return value.toExponential(2);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

function formatScalar(value: Scalar | undefined): string {
  if (value === undefined || value === null) return '–';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return escapeControl(value);
}

/**
 * Fills `{name}` from `data`. A string value that names another message of the same table is
 * rendered in its place (one level deep), so a finding can choose a clause by id.
 */
export function formatMessage(
  messages: Record<string, string>,
  messageId: string,
  data: Record<string, Scalar>,
  depth = 0,
): string {
  const template = messages[messageId];
  if (template === undefined) return messageId;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = data[name];
    if (depth === 0 && typeof value === 'string' && messages[value] !== undefined) {
      return formatMessage(messages, value, data, depth + 1);
    }
    return formatScalar(value);
  });
}
