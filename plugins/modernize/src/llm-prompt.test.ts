import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PythonParser, type NormalizedNotebook } from '@mle/core';
import { buildPrompt, type PromptInput } from './llm-prompt.js';

let parser: PythonParser;
beforeAll(async () => {
  parser = await PythonParser.create();
});
afterAll(() => parser.delete());

const notebook: NormalizedNotebook = {
  nbformat: 4,
  nbformatMinor: 5,
  metadata: {},
  cells: ['import pandas as pd\ndf = pd.read_csv("train.csv")', 'df["p"][df["p"] < 0.05] = 0.05', 'print(df["p"].min())'].map((source, index) => ({ index, cellType: 'code' as const, source, executionCount: null, outputs: [], metadata: {} })),
};

function calibration(divergence: PromptInput['divergence']): string {
  const prompt = buildPrompt(parser, {
    kind: 'score-calibration',
    granularity: 'cell',
    notebook,
    failingCell: null,
    error: null,
    runSummary: 'score-mismatch (1.93 vs 0.678)',
    divergence,
    score: { target: 0.678, current: 1.93, tolerance: 0.1 },
    competition: null,
    environment: { python: '3.12.3', pins: { pandas: '3.0.0' } },
    history: [],
    runtimeBudgetSeconds: null,
  });
  return prompt.messages.find((m) => m.role === 'user')!.content;
}

describe('buildPrompt for score calibration', () => {
  it("points at the cell where the outputs first diverge from the author's", () => {
    const user = calibration({ cell: 2, message: 'diverges first at cell 2: `df["p"].min()` was 0.05, now 0.0012' });
    expect(user).toContain('this run diverges from them first at cell 2: `df["p"].min()` was 0.05, now 0.0012');
    expect(user).toContain('## === cell 2 (EDITABLE), where the outputs first diverge');
    expect(user).not.toContain('## === cell 1 (EDITABLE), where');
  });

  it('says nothing of a divergence without an oracle', () => {
    const user = calibration(null);
    expect(user).not.toContain('diverge');
  });
});
