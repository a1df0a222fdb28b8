import type { Failure, PythonSyntaxNode } from '@mle/core';
import { importIndexOf, type ImportIndex } from './import-index.js';

/** What an expression probably is: a pandas DataFrame or Series, some pandas object, or a plain list/dict. */
export type ValueKind = 'frame' | 'series' | 'pandas' | 'list' | 'dict' | 'unknown';

const FRAME_FUNCTIONS = new Set(['DataFrame', 'concat', 'merge', 'get_dummies', 'pivot_table', 'crosstab', 'json_normalize', 'read_csv', 'read_table', 'read_excel', 'read_json', 'read_parquet', 'read_feather', 'read_pickle', 'read_sql', 'read_sql_query', 'read_hdf', 'read_fwf', 'read_html', 'read_stata', 'read_sas', 'read_orc', 'read_clipboard', 'melt', 'wide_to_long']);
const SERIES_FUNCTIONS = new Set(['Series', 'to_datetime', 'to_numeric', 'cut', 'qcut', 'date_range', 'Index']);
/** Methods of pandas objects whose result is not a pandas object. */
const NON_PANDAS_METHODS = new Set(['to_numpy', 'tolist', 'to_list', 'to_dict', 'item', 'nunique', 'to_csv', 'to_json', 'to_string', 'to_records', 'keys', 'items', 'iteritems', 'iterrows', 'itertuples', 'plot', 'hist', 'boxplot', 'memory_usage', 'all', 'any']);
const FRAME_METHODS = new Set(['copy', 'drop', 'dropna', 'fillna', 'merge', 'join', 'reset_index', 'set_index', 'sort_values', 'sort_index', 'query', 'assign', 'rename', 'head', 'tail', 'sample', 'append', 'astype', 'replace', 'drop_duplicates', 'pivot', 'pivot_table', 'describe', 'corr', 'select_dtypes', 'filter', 'transpose', 'applymap', 'map']);

/**
 * A notebook-wide guess of which names hold pandas objects, from assignments like
 * `df = pd.read_csv(...)`, `s = df['a']`, `out = df.merge(...)`, and which hold lists and dicts
 * (`rows = []`). Cheap flow-insensitive inference, enough to tell `df.append(row)` from
 * `results.append(score)`; rules treat `unknown` cautiously.
 */
export class PandasNames {
  private readonly kinds = new Map<string, ValueKind>();
  readonly pandasAliases: string[];

  constructor(failure: Failure, private readonly imports: ImportIndex) {
    this.pandasAliases = imports.aliasesOf('pandas', 'pd');
    // Two passes settle chains assigned out of order across cells (`b = a.copy()` before `a = ...`).
    for (let pass = 0; pass < 2; pass++) {
      for (const cell of failure.notebook.cells) {
        if (cell.cellType !== 'code') continue;
        const syntax = failure.syntax(cell.index);
        if (!syntax) continue;
        for (const assignment of syntax.root.descendantsOfType('assignment')) this.learn(assignment);
      }
    }
  }

  private learn(assignment: PythonSyntaxNode): void {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (!left || !right || left.type !== 'identifier') return;
    const kind = this.kindOf(right);
    const known = this.kinds.get(left.text);
    // A name assigned both a list and a frame somewhere is ambiguous: forget it.
    if (known && known !== kind && kind !== 'unknown') this.kinds.set(left.text, isPandas(known) && isPandas(kind) ? 'pandas' : 'unknown');
    else if (!known || known === 'unknown') this.kinds.set(left.text, kind);
  }

  /** What an expression probably evaluates to. */
  kindOf(node: PythonSyntaxNode | null): ValueKind {
    if (!node) return 'unknown';
    switch (node.type) {
      case 'parenthesized_expression':
        return this.kindOf(node.namedChildren[0] ?? null);
      case 'identifier':
        return this.kinds.get(node.text) ?? 'unknown';
      case 'list':
      case 'list_comprehension':
        return 'list';
      case 'dictionary':
      case 'dictionary_comprehension':
        return 'dict';
      case 'subscript': {
        const value = this.kindOf(node.childForFieldName('value'));
        if (!isPandas(value)) return 'unknown';
        const index = node.childForFieldName('subscript');
        if (index?.type === 'string') return 'series';
        if (index?.type === 'list') return 'frame';
        return 'pandas';
      }
      case 'attribute': {
        const object = node.childForFieldName('object');
        const attribute = node.childForFieldName('attribute')?.text ?? '';
        if (['loc', 'iloc', 'T', 'dt', 'str'].includes(attribute) && isPandas(this.kindOf(object))) return 'pandas';
        if (['values', 'shape', 'columns', 'index', 'dtypes', 'size'].includes(attribute)) return 'unknown';
        return isPandas(this.kindOf(object)) ? 'series' : 'unknown';
      }
      case 'call': {
        const callee = node.childForFieldName('function');
        if (!callee) return 'unknown';
        if (callee.type === 'identifier') {
          if (callee.text === 'list' || callee.text === 'sorted') return 'list';
          if (callee.text === 'dict') return 'dict';
          const qualified = this.imports.qualify(callee);
          const member = qualified?.startsWith('pandas.') ? qualified.slice('pandas.'.length) : null;
          if (member && FRAME_FUNCTIONS.has(member)) return 'frame';
          if (member && SERIES_FUNCTIONS.has(member)) return 'series';
          return 'unknown';
        }
        if (callee.type !== 'attribute') return 'unknown';
        const object = callee.childForFieldName('object');
        const method = callee.childForFieldName('attribute')?.text ?? '';
        if (object?.type === 'identifier' && this.pandasAliases.includes(object.text)) {
          if (FRAME_FUNCTIONS.has(method)) return 'frame';
          if (SERIES_FUNCTIONS.has(method)) return 'series';
          return 'pandas';
        }
        const receiver = this.kindOf(object);
        if (!isPandas(receiver) || NON_PANDAS_METHODS.has(method)) return 'unknown';
        if (FRAME_METHODS.has(method)) return receiver;
        return 'pandas';
      }
      default:
        return 'unknown';
    }
  }
}

export function isPandas(kind: ValueKind): boolean {
  return kind === 'frame' || kind === 'series' || kind === 'pandas';
}

const cache = new WeakMap<Failure, PandasNames>();

/** The pandas inference of a failure's notebook, built once per failure. */
export function pandasNamesOf(failure: Failure): PandasNames {
  let names = cache.get(failure);
  if (!names) {
    names = new PandasNames(failure, importIndexOf(failure));
    cache.set(failure, names);
  }
  return names;
}

/** pandas types an AttributeError names as the owner of a removed method. */
export const PANDAS_OWNER_TYPES = new Set(['DataFrame', 'Series', 'Index', 'DatetimeIndex', 'RangeIndex', 'MultiIndex', 'DatetimeProperties', 'DataFrameGroupBy', 'SeriesGroupBy', 'Styler']);
