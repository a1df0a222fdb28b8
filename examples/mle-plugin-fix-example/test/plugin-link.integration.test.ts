import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real CLI (packages/cli/bin/run.js, built by `npx tsc -b`) links this package with oclif's
// `plugins link`, in XDG directories of its own so that the developer's mle is left alone, then
// lists and uses its fix types on a real kernel (the tools venv's `mle-tools` kernelspec).
const EXAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(EXAMPLE, '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'bin', 'run.js');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const work = mkdtempSync(join(tmpdir(), 'mle-plugin-example-'));
const env = {
  ...process.env,
  XDG_DATA_HOME: join(work, 'data'),
  XDG_CONFIG_HOME: join(work, 'config'),
  XDG_CACHE_HOME: join(work, 'cache'),
  MLE_DB: join(work, 'mle.db'),
};

function mle(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8', env, timeout: 300_000 });
}

beforeAll(() => {
  // The example is not a workspace member: it is compiled on its own, against @mle/core's
  // declarations, which TypeScript finds in the repository's node_modules.
  const built = spawnSync(process.execPath, [TSC, '-p', EXAMPLE], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`tsc -p ${EXAMPLE} failed:\n${built.stdout}${built.stderr}`);
  // --no-install: the plugin has no runtime dependencies (it imports only types from @mle/core).
  const linked = mle('plugins', 'link', EXAMPLE, '--no-install');
  if (linked.status !== 0) throw new Error(`mle plugins link failed:\n${linked.stdout}${linked.stderr}`);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the example plugin, linked into the real CLI', () => {
  it('is recorded as a linked plugin in the isolated data directory only', () => {
    const pjson = JSON.parse(readFileSync(join(work, 'data', 'mle', 'package.json'), 'utf8')) as { oclif: { plugins: { name: string; type: string; root: string }[] } };
    expect(pjson.oclif.plugins).toEqual([expect.objectContaining({ name: 'mle-plugin-fix-example', type: 'link', root: EXAMPLE })]);
  });

  it('adds its fix types to `mle modernize fix-types`, after the built-ins', () => {
    const listed = mle('modernize', 'fix-types', '--json');
    expect(listed.status, listed.stderr).toBe(0);
    const parsed = JSON.parse(listed.stdout) as { fixTypes: { code: string; id: string; source: string; kind: string; safety: string; docsUrl: string }[]; problems: string[] };
    expect(parsed.problems).toEqual([]);
    const ours = parsed.fixTypes.filter((row) => row.source === 'mle-plugin-fix-example');
    expect(ours.map((row) => [row.code, row.id, row.kind, row.safety])).toEqual([
      ['EX001', 'python-time-clock', 'error-repair', 'safe'],
      ['EX002', 'python-base64-string-aliases', 'error-repair', 'safe'],
    ]);
    expect(parsed.fixTypes.indexOf(parsed.fixTypes.find((row) => row.code === 'EX001')!)).toBeGreaterThan(parsed.fixTypes.findIndex((row) => row.code === 'BC001'));
    expect(fileURLToPath(ours[0]!.docsUrl.split('#')[0]!)).toBe(join(EXAMPLE, 'README.md'));
    expect(existsSync(join(EXAMPLE, 'README.md'))).toBe(true);
  });

  it('repairs a notebook with them in `mle modernize`, with no LLM', () => {
    const path = join(work, 'timing.ipynb');
    const sources = [
      '# Timing a loop (Python 2 era)',
      'import time\nimport base64',
      "t0 = time.clock()\ntotal = sum(i * i for i in range(1000))\nprint('sum', total, 'cpu', time.clock() - t0 >= 0)",
      "token = base64.encodestring(b'mle')\nprint(base64.decodestring(token))",
    ];
    const cells = sources.map((source, i) => ({ cell_type: i === 0 ? 'markdown' : 'code', id: `c${i}`, metadata: {}, source, ...(i === 0 ? {} : { execution_count: null, outputs: [] }) }));
    writeFileSync(path, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, cells }));

    const run = mle('modernize', path, '--env', 'mle-tools', '--experiment', 'example', '--no-llm', '--out', join(work, 'out'), '--json');
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { rescued: number; llmCalls: number; notebooks: { status: string; initialStatus: string; finalStatus: string; fixesApplied: number; outputPath: string }[] };
    expect(summary.notebooks[0]).toMatchObject({ status: 'rescued', initialStatus: 'error', finalStatus: 'completed', fixesApplied: 1 });
    expect(summary.llmCalls).toBe(0);
    // The AttributeError of time.clock answered EX001; the proactive pass applied EX002 with it.
    const modernized = JSON.parse(readFileSync(summary.notebooks[0]!.outputPath, 'utf8')) as { cells: { source: string | string[] }[] };
    const text = modernized.cells.map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));
    expect(text[2]).toBe("t0 = time.process_time()\ntotal = sum(i * i for i in range(1000))\nprint('sum', total, 'cpu', time.process_time() - t0 >= 0)");
    expect(text[3]).toBe("token = base64.encodebytes(b'mle')\nprint(base64.decodebytes(token))");
    expect(text[0]).toBe('# Timing a loop (Python 2 era)');
  });
});
