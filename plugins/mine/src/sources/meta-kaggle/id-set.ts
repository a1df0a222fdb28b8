/**
 * A set of integer ids as a sorted Float64Array: 8 bytes an id and a binary search per
 * lookup, where a JS Set costs several times that. The filters of a streaming pass (the teams
 * of the chosen competitions, the kernel versions that submitted) live in these.
 */
export class IdSet {
  private constructor(private readonly ids: Float64Array) {}

  /** From ids in ascending order (an `ORDER BY` query); duplicates are dropped. */
  static fromSorted(ids: Iterable<number>): IdSet {
    let array = new Float64Array(1024);
    let size = 0;
    for (const id of ids) {
      if (size > 0 && array[size - 1] === id) continue;
      if (size > 0 && array[size - 1]! > id) throw new Error('IdSet.fromSorted needs ascending ids');
      if (size === array.length) {
        const grown = new Float64Array(array.length * 2);
        grown.set(array);
        array = grown;
      }
      array[size++] = id;
    }
    return new IdSet(array.slice(0, size));
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: number): boolean {
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = this.ids[mid]!;
      if (value === id) return true;
      if (value < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
