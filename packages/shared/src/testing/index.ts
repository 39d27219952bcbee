export * from './auth-matrix.js';
export * from './eventually.js';
export * from './external-servers.js';
export * from './system.js';
export * from './test-databases.js';
export * from './test-identity.js';
export * from './test-tracing.js';
export * from './uploads.js';
