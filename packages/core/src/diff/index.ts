export { structuralDiff, diffNotebookCells, type StructuralDiff, type DiffableCell, type CellStructuralDiff, type NotebookStructuralDiff } from './structural-diff.js';
export { type StructuralChange, type StructuralChangeKind, type StructuralNodeRef } from './edit-script.js';
export { type DiffPosition } from './diff-tree.js';
export { DEFAULT_MATCHING_OPTIONS, type MatchingOptions } from './tree-matching.js';
export { formatStructuralChange, formatStructuralChanges, formatNotebookStructuralDiff } from './format-structural-diff.js';
