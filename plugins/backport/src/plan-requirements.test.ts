import { describe, expect, it } from 'vitest';
import { InvalidRequirementError, planRequirements } from './plan-requirements.js';

const plan = (input: Partial<Parameters<typeof planRequirements>[0]>) => planRequirements({ imports: [], packages: [], stack: [], pythonMinor: '3.11', allowTorch: false, ...input });

describe('planRequirements', () => {
  it('always adds ipykernel and sorts by normalized name', () => {
    expect(plan({ imports: ['sklearn', 'pandas'] }).requirements).toEqual(['ipykernel', 'pandas', 'scikit-learn']);
  });

  it('lets an explicit requirement override a mapped import and the stack', () => {
    const result = plan({ stack: ['numpy', 'pandas'], imports: ['pandas.io'], packages: ['pandas<2', 'ipykernel==6.29.5'] });
    expect(result.requirements).toEqual(['ipykernel==6.29.5', 'numpy', 'pandas<2']);
    expect(result.distributions.find((d) => d.requirement === 'pandas<2')).toMatchObject({ source: 'explicit', modules: ['pandas'] });
    expect(result.distributions.find((d) => d.requirement === 'numpy')).toMatchObject({ source: 'stack' });
  });

  it('takes the CPU twin of xgboost once it exists, never for an explicit requirement', () => {
    expect(plan({ stack: ['xgboost'], imports: ['xgboost.sklearn'], at: new Date('2025-01-01') }).distributions.map((d) => [d.requirement, d.modules])).toEqual([
      ['ipykernel', []],
      ['xgboost-cpu', ['xgboost']],
    ]);
    expect(plan({ imports: ['xgboost'], at: new Date('2024-01-01') }).requirements).toEqual(['ipykernel', 'xgboost']);
    expect(plan({ stack: ['xgboost'], packages: ['xgboost==3.0.0'], at: new Date('2025-01-01') }).requirements).toEqual(['ipykernel', 'xgboost==3.0.0']);
  });

  it('passes skipped imports through and rejects non-requirements', () => {
    expect(plan({ imports: ['os', 'torch'] }).skipped.map((s) => s.reason)).toEqual(['stdlib', 'torch-excluded']);
    expect(() => plan({ packages: ['==1.0'] })).toThrow(InvalidRequirementError);
  });
});
