import { describe, expect, it } from 'vitest';
import type { FixType } from '@mle/core';
import { FixTypeTester, InvalidFixTypeMetaError, validateFixTypeMeta } from './fix-type-tester.js';
import { numpyAliasFixTypes } from './fix-types/numpy-aliases.js';

const floatRule = numpyAliasFixTypes.find((rule) => rule.meta.code === 'BC002')!;

/** The tester must fail when the rule or the expectations are wrong; these cases check that it does. */
describe('FixTypeTester', () => {
  it('passes a correct invalid case', async () => {
    await FixTypeTester.checkInvalid(floatRule, { cells: 'import numpy as np\nx = np.float(1)', matches: [{ messageId: 'removed' }], output: 'import numpy as np\nx = float(1)' });
  });

  it('fails on a wrong output, wrong matches, a missing output and a wrong line', async () => {
    const cells = 'import numpy as np\nx = np.float(1)';
    await expect(FixTypeTester.checkInvalid(floatRule, { cells, matches: [{ messageId: 'removed' }], output: 'import numpy as np\nx = float(2)' })).rejects.toThrow(/fixed cells differ/);
    await expect(FixTypeTester.checkInvalid(floatRule, { cells, matches: [{ messageId: 'removed' }, { messageId: 'removed' }], output: 'import numpy as np\nx = float(1)' })).rejects.toThrow(/matched sites differ/);
    await expect(FixTypeTester.checkInvalid(floatRule, { cells, matches: [{ messageId: 'removed' }] })).rejects.toThrow(/expected no fix/);
    await expect(FixTypeTester.checkInvalid(floatRule, { cells, matches: [{ messageId: 'removed', line: 1 }], output: 'import numpy as np\nx = float(1)' })).rejects.toThrow(/matched sites differ/);
  });

  it('fails a valid case that matches', async () => {
    await expect(FixTypeTester.checkValid(floatRule, { cells: 'import numpy as np\nnp.float' })).rejects.toThrow(/expected no match/);
  });

  it('fails a fix that leaves a syntax error or is incomplete', async () => {
    const broken: FixType = {
      meta: { ...floatRule.meta, id: 'broken' },
      match: (failure) => floatRule.match(failure),
      fix: (match, failure) => {
        const fix = floatRule.fix(match as never, failure);
        return fix && { ...fix, edits: fix.edits.map((edit) => (edit.kind === 'replace-range' ? { ...edit, text: 'float(' } : edit)) };
      },
    };
    await expect(FixTypeTester.checkInvalid(broken, { cells: 'import numpy as np\nx = np.float', matches: [{ messageId: 'removed' }], output: 'import numpy as np\nx = float(' })).rejects.toThrow(/syntax error/);
    const partial: FixType = {
      meta: { ...floatRule.meta, id: 'partial' },
      match: (failure) => floatRule.match(failure),
      fix: (match, failure) => {
        const fix = floatRule.fix(match as never, failure);
        return fix && { ...fix, edits: fix.edits.slice(0, 1) };
      },
    };
    await expect(FixTypeTester.checkInvalid(partial, { cells: 'import numpy as np\nx = [np.float, np.float]', matches: [{ messageId: 'removed' }, { messageId: 'removed' }], output: 'import numpy as np\nx = [float, np.float]' })).rejects.toThrow(/incomplete/);
  });

  it('fails a fix safer than its rule declares and a display-only rule that fixes', async () => {
    const overclaiming: FixType = { ...floatRule, meta: { ...floatRule.meta, safety: 'unsafe' }, match: (f) => floatRule.match(f), fix: (m, f) => floatRule.fix(m as never, f) };
    await expect(FixTypeTester.checkInvalid(overclaiming, { cells: 'import numpy as np\nx = np.float', matches: [{ messageId: 'removed' }], output: 'import numpy as np\nx = float' })).rejects.toThrow(/above the rule/);
  });

  it('validates meta', () => {
    expect(() => validateFixTypeMeta({ ...floatRule.meta, id: 'NotKebab' })).toThrow(InvalidFixTypeMetaError);
    expect(() => validateFixTypeMeta({ ...floatRule.meta, code: 'bc1' })).toThrow(/catalogue code/);
    expect(() => validateFixTypeMeta({ ...floatRule.meta, fixable: 'none' })).toThrow(/display-only/);
    expect(() => validateFixTypeMeta(floatRule.meta)).not.toThrow();
  });
});
