export * from './notebook/index.js';
export * from './python/index.js';
export * from './store/index.js';
export * from './corpus/index.js';
export type * from './plugin-api/index.js';
export * from './system/index.js';
export * from './feedback/index.js';
export * from './diff/index.js';
