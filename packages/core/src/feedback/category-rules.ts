import { codeFeatures, type CodeFeatures } from './code-features.js';
import type { ExplicitCategory, FeedbackForm, ImplicitCategory, Mechanism } from './feedback-instance.js';

/**
 * What a rule looks for. A rule matches when any listed matcher hits (they are alternatives);
 * `mechanisms` restricts the rule to some mechanisms.
 */
export interface RuleMatcher {
  /** A called name's last segment, lowercased (`len`, `value_counts`). */
  calls?: readonly string[];
  /** A called name's last segment matches (`/^assert.*shape/`). */
  callsMatching?: RegExp;
  /** A dotted chain (called or not) starts with one of these (`torch.cuda`, `os.path.exists`). */
  chains?: readonly string[];
  /** An attribute read (`shape`, `dtypes`). */
  attributes?: readonly string[];
  /** An identifier part (`acc` in `val_acc`, `batch` in `BATCH_SIZE`). */
  tokens?: readonly string[];
  /** A word of a string literal (`missing`, `epoch`). */
  words?: readonly string[];
  /** The code with strings replaced by `S` matches. */
  code?: RegExp;
  /** The whole statement is this identifier. */
  bareName?: RegExp;
  /** The whole statement is a literal. */
  literal?: boolean;
  mechanisms?: readonly Mechanism[];
}

/**
 * One documented classification rule. Rules are tried in order; the first that matches and has a
 * category for the instance's form decides. Order encodes specificity: a leakage check also reads
 * lengths, so leakage comes before shape; a heatmap of a confusion matrix is about performance,
 * so performance comes before relationships.
 */
export interface CategoryRule {
  id: string;
  /** Category given to assertions and guards; null when the rule does not classify explicit feedback. */
  explicit: ExplicitCategory | null;
  /** Category given to prints, displays, logging and last-cell statements; null likewise. */
  implicit: ImplicitCategory | null;
  /** How often the rule is right when it fires, as judged on hand-labelled examples (0..1). */
  confidence: number;
  description: string;
  example: string;
  match: RuleMatcher;
}

/** Metric and score vocabulary: identifier parts that name how good a model is. */
const METRIC_TOKENS = [
  'acc', 'accuracy', 'score', 'scores', 'loss', 'losses', 'f1', 'fbeta', 'auc', 'roc', 'rmse', 'rmsle', 'mse', 'mae', 'mape', 'smape', 'r2',
  'precision', 'recall', 'logloss', 'error', 'errors', 'metric', 'metrics', 'kappa', 'qwk', 'iou', 'dice', 'bleu', 'rouge', 'perplexity', 'mcc',
  'matthews', 'gini', 'ndcg', 'map5', 'wer', 'cer', 'deviance',
];

export const CATEGORY_RULES: readonly CategoryRule[] = Object.freeze([
  {
    id: 'leakage-set-overlap',
    explicit: 'data-leakage',
    implicit: 'data-relationship',
    confidence: 0.9,
    description: 'Overlap between two collections (isdisjoint, intersection, `set(a) & set(b)`, the word "leak"): checks that training and evaluation data do not share rows.',
    example: 'assert not set(train_ids) & set(valid_ids)',
    match: { calls: ['isdisjoint', 'intersection', 'intersect1d'], code: /set\([^)]*\)\s*&\s*set\(/, words: ['leak', 'leaks', 'leaked', 'leaking', 'leakage', 'overlap', 'overlapping'] },
  },
  {
    id: 'execution-time-clock',
    explicit: 'resource',
    implicit: 'execution-time',
    confidence: 0.9,
    description: 'Wall-clock arithmetic (time.time, perf_counter, datetime.now, timeit) or words about duration: how long something took.',
    example: 'print(f"fit took {time.perf_counter() - t0:.1f}s")',
    match: {
      chains: ['time.time', 'time.perf_counter', 'time.process_time', 'time.monotonic', 'datetime.now', 'datetime.datetime.now', 'timeit', 'datetime.today'],
      calls: ['perf_counter', 'process_time', 'monotonic'],
      tokens: ['elapsed', 'duration', 'took', 'runtime'],
      words: ['elapsed', 'took', 'seconds', 'sec', 'secs', 'minutes', 'mins', 'duration', 'runtime'],
    },
  },
  {
    id: 'resource-hardware-version',
    explicit: 'resource',
    implicit: 'resource',
    confidence: 0.85,
    description: 'Hardware, devices, versions, memory and the environment: GPU/CUDA/TPU, `__version__`, `sys.version_info`, memory usage, CPU count.',
    example: 'print(torch.cuda.device_count(), "GPUs")',
    match: {
      chains: ['torch.cuda', 'tf.config', 'tf.test.is_gpu_available', 'tf.test.gpu_device_name', 'tensorflow.config', 'device_lib', 'sys.version', 'platform.', 'psutil', 'os.cpu_count', 'multiprocessing.cpu_count', 'os.environ', 'torch.backends', 'jax.devices', 'xm.xla_device'],
      attributes: ['__version__', 'version_info', 'memory_usage', 'device'],
      calls: ['memory_usage', 'get_device_name', 'list_physical_devices', 'list_local_devices', 'is_gpu_available', 'cpu_count', 'virtual_memory', 'device_count'],
      tokens: ['gpu', 'gpus', 'cuda', 'tpu', 'device', 'devices', 'memory', 'ram', 'version'],
      words: ['gpu', 'gpus', 'cuda', 'tpu', 'device', 'memory', 'version', 'mb', 'gb'],
    },
  },
  {
    id: 'resource-input-files',
    explicit: null,
    implicit: 'resource',
    confidence: 0.7,
    description: 'Listing input files or directories: what data the environment provides.',
    example: 'print(os.listdir("../input/"))',
    match: { calls: ['listdir', 'glob', 'walk', 'iterdir', 'scandir'] },
  },
  {
    id: 'resource-fitted-estimator',
    explicit: 'resource',
    implicit: null,
    confidence: 0.7,
    description: 'An object has the attributes it needs (hasattr, check_is_fitted): a fitted estimator, a loaded resource.',
    example: 'assert hasattr(model, "feature_importances_"), "fit first"',
    match: { calls: ['hasattr', 'check_is_fitted'] },
  },
  {
    id: 'existence-path-or-key',
    explicit: 'existence',
    implicit: 'resource',
    confidence: 0.85,
    description: 'A file, directory, key, column or value exists: os.path.exists/isfile/isdir, Path.exists, glob/listdir results, `is not None`, `"col" in df.columns`.',
    example: 'assert os.path.isfile(WEIGHTS), "download the weights first"',
    match: {
      calls: ['exists', 'isfile', 'isdir', 'listdir', 'glob', 'is_file', 'is_dir'],
      code: /\bis\s+(?:not\s+)?None\b|\bS\s+(?:not\s+)?in\s+[A-Za-z_][\w.]*|\bin\s+[\w.]*\.(?:columns|keys\(\)|index)\b/,
    },
  },
  {
    id: 'type-dtype-isinstance',
    explicit: 'type',
    implicit: 'type',
    confidence: 0.85,
    description: 'Types and dtypes: isinstance, type(), .dtype/.dtypes, is_*_dtype, select_dtypes, DataFrame.info().',
    example: 'assert isinstance(labels, np.ndarray)',
    match: {
      calls: ['isinstance', 'issubclass', 'type', 'select_dtypes', 'infer_dtype', 'assertisinstance'],
      callsMatching: /^is_\w*dtype$|^assert_?is_?instance$/,
      attributes: ['dtype', 'dtypes'],
    },
  },
  {
    id: 'type-info',
    explicit: null,
    implicit: 'type',
    confidence: 0.7,
    description: 'DataFrame.info(): column dtypes and non-null counts (read mostly for types).',
    example: 'train.info()',
    match: { calls: ['info'], code: /\.info\(\s*\)/, mechanisms: ['last_cell', 'print', 'display'] },
  },
  {
    id: 'architecture-layers-parameters',
    explicit: 'network-architecture',
    implicit: 'network-architecture',
    confidence: 0.85,
    description: 'The network itself: layers, parameters, units and feature sizes, summary(), count_params, plot_model.',
    example: 'sum(p.numel() for p in model.parameters() if p.requires_grad)',
    match: {
      calls: ['summary', 'parameters', 'named_parameters', 'count_params', 'plot_model', 'children', 'modules', 'get_layer'],
      attributes: ['layers', 'out_features', 'in_features', 'hidden_size', 'embedding_dim', 'num_layers', 'n_layers', 'kernel_size', 'out_channels', 'in_channels', 'units', 'num_heads', 'output_shape', 'input_shape', 'trainable_weights', 'weights'],
      tokens: ['layers', 'parameters'],
    },
  },
  {
    id: 'architecture-model-object',
    explicit: null,
    implicit: 'network-architecture',
    confidence: 0.7,
    description: 'Showing a model object itself (its repr lists the layers).',
    example: 'print(net)',
    match: { bareName: /^(?:model|net|network|encoder|decoder|backbone|\w+_model|model_\w+|\w+_net|\w+net)$/i },
  },
  {
    id: 'batch-size',
    explicit: 'batch-size',
    implicit: 'shape',
    confidence: 0.8,
    description: 'Batch sizes and steps per epoch: identifiers naming a batch.',
    example: 'assert n_samples % BATCH_SIZE == 0',
    match: { tokens: ['batch', 'batches', 'bs', 'xb', 'yb'], code: /steps_per_epoch/, mechanisms: ['assert', 'assert_call', 'guard'] },
  },
  {
    id: 'mathematical-property',
    explicit: 'mathematical-property',
    implicit: 'other',
    confidence: 0.8,
    description: 'Numerical identities and tolerances: allclose/isclose, approximate-equality helpers, eigenvalues, determinants, transposes, `abs(a - b) < eps`, sums equal to one.',
    example: 'assert np.isclose(weights.sum(), 1.0)',
    match: {
      calls: ['allclose', 'isclose', 'assert_allclose', 'assert_almost_equal', 'assert_array_almost_equal', 'assert_approx_equal', 'assert_close', 'assertalmostequal', 'eigvals', 'eigvalsh', 'eig', 'det', 'inv', 'norm', 'eye', 'svd', 'cholesky'],
      attributes: ['T'],
      code: /\babs\(.*-.*\)\s*<|@|\bsum\([^)]*\)\s*==\s*1(?:\.0*)?\b/,
      words: ['symmetric', 'orthogonal', 'orthonormal', 'probabilities', 'stochastic'],
      mechanisms: ['assert', 'assert_call', 'guard'],
    },
  },
  {
    id: 'model-training-progress',
    explicit: 'model-performance',
    implicit: 'model-training',
    confidence: 0.8,
    description: 'Training progress: epochs, steps, iterations, the Keras History, fit() as the last statement (its output is the training log), messages about training.',
    example: 'print(f"epoch {epoch}: train loss {loss:.3f}")',
    match: {
      // Not `iter`: that is the builtin (`next(iter(loader))` looks at a batch, not at training).
      tokens: ['epoch', 'epochs', 'history', 'iteration', 'iterations', 'step'],
      words: ['epoch', 'epochs', 'training', 'trained', 'step', 'iteration', 'iterations'],
      attributes: ['history'],
    },
  },
  {
    id: 'model-training-fit',
    explicit: null,
    implicit: 'model-training',
    confidence: 0.75,
    description: 'A fit/train call shown as the cell\'s value: Jupyter shows the fitted estimator or the training History.',
    example: 'clf.fit(X_train, y_train)',
    match: { calls: ['fit', 'fit_generator', 'train', 'train_on_batch', 'partial_fit', 'fit_transform'], mechanisms: ['last_cell', 'display'] },
  },
  {
    id: 'missing-values',
    explicit: 'data-validation',
    implicit: 'missing-value',
    confidence: 0.9,
    description: 'Missing values: isnull/isna/notnull, NaN counts, missingno plots, messages about missing values.',
    example: 'df.isnull().mean().sort_values(ascending=False).head(10)',
    match: {
      calls: ['isnull', 'isna', 'notnull', 'notna', 'isnan', 'matrix', 'dropna'],
      chains: ['msno.'],
      tokens: ['null', 'nulls', 'nan', 'nans', 'missing', 'na'],
      words: ['missing', 'null', 'nulls', 'nan', 'nans', 'na'],
    },
  },
  {
    id: 'model-performance-metric',
    explicit: 'model-performance',
    implicit: 'model-performance',
    confidence: 0.85,
    description: 'Model quality: metric functions and variables (accuracy, loss, F1, AUC, RMSE, ...), score()/evaluate(), reports, confusion matrices, search results.',
    example: 'print("val AUC", roc_auc_score(y_val, p_val))',
    match: {
      tokens: METRIC_TOKENS,
      words: METRIC_TOKENS,
      calls: ['score', 'evaluate', 'classification_report', 'confusion_matrix', 'cross_val_score', 'cross_validate', 'plot_confusion_matrix'],
      attributes: ['best_score_', 'best_params_', 'cv_results_', 'best_estimator_', 'oob_score_'],
    },
  },
  {
    id: 'shape-size',
    explicit: 'data-shape',
    implicit: 'shape',
    confidence: 0.9,
    description: 'Sizes and dimensions: .shape, .ndim, .size, len(), numel(), shape assertions, words such as rows/size/length.',
    example: 'assert X.shape[1] == len(feature_names)',
    match: {
      attributes: ['shape', 'ndim', 'size', 'nrows', 'ncols'],
      calls: ['len', 'size', 'numel', 'get_shape', 'count'],
      callsMatching: /^(?:assert|check|validate)_?\w*shape/,
      words: ['shape', 'shapes', 'rows', 'columns', 'size', 'length', 'samples', 'dimensions'],
    },
  },
  {
    id: 'data-relationship',
    explicit: 'data-validation',
    implicit: 'data-relationship',
    confidence: 0.8,
    description: 'How variables relate: correlations, cross tabulations, group-by aggregates, pivot tables, scatter/pair/joint/regression plots, correlation heatmaps.',
    example: 'train.groupby("Sex")["Survived"].mean()',
    match: {
      calls: ['corr', 'corrwith', 'crosstab', 'pivot_table', 'pairplot', 'jointplot', 'regplot', 'lmplot', 'scatter', 'scatterplot', 'heatmap', 'groupby', 'pivot', 'relplot', 'scatter_matrix', 'spearmanr', 'pearsonr', 'chi2_contingency'],
      words: ['correlation', 'corr'],
    },
  },
  {
    id: 'data-distribution',
    explicit: 'data-validation',
    implicit: 'data-distribution',
    confidence: 0.8,
    description: 'How values are distributed: value_counts, describe, unique/nunique, histograms and count/box/violin/KDE plots, summary statistics, Counter.',
    example: 'y_train.value_counts(normalize=True)',
    match: {
      calls: ['value_counts', 'describe', 'unique', 'nunique', 'hist', 'histplot', 'distplot', 'displot', 'kdeplot', 'countplot', 'boxplot', 'violinplot', 'barplot', 'bincount', 'counter', 'quantile', 'mean', 'median', 'std', 'var', 'skew', 'kurt', 'kurtosis', 'percentile', 'histogram', 'min', 'max', 'bar', 'pie', 'plot'],
      words: ['distribution', 'counts', 'mean', 'std', 'median'],
    },
  },
  {
    id: 'data-validation-values',
    explicit: 'data-validation',
    implicit: 'spot-check',
    confidence: 0.75,
    description: 'Values in the data meet a condition: all()/any(), isin, between, uniqueness, duplicates, monotonicity, frame/array equality, value ranges.',
    example: 'assert df["age"].between(0, 120).all()',
    match: {
      calls: ['all', 'any', 'isin', 'between', 'duplicated', 'equals', 'array_equal', 'assert_frame_equal', 'assert_series_equal', 'assert_array_equal', 'assert_equal', 'assert_index_equal', 'ge', 'le', 'gt', 'lt', 'clip'],
      callsMatching: /non_?negative|positive|null|unique|valid|equal|range|sorted/,
      attributes: ['is_unique', 'is_monotonic', 'is_monotonic_increasing', 'is_monotonic_decreasing', 'hasnans', 'values'],
    },
  },
  {
    id: 'spot-check-sample',
    explicit: 'data-validation',
    implicit: 'spot-check',
    confidence: 0.75,
    description: 'Looking at a few examples: head/tail/sample, iloc/loc rows, indexing one item, decoding tokens, showing an image, predictions for a few rows.',
    example: 'df.sample(5)',
    match: {
      calls: ['head', 'tail', 'sample', 'decode', 'imshow', 'predict', 'predict_proba', 'show_batch', 'inverse_transform', 'to_frame'],
      attributes: ['iloc', 'loc', 'at', 'iat', 'columns', 'index', 'classes_'],
      // Ends by indexing into something: one item or a slice of a collection, a batch, a result.
      code: /\[[^\]]*\]\s*$/,
      mechanisms: ['print', 'display', 'logging', 'stdout', 'last_cell'],
    },
  },
  {
    id: 'spot-check-variable',
    explicit: null,
    implicit: 'spot-check',
    confidence: 0.6,
    description: 'Showing a variable or a slice of it as it is.',
    example: 'submission',
    match: { bareName: /^[A-Za-z_]\w*$/, code: /^[A-Za-z_][\w.]*\s*\[[^\]]*\](?:\s*\[[^\]]*\])*$/ },
  },
  {
    id: 'data-validation-comparison',
    explicit: 'data-validation',
    implicit: null,
    confidence: 0.45,
    description: 'Fallback for assertions and guards: a comparison over data values that no more specific rule claimed.',
    example: 'assert df.loc[0, "total"] == 42',
    match: { code: /==|!=|<=|>=|<|>|\bin\b|\bnot\b/ },
  },
  {
    id: 'existence-truthy-name',
    explicit: 'existence',
    implicit: null,
    confidence: 0.6,
    description: 'Asserting that a name is truthy: a list, file list or result is not empty.',
    example: 'assert files, "no input files"',
    match: { bareName: /^[A-Za-z_]\w*$/ },
  },
]);

/** The category chosen for one instance and why. */
export interface CategoryLabel {
  category: ExplicitCategory | ImplicitCategory;
  confidence: number;
  ruleId: string;
}

/** What the classifier reads: the instance's own code and, for assertions, the message too. */
export interface ClassifyInput {
  mechanism: Mechanism;
  form: FeedbackForm;
  /** The statement's code without the feedback call itself, e.g. the print's arguments, the assert's test. */
  subject: string;
  /** An assertion's or guard's failure message: its words count, its shape does not. */
  message?: string;
}

/** A rule's word lists as sets, built once: features are few, so each is looked up in the rule. */
interface CompiledMatcher {
  calls: ReadonlySet<string>;
  attributes: ReadonlySet<string>;
  tokens: ReadonlySet<string>;
  words: ReadonlySet<string>;
}

const compiled = new WeakMap<RuleMatcher, CompiledMatcher>();

function compile(matcher: RuleMatcher): CompiledMatcher {
  let sets = compiled.get(matcher);
  if (!sets) {
    sets = { calls: new Set(matcher.calls), attributes: new Set(matcher.attributes), tokens: new Set(matcher.tokens), words: new Set(matcher.words) };
    compiled.set(matcher, sets);
  }
  return sets;
}

function anyIn(features: Set<string>, wanted: ReadonlySet<string>): boolean {
  if (wanted.size === 0) return false;
  for (const feature of features) if (wanted.has(feature)) return true;
  return false;
}

function hits(matcher: RuleMatcher, features: CodeFeatures): boolean {
  const sets = compile(matcher);
  if (anyIn(features.calls, sets.calls)) return true;
  if (matcher.callsMatching) for (const call of features.calls) if (matcher.callsMatching.test(call)) return true;
  if (matcher.chains && features.chains.some((chain) => matcher.chains!.some((prefix) => chain.startsWith(prefix)))) return true;
  if (anyIn(features.attributes, sets.attributes)) return true;
  if (anyIn(features.tokens, sets.tokens)) return true;
  if (anyIn(features.words, sets.words)) return true;
  if (matcher.code && matcher.code.test(features.code.trim())) return true;
  if (matcher.bareName && features.bareName !== null && matcher.bareName.test(features.bareName)) return true;
  if (matcher.literal && features.literal) return true;
  return false;
}

/** Rules that had a category for the form and matched, in order. */
export function matchingRules(input: ClassifyInput, features: CodeFeatures = codeFeatures(input.subject)): CategoryRule[] {
  return CATEGORY_RULES.filter((rule) => {
    if ((input.form === 'explicit' ? rule.explicit : rule.implicit) === null) return false;
    if (rule.match.mechanisms && !rule.match.mechanisms.includes(input.mechanism)) return false;
    return hits(rule.match, features);
  });
}

/**
 * Label one instance: the first matching rule decides. The confidence is the rule's, lowered
 * when a later rule with another category also matched (the statement checks several things).
 * A literal last-cell value or nothing matched gives `other`.
 */
export function classifyFeedback(input: ClassifyInput): CategoryLabel {
  // Notebooks repeat themselves (`df.head()`, `print(X.shape)`): most statements were labelled before.
  const key = `${input.mechanism}\u0000${input.subject}\u0000${input.message ?? ''}`;
  const cached = labels.get(key);
  if (cached) return cached;
  const label = classifyUncached(input);
  if (labels.size >= MAX_CACHED_LABELS) labels.clear();
  labels.set(key, label);
  return label;
}

/** Labels of recently classified statements, per thread; cleared whole when full (cheap, and a corpus's common statements come back at once). */
const labels = new Map<string, CategoryLabel>();
const MAX_CACHED_LABELS = 20_000;

function classifyUncached(input: ClassifyInput): CategoryLabel {
  const features = codeFeatures(input.subject);
  // A value left as the cell's result that is only a literal (a note string, a number) checks nothing;
  // a printed literal is a message whose words still say what is being reported.
  if (features.literal && input.mechanism === 'last_cell') return { category: 'other', confidence: 0.8, ruleId: 'other-literal' };
  if (input.message) for (const word of codeFeatures(input.message).words) features.words.add(word);
  const matched = matchingRules(input, features);
  const first = matched[0];
  if (!first) return { category: 'other', confidence: 0.3, ruleId: 'other' };
  const category = (input.form === 'explicit' ? first.explicit : first.implicit)!;
  const contested = matched.slice(1).some((rule) => (input.form === 'explicit' ? rule.explicit : rule.implicit) !== category && rule.confidence >= 0.7);
  return { category, confidence: Math.round(first.confidence * (contested ? 0.8 : 1) * 100) / 100, ruleId: first.id };
}
