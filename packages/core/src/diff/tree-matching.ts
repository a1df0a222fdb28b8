import { bottomUpOrder, preOrder, type DiffNode } from './diff-tree.js';

/** A one-to-one mapping between the nodes of two trees. */
export class TreeMapping {
  private readonly forward = new Map<DiffNode, DiffNode>();
  private readonly backward = new Map<DiffNode, DiffNode>();

  add(a: DiffNode, b: DiffNode): void {
    this.forward.set(a, b);
    this.backward.set(b, a);
  }

  /** Map two isomorphic subtrees node by node. */
  addSubtree(a: DiffNode, b: DiffNode): void {
    const left = preOrder(a);
    const right = preOrder(b);
    left.forEach((node, i) => this.add(node, right[i]!));
  }

  partnerOf(a: DiffNode): DiffNode | undefined {
    return this.forward.get(a);
  }

  sourceOf(b: DiffNode): DiffNode | undefined {
    return this.backward.get(b);
  }

  hasSource(a: DiffNode): boolean {
    return this.forward.has(a);
  }

  hasTarget(b: DiffNode): boolean {
    return this.backward.has(b);
  }

  get size(): number {
    return this.forward.size;
  }

  pairs(): [DiffNode, DiffNode][] {
    return [...this.forward.entries()];
  }
}

export interface MatchingOptions {
  /** Smallest subtree height the top-down phase maps (GumTree's minHeight). */
  minHeight: number;
  /** Smallest share of common mapped descendants for the bottom-up phase to map two containers (minDice). */
  minDice: number;
}

/**
 * GumTree's defaults are minHeight 2 and minDice 0.5; notebook cells are small, so single leaves
 * (height 1) take part when they are unique, and containers need less overlap.
 */
export const DEFAULT_MATCHING_OPTIONS: Readonly<MatchingOptions> = Object.freeze({ minHeight: 1, minDice: 0.3 });

function isDescendant(node: DiffNode, ancestor: DiffNode): boolean {
  for (let current = node.parent; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

/** Share of the descendants of `a` mapped into descendants of `b` (Dice coefficient). */
export function dice(a: DiffNode, b: DiffNode, mapping: TreeMapping): number {
  const left = preOrder(a).slice(1);
  const right = preOrder(b).slice(1);
  if (left.length + right.length === 0) return 0;
  let common = 0;
  for (const node of left) {
    const partner = mapping.partnerOf(node);
    if (partner && isDescendant(partner, b)) common++;
  }
  return (2 * common) / (left.length + right.length);
}

/** Dice scores this close count as a tie in the bottom-up phase. */
const NEAR_TIE = 0.1;

/** How far apart two nodes start (lines first, then columns). */
function distance(a: DiffNode, b: DiffNode): number {
  return Math.abs(a.start.line - b.start.line) * 10_000 + Math.abs(a.start.column - b.start.column);
}

/** A priority list of subtrees by height, as in GumTree's top-down phase. */
class HeightList {
  private readonly nodes: DiffNode[] = [];

  push(node: DiffNode): void {
    this.nodes.push(node);
  }

  open(node: DiffNode): void {
    for (const child of node.children) this.push(child);
  }

  peekMax(): number {
    return this.nodes.reduce((max, n) => Math.max(max, n.height), 0);
  }

  pop(height: number): DiffNode[] {
    const popped = this.nodes.filter((n) => n.height === height);
    const kept = this.nodes.filter((n) => n.height !== height);
    this.nodes.length = 0;
    this.nodes.push(...kept);
    return popped;
  }
}

/**
 * Phase 1 (top-down): map the largest isomorphic subtrees first. A subtree with one isomorphic
 * partner is mapped at once; ambiguous candidates wait and are taken in order of how similar their
 * parents are (then how close their positions are), so that duplicated code is paired sensibly.
 */
function topDown(left: DiffNode, right: DiffNode, mapping: TreeMapping, options: MatchingOptions): void {
  const l1 = new HeightList();
  const l2 = new HeightList();
  l1.push(left);
  l2.push(right);
  const candidates: [DiffNode, DiffNode][] = [];
  const leftByHash = groupByHash(left);
  const rightByHash = groupByHash(right);
  while (Math.min(l1.peekMax(), l2.peekMax()) >= options.minHeight) {
    const h1 = l1.peekMax();
    const h2 = l2.peekMax();
    if (h1 !== h2) {
      if (h1 > h2) for (const node of l1.pop(h1)) l1.open(node);
      else for (const node of l2.pop(h2)) l2.open(node);
      continue;
    }
    const a = l1.pop(h1);
    const b = l2.pop(h2);
    const matchedA = new Set<DiffNode>();
    const matchedB = new Set<DiffNode>();
    for (const t1 of a) {
      for (const t2 of b) {
        if (t1.hash !== t2.hash) continue;
        const unique = leftByHash.get(t1.hash)!.length === 1 && rightByHash.get(t2.hash)!.length === 1;
        if (unique) mapping.addSubtree(t1, t2);
        // Ambiguous single leaves (an `np` that occurs ten times) are left to the bottom-up phase.
        else if (t1.height > 1) candidates.push([t1, t2]);
        matchedA.add(t1);
        matchedB.add(t2);
      }
    }
    for (const t1 of a) if (!matchedA.has(t1)) l1.open(t1);
    for (const t2 of b) if (!matchedB.has(t2)) l2.open(t2);
  }
  const score = ([t1, t2]: [DiffNode, DiffNode]) => (t1.parent && t2.parent ? dice(t1.parent, t2.parent, mapping) : 0);
  candidates.sort((x, y) => score(y) - score(x) || distance(...x) - distance(...y));
  for (const [t1, t2] of candidates) {
    if (preOrder(t1).some((n) => mapping.hasSource(n)) || preOrder(t2).some((n) => mapping.hasTarget(n))) continue;
    mapping.addSubtree(t1, t2);
  }
}

function groupByHash(root: DiffNode): Map<string, DiffNode[]> {
  const groups = new Map<string, DiffNode[]>();
  for (const node of preOrder(root)) groups.set(node.hash, [...(groups.get(node.hash) ?? []), node]);
  return groups;
}

/** Longest common subsequence of two lists under an equality test, as index pairs. */
export function lcs<A, B>(left: readonly A[], right: readonly B[], equal: (a: A, b: B) => boolean): [number, number][] {
  const rows = left.length;
  const cols = right.length;
  const table: number[][] = Array.from({ length: rows + 1 }, () => new Array<number>(cols + 1).fill(0));
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = cols - 1; j >= 0; j--) {
      table[i]![j] = equal(left[i]!, right[j]!) ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < rows && j < cols) {
    if (equal(left[i]!, right[j]!)) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/**
 * Recovery between two mapped containers (GumTree uses an optimal tree edit distance on small
 * subtrees; this is the simplified, linear version): pair their unmapped children in order, first
 * isomorphic subtrees, then same type and label, then same type, and recurse into each new pair.
 */
function recover(a: DiffNode, b: DiffNode, mapping: TreeMapping): void {
  const passes: ((x: DiffNode, y: DiffNode) => boolean)[] = [(x, y) => x.hash === y.hash, (x, y) => x.type === y.type && x.label === y.label, (x, y) => x.type === y.type];
  for (const [index, equal] of passes.entries()) {
    const left = a.children.filter((c) => !mapping.hasSource(c));
    const right = b.children.filter((c) => !mapping.hasTarget(c));
    for (const [i, j] of lcs(left, right, equal)) {
      const x = left[i]!;
      const y = right[j]!;
      if (index === 0) mapping.addSubtree(x, y);
      else {
        mapping.add(x, y);
        recover(x, y, mapping);
      }
    }
  }
}

/**
 * Phase 2 (bottom-up): a container whose descendants were mapped is mapped to the container on
 * the other side holding most of their partners (same type, Dice ≥ minDice), then its remaining
 * children are recovered. The roots are always mapped.
 */
function bottomUp(left: DiffNode, right: DiffNode, mapping: TreeMapping, options: MatchingOptions): void {
  for (const t1 of bottomUpOrder(left)) {
    if (t1 === left) break;
    if (mapping.hasSource(t1) || t1.children.length === 0) continue;
    const seeds = preOrder(t1).slice(1).map((d) => mapping.partnerOf(d)).filter((p): p is DiffNode => p !== undefined);
    if (seeds.length === 0) continue;
    // Candidates are the unmapped same-type ancestors of the seeds' partners (as in GumTree), not every node.
    const candidates = new Set<DiffNode>();
    for (const seed of seeds) {
      for (let ancestor = seed.parent; ancestor; ancestor = ancestor.parent) {
        if (ancestor.type === t1.type && !mapping.hasTarget(ancestor)) candidates.add(ancestor);
      }
    }
    const scored: [DiffNode, number][] = [...candidates].map((t2) => [t2, dice(t1, t2, mapping)]);
    const bestScore = Math.max(-1, ...scored.map(([, score]) => score));
    // Near-ties (a wrapper and the node it wraps, as in `pd.concat([pd.DataFrame([row])])`) go to
    // the candidate that starts where the original did: a rewrite usually keeps the outer node in place.
    const best = scored
      .filter(([, score]) => score >= bestScore - NEAR_TIE)
      .sort(([a], [b]) => distance(t1, a) - distance(t1, b))[0]?.[0] ?? null;
    if (best && bestScore >= options.minDice) {
      mapping.add(t1, best);
      recover(t1, best, mapping);
    }
  }
  if (!mapping.hasSource(left) && !mapping.hasTarget(right)) mapping.add(left, right);
  recover(left, right, mapping);
}

/** Map the nodes of two trees (GumTree: top-down on isomorphic subtrees, then bottom-up on containers). */
export function matchTrees(left: DiffNode, right: DiffNode, options: MatchingOptions = DEFAULT_MATCHING_OPTIONS): TreeMapping {
  const mapping = new TreeMapping();
  topDown(left, right, mapping, options);
  bottomUp(left, right, mapping, options);
  return mapping;
}
