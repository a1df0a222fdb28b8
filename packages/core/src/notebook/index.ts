export * from './types.js';
export { readNotebook, joinMultiline } from './read-notebook.js';
export { detectLanguage, type DetectedLanguage } from './language.js';
export { contentHash, normalizedCode } from './content-hash.js';
export { writeNotebook, toNbformatV4, splitLines } from './write-notebook.js';
