import type { Grader, GraderOptions } from './grader.js';
import { requireRows, requireSingleColumn } from './column-values.js';

function readK(options: GraderOptions): number {
  const unknown = Object.keys(options).filter((key) => key !== 'k');
  if (unknown.length > 0) throw new Error(`map-at-k has no option ${unknown.map((key) => `'${key}'`).join(', ')} (known: k)`);
  const k = options.k;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new Error(`map-at-k needs metric_options.k, a positive integer (got ${JSON.stringify(k)})`);
  return k;
}

const items = (text: string) => text.split(/\s+/).filter((item) => item !== '');

/** Average precision at k of one ranked prediction; a repeated item only counts the first time. */
export function averagePrecisionAtK(actual: readonly string[], predicted: readonly string[], k: number): number {
  if (actual.length === 0) return 0;
  const relevant = new Set(actual);
  const seen = new Set<string>();
  let hits = 0;
  let score = 0;
  predicted.slice(0, k).forEach((item, i) => {
    if (relevant.has(item) && !seen.has(item)) {
      hits++;
      score += hits / (i + 1);
    }
    seen.add(item);
  });
  // The reference divides by the answers' length as written, duplicates included.
  return score / Math.min(actual.length, k);
}

/**
 * Mean average precision at k over rows whose cells are space-separated items, the relevant
 * ones in the answers and a ranked list in the submission. scikit-learn has no MAP@k; this
 * follows Kaggle's reference implementation (benhamner/Metrics `mapk`): an answers row with no
 * relevant item scores 0.
 */
export const mapAtK: Grader = {
  id: 'map-at-k',
  title: 'Mean average precision at k',
  higherIsBetter: true,
  description: "Mean over rows of average precision of the first k space-separated predictions; matches Kaggle's reference mapk (benhamner/Metrics).",
  checkOptions(options) {
    readK(options);
  },
  grade(answers, submission, options) {
    const k = readK(options);
    requireSingleColumn('map-at-k', answers, submission);
    requireRows('map-at-k', answers);
    let sum = 0;
    for (let row = 0; row < answers.rows.length; row++) {
      sum += averagePrecisionAtK(items(answers.rows[row]?.[0] ?? ''), items(submission.rows[row]?.[0] ?? ''), k);
    }
    return sum / answers.rows.length;
  },
};
