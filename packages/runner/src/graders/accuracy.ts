import { labelColumn, labelKeys, requireRows, requireSingleColumn } from './column-values.js';
import type { Grader } from './grader.js';

/** Share of rows whose label equals the answer (scikit-learn `accuracy_score`). */
export const accuracy: Grader = {
  id: 'accuracy',
  title: 'Accuracy',
  higherIsBetter: true,
  description: "Fraction of rows whose predicted label equals the answer; matches scikit-learn's accuracy_score.",
  grade(answers, submission) {
    requireSingleColumn('accuracy', answers, submission);
    requireRows('accuracy', answers);
    const keys = labelKeys(labelColumn(answers, 0, 'answers'), labelColumn(submission, 0, 'submission'));
    let correct = 0;
    for (let i = 0; i < keys.answers.length; i++) if (keys.answers[i] === keys.submission[i]) correct++;
    return correct / keys.answers.length;
  },
};
