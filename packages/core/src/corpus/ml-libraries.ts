/**
 * Top-level modules whose import makes a notebook an ML notebook by default: the study's four
 * (sklearn, torch, tensorflow, keras) plus the boosting and deep-learning libraries Kaggle
 * notebooks use, and statsmodels (regression and GLMs fitted for predictions in competition
 * notebooks). Override with `mle mine --ml-libraries`.
 */
export const DEFAULT_ML_LIBRARIES: readonly string[] = Object.freeze([
  'sklearn', 'torch', 'torchvision', 'torchaudio', 'torchtext', 'tensorflow', 'keras', 'tf_keras',
  'xgboost', 'lightgbm', 'catboost', 'fastai', 'transformers', 'jax', 'flax', 'mxnet', 'theano',
  'pytorch_lightning', 'lightning', 'timm', 'sentence_transformers', 'optuna', 'imblearn', 'h2o',
  'statsmodels',
]);

/** The distinct ML libraries among imported modules (by their top-level package), sorted. */
export function mlLibrariesOf(modules: Iterable<string>, libraries: readonly string[] = DEFAULT_ML_LIBRARIES): string[] {
  const wanted = new Set(libraries);
  const found = new Set<string>();
  for (const module of modules) {
    const top = module.split('.')[0] ?? '';
    if (wanted.has(top)) found.add(top);
  }
  return [...found].sort();
}
