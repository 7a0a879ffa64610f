export * from './records.js';
export * from './roles.js';
