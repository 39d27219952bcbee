export * from './common.js';
export * from './ml.js';
export * from './chatops.js';
