import { createHash } from 'node:crypto';
import type { CellEdit, FixKind, PythonParser, WritableStore } from '@mle/core';
import { ChatConnectionError, ChatHttpError, ChatTimeoutError, type ChatClient, type ChatResponse, type ChatUsage } from './chat-client.js';
import { ANSWER_SCHEMA, ANSWER_SCHEMA_NAME, parseAnswer } from './llm-answer.js';
import { costUsd, DEFAULT_PRICES, priceOf, type PriceTable } from './llm-prices.js';
import { buildPrompt, type PromptInput } from './llm-prompt.js';
import { llmSpent, recordLlmCall, type Granularity, type LlmCallStatus } from './modernize-store.js';

export interface LlmFixerOptions {
  /** Null when no API key is configured: every request is recorded as `skipped`. */
  client: ChatClient | null;
  model: string;
  prices?: PriceTable;
  /** USD this notebook's loop may spend on the LLM; null = no limit. */
  budgetUsd?: number | null;
  /** Cap on the answer's tokens (`max_completion_tokens`); also the worst case the budget check assumes. */
  maxOutputTokens?: number;
  /** Per HTTP attempt. */
  timeoutMs?: number;
  /** HTTP attempts per call: the first plus retries on 429, 5xx, timeouts and refused connections. */
  maxAttempts?: number;
  /** First backoff; doubled per retry (a `retry-after` header wins), capped by `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Prompts longer than this (characters) are not sent (the study capped prompts at the 95th percentile, ~13.5k tokens). */
  maxPromptChars?: number;
  signal?: AbortSignal;
  /** For tests: how to wait between retries. */
  sleep?: (ms: number) => Promise<void>;
}

type LlmLimits = Required<Pick<LlmFixerOptions, 'maxOutputTokens' | 'timeoutMs' | 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs' | 'maxPromptChars'>>;

export const DEFAULT_LLM_OPTIONS: Readonly<LlmLimits> = Object.freeze({
  maxOutputTokens: 8192,
  timeoutMs: 180_000,
  maxAttempts: 4,
  retryBaseMs: 1000,
  retryMaxMs: 30_000,
  maxPromptChars: 60_000,
});

/** What one request for a fix came to. */
export interface LlmProposal {
  status: LlmCallStatus;
  /** The `llm_calls` row. */
  callId: number;
  granularity: Granularity;
  /** With status `ok`: the cell edits and the model's plan (the fix's title). */
  edits: CellEdit[] | null;
  plan: string | null;
  costUsd: number;
  /** Why there is no fix (the call's `error` column). */
  error: string | null;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Tokens from characters when a server reports no usage: ~4 characters per token for code and English. */
function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/**
 * The LLM fixer: builds the prompt (cell- or notebook-level), checks the budget, sends one Chat
 * Completions request with a JSON-schema answer format — retried with exponential backoff on 429,
 * 5xx, timeouts and refused connections — validates the answer strictly, and records every call in
 * `llm_calls` with its tokens, cost, latency and attempts. It never throws for an LLM problem: a
 * missing key is `skipped`, a spent budget `budget-exhausted`, a bad answer `invalid-answer`.
 */
export class LlmFixer {
  private readonly options: LlmFixerOptions & LlmLimits;
  private readonly prices: PriceTable;

  constructor(
    private readonly store: WritableStore,
    private readonly parser: PythonParser,
    options: LlmFixerOptions,
  ) {
    const limits = Object.fromEntries(Object.entries(DEFAULT_LLM_OPTIONS).map(([key, value]) => [key, options[key as keyof LlmLimits] ?? value])) as unknown as LlmLimits;
    this.options = { ...options, ...limits };
    this.prices = options.prices ?? DEFAULT_PRICES;
  }

  get model(): string {
    return this.options.model;
  }

  get enabled(): boolean {
    return this.options.client !== null;
  }

  async propose(modernizationId: number, input: PromptInput): Promise<LlmProposal> {
    const { client, model } = this.options;
    const prompt = buildPrompt(this.parser, input);
    const base = { modernizationId, model, baseUrl: client?.baseUrl ?? null, granularity: prompt.granularity, kind: input.kind as FixKind, promptHash: sha256(JSON.stringify(prompt.messages)) };
    const finish = (status: LlmCallStatus, fields: { usage?: ChatUsage | null; cost?: number; latencyMs?: number | null; attempts?: number; responseHash?: string | null; error?: string | null; edits?: CellEdit[] | null; plan?: string | null }): LlmProposal => {
      const usage = fields.usage ?? { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
      const callId = recordLlmCall(this.store, {
        ...base,
        status,
        tokensIn: usage.inputTokens,
        tokensCached: usage.cachedInputTokens,
        tokensOut: usage.outputTokens,
        costUsd: fields.cost ?? 0,
        latencyMs: fields.latencyMs ?? null,
        attempts: fields.attempts ?? 0,
        responseHash: fields.responseHash ?? null,
        error: fields.error ?? null,
      });
      return { status, callId, granularity: prompt.granularity, edits: fields.edits ?? null, plan: fields.plan ?? null, costUsd: fields.cost ?? 0, error: fields.error ?? null };
    };

    if (!client) return finish('skipped', { error: 'no OPENAI_API_KEY: the LLM step is skipped' });
    if (prompt.chars > this.options.maxPromptChars) return finish('skipped', { error: `prompt of ${prompt.chars} characters is over the ${this.options.maxPromptChars}-character cap` });
    const price = priceOf(model, this.prices);
    const budget = this.options.budgetUsd ?? null;
    if (budget !== null) {
      // The worst case of this call: the whole prompt uncached and a full-length answer.
      const spent = llmSpent(this.store, modernizationId);
      const worst = costUsd(price, { inputTokens: estimateTokens(prompt.chars), cachedInputTokens: 0, outputTokens: this.options.maxOutputTokens });
      if (spent + worst > budget) return finish('budget-exhausted', { error: `spent $${spent.toFixed(4)} of $${budget}; this call could cost up to $${worst.toFixed(4)}` });
    }

    const started = performance.now();
    let attempts = 0;
    let response: ChatResponse | null = null;
    let failure: { status: LlmCallStatus; error: string } | null = null;
    while (attempts < this.options.maxAttempts) {
      attempts++;
      try {
        response = await client.complete({
          model,
          messages: prompt.messages,
          schemaName: ANSWER_SCHEMA_NAME,
          schema: ANSWER_SCHEMA,
          maxOutputTokens: this.options.maxOutputTokens,
          timeoutMs: this.options.timeoutMs,
          ...(this.options.signal ? { signal: this.options.signal } : {}),
        });
        failure = null;
        break;
      } catch (error) {
        const retryable = classify(error);
        if (!retryable) throw error;
        failure = { status: retryable.status, error: retryable.message };
        if (!retryable.retry || attempts >= this.options.maxAttempts || this.options.signal?.aborted) break;
        const backoff = Math.min(this.options.retryMaxMs, retryable.retryAfterMs ?? this.options.retryBaseMs * 2 ** (attempts - 1));
        await (this.options.sleep ?? ((ms: number) => defaultSleep(ms, this.options.signal)))(backoff);
      }
    }
    const latencyMs = Math.round(performance.now() - started);
    if (!response || failure) return finish(failure?.status ?? 'http-error', { latencyMs, attempts, error: failure?.error ?? 'no response' });

    const estimated = response.usage === null;
    const usage = response.usage ?? { inputTokens: estimateTokens(prompt.chars), cachedInputTokens: 0, outputTokens: estimateTokens(response.content?.length ?? 0) };
    const cost = costUsd(price, usage);
    const responseHash = response.content === null ? null : sha256(response.content);
    const sources = new Map(input.notebook.cells.map((cell) => [cell.index, cell.source]));
    const answer = parseAnswer(response.content, { editableCells: prompt.editableCells, sources, parser: this.parser });
    const note = estimated ? 'usage not reported by the server; tokens estimated from characters' : null;
    if (!answer.ok) {
      const truncated = response.finishReason === 'length' ? ' (the answer hit max_completion_tokens)' : '';
      return finish('invalid-answer', { usage, cost, latencyMs, attempts, responseHash, error: `${answer.reason}${truncated}${note ? `; ${note}` : ''}` });
    }
    return finish('ok', { usage, cost, latencyMs, attempts, responseHash, error: note, edits: answer.edits, plan: answer.plan });
  }
}

/** Which failures are the LLM's (recorded, loop goes on) and which of them are worth retrying. */
function classify(error: unknown): { status: LlmCallStatus; message: string; retry: boolean; retryAfterMs: number | null } | null {
  if (error instanceof ChatHttpError) {
    if (error.status === 429) return { status: 'rate-limited', message: `HTTP 429: ${error.message}`, retry: true, retryAfterMs: error.retryAfterMs };
    return { status: 'http-error', message: `HTTP ${error.status}: ${error.message}`, retry: error.status >= 500, retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof ChatTimeoutError) return { status: 'timeout', message: error.message, retry: true, retryAfterMs: null };
  if (error instanceof ChatConnectionError) return { status: 'http-error', message: `connection: ${error.message}`, retry: true, retryAfterMs: null };
  return null;
}
