import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedbackAnalyzer } from './feedback-analyzer.js';
import type { CellFeedback, FeedbackFlag, FeedbackInstance, Mechanism } from './feedback-instance.js';

let analyzer: FeedbackAnalyzer;
let exhaustive: FeedbackAnalyzer;
beforeAll(async () => {
  analyzer = await FeedbackAnalyzer.create();
  exhaustive = await FeedbackAnalyzer.create({ prefilter: false });
});
afterAll(() => {
  analyzer.delete();
  exhaustive.delete();
});

const analyze = (source: string, executeResult?: string | null): CellFeedback =>
  analyzer.analyzeCell({ index: 3, source, ...(executeResult === undefined ? {} : { executeResult: () => executeResult }) });

interface Expected {
  mechanism: Mechanism;
  line: number;
  code?: string;
  variant?: string | null;
  library?: string | null;
  flags?: FeedbackFlag[];
  study?: boolean;
}

interface Case {
  name: string;
  source: string;
  expected: Expected[];
  status?: CellFeedback['status'];
  studyParse?: CellFeedback['studyParse'];
}

const cases: Case[] = [
  // assert
  { name: 'assert statement', source: 'assert len(df) > 0', expected: [{ mechanism: 'assert', line: 1, code: 'assert len(df) > 0', flags: [], study: true }] },
  {
    name: 'assert inside a function',
    source: 'def check(x):\n    assert x.shape[0] > 0, "empty"\n    return x',
    expected: [{ mechanism: 'assert', line: 2, flags: ['in-function', 'has-message'], study: true }],
  },
  { name: 'assert in a loop', source: 'for a in arrays:\n    assert a.ndim == 2', expected: [{ mechanism: 'assert', line: 2, flags: ['in-loop'] }] },
  { name: 'always-true tuple assert', source: 'assert (x > 0, "x must be positive")', expected: [{ mechanism: 'assert', line: 1, flags: ['always-true'] }] },
  { name: 'assert word in a string is nothing', source: 'msg = "assert this"', expected: [] },
  // assert_call
  { name: 'numpy testing', source: 'np.testing.assert_allclose(a, b)', expected: [{ mechanism: 'assert_call', line: 1, library: 'numpy.testing', study: true }] },
  { name: 'pandas testing', source: 'pd.testing.assert_frame_equal(a, b)', expected: [{ mechanism: 'assert_call', line: 1, library: 'pandas.testing' }] },
  { name: 'tf debugging', source: 'tf.debugging.assert_equal(x, y)', expected: [{ mechanism: 'assert_call', line: 1, library: 'tf.debugging' }] },
  { name: 'torch testing', source: 'torch.testing.assert_close(x, y)', expected: [{ mechanism: 'assert_call', line: 1, library: 'torch.testing' }] },
  { name: 'unittest method', source: 'self.assertEqual(a, 1)', expected: [{ mechanism: 'assert_call', line: 1, library: 'unittest' }] },
  { name: 'user helper', source: 'assert_shape(x, (2, 3))', expected: [{ mechanism: 'assert_call', line: 1, library: 'user-defined' }] },
  {
    name: 'assert call nested in print is nested',
    source: 'print(np.testing.assert_equal(a, b))',
    expected: [
      { mechanism: 'print', line: 1, study: true },
      { mechanism: 'assert_call', line: 1, flags: ['nested'], study: false },
    ],
  },
  { name: 'AssertionError raised is not an assert call', source: 'def f():\n    raise AssertionError("no")', expected: [] },
  // guard
  {
    name: 'raise guarded by if',
    source: 'if df.isnull().any().any():\n    raise ValueError("nulls")',
    expected: [{ mechanism: 'guard', line: 1, code: 'if df.isnull().any().any(): raise ValueError("nulls")', study: false }],
  },
  { name: 'raise guarded by elif', source: 'if a:\n    pass\nelif b < 0:\n    raise ValueError(b)', expected: [{ mechanism: 'guard', line: 3 }] },
  { name: 'bare re-raise is not a guard', source: 'try:\n    f()\nexcept Exception:\n    if fatal:\n        raise', expected: [] },
  { name: 'raise not under an if is not a guard', source: 'def f():\n    raise NotImplementedError', expected: [] },
  // print
  { name: 'print call', source: 'print(df.shape)', expected: [{ mechanism: 'print', line: 1, variant: 'call', study: true }] },
  {
    name: 'nested print is found and marked',
    source: 'df.apply(lambda r: print(r))\nx = 1',
    expected: [{ mechanism: 'print', line: 1, flags: ['nested', 'in-function'], study: false }],
  },
  { name: 'print used as a name', source: 'print_every = 10\nprint = logger.info\nreport.print()\nx = 1', expected: [] },
  { name: 'print in a function', source: 'def show(x):\n    print(x)', expected: [{ mechanism: 'print', line: 2, flags: ['in-function'], study: true }] },
  {
    name: 'Python 2 print statement',
    source: 'print "accuracy", acc\nprint >>sys.stderr, "x"',
    expected: [
      { mechanism: 'print', line: 1, variant: 'statement', study: false },
      { mechanism: 'print', line: 2, variant: 'statement', study: false },
    ],
    status: 'ok',
    studyParse: 'python2',
  },
  { name: 'Python 2 except makes the study drop the cell', source: 'try:\n    f()\nexcept IOError, e:\n    print(e)', expected: [{ mechanism: 'print', line: 4, study: false }], studyParse: 'python2' },
  { name: 'bare print is a Python 2 statement', source: 'x = 1\nprint', expected: [{ mechanism: 'print', line: 2, variant: 'statement' }] },
  // display, logging, stdout
  { name: 'display call', source: 'display(df.head())', expected: [{ mechanism: 'display', line: 1, study: false }] },
  { name: 'IPython display module', source: 'IPython.display.display(img)', expected: [{ mechanism: 'display', line: 1 }] },
  { name: 'display method of another object is not display', source: 'report.display()\nx = 1', expected: [] },
  { name: 'logger call', source: 'logger.info("auc %.3f", auc)', expected: [{ mechanism: 'logging', line: 1, variant: 'logger' }] },
  { name: 'logging module call', source: 'logging.warning("slow")', expected: [{ mechanism: 'logging', line: 1 }] },
  { name: 'np.log and logging config are not logging', source: 'y = np.log(x)\nlogging.basicConfig(level=logging.INFO)\nz = 1', expected: [] },
  { name: 'stdout writers', source: 'sys.stdout.write("x\\n")\npprint(cfg)', expected: [{ mechanism: 'stdout', line: 1, variant: 'sys.stdout.write' }, { mechanism: 'stdout', line: 2, variant: 'pprint' }] },
  // last_cell
  { name: 'last expression', source: 'df = load()\ndf.head()', expected: [{ mechanism: 'last_cell', line: 2, code: 'df.head()' }], status: 'not-parsed' },
  { name: 'trailing semicolon suppresses', source: 'df = load()\ndf.head();', expected: [] },
  { name: 'semicolon then a comment still suppresses', source: 'plt.plot(x);  # quiet', expected: [] },
  { name: 'last expression is an assignment', source: 'x = df.head()', expected: [] },
  { name: 'augmented assignment', source: 'x += 1', expected: [] },
  { name: 'assignments of every shape are not shown', source: 'a, b = t\ndf["x"] = 1\nself.n **= 2\ndf.loc[df["a"] > 0, "b"] = 1\nx: int = 3', expected: [] },
  { name: 'comparisons are expressions, not assignments', source: 'x = 1\nx == 1', expected: [{ mechanism: 'last_cell', line: 2 }] },
  { name: 'a comparison with <= is an expression', source: 'x <= 1', expected: [{ mechanism: 'last_cell', line: 1 }] },
  { name: 'cell ending in a comment', source: 'df.describe()\n# look at the max\n', expected: [{ mechanism: 'last_cell', line: 1, code: 'df.describe()' }] },
  { name: 'expression not last is not shown', source: 'df.head()\nx = 1', expected: [] },
  { name: 'statements on one line', source: 'x = 1; x * 2', expected: [{ mechanism: 'last_cell', line: 1, code: 'x * 2' }] },
  { name: 'semicolons inside a function body are not top level', source: 'def plot():\n    plt.xlabel("n"); plt.ylabel("rms")\n    plt.legend()', expected: [] },
  { name: 'semicolons in a one-line suite are not top level', source: 'if verbose: print_report(); summary(df)', expected: [] },
  { name: 'multi-line last expression', source: 'a = 1\n(df.groupby("k")\n   .size())', expected: [{ mechanism: 'last_cell', line: 2 }] },
  { name: 'backslash continuation', source: 'total = a + \\\n    b\ntotal', expected: [{ mechanism: 'last_cell', line: 3, code: 'total' }] },
  { name: 'last statement in a block is not top level', source: 'if verbose:\n    df.head()', expected: [] },
  { name: 'plt.show shows no value', source: 'plt.plot(x)\nplt.show()', expected: [] },
  { name: 'print as last statement is a print', source: 'print(x)', expected: [{ mechanism: 'print', line: 1 }] },
  { name: 'magics in the middle are masked', source: 'x = 1\n%time y = f(x)\n!ls data\ny', expected: [{ mechanism: 'last_cell', line: 4, code: 'y' }], studyParse: 'magic' },
  { name: 'magic then print', source: '%matplotlib inline\nprint(1)', expected: [{ mechanism: 'print', line: 2, study: false }], studyParse: 'magic' },
  { name: 'string in the last line with a bracket', source: 's = "(("\ns', expected: [{ mechanism: 'last_cell', line: 2 }] },
  { name: 'triple-quoted string spanning lines', source: 'doc = """\nx = (\n"""\ndoc', expected: [{ mechanism: 'last_cell', line: 4 }] },
  { name: 'walrus in parentheses is an expression', source: '(n := len(df))', expected: [{ mechanism: 'last_cell', line: 1 }] },
  { name: 'a % continuing a call is not a magic', source: "print('n = %d'\n      % n)", expected: [{ mechanism: 'print', line: 1, study: true }], studyParse: 'ok' },
  { name: 'an indented cell is dedented as IPython does', source: ' Image(filename="a.png") ', expected: [{ mechanism: 'last_cell', line: 1, code: 'Image(filename="a.png")' }], studyParse: 'syntax-error' },
  { name: 'empty cell', source: '', expected: [], status: 'not-parsed' },
  { name: 'comments only', source: '# nothing here\n', expected: [], status: 'not-parsed' },
  // parse status
  { name: 'foreign cell magic', source: '%%bash\nprint hello', expected: [], status: 'not-python', studyParse: 'not-python' },
  {
    name: 'syntax error elsewhere keeps what is intact',
    source: 'print(df.shape)\ndef broken(:\n    pass\nassert ok',
    expected: [
      { mechanism: 'print', line: 1, study: false },
      { mechanism: 'assert', line: 4 },
    ],
    status: 'partial',
    studyParse: 'syntax-error',
  },
];

function pick(instance: FeedbackInstance, expected: Expected): Partial<FeedbackInstance> {
  const picked: Partial<FeedbackInstance> = { mechanism: instance.mechanism, line: instance.line };
  for (const key of ['code', 'variant', 'library', 'flags', 'study'] as const) if (key in expected) (picked as Record<string, unknown>)[key] = instance[key];
  return picked;
}

describe('FeedbackAnalyzer.analyzeCell', () => {
  it.each(cases)('$name', ({ source, expected, status, studyParse }) => {
    const result = analyze(source);
    expect(result.cell).toBe(3);
    const actual = result.instances.map((instance, i) => pick(instance, expected[i] ?? { mechanism: instance.mechanism, line: instance.line }));
    expect(actual).toEqual(expected);
    if (status) expect(result.status).toBe(status);
    if (studyParse) expect(result.studyParse).toBe(studyParse);
  });

  it.each(cases)('finds the same instances with and without the pre-filter: $name', ({ source }) => {
    const strip = (cell: CellFeedback) => cell.instances;
    expect(strip(analyze(source))).toEqual(strip(exhaustive.analyzeCell({ index: 3, source })));
  });

  it('gives the same instances with and without the pre-filter on every evaluation snippet', () => {
    const url = new URL('../../../../benchmarks/feedback/eval-set.jsonl', import.meta.url);
    const rows = readFileSync(url, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { code: string });
    expect(rows.length).toBeGreaterThanOrEqual(150);
    for (const { code } of rows) expect(analyze(code).instances).toEqual(exhaustive.analyzeCell({ index: 3, source: code }).instances);
  });

  it('records the stored execute_result of the last expression, truncated', () => {
    const shown = analyze('df.head()', 'a  b\n0  1  2');
    expect(shown.instances[0]).toMatchObject({ mechanism: 'last_cell', output: 'a  b\n0  1  2', study: true, flags: ['execute-result'] });
    const unseen = analyze('df.head()', null);
    expect(unseen.instances[0]).toMatchObject({ output: null, study: false, flags: ['no-execute-result'] });
    const long = analyze('df', 'x'.repeat(5000));
    expect(long.instances[0]!.output!.length).toBe(1000);
  });

  it('trusts a stored execute_result over the guess that a call returns None', () => {
    expect(analyze('df.append(other)', null).instances).toEqual([]);
    expect(analyze('df.append(other)', '   a\n0  1').instances[0]).toMatchObject({ mechanism: 'last_cell', study: true });
  });

  it('does not ask for outputs when the cell ends in a statement', () => {
    let asked = 0;
    analyzer.analyzeCell({ index: 0, source: 'x = 1', executeResult: () => (asked++, 'never') });
    expect(asked).toBe(0);
  });

  it('resolves assertion helpers through the notebook imports', () => {
    const aliases = new Map([['npt', 'numpy.testing'], ['afe', 'pandas.testing.assert_frame_equal']]);
    // An assertion helper renamed to a name without "assert" is invisible to name matching, as in the study.
    const result = analyzer.analyzeCell({ index: 0, source: 'npt.assert_equal(a, b)\nafe(x, y)\nx = 1', aliases });
    expect(result.instances.map((i) => i.library)).toEqual(['numpy.testing']);
    const bare = analyzer.analyzeCell({ index: 0, source: 'assert_frame_equal(x, y)', aliases: new Map([['assert_frame_equal', 'pandas.testing.assert_frame_equal']]) });
    expect(bare.instances[0]!.library).toBe('pandas.testing');
  });

  it('classifies every instance with a category, a confidence and a rule', () => {
    const result = analyze('assert X.shape[1] == 20\nprint("val acc", acc)\ndf.isnull().sum()');
    expect(result.instances.map((i) => [i.mechanism, i.form, i.category, i.ruleId])).toEqual([
      ['assert', 'explicit', 'data-shape', 'shape-size'],
      ['print', 'implicit', 'model-performance', 'model-performance-metric'],
      ['last_cell', 'implicit', 'missing-value', 'missing-values'],
    ]);
    for (const instance of result.instances) expect(instance.confidence).toBeGreaterThan(0);
  });
});
