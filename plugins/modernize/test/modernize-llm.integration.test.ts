import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernizeExperiment, type ModernizeExperimentOptions } from '../src/modernize-experiment.js';
import { OpenAIChatClient } from '../src/openai-chat-client.js';
import { COMPETITIONS, FIT, LOAD, MARK, PREDICT, rows, workspace, type Workspace } from './digits-notebooks.js';

// =====================================================================================
// LOOPBACK STAND-IN — the only stand-in in these tests. A real HTTP server on 127.0.0.1
// speaking the OpenAI Chat Completions protocol, scripted by each test with the answers a
// model would give. Everything else is real: the `openai` SDK client, the kernels (tools venv,
// bubblewrap), the digits competition and its grader, the SQLite database.
// =====================================================================================
interface Scripted {
  /** An HTTP error status instead of an answer. */
  status?: number;
  headers?: Record<string, string>;
  /** The assistant message content (an answer). */
  content?: string;
  /** Wait this long before answering (the client's timeout is shorter). */
  delayMs?: number;
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
}

interface ReceivedRequest {
  authorization: string | undefined;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format: { type: string; json_schema: { name: string; strict: boolean; schema: { required: string[] } } };
    max_completion_tokens: number;
  };
}

class LoopbackOpenAI {
  readonly requests: ReceivedRequest[] = [];
  private readonly queue: Scripted[] = [];
  private server: Server | null = null;
  url = '';

  script(...answers: Scripted[]): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.queue.push(...answers);
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404).end();
      return;
    }
    this.requests.push({ authorization: request.headers.authorization, body: JSON.parse(text) as ReceivedRequest['body'] });
    const next = this.queue.shift() ?? { status: 500, content: 'the test scripted no more answers' };
    if (next.delayMs) await new Promise((resolve) => setTimeout(resolve, next.delayMs));
    if (response.destroyed) return; // the client gave up (a timeout)
    if (next.status) {
      response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers }).end(JSON.stringify({ error: { message: next.content ?? `status ${next.status}`, type: 'test' } }));
      return;
    }
    const usage = next.usage ?? { prompt_tokens: 1000, completion_tokens: 100, cached_tokens: 200 };
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: this.requests.at(-1)!.body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: next.content ?? '' }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: usage.prompt_tokens + usage.completion_tokens, prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 } },
      }),
    );
  }
}

const llm = new LoopbackOpenAI();
const work = mkdtempSync(join(tmpdir(), 'mle-modernize-llm-'));
beforeAll(() => llm.start());
afterAll(async () => {
  await llm.close();
  rmSync(work, { recursive: true, force: true });
});

// A notebook with an error no rule knows (Python 2's indexable dict.keys()), in cell 3 (cell 0
// is markdown): `TypeError: 'dict_keys' object is not subscriptable`.
const BROKEN_FIT = `${FIT}\nfirst_label = sums.keys()[0]\nprint('first label', first_label)`;
const FIXED_FIT = BROKEN_FIT.replace('sums.keys()[0]', 'list(sums.keys())[0]');
const CELLS = [MARK, LOAD, BROKEN_FIT, PREDICT];
const answer = (edits: { cell: number; source: string }[], plan = 'dict.keys() returns a view in Python 3; wrap it in list() before indexing.') => JSON.stringify({ plan, edits });
const CORRECT: Scripted = { content: answer([{ cell: 3, source: FIXED_FIT }]) };

const PRICES = { 'loopback-model': { input: 2, cachedInput: 1, output: 8 }, 'loopback-pricey': { input: 1000, cachedInput: 1000, output: 1000 } };
// 800 uncached input tokens at $2/M, 200 cached at $1/M, 100 output at $8/M.
const COST_PER_ANSWER = (800 * 2 + 200 * 1 + 100 * 8) / 1_000_000;

function options(ws: Workspace, experiment: string, ids: number[], llmOptions: Partial<ModernizeExperimentOptions['llm']> = {}, extra: Partial<ModernizeExperimentOptions> = {}): ModernizeExperimentOptions {
  return {
    experiment,
    kernel: ws.kernel,
    notebookIds: ids,
    competitionsDir: COMPETITIONS,
    outputDir: join(ws.dir, 'out'),
    notebookTimeoutMs: 60_000,
    llm: { enabled: true, client: new OpenAIChatClient({ apiKey: 'test-key', baseUrl: llm.url }), model: 'loopback-model', prices: PRICES, retryBaseMs: 5, timeoutMs: 10_000, maxOutputTokens: 1000, ...llmOptions },
    ...extra,
  };
}

interface CallRow {
  status: string;
  attempts: number;
  tokens_in: number;
  tokens_cached: number;
  tokens_out: number;
  cost_usd: number;
  latency_ms: number;
  granularity: string;
  fix_id: number | null;
  error: string | null;
  base_url: string;
  model: string;
}

describe('mle modernize with the LLM, against a loopback OpenAI-compatible server', () => {
  it('a correct cell edit rescues the notebook; the fix is cached and rescues the next notebook without the LLM', async () => {
    const ws = await workspace(join(work, 'correct'));
    const id = await ws.add('keys', CELLS);
    llm.script(CORRECT);
    const summary = await modernizeExperiment(ws.store, options(ws, 'llm', [id]));
    expect(summary.notebooks[0]).toMatchObject({ status: 'rescued', finalStatus: 'reproduced', fixesApplied: 1, llmCalls: 1 });
    expect(summary.costUsd).toBeCloseTo(COST_PER_ANSWER, 12);

    // What the model was asked: the failing cell (editable) with the cells it reads from, the
    // ANSI-free traceback, the environment, the JSON schema of cell edits.
    const [request] = llm.requests;
    expect(request!.authorization).toBe('Bearer test-key');
    expect(request!.body).toMatchObject({ model: 'loopback-model', max_completion_tokens: 1000, response_format: { type: 'json_schema', json_schema: { name: 'notebook_cell_edits', strict: true } } });
    expect(request!.body.response_format.json_schema.schema.required).toEqual(['plan', 'edits']);
    const [system, user] = request!.body.messages;
    expect(system!.content).toContain('debugging and patching assistant');
    expect(user!.content).toContain('## === cell 3 (EDITABLE)');
    expect(user!.content).toContain('## === cell 2 (context, read-only)');
    expect(user!.content).not.toContain('## === cell 4');
    expect(user!.content).toContain("TypeError: 'dict_keys' object is not subscriptable");
    expect(user!.content).not.toContain('\u001b[');
    expect(user!.content).toMatch(/Python 3\.11\.\d+/);
    expect(user!.content).toContain('Target score: 0.9; current score: not yielded');

    const [call] = rows<CallRow>(ws.store, 'SELECT * FROM llm_calls');
    expect(call).toMatchObject({ status: 'ok', attempts: 1, tokens_in: 1000, tokens_cached: 200, tokens_out: 100, granularity: 'cell', model: 'loopback-model', base_url: llm.url });
    expect(call!.cost_usd).toBeCloseTo(COST_PER_ANSWER, 12);
    expect(call!.latency_ms).toBeGreaterThanOrEqual(0);
    const [fix] = rows<{ id: number; source: string; outcome: string; safety: string; title: string; edits: string; outcome_reason: string }>(ws.store, 'SELECT * FROM fixes');
    expect(fix).toMatchObject({ source: 'llm', outcome: 'rescued', safety: 'unsafe', title: 'dict.keys() returns a view in Python 3; wrap it in list() before indexing.' });
    expect(call!.fix_id).toBe(fix!.id);
    expect(JSON.parse(fix!.edits)).toEqual([{ kind: 'replace-cell', cellIndex: 3, source: FIXED_FIT }]);
    expect(fix!.outcome_reason).toMatch(/cached as fix cache entry \d+/);
    expect(rows(ws.store, 'SELECT error_signature, source, pattern FROM fix_cache')).toEqual([
      {
        error_signature: "TypeError: 'dict_keys' object is not subscriptable",
        source: 'llm',
        pattern: JSON.stringify({ rewrites: [{ after: 'list(__mle_v1__.keys())', before: '__mle_v1__.keys()', kind: 'template', modules: {}, root: 'expression' }] }),
      },
    ]);
    expect(readFileSync(summary.notebooks[0]!.outputPath!, 'utf8')).toContain('list(sums.keys())[0]');

    // Another notebook, other names, same breakage: the cache answers, the LLM is not asked.
    const other = await ws.add('keys-other', [MARK, LOAD, `${FIT.replaceAll('sums', 'totals')}\ntop = totals.keys()[0]\nprint(top)`, PREDICT]);
    llm.script();
    const second = await modernizeExperiment(ws.store, options(ws, 'llm', [id, other]));
    expect(llm.requests).toHaveLength(0);
    expect(second.notebooks.map((n) => [n.status, n.alreadyDone, n.llmCalls])).toEqual([['rescued', true, 1], ['rescued', false, 0]]);
    expect(second).toMatchObject({ rescued: 2, llmCalls: 1, llmCallsPerRescued: 0.5, cacheHits: 1, cacheSuccesses: 1, fixesPerRescuedBySource: { rule: 0, cache: 0.5, llm: 0.5 } });
    expect(rows(ws.store, 'SELECT hits, successes FROM fix_cache')).toEqual([{ hits: 1, successes: 1 }]);
    expect(readFileSync(second.notebooks[1]!.outputPath!, 'utf8')).toContain('list(totals.keys())[0]');
    ws.store.close();
  });

  it('rolls back an edit that makes things worse, and one that breaks a passing cell (notebook-level), then takes the correct one', async () => {
    const ws = await workspace(join(work, 'worse'));
    const id = await ws.add('keys', CELLS);
    llm.script(
      { content: answer([{ cell: 3, source: `undefined_helper()\n${BROKEN_FIT}` }], 'call a helper first') },
      { content: answer([{ cell: 2, source: `${LOAD}\nraise ValueError('edited the wrong cell')` }], 'fail early') },
      CORRECT,
    );
    const summary = await modernizeExperiment(ws.store, options(ws, 'llm', [id], {}, { granularity: 'notebook' }));
    expect(summary.notebooks[0]).toMatchObject({ status: 'rescued', fixesApplied: 3, fixesRolledBack: 2, llmCalls: 3 });
    const fixes = rows<{ outcome: string; outcome_reason: string }>(ws.store, 'SELECT outcome, outcome_reason FROM fixes ORDER BY step');
    expect(fixes.map((f) => f.outcome)).toEqual(['rolled-back', 'rolled-back', 'rescued']);
    expect(fixes[0]!.outcome_reason).toMatch(/^worse: error NameError: name 'undefined_helper' is not defined \(cell 3\)/);
    expect(fixes[1]!.outcome_reason).toMatch(/^regression: cell 2 passed before and now ends in error/);
    expect(rows(ws.store, 'SELECT DISTINCT granularity FROM llm_calls')).toEqual([{ granularity: 'notebook' }]);
    // Notebook-level prompts offer every code cell and say what was tried.
    expect(llm.requests[0]!.body.messages[1]!.content).toContain('## === cell 4 (EDITABLE)');
    expect(llm.requests[2]!.body.messages[1]!.content).toMatch(/step 1 \(llm\): call a helper first → rolled-back[\s\S]*step 2 \(llm\): fail early → rolled-back/);
    const modernized = readFileSync(summary.notebooks[0]!.outputPath!, 'utf8');
    expect(modernized).not.toContain('undefined_helper');
    expect(modernized).not.toContain('edited the wrong cell');
    ws.store.close();
  });

  it('counts garbage and out-of-bounds answers as invalid and goes on', async () => {
    const ws = await workspace(join(work, 'garbage'));
    const id = await ws.add('keys', CELLS);
    llm.script({ content: 'Sure! Here is the fix: {"plan": ' }, { content: answer([{ cell: 99, source: 'x = 1' }]) }, CORRECT);
    const summary = await modernizeExperiment(ws.store, options(ws, 'llm', [id]));
    expect(summary.notebooks[0]).toMatchObject({ status: 'rescued', fixesApplied: 1, llmCalls: 3 });
    const calls = rows<CallRow>(ws.store, 'SELECT * FROM llm_calls ORDER BY id');
    expect(calls.map((c) => c.status)).toEqual(['invalid-answer', 'invalid-answer', 'ok']);
    expect(calls[0]!.error).toMatch(/^not JSON/);
    expect(calls[1]!.error).toBe('edit 0: there is no cell 99');
    // Invalid answers still cost tokens, and are counted in the loop's cost.
    expect(summary.costUsd).toBeCloseTo(3 * COST_PER_ANSWER, 12);
    expect(summary.llmCallStatuses).toEqual({ 'invalid-answer': 2, ok: 1 });
    ws.store.close();
  });

  it('retries a 429 and succeeds; a timeout is recorded and the loop goes on', async () => {
    const ws = await workspace(join(work, 'http'));
    const limited = await ws.add('keys-429', CELLS);
    llm.script({ status: 429, headers: { 'retry-after': '0' }, content: 'rate limited' }, CORRECT);
    await modernizeExperiment(ws.store, options(ws, 'rate', [limited]));
    expect(llm.requests).toHaveLength(2);
    expect(rows(ws.store, 'SELECT status, attempts FROM llm_calls')).toEqual([{ status: 'ok', attempts: 2 }]);

    const slow = await ws.add('keys-timeout', [MARK, LOAD.replace('train rows', 'rows'), BROKEN_FIT, PREDICT]);
    // Two attempts that never answer in time (the server waits 1.5 s, the client 300 ms), then an answer.
    llm.script({ delayMs: 1500, content: answer([{ cell: 3, source: FIXED_FIT }]) }, { delayMs: 1500, content: answer([{ cell: 3, source: FIXED_FIT }]) }, CORRECT);
    const summary = await modernizeExperiment(ws.store, options(ws, 'slow', [slow], { timeoutMs: 300, maxAttempts: 2 }, { maxCacheTries: 0 }));
    expect(summary.notebooks[0]).toMatchObject({ status: 'rescued', llmCalls: 2 });
    const calls = rows<CallRow>(ws.store, 'SELECT c.* FROM llm_calls c JOIN modernizations m ON m.id = c.modernization_id WHERE m.notebook_id = ? ORDER BY c.id', slow);
    expect(calls.map((c) => [c.status, c.attempts])).toEqual([['timeout', 2], ['ok', 1]]);
    expect(calls[0]!.latency_ms).toBeGreaterThanOrEqual(600);
    expect(calls[0]!.cost_usd).toBe(0);
    ws.store.close();
  });

  it('stops spending when the budget would be exceeded, and skips (recorded) without a key', async () => {
    const ws = await workspace(join(work, 'budget'));
    const id = await ws.add('keys', CELLS);
    // At $1000 per 1M tokens an answer of 1000 + 100 tokens costs $1.10; the next call's worst
    // case (its prompt plus 100 output tokens) no longer fits in $1.50.
    llm.script({ content: answer([{ cell: 3, source: `# looked at it\n${BROKEN_FIT}` }], 'no real change'), usage: { prompt_tokens: 1000, completion_tokens: 100 } }, CORRECT);
    const summary = await modernizeExperiment(ws.store, options(ws, 'budget', [id], { model: 'loopback-pricey', budgetUsd: 1.5, maxOutputTokens: 100 }));
    expect(llm.requests).toHaveLength(1);
    expect(summary.notebooks[0]).toMatchObject({ status: 'llm-budget-exhausted', fixesApplied: 1, llmCalls: 1 });
    expect(summary.costUsd).toBeCloseTo(1.1, 12);
    expect(rows(ws.store, 'SELECT status FROM llm_calls ORDER BY id')).toEqual([{ status: 'ok' }, { status: 'budget-exhausted' }]);
    expect(rows(ws.store, 'SELECT outcome FROM fixes')).toEqual([{ outcome: 'no-change' }]);
    // The no-change edit was reverted: nothing to write.
    expect(summary.notebooks[0]!.outputPath).toBeNull();

    const keyless = await ws.add('keys-no-key', [MARK, LOAD.replace('train rows', 'n'), BROKEN_FIT, PREDICT]);
    llm.script();
    const without = await modernizeExperiment(ws.store, options(ws, 'no-key', [keyless], { client: null }));
    expect(llm.requests).toHaveLength(0);
    expect(without.notebooks[0]).toMatchObject({ status: 'not-rescued', llmCalls: 0, costUsd: 0 });
    expect(without.notebooks[0]!.reason).toMatch(/LLM skipped: no OPENAI_API_KEY/);
    expect(rows(ws.store, "SELECT c.status, c.error FROM llm_calls c JOIN modernizations m ON m.id = c.modernization_id WHERE m.notebook_id = ?", keyless)).toEqual([
      { status: 'skipped', error: 'no OPENAI_API_KEY: the LLM step is skipped' },
    ]);
    ws.store.close();
  });
});
