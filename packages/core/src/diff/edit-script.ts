import { preOrder, type DiffNode, type DiffPosition } from './diff-tree.js';
import { lcs, type TreeMapping } from './tree-matching.js';

/**
 * `insert`/`delete`: a subtree only on one side (reported at its root, not for every descendant);
 * `update`: a mapped node whose label changed (a literal, an operator); `rename`: the same for an
 * identifier; `move`: a mapped node under a different parent, or reordered among its siblings.
 */
export type StructuralChangeKind = 'insert' | 'delete' | 'update' | 'rename' | 'move';

/** One side of a change: the node, where it is, and its source (trimmed for long nodes). */
export interface StructuralNodeRef {
  type: string;
  text: string;
  start: DiffPosition;
  end: DiffPosition;
}

export interface StructuralChange {
  kind: StructuralChangeKind;
  /** The node in the original code (absent for an insert). */
  before?: StructuralNodeRef;
  /** The node in the modified code (absent for a delete). */
  after?: StructuralNodeRef;
}

const MAX_TEXT = 200;

function ref(node: DiffNode): StructuralNodeRef {
  const text = node.text.length > MAX_TEXT ? `${node.text.slice(0, MAX_TEXT - 1)}…` : node.text;
  return { type: node.type, text, start: node.start, end: node.end };
}

/**
 * Derive the edit script from a mapping (the actions of Chawathe et al., as GumTree reports them,
 * without the move/insert index bookkeeping a patch would need): updates and renames from label
 * changes, moves from parent changes and from mapped siblings that fall outside the longest
 * common subsequence of their parent's children, inserts and deletes at the roots of unmapped
 * subtrees. Changes come in the modified code's order, a delete where its parent now is.
 */
export function editScript(before: DiffNode, after: DiffNode, mapping: TreeMapping): StructuralChange[] {
  const changes: { change: StructuralChange; order: [number, number, number] }[] = [];
  const at = (position: DiffPosition, rank: number): [number, number, number] => [position.line, position.column, rank];
  const moved = new Set<DiffNode>();

  for (const [a, b] of mapping.pairs()) {
    if (a.parent && b.parent && mapping.partnerOf(a.parent) !== b.parent) moved.add(a);
  }
  for (const [a, b] of mapping.pairs()) {
    if (a.children.length === 0 || b.children.length === 0) continue;
    const mappedChildren = a.children.filter((c) => mapping.partnerOf(c)?.parent === b);
    const order = lcs(mappedChildren, b.children, (x, y) => mapping.partnerOf(x) === y);
    const inOrder = new Set(order.map(([i]) => mappedChildren[i]!));
    for (const child of mappedChildren) if (!inOrder.has(child)) moved.add(child);
  }

  for (const [a, b] of mapping.pairs()) {
    if (a.label !== b.label) {
      const kind: StructuralChangeKind = a.type === 'identifier' && b.type === 'identifier' ? 'rename' : 'update';
      changes.push({ change: { kind, before: ref(a), after: ref(b) }, order: at(b.start, 1) });
    }
    if (moved.has(a)) changes.push({ change: { kind: 'move', before: ref(a), after: ref(b) }, order: at(b.start, 2) });
  }
  for (const node of preOrder(after)) {
    if (mapping.hasTarget(node) || (node.parent && !mapping.hasTarget(node.parent))) continue;
    changes.push({ change: { kind: 'insert', after: ref(node) }, order: at(node.start, 3) });
  }
  for (const node of preOrder(before)) {
    if (mapping.hasSource(node) || (node.parent && !mapping.hasSource(node.parent))) continue;
    // Ordered where its parent is in the modified code, so that one sort serves both sides.
    const anchor = node.parent ? mapping.partnerOf(node.parent)!.start : node.start;
    changes.push({ change: { kind: 'delete', before: ref(node) }, order: at(anchor, 0) });
  }
  changes.sort((x, y) => x.order[0] - y.order[0] || x.order[1] - y.order[1] || x.order[2] - y.order[2]);
  return changes.map((c) => c.change);
}
