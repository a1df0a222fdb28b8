import { describe, expect, it } from 'vitest';
import type { Grader } from './grader.js';
import { BUILTIN_GRADERS, createGraderRegistry, GraderRegistry } from './grader-registry.js';

const custom: Grader = { id: 'brier', title: 'Brier score', higherIsBetter: false, description: 'Mean squared error of probabilities.', grade: () => 0 };

describe('GraderRegistry', () => {
  it('holds the ten built-in graders, each with a description and a direction', () => {
    const registry = new GraderRegistry();
    expect(registry.ids()).toEqual(['accuracy', 'f1-macro', 'f1-micro', 'log-loss', 'mae', 'map-at-k', 'quadratic-weighted-kappa', 'rmse', 'rmsle', 'roc-auc']);
    for (const grader of BUILTIN_GRADERS) expect(grader.description.length, grader.id).toBeGreaterThan(20);
    expect(BUILTIN_GRADERS.filter((grader) => grader.higherIsBetter).map((grader) => grader.id).sort()).toEqual(['accuracy', 'f1-macro', 'f1-micro', 'map-at-k', 'quadratic-weighted-kappa', 'roc-auc']);
  });

  it('resolves ids, snake_case and common spellings, and MAP@k with its k', () => {
    const registry = new GraderRegistry();
    const id = (name: string) => registry.resolve(name)?.grader.id;
    expect(['roc-auc', 'roc_auc', 'AUC', 'ROC AUC'].map(id)).toEqual(['roc-auc', 'roc-auc', 'roc-auc', 'roc-auc']);
    expect(['log_loss', 'LogLoss', 'MulticlassLoss', 'quadratic_weighted_kappa', 'QWK', 'CategorizationAccuracy', 'macro-f1'].map(id)).toEqual([
      'log-loss',
      'log-loss',
      'log-loss',
      'quadratic-weighted-kappa',
      'quadratic-weighted-kappa',
      'accuracy',
      'f1-macro',
    ]);
    expect(registry.resolve('MAP@12')).toMatchObject({ grader: { id: 'map-at-k' }, impliedOptions: { k: 12 } });
    expect(registry.resolve('brier')).toBeUndefined();
  });

  it('adds plugin graders, refusing taken and malformed ids', () => {
    const registry = createGraderRegistry([custom]);
    expect(registry.get('brier')).toBe(custom);
    expect(() => registry.register(custom)).toThrow(/already registered/);
    expect(() => registry.register({ ...custom, id: 'Brier_Score' })).toThrow(/kebab-case/);
    expect(() => createGraderRegistry([{ ...custom, id: 'rmse' }])).toThrow(/'rmse' is already registered/);
  });
});
