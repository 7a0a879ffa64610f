export * from './records.js';
export * from './roles.js';
export * from './findings.js';
export * from './context.js';
export * from './report.js';
