import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORY_RULES, classifyFeedback } from './category-rules.js';
import { codeFeatures, identifierParts } from './code-features.js';
import { FeedbackAnalyzer } from './feedback-analyzer.js';
import { EXPLICIT_CATEGORIES, IMPLICIT_CATEGORIES, type FeedbackCategory, type Mechanism } from './feedback-instance.js';

let analyzer: FeedbackAnalyzer;
beforeAll(async () => {
  analyzer = await FeedbackAnalyzer.create();
});
afterAll(() => analyzer.delete());

/** [cell source, mechanism of the instance to look at, expected category] */
const explicit: [string, Mechanism, FeedbackCategory][] = [
  ['assert X_val.shape == (n_val, n_features)', 'assert', 'data-shape'],
  ['assert len(tokens) <= 512', 'assert', 'data-shape'],
  ['assert (ratings["stars"] > 0).all()', 'assert', 'data-validation'],
  ['assert not df.index.duplicated().any(), "duplicate keys"', 'assert', 'data-validation'],
  ['assert df.loc[0, "total"] == 42', 'assert', 'data-validation'],
  ['assert val_auc > 0.85', 'assert', 'model-performance'],
  ['assert best_loss < 0.1, "did not converge"', 'assert', 'model-performance'],
  ['assert os.path.exists("weights.h5")', 'assert', 'existence'],
  ['assert tokenizer is not None', 'assert', 'existence'],
  ['assert "SalePrice" in train.columns', 'assert', 'existence'],
  ['assert torch.cuda.device_count() >= 2', 'assert', 'resource'],
  ['assert keras.__version__ >= "2.4"', 'assert', 'resource'],
  ['assert isinstance(vocab, dict)', 'assert', 'type'],
  ['assert X.dtype == np.float32, X.dtype', 'assert', 'type'],
  ['assert np.isclose(np.linalg.det(R), 1.0)', 'assert', 'mathematical-property'],
  ['assert (np.abs(w - w_ref) < 1e-6).all()', 'assert', 'mathematical-property'],
  ['assert total % batch_size == 0', 'assert', 'batch-size'],
  ['assert model.fc.in_features == 2048', 'assert', 'network-architecture'],
  ['assert len(set(train.patient_id) & set(test.patient_id)) == 0', 'assert', 'data-leakage'],
  ['assert ok', 'assert', 'existence'],
  ['if y.nunique() != 2:\n    raise ValueError("binary target expected")', 'guard', 'data-validation'],
  ['np.testing.assert_array_almost_equal(pca.components_ @ pca.components_.T, np.eye(2))', 'assert_call', 'mathematical-property'],
  ['assert_frame_equal(expected, got)', 'assert_call', 'data-validation'],
];

const implicit: [string, Mechanism, FeedbackCategory][] = [
  ['print("Validation MAE:", mae)', 'print', 'model-performance'],
  ['print(classification_report(y_true, y_pred, digits=3))', 'print', 'model-performance'],
  ['train["Embarked"].value_counts()', 'last_cell', 'data-distribution'],
  ['sns.histplot(df["age"], bins=30)', 'last_cell', 'data-distribution'],
  ['print(tf.config.list_physical_devices("GPU"))', 'print', 'resource'],
  ['print("numpy", np.__version__)', 'print', 'resource'],
  ['df.sample(3)', 'last_cell', 'spot-check'],
  ['print(texts[0])', 'print', 'spot-check'],
  ['print(f"epoch {epoch}: loss {running_loss / n:.4f}")', 'print', 'model-training'],
  ['pd.DataFrame(history.history).plot()', 'last_cell', 'model-training'],
  ['df.isnull().sum().sort_values(ascending=False)', 'last_cell', 'missing-value'],
  ['print("rows with NaN:", df.isna().any(axis=1).sum())', 'print', 'missing-value'],
  ['print(X_train.shape, y_train.shape)', 'print', 'shape'],
  ['len(train_df), len(test_df)', 'last_cell', 'shape'],
  ['train.corr()["target"].abs().sort_values(ascending=False)', 'last_cell', 'data-relationship'],
  ['sns.scatterplot(x="age", y="fare", data=df)', 'last_cell', 'data-relationship'],
  ['df.dtypes.value_counts()', 'last_cell', 'type'],
  ['print(type(batch))', 'print', 'type'],
  ['print("took %.2f seconds" % (time.time() - t))', 'print', 'execution-time'],
  ['model.summary()', 'last_cell', 'network-architecture'],
  ['print(f"{sum(p.numel() for p in model.parameters()):,} parameters")', 'print', 'network-architecture'],
  ['print("=" * 30)', 'print', 'other'],
  ['"see the next section"', 'last_cell', 'other'],
  ['logger.info("fold %d accuracy %.3f", k, acc)', 'logging', 'model-performance'],
  ['display(df.describe(include="all"))', 'display', 'data-distribution'],
];

function categoryOf(source: string, mechanism: Mechanism): FeedbackCategory | undefined {
  return analyzer.analyzeCell({ index: 0, source }).instances.find((i) => i.mechanism === mechanism)?.category;
}

describe('category classification', () => {
  it.each(explicit)('explicit: %s → %s %s', (source, mechanism, category) => {
    expect(categoryOf(source, mechanism)).toBe(category);
  });

  it.each(implicit)('implicit: %s → %s %s', (source, mechanism, category) => {
    expect(categoryOf(source, mechanism)).toBe(category);
  });

  it('covers every category of the study at least once in these tables', () => {
    expect(new Set(explicit.map(([, , c]) => c))).toEqual(new Set(EXPLICIT_CATEGORIES.filter((c) => c !== 'other')));
    expect(new Set(implicit.map(([, , c]) => c))).toEqual(new Set(IMPLICIT_CATEGORIES));
  });
});

describe('CATEGORY_RULES', () => {
  it('has unique kebab-case ids, a description, an example and a confidence in (0, 1]', () => {
    const ids = CATEGORY_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of CATEGORY_RULES) {
      expect(rule.id).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.example.length).toBeGreaterThan(0);
      expect(rule.confidence).toBeGreaterThan(0);
      expect(rule.confidence).toBeLessThanOrEqual(1);
      expect(rule.explicit !== null || rule.implicit !== null).toBe(true);
    }
  });

  it.each(CATEGORY_RULES.map((rule) => [rule.id, rule] as const))('%s classifies its own example', (_id, rule) => {
    const cell = analyzer.analyzeCell({ index: 0, source: rule.example });
    const instance = cell.instances[0];
    expect(instance, `no instance in ${rule.example}`).toBeDefined();
    expect(instance!.ruleId).toBe(rule.id);
    expect(instance!.category).toBe(instance!.form === 'explicit' ? rule.explicit : rule.implicit);
  });

  it('lowers the confidence when another rule points elsewhere', () => {
    const clean = classifyFeedback({ mechanism: 'print', form: 'implicit', subject: 'X.shape' });
    const mixed = classifyFeedback({ mechanism: 'print', form: 'implicit', subject: 'X.shape, df.dtypes' });
    expect(clean.confidence).toBeGreaterThan(mixed.confidence);
  });

  it('falls back to other with a low confidence', () => {
    expect(classifyFeedback({ mechanism: 'print', form: 'implicit', subject: 'foo(bar)' })).toEqual({ category: 'other', confidence: 0.3, ruleId: 'other' });
  });
});

describe('codeFeatures', () => {
  it('separates code, calls, attributes, identifier parts and string words', () => {
    const f = codeFeatures('f"fold {k}: RMSE {rmse_val:.4f}", df.isnull().sum(), X.shape');
    expect([...f.words]).toEqual(expect.arrayContaining(['fold', 'rmse']));
    expect(f.tokens.has('rmse')).toBe(true);
    expect(f.calls).toEqual(new Set(['isnull', 'sum']));
    expect(f.attributes.has('shape')).toBe(true);
    expect(f.code).not.toContain('fold');
  });

  it('splits identifiers at underscores, camelCase and keeps digits with letters', () => {
    expect(identifierParts('val_rocAuc')).toEqual(['val', 'roc', 'auc']);
    expect(identifierParts('f1_score')).toEqual(['f1', 'score']);
  });

  it('recognises bare names and literals', () => {
    expect(codeFeatures('submission').bareName).toBe('submission');
    expect(codeFeatures('"a note"').literal).toBe(true);
    expect(codeFeatures('42').literal).toBe(true);
    expect(codeFeatures('"a".join(x)').literal).toBe(false);
  });
});
