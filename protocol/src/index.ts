// The contract between manager and agent: frames, messages, config and result schemas.
export * from './schema-lang.js';
export * from './config-schema.js';
export * from './config.js';
export * from './result.js';
export * from './messages.js';
export * from './frame.js';
export * from './hash.js';
export * from './secret.js';
export * from './console-series.js';
export * from './console-messages.js';
