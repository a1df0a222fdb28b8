import type { SyntaxNode } from '@mle/core';

/** Methods that change state, write, train, draw or wait: re-evaluating them in an assertion would change the run. */
const MUTATING_METHODS = new Set([
  'fit', 'fit_transform', 'fit_predict', 'partial_fit', 'fit_resample', 'fit_generator', 'train', 'evaluate', 'compile',
  'append', 'extend', 'insert', 'pop', 'popitem', 'remove', 'clear', 'update', 'add', 'setdefault', 'discard', 'sort', 'reverse',
  'shuffle', 'seed', 'manual_seed', 'set_seed', 'step', 'backward', 'zero_grad',
  'to_csv', 'to_excel', 'to_pickle', 'to_parquet', 'to_json', 'to_sql', 'to_feather', 'save', 'savefig', 'save_model', 'dump',
  'write', 'writelines', 'read', 'readline', 'readlines', 'send', 'sleep', 'plot', 'show', 'hist', 'imshow', 'scatter',
  'run', 'execute', 'download', 'load', 'next', 'close', 'open', 'system', 'popen', 'remove', 'unlink', 'rmtree', 'mkdir', 'makedirs',
]);
/** Functions whose result differs from call to call, or that interact with the outside. */
const IMPURE_FUNCTIONS = /^(?:print|input|open|next|exec|eval|display|breakpoint|iter|id|hash)$|(?:^|\.)random(?:\.|$)|^(?:time|datetime|os|sys|subprocess|shutil|requests|urllib|tqdm)\./;

/** Why re-evaluating the expression after its statement could change the run or give another value; null when safe. */
export function unsafeExpressionReason(node: SyntaxNode): string | null {
  const stack: SyntaxNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    switch (n.type) {
      case 'named_expression':
        return 'assigns (walrus)';
      case 'await':
      case 'yield':
        return `contains ${n.type}`;
      case 'keyword_argument':
        if (n.childForFieldName('name')?.text === 'inplace') return 'modifies in place (inplace=)';
        break;
      case 'call': {
        const fn = n.childForFieldName('function');
        const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
        if (fn?.type === 'attribute' && name && MUTATING_METHODS.has(name)) return `calls .${name}()`;
        if (fn && IMPURE_FUNCTIONS.test(fn.text)) return `calls ${fn.text}()`;
        break;
      }
    }
    for (const child of n.namedChildren) if (child) stack.push(child);
  }
  return null;
}
