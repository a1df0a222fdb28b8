import type { PythonSyntaxNode } from '@mle/core';
import { defineRule, type BuiltinFixType, type RuleSite } from './builtin-fix-type.js';
import { qualifiedCallee } from './call-predicates.js';
import { guidanceRule } from './guidance-rule.js';
import { moduleMembers } from './module-members.js';
import { callArguments, callOf, isBindingName, keywordValue, stringLiteral, type StringLiteral } from './syntax-helpers.js';

export const pillowAntialias = defineRule({
  meta: {
    id: 'pillow-antialias',
    code: 'BC069',
    kind: 'error-repair',
    description: 'Replace Image.ANTIALIAS (removed in Pillow 10) with Image.LANCZOS.',
    fixable: 'always',
    safety: 'safe',
    messages: { removed: '`{{name}}` was removed in Pillow 10; use `{{replacement}}`.' },
    errorSignatures: [{ name: 'AttributeError', value: /module 'PIL\.Image' has no attribute 'ANTIALIAS'/ }],
  },
  docs: {
    whatItDoes: 'Replaces `Image.ANTIALIAS` with `Image.LANCZOS`.',
    why: "Pillow 9.1 deprecated the `ANTIALIAS` constant and Pillow 10 removed it (`AttributeError: module 'PIL.Image' has no attribute 'ANTIALIAS'`). It was an alias of `LANCZOS`.",
    example: 'from PIL import Image\n\nthumb = img.resize((128, 128), Image.ANTIALIAS)\n',
    useInstead: 'from PIL import Image\n\nthumb = img.resize((128, 128), Image.LANCZOS)\n',
    fixSafety: 'Safe: `ANTIALIAS` and `LANCZOS` are the same filter; `Image.LANCZOS` exists in every Pillow release (and is what `Image.Resampling.LANCZOS` equals).',
    references: [{ title: 'Pillow 10.0.0 release notes: constants removed', url: 'https://pillow.readthedocs.io/en/stable/releasenotes/10.0.0.html#constants' }],
  },
  mentions: ['ANTIALIAS'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const node of context.syntax.root.descendantsOfType('attribute')) {
      const attribute = node.childForFieldName('attribute');
      if (attribute?.text !== 'ANTIALIAS' || isBindingName(node)) continue;
      // `Image.ANTIALIAS` after `from PIL import Image`, `PIL.Image.ANTIALIAS` after `import PIL.Image`.
      const owner = context.imports.qualify(node.childForFieldName('object'), { Image: 'PIL.Image' });
      if (owner !== 'PIL.Image') continue;
      sites.push({ node, messageId: 'removed', data: { name: node.text, replacement: `${node.childForFieldName('object')!.text}.LANCZOS` }, edits: [context.edits.replace(attribute, 'LANCZOS')] });
    }
    return sites;
  },
  fixTitle: 'Replace {{name}} with {{replacement}}',
});

/** The seaborn styles matplotlib shipped before 3.6 renamed them `seaborn-v0_8-*`. */
const SEABORN_STYLES = new Set(['seaborn', 'seaborn-bright', 'seaborn-colorblind', 'seaborn-dark', 'seaborn-dark-palette', 'seaborn-darkgrid', 'seaborn-deep', 'seaborn-muted', 'seaborn-notebook', 'seaborn-paper', 'seaborn-pastel', 'seaborn-poster', 'seaborn-talk', 'seaborn-ticks', 'seaborn-white', 'seaborn-whitegrid']);

function renamedStyle(name: string): string {
  return name === 'seaborn' ? 'seaborn-v0_8' : `seaborn-v0_8-${name.slice('seaborn-'.length)}`;
}

function styleLiterals(node: PythonSyntaxNode | null): StringLiteral[] {
  if (!node) return [];
  const literal = stringLiteral(node);
  if (literal) return [literal];
  if (node.type === 'list' || node.type === 'tuple') return node.namedChildren.map((child) => stringLiteral(child)).filter((s): s is StringLiteral => s !== null);
  return [];
}

export const matplotlibSeabornStyles = defineRule({
  meta: {
    id: 'matplotlib-seaborn-styles',
    code: 'BC070',
    kind: 'error-repair',
    description: "Rename matplotlib's seaborn styles ('seaborn-whitegrid', removed in matplotlib 3.8) to 'seaborn-v0_8-whitegrid'.",
    fixable: 'always',
    safety: 'safe',
    messages: { renamed: "matplotlib 3.8 removed the style '{{style}}'; it is called '{{replacement}}' since 3.6." },
    errorSignatures: [{ name: 'OSError', value: /'seaborn[\w-]*' is not a valid package style/ }],
  },
  docs: {
    whatItDoes: "Renames the seaborn style names passed to `plt.style.use` / `plt.style.context` to their `seaborn-v0_8` names.",
    why: "matplotlib 3.6 renamed its copies of the old seaborn styles to `seaborn-v0_8-*` (they no longer match seaborn's own look) and 3.8 removed the old names (`OSError: 'seaborn-whitegrid' is not a valid package style, path of style file, URL of style file, or library style name`).",
    example: "import matplotlib.pyplot as plt\n\nplt.style.use('seaborn-whitegrid')\n",
    useInstead: "import matplotlib.pyplot as plt\n\nplt.style.use('seaborn-v0_8-whitegrid')\n",
    fixSafety: 'Safe: the renamed style sheets are the same files. (`sns.set_theme(style=...)` is the modern alternative, but it draws differently.) Needs matplotlib ≥ 3.6; the fix declines in an environment pinned below.',
    references: [{ title: 'matplotlib 3.6 API changes: seaborn styles renamed', url: 'https://matplotlib.org/stable/api/prev_api_changes/api_changes_3.6.0.html#seaborn-styles-renamed' }],
  },
  requires: [{ distribution: 'matplotlib', version: '3.6' }],
  mentions: ['seaborn'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const qualified = qualifiedCallee(context, call);
      if (qualified === null || !/^matplotlib(?:\.pyplot)?\.style\.(?:use|context)$/.test(qualified)) continue;
      const args = callArguments(call);
      const style = args?.positional[0] ?? keywordValue(args?.keywords.get('style'));
      for (const literal of styleLiterals(style ?? null)) {
        if (!SEABORN_STYLES.has(literal.value) || !literal.content) continue;
        const replacement = renamedStyle(literal.value);
        sites.push({ node: literal.node, messageId: 'renamed', data: { style: literal.value, replacement }, edits: [context.edits.replace(literal.content, replacement)] });
      }
    }
    return sites;
  },
  fixTitle: "Rename style '{{style}}' to '{{replacement}}'",
});

export const seabornDistplot = guidanceRule({
  code: 'BC071',
  id: 'seaborn-distplot',
  description: 'Report sns.distplot (deprecated in seaborn 0.11); histplot/displot/kdeplot replace it and draw differently.',
  message: '`{{code}}` is deprecated since seaborn 0.11; use `sns.histplot(x, kde=True, stat="density")` (axes-level) or `sns.displot` (figure-level).',
  errorName: 'AttributeError',
  signature: /module 'seaborn' has no attribute 'distplot'/,
  find: (context) => moduleMembers(context, 'seaborn', 'sns', ['distplot']).filter((node) => callOf(node) !== null),
  mentions: ['distplot'],
  docs: {
    whatItDoes: 'Reports calls of `sns.distplot`.',
    why: 'seaborn 0.11 deprecated `distplot` (a FutureWarning); it still exists in 0.13 but may be removed. Its replacements split its features: `histplot`, `kdeplot`, `displot`.',
    example: 'import seaborn as sns\n\nsns.distplot(train["SalePrice"])\n',
    useInstead: 'import seaborn as sns\n\nsns.histplot(train["SalePrice"], kde=True, stat="density")\n',
    fixSafety: 'Display-only: it only affects figures, and the replacement draws differently (bins, bandwidth), so the choice is left to a person.',
    references: [{ title: 'seaborn 0.11.0 release notes', url: 'https://seaborn.pydata.org/whatsnew/v0.11.0.html' }],
  },
});

export const scipyImread = defineRule({
  meta: {
    id: 'scipy-misc-imread',
    code: 'BC074',
    kind: 'error-repair',
    description: 'Replace scipy.misc.imread / imsave (removed in SciPy 1.2) with imageio.v2.imread / imwrite.',
    fixable: 'sometimes',
    safety: 'unsafe',
    messages: {
      removed: '`{{name}}` was removed in SciPy 1.2; use `{{replacement}}`.',
      mode: '`{{name}}(mode=...)` was removed in SciPy 1.2; imageio has no `mode`, so convert with PIL (`Image.open(f).convert(mode)`) by hand.',
    },
    errorSignatures: [
      { name: 'AttributeError', value: /module 'scipy\.misc' has no attribute '(?:imread|imsave)'/ },
      { name: 'ImportError', value: /cannot import name '(?:imread|imsave)' from 'scipy\.misc'/ },
    ],
  },
  docs: {
    whatItDoes: 'Rewrites `scipy.misc.imread` / `imsave` (called or imported) as `imageio.v2.imread` / `imwrite`.',
    why: "SciPy 1.0 deprecated its image I/O helpers (thin wrappers around Pillow) and 1.2 removed them (`AttributeError: module 'scipy.misc' has no attribute 'imread'`).",
    example: 'from scipy.misc import imread\n\nimg = imread(path)\n',
    useInstead: 'from imageio.v2 import imread\n\nimg = imread(path)\n',
    fixSafety: "Unsafe: imageio reads the same pixels for common formats but may differ in dtype or channels for palette and 16-bit images, and it must be installed. Calls with `mode=` or `flatten=` are reported without a fix.",
    references: [{ title: 'SciPy 1.2.0 release notes: removed functions', url: 'https://docs.scipy.org/doc/scipy/release/1.2.0-notes.html#backwards-incompatible-changes' }],
  },
  mentions: ['imread', 'imsave'],
  findSites(context) {
    const sites: RuleSite[] = [];
    const targets: Readonly<Record<string, string>> = { imread: 'imread', imsave: 'imwrite' };
    for (const statement of context.syntax.root.descendantsOfType('import_from_statement')) {
      const module = statement.childForFieldName('module_name');
      if (module?.text !== 'scipy.misc') continue;
      const names = statement.childrenForFieldName('name');
      const plainNames = names.map((n) => (n.type === 'aliased_import' ? n.childForFieldName('name')!.text : n.text));
      if (plainNames.length === 0 || !plainNames.every((n) => Object.hasOwn(targets, n))) continue;
      // `from scipy.misc import imsave` → `from imageio.v2 import imwrite as imsave`, keeping the local name.
      const edits = [context.edits.replace(module, 'imageio.v2')];
      names.forEach((name, index) => {
        const old = plainNames[index]!;
        if (targets[old] !== old) edits.push(name.type === 'aliased_import' ? context.edits.replace(name.childForFieldName('name')!, targets[old]!) : context.edits.replace(name, `${targets[old]} as ${old}`));
      });
      sites.push({ node: statement, messageId: 'removed', data: { name: `scipy.misc.${plainNames.join(', ')}`, replacement: `imageio.v2.${plainNames.map((n) => targets[n]).join(', ')}` }, edits });
    }
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const qualified = qualifiedCallee(context, call);
      const name = qualified?.startsWith('scipy.misc.') ? qualified.slice('scipy.misc.'.length) : null;
      if (!name || !Object.hasOwn(targets, name)) continue;
      const callee = call.childForFieldName('function')!;
      const args = callArguments(call);
      if (args?.keywords.has('mode') || args?.keywords.has('flatten') || (name === 'imread' && (args?.positional.length ?? 0) > 1)) {
        sites.push({ node: call, messageId: 'mode', data: { name: `scipy.misc.${name}` }, edits: null });
        continue;
      }
      // Imported names were handled with their import; a module attribute call is rewritten in place.
      if (callee.type !== 'attribute') continue;
      const replacement = `imageio.v2.${targets[name]}`;
      const edits = [context.edits.replace(callee, replacement)];
      if (!context.imports.bindings.some((b) => b.qualified === 'imageio' || b.qualified === 'imageio.v2')) edits.push(context.edits.insertStatementAtTop('import imageio.v2'));
      sites.push({ node: call, messageId: 'removed', data: { name: `scipy.misc.${name}`, replacement }, edits });
    }
    return sites;
  },
  fixTitle: 'Use {{replacement}}',
});

export const scipyImresize = guidanceRule({
  code: 'BC075',
  id: 'scipy-misc-imresize',
  description: 'Report scipy.misc.imresize (removed in SciPy 1.3); PIL or skimage replace it with different resampling.',
  message: '`{{code}}` was removed in SciPy 1.3; use `np.array(Image.fromarray(a).resize((w, h)))` or `skimage.transform.resize` (note the (w, h) order and different resampling).',
  errorName: 'ImportError',
  signature: /cannot import name 'imresize'|has no attribute 'imresize'/,
  find: (context) => context.syntax.root.descendantsOfType(['identifier']).filter((node) => node.text === 'imresize' && node.parent?.type !== 'keyword_argument'),
  mentions: ['imresize'],
  docs: {
    whatItDoes: 'Reports uses of `scipy.misc.imresize`.',
    why: "SciPy 1.0 deprecated `imresize` and 1.3 removed it (`ImportError: cannot import name 'imresize'`). Its `size` took (height, width), a fraction or a percentage, and it rescaled values to uint8.",
    example: 'from scipy.misc import imresize\n\nsmall = imresize(img, (64, 64))\n',
    useInstead: 'import numpy as np\nfrom PIL import Image\n\nsmall = np.array(Image.fromarray(img).resize((64, 64)))\n',
    fixSafety: 'Display-only: the resampling and value scaling differ, so model inputs and the score drift (scipy #10224).',
    references: [{ title: 'scipy/scipy #10224', url: 'https://github.com/scipy/scipy/issues/10224' }],
  },
});

export const imagingPlottingFixTypes: readonly BuiltinFixType[] = [pillowAntialias, matplotlibSeabornStyles, seabornDistplot, scipyImread, scipyImresize];
