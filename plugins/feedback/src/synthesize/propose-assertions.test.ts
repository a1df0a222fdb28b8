import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareValues, FeedbackAnalyzer, matchTemplate, isValueText, normalizeOutputText, parseOutputValue, PythonParser, unstableTextReason, isObjectRepr } from '@mle/core';
import { proposeAssertions, type ProposalCell } from './propose-assertions.js';
import { unseededRandomness } from './unseeded-randomness.js';

let parser: PythonParser;
let analyzer: FeedbackAnalyzer;
beforeAll(async () => {
  parser = await PythonParser.create();
  analyzer = await FeedbackAnalyzer.create({ prefilter: false });
});
afterAll(() => {
  analyzer.delete();
  parser.delete();
});

const stdout = (text: string) => ({ output_type: 'stream', name: 'stdout', text });
const result = (text: string, html?: string) => ({ output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/plain': text, ...(html ? { 'text/html': html } : {}) } });
const propose = (cells: ProposalCell[]) => proposeAssertions(cells, parser, analyzer);

describe('printed values', () => {
  it('reads tuples, numbers, Series with and without the pandas ≥ 2 header, arrays and frames', () => {
    expect(parseOutputValue('((125, 15), (53, 14))')).toMatchObject({ type: 'sequence', kind: 'tuple', items: [{ type: 'sequence' }, { type: 'sequence' }] });
    expect(parseOutputValue('0.8052')).toMatchObject({ type: 'number', value: 0.8052, halfUnit: expect.closeTo(0.00005, 12) });
    expect(parseOutputValue('np.float64(0.25)')).toMatchObject({ type: 'number', value: 0.25 });
    const old = parseOutputValue('0    45\n1    50\n2    30\nName: cultivar, dtype: int64');
    const now = parseOutputValue('cultivar\n0    45\n1    50\n2    30\nName: count, dtype: int64');
    expect(old).toMatchObject({ type: 'series', index: ['0', '1', '2'] });
    expect(compareValues(old!, now!, {})).toBeNull();
    expect(parseOutputValue('[[0.074 0.926 0.   ]\n [0.208 0.792 0.   ]]')).toMatchObject({ type: 'array', shape: [2, 3] });
    const html = '<table border="1" class="dataframe"><thead><tr><th></th><th>a</th><th>b</th></tr></thead><tbody><tr><th>0</th><td>1.5</td><td>2</td></tr></tbody></table>';
    expect(parseOutputValue('   a  b\n0  1.5  2', html)).toMatchObject({ type: 'frame', columns: ['a', 'b'], index: ['0'] });
    expect(parseOutputValue("Index(['a', 'b'], dtype='object')")).toMatchObject({ type: 'index' });
  });

  it('compares numbers within the tolerance and names what changed', () => {
    const a = parseOutputValue('0.05')!;
    expect(compareValues(a, parseOutputValue('0.0500001')!, { abs: 0.005 })).toBeNull();
    expect(compareValues(a, parseOutputValue('0.0')!, { abs: 0.005 })).toBe('0.05 → 0');
  });

  it('reads print holes back, multi-line Series included', () => {
    const parts = [{ hole: 0 }, { literal: '\n' }, { gap: true as const }];
    const holes = matchTemplate(parts, 'class_0    0.05\nclass_1    0.05\ndtype: float64\n', isValueText);
    expect(holes?.get(0)).toBe('class_0    0.05\nclass_1    0.05\ndtype: float64');
    const two = matchTemplate([{ hole: 0 }, { literal: ' ' }, { hole: 1 }, { literal: '\n' }], '(309, 12) (133, 11)\n', isValueText);
    expect([two?.get(0), two?.get(1)]).toEqual(['(309, 12)', '(133, 11)']);
  });
});

describe('sanitizers', () => {
  it('flags addresses, timestamps, durations, paths, versions, progress bars and object reprs', () => {
    expect(unstableTextReason('<object at 0x7f3a2b1c9d90>')).toBe('memory address');
    expect(unstableTextReason('2023-05-01 12:30:01')).toBe('timestamp');
    expect(unstableTextReason('took 1.52 s')).toBe('duration');
    expect(unstableTextReason('/tmp/ipykernel_123/1.py')).toBe('file path');
    expect(unstableTextReason('xgboost 1.7.5')).toBe('library version');
    expect(unstableTextReason(' 45%|████▌     | 45/100 [00:01<00:02, 30.1it/s]')).toBe('progress bar');
    expect(unstableTextReason('(309, 12)')).toBeNull();
    expect(isObjectRepr('XGBRegressor(base_score=None, booster=None)')).toBe(true);
    expect(isObjectRepr('<Figure size 640x480 with 1 Axes>')).toBe(true);
    expect(isObjectRepr("Index(['a'], dtype='object')")).toBe(false);
  });

  it('normalizes what a re-run may change and keeps what it may not', () => {
    expect(normalizeOutputText('xgboost 1.7.5\nat 0x7f00aa11bb22\n')).toBe(normalizeOutputText('xgboost 2.1.3\nat 0x7f99cc33dd44'));
    expect(normalizeOutputText('rmse 94.45729123456')).toBe(normalizeOutputText('rmse 94.45729123499'));
    expect(normalizeOutputText('rmse 94.457')).not.toBe(normalizeOutputText('rmse 60.111'));
    expect(normalizeOutputText('0    45\n1    50\nName: cultivar, dtype: int64')).toBe(normalizeOutputText('cultivar\n0    45\n1    50\nName: count, dtype: int64'));
  });
});

describe('proposeAssertions', () => {
  it('turns prints and last-cell values into assertions that parse', () => {
    const { proposals, skipped, instancesWithOutput } = propose([
      { index: 1, source: "import pandas as pd\nprint('xgboost', xgb.__version__)", outputs: [stdout('xgboost 1.7.5\n')] },
      { index: 2, source: "df = pd.read_csv('x.csv')\nprint(df.shape, test.shape)\ndf.isnull().sum().sum()", outputs: [stdout('(309, 12) (133, 11)\n'), result('0')] },
      { index: 3, source: "rmse = 94.4571\nprint(f'Validation RMSE: {rmse:.3f}')\nprint('CV %.4f +/- %.4f' % (-s.mean(), s.std()))", outputs: [stdout('Validation RMSE: 94.457\nCV 0.8052 +/- 0.6683\n')] },
      { index: 4, source: 'train.cultivar.value_counts()', outputs: [result('0    45\n1    50\nName: cultivar, dtype: int64')] },
      { index: 5, source: 'model.fit(X, y)', outputs: [result('LinearRegression()')] },
    ]);
    expect(instancesWithOutput).toBe(7);
    const codes = proposals.map((p) => p.code);
    expect(codes).toContain('assert (df.shape) == (309, 12)');
    expect(codes).toContain('assert (test.shape) == (133, 11)');
    expect(codes).toContain('assert (df.isnull().sum().sum()) == 0');
    expect(codes).toContain('assert {str(k): v for k, v in (train.cultivar.value_counts()).items()} == {"0": 45, "1": 50}');
    const rmse = proposals.find((p) => p.expression === 'rmse')!;
    expect(rmse.kind).toBe('metric');
    expect(rmse.tolerance?.rel).toBeGreaterThan(0.0005 / 94.457);
    expect(proposals.find((p) => p.expression === 's.std()')?.code).toBe('assert abs((s.std()) - 0.6683) <= 0.0000505');
    expect(skipped.map((s) => s.reason)).toEqual(expect.arrayContaining(['unstable: depends on __version__', 'not re-evaluable: calls .fit()']));
  });

  it('keeps only shapes after unseeded randomness, and skips prints in loops', () => {
    const { proposals, skipped } = propose([
      { index: 0, source: 'X_tr, X_va = train_test_split(X)\nprint(X_tr.shape)\nprint(X_tr.mean())', outputs: [stdout('(75, 3)\n0.5123\n')] },
      { index: 1, source: "for k in [1, 2]:\n    print(f'k={k}')", outputs: [stdout('k=1\nk=2\n')] },
    ]);
    expect(proposals.map((p) => p.kind)).toEqual(['shape']);
    expect(skipped.map((s) => s.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/^random values without a seed/), 'in a loop: prints a different value each time']));
  });

  it('finds where unseeded randomness starts', () => {
    expect(unseededRandomness(['rf = RandomForestClassifier(n_estimators=10)', 'x = 1'])).toEqual(['RandomForestClassifier(…) without random_state', 'RandomForestClassifier(…) without random_state']);
    expect(unseededRandomness(['rf = RandomForestClassifier(random_state=0)', 'np.random.seed(1)\nnp.random.rand(3)'])).toEqual([null, null]);
  });
});
