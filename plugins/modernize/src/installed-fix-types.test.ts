import { describe, expect, it } from 'vitest';
import type { FixType } from '@mle/core';
import { builtinFixTypes, fixTypeByCode } from './fix-types/builtin-fix-types.js';
import { collectFixTypes, fixTypeRows, formatFixTypeTable } from './installed-fix-types.js';

const base = fixTypeByCode('BC002')!;
const external: FixType = { meta: { ...base.meta, id: 'acme-legacy-api', code: 'ACME001', description: 'Replace acme.old with acme.new.' }, match: () => null, fix: () => null };

describe('collectFixTypes', () => {
  it('lists built-ins first, then plugin fix types with their source', () => {
    const installed = collectFixTypes([{ source: 'mle-plugin-acme', result: [external] }]);
    expect(installed.problems).toEqual([]);
    expect(installed.fixTypes).toHaveLength(builtinFixTypes.length + 1);
    expect(installed.fixTypes.at(-1)).toMatchObject({ source: 'mle-plugin-acme', fixType: { meta: { code: 'ACME001' } } });
    expect(installed.fixTypes[0]!.source).toBe('builtin');
  });

  it('rejects malformed contributions and reused codes or ids, with one problem line each', () => {
    const installed = collectFixTypes([
      { source: 'bad-return', result: { not: 'an array' } },
      { source: 'bad-item', result: [{ meta: {} }] },
      { source: 'bad-meta', result: [{ ...external, meta: { ...external.meta, id: 'Not Kebab' } }] },
      { source: 'shadowing', result: [{ ...external, meta: { ...external.meta, code: 'BC002', id: 'other-id' } }] },
      { source: 'first', result: [external] },
      { source: 'second', result: [external] },
    ]);
    expect(installed.fixTypes.map((f) => f.source).filter((s) => s !== 'builtin')).toEqual(['first']);
    expect(installed.problems).toEqual([
      'bad-return: the mle:fix-types hook returned object, not an array of fix types',
      'bad-item: item 0 is not a fix type (needs meta, match and fix)',
      "bad-meta: Not Kebab: id 'Not Kebab' is not kebab-case",
      'shadowing: BC002 other-id reuses a code or id that is already installed',
      'second: ACME001 acme-legacy-api reuses a code or id that is already installed',
    ]);
  });

  it('formats an aligned table with the plugin named', () => {
    const rows = fixTypeRows(collectFixTypes([{ source: 'mle-plugin-acme', result: [external] }], [base]).fixTypes);
    expect(formatFixTypeTable(rows).split('\n')).toEqual([
      'CODE     ID                 KIND          SAFETY  FIXABLE  DESCRIPTION',
      'BC002    numpy-float-alias  error-repair  safe    always   Replace np.float (removed in NumPy 1.24) with float.',
      'ACME001  acme-legacy-api    error-repair  safe    always   Replace acme.old with acme.new. [mle-plugin-acme]',
    ]);
  });
});
