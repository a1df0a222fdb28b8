export type { NotebookCandidate, NotebookSource } from './notebook-source.js';
