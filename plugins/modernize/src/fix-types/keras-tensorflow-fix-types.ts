import type { CellEdit } from '@mle/core';
import { defineRule, type BuiltinFixType, type RuleCellContext, type RuleSite } from './builtin-fix-type.js';
import { calleeFrom } from './call-predicates.js';
import { EditBuilder } from './edit-builder.js';
import { guidanceRule } from './guidance-rule.js';
import type { ImportBinding } from './import-index.js';
import { keywordRenameRule } from './keyword-rename-rule.js';
import { moduleMembers } from './module-members.js';
import { acceptsReceiver } from './receiver-policy.js';
import { callArguments, callOf } from './syntax-helpers.js';

const TF_MIGRATE = { title: 'Migrate to TensorFlow 2: tf.compat.v1 and tf_upgrade_v2', url: 'https://www.tensorflow.org/guide/migrate/upgrade' };

export const kerasPredictClasses = defineRule({
  meta: {
    id: 'keras-predict-classes',
    code: 'BC062',
    kind: 'error-repair',
    description: 'Replace model.predict_classes(x) (removed in TensorFlow 2.6) with np.argmax(model.predict(x), axis=-1).',
    fixable: 'always',
    safety: 'unsafe',
    messages: { removed: '`.predict_classes()` was removed in TensorFlow 2.6; use `{{replacement}}` for a softmax output, a 0.5 threshold for a sigmoid one.' },
    errorSignatures: [{ name: 'AttributeError', value: /object has no attribute 'predict_classes'/ }],
  },
  docs: {
    whatItDoes: 'Rewrites `model.predict_classes(x)` as `np.argmax(model.predict(x), axis=-1)`.',
    why: "`Sequential.predict_classes` was deprecated in TensorFlow 2.3 and removed in 2.6 (`AttributeError: 'Sequential' object has no attribute 'predict_classes'`).",
    example: 'import numpy as np\n\nlabels = model.predict_classes(X_test, batch_size=64)\n',
    useInstead: 'import numpy as np\n\nlabels = np.argmax(model.predict(X_test, batch_size=64), axis=-1)\n',
    fixSafety: "Unsafe: `argmax` is right for a softmax output layer (several classes). For a single sigmoid unit `predict_classes` thresholded at 0.5, which `(model.predict(x) > 0.5).astype('int32')` does; the rule cannot see the output activation.",
    references: [{ title: 'keras-team/keras #15838', url: 'https://github.com/keras-team/keras/issues/15838' }],
  },
  mentions: ['predict_classes'],
  findSites(context) {
    const sites: RuleSite[] = [];
    const imported = context.imports.aliasOf('numpy');
    const np = imported ?? 'np';
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const callee = call.childForFieldName('function');
      if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'predict_classes') continue;
      const receiver = callee.childForFieldName('object')!;
      if (!acceptsReceiver(context, receiver, call, 'any')) continue;
      const replacement = `${np}.argmax(${context.edits.textOf(receiver)}.predict${context.edits.textOf(call.childForFieldName('arguments')!)}, axis=-1)`;
      const edits = [context.edits.replace(call, replacement)];
      if (!imported) edits.push(context.edits.insertStatementAtTop('import numpy as np'));
      sites.push({ node: call, messageId: 'removed', data: { replacement }, edits });
    }
    return sites;
  },
  fixTitle: 'Replace predict_classes with {{replacement}}',
});

const GENERATOR_METHODS: Readonly<Record<string, string>> = { fit_generator: 'fit', predict_generator: 'predict', evaluate_generator: 'evaluate' };
/** `fit_generator` arguments that Keras 3's `fit` no longer takes (they moved to PyDataset). */
const KERAS3_DROPPED = ['workers', 'use_multiprocessing', 'max_queue_size'];

export const kerasGeneratorMethods = defineRule({
  meta: {
    id: 'keras-generator-methods',
    code: 'BC063',
    kind: 'error-repair',
    description: 'Replace fit_generator / predict_generator / evaluate_generator (removed in Keras 3) with fit / predict / evaluate.',
    fixable: 'always',
    safety: 'safe',
    messages: { removed: '`.{{name}}()` was removed in Keras 3; `.{{replacement}}()` accepts generators and Sequences.' },
    errorSignatures: [{ name: 'AttributeError', value: /object has no attribute '(?:fit|predict|evaluate)_generator'/ }],
  },
  docs: {
    whatItDoes: 'Renames `fit_generator`, `predict_generator` and `evaluate_generator` to `fit`, `predict` and `evaluate`, and their `generator=` argument to `x=`.',
    why: "TensorFlow 2.1 made `fit`, `predict` and `evaluate` accept generators and deprecated the `*_generator` methods; Keras 3 (TensorFlow 2.16) removed them (`AttributeError: 'Sequential' object has no attribute 'fit_generator'`).",
    example: 'model.fit_generator(train_gen, steps_per_epoch=100, epochs=5)\n',
    useInstead: 'model.fit(train_gen, steps_per_epoch=100, epochs=5)\n',
    fixSafety: 'Safe when the call passes only arguments `fit` accepts. Unsafe when it passes `workers`, `use_multiprocessing` or `max_queue_size`, which Keras 3 moved onto `PyDataset` (the call then still needs a hand edit there).',
    references: [{ title: 'TensorFlow 2.1 release notes', url: 'https://github.com/tensorflow/tensorflow/releases/tag/v2.1.0' }, { title: 'Keras 3 migration guide', url: 'https://keras.io/guides/migrating_to_keras_3/' }],
  },
  mentions: Object.keys(GENERATOR_METHODS),
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const node of context.syntax.root.descendantsOfType('attribute')) {
      const attribute = node.childForFieldName('attribute')!;
      const call = callOf(node);
      if (!call || !Object.hasOwn(GENERATOR_METHODS, attribute.text)) continue;
      if (!acceptsReceiver(context, node.childForFieldName('object'), node, 'any')) continue;
      const replacement = GENERATOR_METHODS[attribute.text]!;
      const args = callArguments(call);
      const edits: CellEdit[] = [context.edits.replace(attribute, replacement)];
      const generator = args?.keywords.get('generator');
      if (generator) edits.push(context.edits.replace(generator.childForFieldName('name')!, 'x'));
      const dropped = KERAS3_DROPPED.some((name) => args?.keywords.has(name));
      sites.push({ node: call, messageId: 'removed', data: { name: attribute.text, replacement }, edits, safety: dropped ? 'unsafe' : 'safe' });
    }
    return sites;
  },
  fixTitle: 'Rename .{{name}}() to .{{replacement}}()',
});

const OPTIMIZERS = new Set(['Adam', 'SGD', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'Nadam', 'Ftrl', 'AdamW']);

export const kerasOptimizerLr = keywordRenameRule({
  code: 'BC064',
  id: 'keras-optimizer-lr',
  library: 'Keras',
  renames: { lr: 'learning_rate' },
  calls: calleeFrom(OPTIMIZERS, ['keras', 'tensorflow', 'tf_keras']),
  callDescription: 'Keras optimizers',
  removedIn: '3.0',
  safety: 'safe',
  extraSignatures: [{ name: 'ValueError', value: /Argument\(s\) not recognized: \{'lr'/ }],
  docs: {
    whatItDoes: 'Renames `lr=` of Keras optimizers (`Adam`, `SGD`, `RMSprop`, ...) to `learning_rate=`; PyTorch optimizers, where `lr` is right, are left alone.',
    why: "Keras 2.3 renamed `lr` to `learning_rate`. TensorFlow 2.11–2.15's new optimizers accepted `lr` with a warning and ignored it (keras #17338), so training silently used the default rate and the score drifted; Keras 3 rejects it (`ValueError: Argument(s) not recognized: {'lr': 0.001}`).",
    example: 'from tensorflow.keras.optimizers import Adam\n\nmodel.compile(optimizer=Adam(lr=1e-3), loss="mse")\n',
    useInstead: 'from tensorflow.keras.optimizers import Adam\n\nmodel.compile(optimizer=Adam(learning_rate=1e-3), loss="mse")\n',
    knownProblems: 'The optimizer must resolve to keras/tensorflow through the notebook\'s imports; unresolved calls are fixed only while repairing the error they raised.',
    fixSafety: 'Safe: the same learning rate, now actually used (on TensorFlow 2.11–2.15 this restores the meaning the notebook had, which can change the score back to the reported one).',
    references: [{ title: 'keras-team/keras #17338', url: 'https://github.com/keras-team/keras/issues/17338' }, { title: 'Keras optimizers', url: 'https://keras.io/api/optimizers/' }],
  },
});

/** The statement where a tensorflow alias is imported, for inserting the graph-mode switch after it. */
function tensorflowImport(context: RuleCellContext): ImportBinding | null {
  return context.imports.bindings.find((b) => b.qualified === 'tensorflow') ?? null;
}

/** BC065/BC066: TF1 graph APIs → `tf.compat.v1`, with eager execution switched off once. */
function compatRule(code: string, id: string, names: readonly string[], docs: BuiltinFixType['docs']): BuiltinFixType {
  return defineRule({
    meta: {
      id,
      code,
      kind: 'error-repair',
      description: `Replace ${names.map((n) => `tf.${n}`).join(', ')} (removed in TensorFlow 2.0) with tf.compat.v1, disabling eager execution.`,
      fixable: 'always',
      safety: 'unsafe',
      messages: { removed: '`{{name}}` was removed in TensorFlow 2.0; `{{replacement}}` runs it in graph mode.' },
      errorSignatures: [{ name: 'AttributeError', value: new RegExp(`module 'tensorflow' has no attribute '(?:${names.join('|')})'`) }],
    },
    docs,
    mentions: [...names],
    findSites(context) {
      const members = moduleMembers(context, 'tensorflow', 'tf', names);
      if (members.length === 0) return [];
      const tf = members[0]!.childForFieldName('object')!.text;
      const alreadyGraphMode = context.failure.notebook.cells.some((cell) => cell.source.includes('disable_eager_execution') || cell.source.includes('disable_v2_behavior'));
      let switchEdit: CellEdit | null = null;
      if (!alreadyGraphMode) {
        const binding = tensorflowImport(context);
        const syntax = binding ? context.failure.syntax(binding.cellIndex) : null;
        switchEdit = binding && syntax
          ? new EditBuilder(syntax).insertAfter(binding.statement, `\n${tf}.compat.v1.disable_eager_execution()`)
          : context.edits.insertStatementAtTop(`${tf}.compat.v1.disable_eager_execution()`);
      }
      return members.map((node) => {
        const name = node.childForFieldName('attribute')!.text;
        const edits = [context.edits.replace(node.childForFieldName('attribute')!, `compat.v1.${name}`)];
        if (switchEdit) edits.push(switchEdit);
        return { node, messageId: 'removed', data: { name: node.text, replacement: `${tf}.compat.v1.${name}` }, edits };
      });
    },
    fixTitle: 'Use {{replacement}} in graph mode',
  });
}

export const tensorflowSession = compatRule('BC065', 'tensorflow-session', ['Session', 'InteractiveSession'], {
  whatItDoes: 'Rewrites `tf.Session` as `tf.compat.v1.Session` and switches eager execution off after the TensorFlow import.',
  why: "TensorFlow 2.0 made eager execution the default and removed `tf.Session` from the main namespace (`AttributeError: module 'tensorflow' has no attribute 'Session'`); `tf_upgrade_v2` rewrites it to `tf.compat.v1`.",
  example: 'import tensorflow as tf\n\nsess = tf.Session()\n',
  useInstead: 'import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\n\nsess = tf.compat.v1.Session()\n',
  fixSafety: 'Unsafe: disabling eager execution changes how every TensorFlow call in the notebook runs; it is what TF1 code expects, but Keras code written for TF2 in the same notebook may break. The idiomatic fix (rewriting to eager code) needs a person or the LLM.',
  references: [TF_MIGRATE],
});

export const tensorflowPlaceholder = compatRule('BC066', 'tensorflow-placeholder', ['placeholder'], {
  whatItDoes: 'Rewrites `tf.placeholder` as `tf.compat.v1.placeholder` and switches eager execution off after the TensorFlow import.',
  why: "TensorFlow 2.0 removed `tf.placeholder` (`AttributeError: module 'tensorflow' has no attribute 'placeholder'`); placeholders exist only in graph mode.",
  example: 'import tensorflow as tf\n\nx = tf.placeholder(tf.float32, shape=[None, 784])\n',
  useInstead: 'import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\n\nx = tf.compat.v1.placeholder(tf.float32, shape=[None, 784])\n',
  fixSafety: 'Unsafe: graph mode for the whole notebook, as for BC065.',
  references: [TF_MIGRATE],
});

export const tensorflowContrib = guidanceRule({
  code: 'BC067',
  id: 'tensorflow-contrib',
  description: 'Report tf.contrib (removed in TensorFlow 2.0); its pieces moved to Keras, TF Addons or nowhere.',
  message: '`{{code}}` was removed in TensorFlow 2.0 with no general replacement (Keras layers, TensorFlow Addons or tf.compat.v1 pieces).',
  signature: /module 'tensorflow' has no attribute 'contrib'/,
  extraSignatures: [{ name: 'ModuleNotFoundError', value: /No module named 'tensorflow\.contrib/ }],
  find: (context) => [
    ...moduleMembers(context, 'tensorflow', 'tf', ['contrib']),
    ...context.syntax.root.descendantsOfType(['import_statement', 'import_from_statement']).filter((s) => /\btensorflow\.contrib\b/.test(s.text)),
  ],
  mentions: ['contrib'],
  docs: {
    whatItDoes: 'Reports uses of `tf.contrib` and imports from `tensorflow.contrib`.',
    why: "TensorFlow 2.0 removed `tf.contrib` (`ModuleNotFoundError: No module named 'tensorflow.contrib'`); `tf_upgrade_v2` cannot convert it. Each module went somewhere else, or nowhere.",
    example: 'import tensorflow as tf\n\nlayer = tf.contrib.layers.fully_connected(x, 64)\n',
    useInstead: 'import tensorflow as tf\n\nlayer = tf.keras.layers.Dense(64)(x)\n',
    fixSafety: 'Display-only: the replacement differs for every contrib module.',
    references: [TF_MIGRATE],
  },
});

export const protobufGetPrototype = guidanceRule({
  code: 'BC068',
  id: 'protobuf-get-prototype',
  description: 'Report the protobuf 5+ GetPrototype error raised by older TensorFlow at import; it needs an environment fix.',
  message: 'protobuf 5+ removed `MessageFactory.GetPrototype`, which this TensorFlow calls at `{{code}}`; pin protobuf to the range this TensorFlow supports (an environment fix, not a code edit).',
  signature: /'MessageFactory' object has no attribute 'GetPrototype'/,
  find: (context) => context.syntax.root.descendantsOfType(['import_statement', 'import_from_statement']).filter((s) => /\btensorflow\b|\bkeras\b/.test(s.text)),
  mentions: ['tensorflow', 'keras'],
  errorOnly: true,
  docs: {
    exampleFailure: { error: "AttributeError: 'MessageFactory' object has no attribute 'GetPrototype'" },
    whatItDoes: "Points at the TensorFlow import that raises protobuf's `GetPrototype` error.",
    why: "protobuf 5 removed `MessageFactory.GetPrototype` (use `message_factory.GetMessageClass`); TensorFlow releases and generated code older than the new protobuf still call it, so `import tensorflow` fails with `AttributeError: 'MessageFactory' object has no attribute 'GetPrototype'` in a current image (protobuf 6.33 in the study).",
    example: 'import tensorflow as tf\n',
    useInstead: '# in the environment, not the notebook:\n# pip install "protobuf<5"   (or the range the TensorFlow release declares)\nimport tensorflow as tf\n',
    fixSafety: 'Display-only: the notebook is right; the environment has to change.',
    references: [{ title: 'protobuf Python: message_factory.GetMessageClass', url: 'https://googleapis.dev/python/protobuf/latest/google/protobuf/message_factory.html' }],
  },
});

export const kerasTensorflowFixTypes: readonly BuiltinFixType[] = [kerasPredictClasses, kerasGeneratorMethods, kerasOptimizerLr, tensorflowSession, tensorflowPlaceholder, tensorflowContrib, protobufGetPrototype];

