import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costUsd, DEFAULT_PRICES, loadPriceTable, priceOf, PriceTableError } from './llm-prices.js';

describe('prices', () => {
  it('prices a model by name, by the longest prefix, else as the most expensive default', () => {
    expect(priceOf('gpt-5.2')).toEqual({ input: 1.75, cachedInput: 0.175, output: 14 });
    expect(priceOf('gpt-5.2-2025-12-11')).toBe(DEFAULT_PRICES['gpt-5.2']);
    expect(priceOf('openai/gpt-oss-120b')).toEqual({ input: 0.039, cachedInput: 0.039, output: 0.18 });
    expect(priceOf('some-local-model')).toBe(DEFAULT_PRICES['*']);
  });

  it('costs uncached input, cached input and output separately (the study: 52,198 + 35,818 cached + 39,119 → $0.6453)', () => {
    // The ISSTA run's mean tokens per notebook priced with GPT-5.2 give the study's $0.6453 per notebook.
    const cost = costUsd(priceOf('gpt-5.2'), { inputTokens: 52_198 + 35_818, cachedInputTokens: 35_818, outputTokens: 39_119 });
    expect(cost).toBeCloseTo(0.6453, 3);
  });

  it('loads a price file over the defaults and refuses a malformed one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mle-prices-'));
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ 'my-model': { input: 0.5, output: 1 } }));
    const table = await loadPriceTable(join(dir, 'ok.json'));
    expect(table['my-model']).toEqual({ input: 0.5, cachedInput: 0.5, output: 1 });
    expect(table['gpt-5.2']).toBe(DEFAULT_PRICES['gpt-5.2']);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ 'my-model': { input: -1, output: 1 } }));
    await expect(loadPriceTable(join(dir, 'bad.json'))).rejects.toThrow(PriceTableError);
    writeFileSync(join(dir, 'junk.json'), 'not json');
    await expect(loadPriceTable(join(dir, 'junk.json'))).rejects.toThrow(/junk\.json/);
  });
});
