/**
 * A static guess at where a notebook starts depending on unseeded randomness: a random draw, a
 * shuffled split or a stochastic estimator without `random_state`/seed. Values printed from that
 * cell on may change between runs, so only their shapes, lengths, columns and dtypes are asserted.
 */

const SEEDS = /\b(?:np\.random\.seed|numpy\.random\.seed|random\.seed|torch\.manual_seed|tf\.random\.set_seed|set_random_seed|seed_everything|set_seed)\s*\(/;
const DRAWS = /\b(?:np|numpy)\.random\.(?!seed\b|default_rng\(\s*\d|RandomState\(\s*\d)\w+\s*\(|(?<![\w.])random\.(?!seed\b)\w+\s*\(|\btorch\.rand\w*\s*\(|\btf\.random\.(?!set_seed)\w+\s*\(/;
/** Calls that are random unless given `random_state` (or, for splitters, unless they do not shuffle). */
const STOCHASTIC_CALL = /\b(RandomForest\w*|ExtraTrees\w*|GradientBoosting\w*|HistGradientBoosting\w*|AdaBoost\w*|Bagging\w*|XGB\w*|LGBM\w*|CatBoost\w*|MLP\w*|KMeans|MiniBatchKMeans|SGD\w*|DecisionTree\w*|RandomizedSearchCV|Repeated\w*Fold|ShuffleSplit|StratifiedShuffleSplit|train_test_split|KFold|StratifiedKFold|GroupKFold|sample|TSNE|PCA)\s*\(((?:[^()]|\((?:[^()]|\([^()]*\))*\))*)\)/g;

function unseededCall(source: string): string | null {
  for (const m of source.matchAll(STOCHASTIC_CALL)) {
    const [, name, args = ''] = m;
    if (/\brandom_state\s*=|\bseed\s*=|\brandom_seed\s*=/.test(args)) continue;
    if (/^(?:K|StratifiedK|GroupK)Fold$/.test(name!) && !/shuffle\s*=\s*True/.test(args)) continue;
    if (name === 'PCA' && !/svd_solver\s*=\s*['"](?:randomized|arpack)/.test(args)) continue;
    if (name === 'sample' && !/\b(?:frac|n)\s*=|^\s*\d/.test(args)) continue;
    return `${name}(…) without random_state`;
  }
  return null;
}

/** For each code cell (by position in `sources`), why its values may be random, or null. */
export function unseededRandomness(sources: readonly string[]): (string | null)[] {
  let seeded = false;
  let reason: string | null = null;
  return sources.map((source) => {
    if (SEEDS.test(source)) seeded = true;
    if (!reason) {
      // A global numpy seed also fixes estimators whose random_state is None.
      const draw = seeded ? null : DRAWS.exec(source)?.[0];
      reason = seeded ? null : draw ? `unseeded random draw ${draw.trim()}…)` : unseededCall(source);
    }
    return reason;
  });
}
