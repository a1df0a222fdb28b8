import { readFile } from 'node:fs/promises';

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  cachedInput: number;
  output: number;
}

/** Model name (or prefix) → price; `*` is the price of any model not listed. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * The study's prices (reference/modernization-study.md §2): GPT-5.2 at $1.75 input, $0.175 cached
 * input, $14 output per 1M tokens; gpt-oss-120b at $0.039 input, $0.18 output. A model not in the
 * table is priced as GPT-5.2 (`*`), so that an unknown model never passes the budget as free.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-5.2': { input: 1.75, cachedInput: 0.175, output: 14 },
  'gpt-oss-120b': { input: 0.039, cachedInput: 0.039, output: 0.18 },
  'openai/gpt-oss-120b': { input: 0.039, cachedInput: 0.039, output: 0.18 },
  '*': { input: 1.75, cachedInput: 0.175, output: 14 },
};

/** A price file was not a table of prices. */
export class PriceTableError extends Error {
  override name = 'PriceTableError';
}

/** The price of a model: its exact entry, else the longest entry it starts with (`gpt-5.2-2025-12-11` → `gpt-5.2`), else `*`. */
export function priceOf(model: string, table: PriceTable = DEFAULT_PRICES): ModelPrice {
  if (table[model]) return table[model];
  const prefix = Object.keys(table)
    .filter((key) => key !== '*' && model.startsWith(key))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix) return table[prefix]!;
  return table['*'] ?? DEFAULT_PRICES['*']!;
}

export function costUsd(price: ModelPrice, tokens: { inputTokens: number; cachedInputTokens: number; outputTokens: number }): number {
  const uncached = Math.max(0, tokens.inputTokens - tokens.cachedInputTokens);
  return (uncached * price.input + tokens.cachedInputTokens * price.cachedInput + tokens.outputTokens * price.output) / 1_000_000;
}

/**
 * Read a price table (JSON `{ "model": { "input": 1.75, "cachedInput": 0.175, "output": 14 } }`,
 * `cachedInput` defaulting to `input`), merged over the defaults.
 */
export async function loadPriceTable(path: string): Promise<PriceTable> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new PriceTableError(`${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new PriceTableError(`${path}: expected an object of model → { input, cachedInput?, output }`);
  const table: Record<string, ModelPrice> = { ...DEFAULT_PRICES };
  for (const [model, value] of Object.entries(parsed as Record<string, unknown>)) {
    const entry = value as Partial<Record<keyof ModelPrice, unknown>> | null;
    const number = (field: unknown) => (typeof field === 'number' && Number.isFinite(field) && field >= 0 ? field : null);
    const input = number(entry?.input);
    const output = number(entry?.output);
    const cachedInput = entry?.cachedInput === undefined ? input : number(entry.cachedInput);
    if (input === null || output === null || cachedInput === null) throw new PriceTableError(`${path}: ${model}: needs non-negative numbers input, output (and optionally cachedInput), in USD per 1M tokens`);
    table[model] = { input, cachedInput, output };
  }
  return table;
}
