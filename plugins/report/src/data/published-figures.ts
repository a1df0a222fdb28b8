/**
 * Figures published by the two studies mle reproduces, with their denominators, so that a
 * reader's corpus can be set beside them. Sources:
 * - Jin, Wang, Nie, "Automated Modernization of Machine Learning Engineering Notebooks for
 *   Reproducibility", arXiv 2602.07195 v1 (ISSTA 2026): modernization-study.md §1.
 * - Shome et al., "Understanding Feedback Mechanisms in Machine Learning Jupyter Notebooks":
 *   feedback-taxonomy.md §4 (corpus figures) and §5 (coded categories).
 */
export interface PublishedShare {
  id: string;
  label: string;
  count: number;
  total: number;
  source: string;
}

export const PUBLISHED_REPRODUCIBLE: PublishedShare = {
  id: 'reproducible',
  label: 'reproducible as found (baseline)',
  count: 4503,
  total: 12720,
  source: 'MLEModernizer v1: 35.4% of 12,720 Kaggle notebooks reproduce in a current image',
};

export const PUBLISHED_RESCUED: PublishedShare = {
  id: 'rescued',
  label: 'rescued by modernization',
  count: 5492,
  total: 7402,
  source: 'MLEModernizer v1: 5,492 of 7,402 candidates made reproducible (74.2%)',
};

/** v1: about $0.31 per notebook (modernization candidates). */
export const PUBLISHED_COST_PER_NOTEBOOK_USD = 0.31;

/** [repo] fixes per rescued notebook: n = 3,292, median 2, mean 3.87. */
export const PUBLISHED_FIXES_PER_RESCUED = { n: 3292, median: 2, mean: 3.87 };

export const PUBLISHED_BACKPORT_FINDING = 'pinning dependencies to the submission date does not improve reproducibility and adds failure modes (MLEModernizer v1)';

/** Notebooks with at least one mechanism, out of the 297,851 notebooks processed. */
export const PUBLISHED_FEEDBACK_PREVALENCE: Record<'assertion' | 'print' | 'last-cell', PublishedShare> = {
  assertion: { id: 'assertion', label: 'notebooks with an assertion', count: 25116, total: 297851, source: 'feedback study: 25,116 of 297,851 notebooks (8.4%)' },
  print: { id: 'print', label: 'notebooks with a print', count: 180520, total: 297851, source: 'feedback study: 180,520 of 297,851 notebooks (60.6%)' },
  'last-cell': { id: 'last-cell', label: 'notebooks with a last-cell statement', count: 119106, total: 297851, source: 'feedback study: 119,106 of 297,851 notebooks (40.0%)' },
};

/** The coded samples of §5: 82 assertions, 68 implicit statements (prints and last-cell values). */
export const PUBLISHED_CATEGORIES: Record<'explicit' | 'implicit', { total: number; counts: Record<string, number> }> = {
  explicit: {
    total: 82,
    counts: {
      'data-shape': 26,
      'data-validation': 14,
      'model-performance': 11,
      existence: 8,
      resource: 7,
      type: 5,
      'mathematical-property': 4,
      'batch-size': 3,
      'network-architecture': 3,
      'data-leakage': 1,
    },
  },
  implicit: {
    total: 68,
    counts: {
      'model-performance': 33,
      'data-distribution': 7,
      resource: 7,
      'spot-check': 5,
      'model-training': 4,
      'missing-value': 3,
      shape: 3,
      'data-relationship': 2,
      type: 2,
      'execution-time': 1,
      'network-architecture': 1,
    },
  },
};
