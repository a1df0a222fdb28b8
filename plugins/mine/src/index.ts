export { mineCorpus, type MineOptions, type MineSummary, type SourceSummary, type MineProgress } from './mine-corpus.js';
export { DirSource } from './sources/dir-source.js';
export { writeSyntheticCorpus, type SyntheticCorpusStats } from './synthetic-corpus.js';
