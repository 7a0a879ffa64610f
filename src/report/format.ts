/** Message templates, filled from a finding's or reason's data: defined with the rest of the shared prose. */
export { formatMessage, formatNumber } from './prose.js';
