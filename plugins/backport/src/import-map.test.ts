import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { IMPORT_MAP, mapImports, normalizeDistributionName } from './import-map.js';
import { STDLIB_MODULES } from './stdlib-modules.js';

const requirementsOf = (modules: string[], options = {}) => mapImports(modules, options).distributions.map((d) => d.requirement);

describe('mapImports', () => {
  it('maps renamed distributions from the table', () => {
    const mapping = mapImports(['sklearn.model_selection', 'cv2', 'PIL.Image', 'skimage', 'yaml', 'bs4', 'dateutil.parser', 'Bio.Seq']);
    expect(mapping.distributions.map((d) => [d.requirement, d.source])).toEqual([
      ['beautifulsoup4', 'table'],
      ['biopython', 'table'],
      ['opencv-python', 'table'],
      ['Pillow', 'table'],
      ['python-dateutil', 'table'],
      ['PyYAML', 'table'],
      ['scikit-image', 'table'],
      ['scikit-learn', 'table'],
    ]);
    expect(mapping.distributions.find((d) => d.requirement === 'scikit-learn')?.modules).toEqual(['sklearn']);
  });

  it('skips the standard library, including Python 2 modules, and relative imports', () => {
    const mapping = mapImports(['os', 'collections.abc', 'urllib2', 'cPickle', '.utils', '..pkg.mod', 'numpy']);
    expect(requirementsOf(['os', 'collections.abc', 'urllib2', 'cPickle', '.utils', 'numpy'])).toEqual(['numpy']);
    expect(mapping.skipped).toEqual([
      { module: '..pkg.mod', reason: 'relative' },
      { module: '.utils', reason: 'relative' },
      { module: 'collections', reason: 'stdlib' },
      { module: 'cPickle', reason: 'stdlib' },
      { module: 'os', reason: 'stdlib' },
      { module: 'urllib2', reason: 'stdlib' },
    ]);
  });

  it('adds tensorflow beside keras, as the study did', () => {
    const mapping = mapImports(['keras.layers']);
    expect(mapping.distributions.map((d) => [d.requirement, d.source])).toEqual([
      ['keras', 'table'],
      ['tensorflow', 'companion'],
    ]);
  });

  it('guesses the import name as the distribution when the table has no row, and says so', () => {
    const [guess] = mapImports(['some_unlisted_module.sub']).distributions;
    expect(guess).toMatchObject({ requirement: 'some_unlisted_module', source: 'guess', modules: ['some_unlisted_module'] });
    expect(guess?.note).toMatch(/taken as the distribution name/);
  });

  it('prefers the longest dotted prefix (namespace packages) and skips platform-only modules', () => {
    const mapping = mapImports(['google.cloud.storage.blob', 'google.protobuf.text_format', 'google', 'kaggle_secrets', 'google.colab.drive']);
    expect(mapping.distributions.map((d) => d.requirement)).toEqual(['google-cloud-storage', 'protobuf']);
    expect(mapping.skipped.map((s) => [s.module, s.reason])).toEqual([
      ['google', 'platform-only'],
      ['google.colab', 'platform-only'],
      ['kaggle_secrets', 'platform-only'],
    ]);
  });

  it('excludes the PyTorch family unless torch is allowed', () => {
    const excluded = mapImports(['torch.nn', 'torchvision.models', 'numpy']);
    expect(excluded.distributions.map((d) => d.requirement)).toEqual(['numpy']);
    expect(excluded.skipped.map((s) => [s.module, s.reason])).toEqual([
      ['torch', 'torch-excluded'],
      ['torchvision', 'torch-excluded'],
    ]);
    expect(requirementsOf(['torch.nn'], { allowTorch: true })).toEqual(['torch']);
  });

  it('follows the interpreter for modules added to or removed from the stdlib', () => {
    expect(requirementsOf(['dataclasses'], { pythonMinor: '3.6' })).toEqual(['dataclasses']);
    expect(requirementsOf(['dataclasses'], { pythonMinor: '3.7' })).toEqual([]);
    expect(requirementsOf(['distutils.version'], { pythonMinor: '3.12' })).toEqual(['setuptools']);
    expect(requirementsOf(['distutils.version'], { pythonMinor: '3.11' })).toEqual([]);
  });

  it('rejects names that cannot be modules and merges modules asking for one distribution', () => {
    const mapping = mapImports(['mpl_toolkits.mplot3d', 'matplotlib.pyplot', '3d', 'unidecode', 'Unidecode']);
    expect(mapping.distributions.map((d) => [d.requirement, d.modules])).toEqual([
      ['matplotlib', ['mpl_toolkits', 'matplotlib']],
      ['Unidecode', ['unidecode', 'Unidecode']],
    ]);
    expect(mapping.skipped).toEqual([{ module: '3d', reason: 'invalid-name' }]);
  });

  it('keeps a table of at least 40 distributions, each named as PyPI normalizes it', () => {
    const named = Object.values(IMPORT_MAP).filter((entry) => entry.distribution !== null);
    expect(named.length).toBeGreaterThanOrEqual(40);
    for (const entry of named) expect(normalizeDistributionName(entry.distribution!)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    // No import name in the table is also a stdlib module: the stdlib check runs first and would hide it.
    for (const key of Object.keys(IMPORT_MAP)) expect(STDLIB_MODULES.has(key.split('.')[0]!), key).toBe(false);
  });
});

describe('STDLIB_MODULES', () => {
  it("covers this machine's newest interpreter's sys.stdlib_module_names", () => {
    const names = execFileSync('/root/.pyenv/versions/3.13.0/bin/python', ['-c', 'import sys; print("\\n".join(sorted(sys.stdlib_module_names)))'], { encoding: 'utf8' })
      .split('\n')
      .filter((name) => name && !['antigravity', 'this', '__phello__', 'idlelib', 'turtledemo'].includes(name) && !name.startsWith('_test') && !name.startsWith('_xx'));
    const missing = names.filter((name) => !STDLIB_MODULES.has(name));
    expect(missing).toEqual([]);
  });
});
