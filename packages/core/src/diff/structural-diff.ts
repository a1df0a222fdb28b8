import type { ParseStatus, PythonParser } from '../python/parser.js';
import { toDiffTree, type DiffNode } from './diff-tree.js';
import { editScript, type StructuralChange, type StructuralChangeKind } from './edit-script.js';
import { DEFAULT_MATCHING_OPTIONS, lcs, matchTrees, type MatchingOptions } from './tree-matching.js';

/** The structural difference between two versions of one cell's code (plain data, JSON as is). */
export interface StructuralDiff {
  changes: StructuralChange[];
  /** Number of changes of each kind. */
  counts: Record<StructuralChangeKind, number>;
  beforeStatus: ParseStatus;
  afterStatus: ParseStatus;
}

function parseToDiffTree(parser: PythonParser, code: string): { tree: DiffNode; status: ParseStatus } {
  const parsed = parser.parseCell(code);
  try {
    return { tree: toDiffTree(parsed.tree.rootNode), status: parsed.status };
  } finally {
    parsed.tree.delete();
  }
}

function countKinds(changes: readonly StructuralChange[]): Record<StructuralChangeKind, number> {
  const counts: Record<StructuralChangeKind, number> = { insert: 0, delete: 0, update: 0, rename: 0, move: 0 };
  for (const change of changes) counts[change.kind]++;
  return counts;
}

/**
 * Compare two versions of a cell on their syntax trees (magics masked, comments ignored) and
 * return GumTree-style changes at statement and expression granularity: which subtrees were
 * inserted, deleted or moved, which identifiers renamed and which literals or operators updated.
 *
 * Algorithm (GumTree, Falleri et al., ASE 2014, simplified): (1) top-down, map the largest
 * isomorphic subtrees, unique ones at once, ambiguous ones by the similarity of their parents;
 * (2) bottom-up, map containers whose descendants are mostly mapped to each other (Dice ≥ minDice)
 * and recover their remaining children in order (isomorphic, same label, same type) instead of
 * GumTree's optimal tree edit distance; (3) derive the edit script from the mapping.
 */
export function structuralDiff(parser: PythonParser, before: string, after: string, options: MatchingOptions = DEFAULT_MATCHING_OPTIONS): StructuralDiff {
  const left = parseToDiffTree(parser, before);
  const right = parseToDiffTree(parser, after);
  const mapping = matchTrees(left.tree, right.tree, options);
  const changes = editScript(left.tree, right.tree, mapping);
  return { changes, counts: countKinds(changes), beforeStatus: left.status, afterStatus: right.status };
}

/** A cell as the notebook diff needs it (`NormalizedCell` is one). */
export interface DiffableCell {
  cellType: 'code' | 'markdown' | 'raw';
  source: string;
}

export interface CellStructuralDiff {
  /** Index in the original notebook; null for a cell that was inserted. */
  beforeIndex: number | null;
  /** Index in the modified notebook; null for a cell that was deleted. */
  afterIndex: number | null;
  status: 'changed' | 'inserted' | 'deleted';
  cellType: DiffableCell['cellType'];
  /** Structural changes of a changed code cell; empty for other cells. */
  changes: StructuralChange[];
  counts: Record<StructuralChangeKind, number>;
}

export interface NotebookStructuralDiff {
  /** Changed, inserted and deleted cells in notebook order; unchanged cells are left out. */
  cells: CellStructuralDiff[];
  unchangedCells: number;
}

/**
 * Compare two notebooks cell by cell. Cells are aligned on identical sources (longest common
 * subsequence); between two aligned cells, the remaining cells of each side are paired in order
 * (as edited cells) and the surplus is inserted or deleted. Paired code cells get a structural
 * diff; other cell types only a status.
 */
export function diffNotebookCells(parser: PythonParser, before: readonly DiffableCell[], after: readonly DiffableCell[]): NotebookStructuralDiff {
  const same = (a: DiffableCell, b: DiffableCell) => a.cellType === b.cellType && a.source === b.source;
  const anchors = [...lcs(before, after, same), [before.length, after.length] as [number, number]];
  const cells: CellStructuralDiff[] = [];
  const empty = countKinds([]);
  let i = 0;
  let j = 0;
  for (const [anchorI, anchorJ] of anchors) {
    while (i < anchorI || j < anchorJ) {
      const a = i < anchorI ? before[i] : undefined;
      const b = j < anchorJ ? after[j] : undefined;
      if (a && b && a.cellType === b.cellType) {
        const diff = a.cellType === 'code' ? structuralDiff(parser, a.source, b.source) : null;
        cells.push({ beforeIndex: i, afterIndex: j, status: 'changed', cellType: b.cellType, changes: diff?.changes ?? [], counts: diff?.counts ?? empty });
        i++;
        j++;
      } else if (a && (!b || anchorI - i >= anchorJ - j)) {
        cells.push({ beforeIndex: i, afterIndex: null, status: 'deleted', cellType: a.cellType, changes: [], counts: empty });
        i++;
      } else {
        cells.push({ beforeIndex: null, afterIndex: j, status: 'inserted', cellType: b!.cellType, changes: [], counts: empty });
        j++;
      }
    }
    i = anchorI + 1;
    j = anchorJ + 1;
  }
  return { cells, unchangedCells: anchors.length - 1 };
}
