/** McNemar's test on paired yes/no outcomes, from the two discordant counts. */
export interface McNemarResult {
  /** Pairs where the first condition succeeded and the second did not. */
  firstOnly: number;
  /** Pairs where the second condition succeeded and the first did not. */
  secondOnly: number;
  /** firstOnly + secondOnly: the pairs that carry information. */
  discordant: number;
  /** Exact two-sided p-value: a binomial test of firstOnly against Binomial(discordant, 1/2). */
  pValue: number;
}

/** ln C(n, k) for every k in 0..n, built incrementally (no factorial overflow at corpus sizes). */
function logBinomialCoefficients(n: number): number[] {
  const logs = [0];
  for (let k = 0; k < n; k++) logs.push(logs[k]! + Math.log(n - k) - Math.log(k + 1));
  return logs;
}

/**
 * The exact (binomial) McNemar test, the form recommended when discordant pairs are few, which
 * is the usual case when two repair configurations are run on the same notebooks. The p-value is
 * twice the smaller tail of Binomial(b + c, 1/2), capped at 1; with no discordant pairs it is 1.
 * Summed in log space so that thousands of discordant pairs neither underflow nor overflow.
 */
export function mcnemarExact(firstOnly: number, secondOnly: number): McNemarResult {
  if (![firstOnly, secondOnly].every((x) => Number.isInteger(x) && x >= 0)) {
    throw new RangeError(`mcnemarExact needs non-negative integer counts, got ${firstOnly} and ${secondOnly}`);
  }
  const n = firstOnly + secondOnly;
  if (n === 0) return { firstOnly, secondOnly, discordant: 0, pValue: 1 };
  const tail = Math.min(firstOnly, secondOnly);
  return { firstOnly, secondOnly, discordant: n, pValue: Math.min(1, 2 * binomialHalfTail(n, tail)) };
}

/** Largest n for which 2^-n is a normal double: below it the tail is summed directly. */
const DIRECT_LIMIT = 1000;

/**
 * P(X <= k) for X ~ Binomial(n, 1/2). Small n sums the probabilities directly from the exact
 * 2^-n, so hand-checkable cases come out exact (2 × 1/8 is 0.25, not 0.25000000000000006);
 * larger n sums in log space so that neither 2^-n underflows nor C(n, k) overflows.
 */
function binomialHalfTail(n: number, k: number): number {
  if (n <= DIRECT_LIMIT) {
    let term = 2 ** -n;
    let sum = term;
    for (let i = 0; i < k; i++) {
      term = (term * (n - i)) / (i + 1);
      sum += term;
    }
    return sum;
  }
  const logs = logBinomialCoefficients(n);
  const terms = logs.slice(0, k + 1).map((logC) => logC - n * Math.LN2);
  const max = Math.max(...terms);
  return Math.exp(max + Math.log(terms.reduce((sum, t) => sum + Math.exp(t - max), 0)));
}

/** Paired yes/no outcomes → McNemar: `pairs` lists (first succeeded, second succeeded). */
export function mcnemarFromPairs(pairs: Iterable<readonly [boolean, boolean]>): McNemarResult & { bothYes: number; bothNo: number } {
  let bothYes = 0;
  let bothNo = 0;
  let firstOnly = 0;
  let secondOnly = 0;
  for (const [a, b] of pairs) {
    if (a && b) bothYes++;
    else if (a) firstOnly++;
    else if (b) secondOnly++;
    else bothNo++;
  }
  return { ...mcnemarExact(firstOnly, secondOnly), bothYes, bothNo };
}
