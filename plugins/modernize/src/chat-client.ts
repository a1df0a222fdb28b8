/**
 * The one thing the LLM fixer needs from a chat API: a Chat Completions request with a JSON-schema
 * response format, answered once (no retries: the fixer retries itself, so that it can count and
 * record every attempt). `OpenAIChatClient` implements it on the `openai` SDK; tests and other
 * providers can implement it directly.
 */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: readonly ChatMessage[];
  /** Name and JSON schema of the answer (`response_format: json_schema`, strict). */
  schemaName: string;
  schema: Record<string, unknown>;
  maxOutputTokens: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ChatUsage {
  inputTokens: number;
  /** Input tokens served from the provider's prompt cache (billed at the cached price). */
  cachedInputTokens: number;
  outputTokens: number;
}

export interface ChatResponse {
  content: string | null;
  /** Null when the server reports no usage (some compatible servers do not). */
  usage: ChatUsage | null;
  finishReason: string | null;
}

export interface ChatClient {
  /** The endpoint, recorded with each call (null: the provider's default). */
  readonly baseUrl: string | null;
  complete(request: ChatRequest): Promise<ChatResponse>;
}

/** The server answered with an HTTP error status. */
export class ChatHttpError extends Error {
  override name = 'ChatHttpError';
  constructor(
    readonly status: number,
    message: string,
    /** From a `retry-after` header, when the server sent one. */
    readonly retryAfterMs: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No answer within the request's timeout. */
export class ChatTimeoutError extends Error {
  override name = 'ChatTimeoutError';
}

/** The server could not be reached (refused, reset, DNS). */
export class ChatConnectionError extends Error {
  override name = 'ChatConnectionError';
}

/** `retry-after` as milliseconds: seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}
