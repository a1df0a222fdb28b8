import { describe, expect, it } from 'vitest';
import { CRASH_FAMILIES, CRASH_RULES, classifyCrash, shortErrorName } from './crash-families.js';

const crash = (errorName: string | null, errorValue: string | null = '', status = 'error') => classifyCrash({ status, errorName, errorValue });

describe('classifyCrash', () => {
  it.each([
    ['ModuleNotFoundError', "No module named 'sklearn.cross_validation'", 'environment', 'module not found'],
    ['ImportError', "cannot import name 'Imputer' from 'sklearn.preprocessing'", 'environment', 'environment error'],
    ['NameError', "name 'train' is not defined", 'names-and-resources', 'variable not found'],
    ['MemoryError', 'Unable to allocate 3.2 GiB for an array', 'names-and-resources', 'out of memory'],
    ['torch.cuda.OutOfMemoryError', 'CUDA out of memory', 'names-and-resources', 'out of memory'],
    ['FileNotFoundError', "[Errno 2] No such file or directory: '../input/train.csv'", 'names-and-resources', 'IO/request error'],
    ['ValueError', 'operands could not be broadcast together with shapes (3,) (4,)', 'shapes-and-data', 'unsupported broadcast'],
    ['ValueError', 'X has 10 features, but LogisticRegression is expecting 12 features as input.', 'shapes-and-data', 'feature-name mismatch'],
    ['KeyError', '"[\'Cabin\'] not in index"', 'shapes-and-data', 'feature-name mismatch'],
    ['ValueError', 'Found input variables with inconsistent numbers of samples: [891, 418]', 'shapes-and-data', 'tensor-shape mismatch'],
    ['tensorflow.python.framework.errors_impl.InvalidArgumentError', 'Incompatible shapes: [32,10] vs. [32,1]', 'shapes-and-data', 'tensor-shape mismatch'],
    ['ValueError', 'Input contains NaN, infinity or a value too large for dtype', 'shapes-and-data', 'data-value violation'],
    ['ValueError', "could not convert string to float: 'male'", 'shapes-and-data', 'data-value violation'],
    ['KeyError', "'Survived'", 'python-exceptions', 'key error'],
    ['IndexError', 'list index out of range', 'python-exceptions', 'index error'],
    ['AttributeError', "'DataFrame' object has no attribute 'append'", 'python-exceptions', 'attribute error'],
    ['TypeError', "__init__() got an unexpected keyword argument 'n_iter'", 'python-exceptions', 'type error'],
    ['InvalidParameterError', "The 'criterion' parameter of DecisionTreeClassifier must be ...", 'python-exceptions', 'invalid argument'],
    ['ValueError', "Unknown solver 'sag'", 'python-exceptions', 'value error'],
    ['RuntimeError', 'Event loop is closed', 'python-exceptions', 'runtime error'],
    ['ZeroDivisionError', 'division by zero', 'python-exceptions', 'other exception'],
  ])('%s: %s → %s / %s', (name, value, family, type) => {
    expect(crash(name, value)).toMatchObject({ family, type });
  });

  it('classifies statuses without an exception', () => {
    expect(crash(null, null, 'timeout')).toEqual({ family: 'names-and-resources', type: 'timeout', errorName: '(timeout)' });
    expect(crash(null, null, 'env-failed')).toEqual({ family: 'environment', type: 'environment build failed', errorName: '(env-failed)' });
    expect(crash('SIGKILL', 'killed: OOM', 'kernel-died')).toMatchObject({ family: 'names-and-resources', type: 'out of memory' });
    expect(crash('SIGSEGV', null, 'kernel-died')).toMatchObject({ family: 'names-and-resources', type: 'kernel died' });
    expect(crash(null, null, 'error')).toMatchObject({ family: 'python-exceptions', type: 'other exception', errorName: '(error)' });
  });

  it('ends in a catch-all and uses only the four families', () => {
    expect(CRASH_RULES[CRASH_RULES.length - 1]!.type).toBe('other exception');
    for (const rule of CRASH_RULES) expect(CRASH_FAMILIES).toContain(rule.family);
  });

  it('drops the module path of an exception name', () => {
    expect(shortErrorName('a.b.C')).toBe('C');
    expect(shortErrorName('C')).toBe('C');
    expect(shortErrorName(null)).toBe('');
  });
});
