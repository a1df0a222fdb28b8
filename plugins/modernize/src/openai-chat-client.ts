import OpenAI from 'openai';
import { ChatConnectionError, ChatHttpError, ChatTimeoutError, parseRetryAfter, type ChatClient, type ChatRequest, type ChatResponse } from './chat-client.js';

export interface OpenAIChatClientOptions {
  apiKey: string;
  /** Any OpenAI-compatible endpoint (`OPENAI_BASE_URL`); null: api.openai.com. */
  baseUrl?: string | null;
}

/**
 * {@link ChatClient} on the `openai` SDK, against OpenAI or any compatible server (vLLM,
 * OpenRouter, llama.cpp, a loopback test server). The SDK's own retries are off (`maxRetries: 0`):
 * the fixer retries 429/5xx/timeouts with its own backoff so that each attempt is counted.
 */
export class OpenAIChatClient implements ChatClient {
  readonly baseUrl: string | null;
  private readonly client: OpenAI;

  constructor(options: OpenAIChatClientOptions) {
    this.baseUrl = options.baseUrl ?? null;
    this.client = new OpenAI({ apiKey: options.apiKey, ...(options.baseUrl ? { baseURL: options.baseUrl } : {}), maxRetries: 0 });
  }

  async complete(request: ChatRequest): Promise<ChatResponse> {
    try {
      const completion = await this.client.chat.completions.create(
        {
          model: request.model,
          messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
          response_format: { type: 'json_schema', json_schema: { name: request.schemaName, strict: true, schema: request.schema } },
          max_completion_tokens: request.maxOutputTokens,
        },
        { timeout: request.timeoutMs, maxRetries: 0, ...(request.signal ? { signal: request.signal } : {}) },
      );
      const choice = completion.choices[0];
      const usage = completion.usage;
      return {
        content: choice?.message?.content ?? null,
        usage: usage ? { inputTokens: usage.prompt_tokens, cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0, outputTokens: usage.completion_tokens } : null,
        finishReason: choice?.finish_reason ?? null,
      };
    } catch (error) {
      throw translateError(error);
    }
  }
}

function translateError(error: unknown): unknown {
  if (error instanceof OpenAI.APIUserAbortError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new ChatTimeoutError(error.message, { cause: error });
  if (error instanceof OpenAI.APIConnectionError) return new ChatConnectionError(error.message, { cause: error });
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    return new ChatHttpError(error.status, error.message, parseRetryAfter(error.headers?.get('retry-after')), { cause: error });
  }
  return error;
}

/** A client from `OPENAI_API_KEY` / `OPENAI_BASE_URL`; null without a key (the LLM step is then skipped and recorded). */
export function chatClientFromEnvironment(env: NodeJS.ProcessEnv = process.env): OpenAIChatClient | null {
  const apiKey = env.OPENAI_API_KEY?.trim();
  if (!apiKey) return null;
  return new OpenAIChatClient({ apiKey, baseUrl: env.OPENAI_BASE_URL?.trim() || null });
}
