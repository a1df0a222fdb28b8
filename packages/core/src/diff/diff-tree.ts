import type { Node } from 'web-tree-sitter';

/** A 1-based line and column (UTF-16 code units) in a cell. */
export interface DiffPosition {
  line: number;
  column: number;
}

/**
 * A syntax node copied out of tree-sitter into plain memory, so that the wasm tree can be freed
 * at once and the matcher can keep parent links, heights and hashes of its own.
 */
export interface DiffNode {
  /** Pre-order number, unique within its tree. */
  id: number;
  type: string;
  /** What an update compares: the text of a leaf, the operator of an operator node, '' otherwise. */
  label: string;
  text: string;
  start: DiffPosition;
  end: DiffPosition;
  parent: DiffNode | null;
  children: DiffNode[];
  /** 1 for a leaf. */
  height: number;
  /** Number of nodes in the subtree, itself included. */
  size: number;
  /** Equal for isomorphic subtrees (same types and labels all the way down). */
  hash: string;
}

/** Nodes whose text is compared whole rather than split into parts (a string's pieces are not structure). */
const ATOMIC_TYPES = new Set(['string', 'integer', 'float', 'identifier', 'true', 'false', 'none', 'ellipsis', 'dotted_name']);
/** Nodes whose meaning is in an anonymous token (`+`, `not in`, `+=`): the token becomes the label. */
const OPERATOR_TYPES = new Set(['binary_operator', 'boolean_operator', 'comparison_operator', 'unary_operator', 'augmented_assignment', 'not_operator']);
/** Left out of the structure: comments do not change what code does. */
const SKIPPED_TYPES = new Set(['comment']);

let hashCache = new Map<string, string>();

/** A short stable hash key for a (type, label, children) triple; interned to keep memory small. */
function intern(key: string): string {
  let value = hashCache.get(key);
  if (value === undefined) {
    value = String(hashCache.size);
    hashCache.set(key, value);
  }
  return value;
}

/** Copy a tree-sitter subtree into a {@link DiffNode} tree (named nodes only, comments skipped). */
export function toDiffTree(root: Node): DiffNode {
  // The intern table only needs to be shared by the two trees of one comparison.
  if (hashCache.size > 100_000) hashCache = new Map();
  let nextId = 0;
  const build = (node: Node, parent: DiffNode | null): DiffNode => {
    const atomic = ATOMIC_TYPES.has(node.type) || node.namedChildCount === 0;
    const label = atomic
      ? node.text
      : OPERATOR_TYPES.has(node.type)
        ? node.children.filter((child) => child && !child.isNamed).map((child) => child!.text).join(' ')
        : '';
    const diffNode: DiffNode = {
      id: nextId++,
      type: node.type,
      label,
      text: node.text,
      start: { line: node.startPosition.row + 1, column: node.startPosition.column + 1 },
      end: { line: node.endPosition.row + 1, column: node.endPosition.column + 1 },
      parent,
      children: [],
      height: 1,
      size: 1,
      hash: '',
    };
    if (!atomic) {
      for (const child of node.namedChildren) {
        if (!child || SKIPPED_TYPES.has(child.type)) continue;
        diffNode.children.push(build(child, diffNode));
      }
    }
    diffNode.height = 1 + Math.max(0, ...diffNode.children.map((c) => c.height));
    diffNode.size = 1 + diffNode.children.reduce((sum, c) => sum + c.size, 0);
    diffNode.hash = intern(`${diffNode.type}\u0000${diffNode.label}\u0000${diffNode.children.map((c) => c.hash).join(',')}`);
    return diffNode;
  };
  return build(root, null);
}

/** Pre-order list of a subtree. */
export function preOrder(root: DiffNode): DiffNode[] {
  const out: DiffNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return out;
}

/** Every node of a subtree after all of its descendants (reversed pre-order). */
export function bottomUpOrder(root: DiffNode): DiffNode[] {
  return preOrder(root).reverse();
}
