import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/*
 * A corpus small enough for the default test suite that still gives the report something in
 * every main section once the real pipeline has run on it: a competition in Kaggle's shape
 * (packages/runner/src/competition.ts) and notebooks in plain Python, since the tools kernel
 * (kernelspec mle-tools) has the standard library only.
 *
 * The competition `parity`: predict whether x is odd. The notebooks, and what the pipeline makes
 * of them:
 *   a-reproduced   right answers, reported 1.0                 → reproduced
 *   b-mismatch     always 0 (accuracy 0.5), reported 0.95      → score-mismatch
 *   c-completed    right answers, no reported score            → completed, with a score
 *   d-python2      Python 2 print statement and xrange         → error; modernize's rules rescue it
 *   e-xss <img …>  markup in its file name, a Markdown cell, outputs and the error it raises
 *                                                               → error, not rescued
 */

export const COMPETITION = 'parity';
/** The markers an executed payload would set; a test asserts none is ever set. */
export const XSS_FLAG = '__xss';
/** Rows in test.csv: 20 odd and 20 even, so always answering 0 scores exactly 0.5. */
export const TEST_ROWS = 40;

// `mle mine` keeps ML notebooks only; this import is parsed by the miner but never runs.
const ML_MARKER = 'if False:\n    import sklearn';
const LOAD = [
  'import csv',
  `test = list(csv.DictReader(open('/kaggle/input/${COMPETITION}/test.csv')))`,
  `assert len(test) == ${TEST_ROWS}, 'test rows'`,
  "print('test rows', len(test))",
].join('\n');
const predictAndWrite = (expression: string) =>
  ["with open('submission.csv', 'w') as f:", "    f.write('id,label\\n')", '    for row in test:', `        f.write('%s,%s\\n' % (row['id'], ${expression}))`, "len(test)"].join('\n');

/** Markup that would run script if any of it reached the page as HTML. */
export const PAYLOADS = {
  fileName: `e-xss <img src=x onerror=window.${XSS_FLAG}=1>`,
  markdown: `<script>window.${XSS_FLAG}=2</script> <a href="javascript:window.${XSS_FLAG}=3">link</a>`,
  output: `<script>window.${XSS_FLAG}=4</script><img src=x onerror="window.${XSS_FLAG}=5">`,
  error: `<script>window.${XSS_FLAG}=6</script><img src=x onerror="window.${XSS_FLAG}=7"><b onmouseover="window.${XSS_FLAG}=8" onclick=alert(8)>hover</b>`,
} as const;

interface NotebookSpec {
  name: string;
  cells: { type: 'code' | 'markdown'; source: string }[];
  reported?: number;
}

const code = (source: string) => ({ type: 'code' as const, source });

export const NOTEBOOKS: readonly NotebookSpec[] = [
  { name: 'a-reproduced', cells: [code(ML_MARKER), code(LOAD), code(predictAndWrite("int(row['x']) % 2"))], reported: 1.0 },
  { name: 'b-mismatch', cells: [code(ML_MARKER), code(LOAD), code(predictAndWrite('0'))], reported: 0.95 },
  // Other code than a-reproduced: the miner stores identical notebooks once.
  { name: 'c-completed', cells: [code(ML_MARKER), code(LOAD), code(predictAndWrite("int(row['x']) & 1"))] },
  {
    name: 'd-python2',
    cells: [code(ML_MARKER), code(LOAD.replace("print('test rows', len(test))", "print 'test rows', len(test)")), code(predictAndWrite("[int(row['x']) % 2 for _ in xrange(1)][0]"))],
    reported: 1.0,
  },
  {
    name: PAYLOADS.fileName,
    cells: [
      { type: 'markdown', source: `# Leaderboard ${PAYLOADS.markdown}` },
      code(ML_MARKER),
      code(LOAD),
      code(`from IPython.display import HTML, display\ndisplay(HTML(${JSON.stringify(PAYLOADS.output)}))\nprint(${JSON.stringify(PAYLOADS.output)})`),
      code(`raise ValueError(${JSON.stringify(PAYLOADS.error)})`),
      code(predictAndWrite("int(row['x']) % 2")),
    ],
    reported: 1.0,
  },
];

/** `<dir>/parity/{competition.json,data/*,private/answers.csv}`; returns the competitions directory. */
export function writeCompetition(dir: string): string {
  const root = path.join(dir, COMPETITION);
  mkdirSync(path.join(root, 'data'), { recursive: true });
  mkdirSync(path.join(root, 'private'), { recursive: true });
  const config = {
    slug: COMPETITION,
    title: 'Parity',
    metric: 'accuracy',
    higher_is_better: true,
    id_column: 'id',
    target_columns: ['label'],
    submission_columns: ['id', 'label'],
    deadline: '2020-12-31',
    runtime_budget_seconds: 60,
  };
  writeFileSync(path.join(root, 'competition.json'), `${JSON.stringify(config, null, 2)}\n`);
  const train = Array.from({ length: 60 }, (_, i) => `${i},${i * 7},${(i * 7) % 2}`);
  const test = Array.from({ length: TEST_ROWS }, (_, i) => ({ id: 1000 + i, x: i * 3 + 1 }));
  writeFileSync(path.join(root, 'data', 'train.csv'), ['id,x,label', ...train].join('\n') + '\n');
  writeFileSync(path.join(root, 'data', 'test.csv'), ['id,x', ...test.map((r) => `${r.id},${r.x}`)].join('\n') + '\n');
  writeFileSync(path.join(root, 'data', 'sample_submission.csv'), ['id,label', ...test.map((r) => `${r.id},0`)].join('\n') + '\n');
  writeFileSync(path.join(root, 'private', 'answers.csv'), ['id,label', ...test.map((r) => `${r.id},${r.x % 2}`)].join('\n') + '\n');
  return dir;
}

/** Every notebook of NOTEBOOKS as an .ipynb file in `dir`; returns their paths by name. */
export function writeNotebooks(dir: string): Map<string, string> {
  mkdirSync(dir, { recursive: true });
  const paths = new Map<string, string>();
  for (const spec of NOTEBOOKS) {
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
        mle: { competition: COMPETITION, date: '2019-06-01', ...(spec.reported === undefined ? {} : { reported_score: spec.reported }) },
      },
      cells: spec.cells.map((cell, i) =>
        cell.type === 'markdown'
          ? { id: `c${i}`, cell_type: 'markdown', metadata: {}, source: cell.source }
          : { id: `c${i}`, cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: cell.source },
      ),
    };
    const file = path.join(dir, `${spec.name}.ipynb`);
    writeFileSync(file, JSON.stringify(notebook, null, 1));
    paths.set(spec.name, file);
  }
  return paths;
}
