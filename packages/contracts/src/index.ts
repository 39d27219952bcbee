export * from './auth.js';
export * from './chatops.js';
export * from './common.js';
export * from './ml.js';
export * from './monitoring.js';
export * from './paging.js';
export * from './traces.js';
