import { describe, it } from 'vitest';
import { FixTypeTester } from '../fix-type-tester.js';
import * as keras from './keras-tensorflow-fix-types.js';

FixTypeTester.describe = describe;
FixTypeTester.it = it;

FixTypeTester.run('keras-predict-classes', keras.kerasPredictClasses, {
  valid: ['import numpy as np\ny = np.argmax(model.predict(X), axis=-1)'],
  invalid: [
    {
      cells: 'import numpy as np\nlabels = model.predict_classes(X_test, batch_size=64)',
      failure: { error: "AttributeError: 'Sequential' object has no attribute 'predict_classes'" },
      matches: [{ messageId: 'removed', data: { replacement: 'np.argmax(model.predict(X_test, batch_size=64), axis=-1)' } }],
      output: 'import numpy as np\nlabels = np.argmax(model.predict(X_test, batch_size=64), axis=-1)',
      safety: 'unsafe',
    },
    { name: 'numpy imported when missing', cells: 'labels = model.predict_classes(X)', matches: [{ messageId: 'removed' }], output: 'import numpy as np\nlabels = np.argmax(model.predict(X), axis=-1)' },
  ],
});

FixTypeTester.run('keras-generator-methods', keras.kerasGeneratorMethods, {
  valid: ['model.fit(gen, epochs=3)'],
  invalid: [
    {
      cells: 'model.fit_generator(generator=train_gen, steps_per_epoch=100, epochs=5)\np = model.predict_generator(test_gen)',
      failure: { error: "AttributeError: 'Sequential' object has no attribute 'fit_generator'" },
      matches: [{ messageId: 'removed', data: { name: 'fit_generator', replacement: 'fit' } }, { messageId: 'removed', data: { name: 'predict_generator', replacement: 'predict' } }],
      output: 'model.fit(x=train_gen, steps_per_epoch=100, epochs=5)\np = model.predict(test_gen)',
      safety: 'safe',
    },
    { name: 'workers moved to PyDataset in Keras 3: unsafe', cells: 'model.fit_generator(gen, workers=4, use_multiprocessing=True)', matches: [{ messageId: 'removed' }], output: 'model.fit(gen, workers=4, use_multiprocessing=True)', safety: 'unsafe' },
  ],
});

FixTypeTester.run('keras-optimizer-lr', keras.kerasOptimizerLr, {
  valid: [
    { name: 'PyTorch optimizers take lr', cells: 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=1e-3)' },
    { name: 'PyTorch imported by name', cells: 'from torch.optim import SGD\nopt = SGD(params, lr=0.1)' },
    { name: 'an unresolved optimizer is left alone in a scan', cells: 'opt = Adam(lr=0.1)' },
    'from keras.optimizers import Adam\nopt = Adam(learning_rate=0.1)',
  ],
  invalid: [
    {
      cells: 'from tensorflow.keras.optimizers import Adam\nmodel.compile(optimizer=Adam(lr=1e-3), loss="mse")',
      failure: { error: "ValueError: Argument(s) not recognized: {'lr': 0.001}" },
      matches: [{ messageId: 'renamed', data: { call: 'Adam', keyword: 'lr', replacement: 'learning_rate', library: 'Keras', version: '3.0' } }],
      output: 'from tensorflow.keras.optimizers import Adam\nmodel.compile(optimizer=Adam(learning_rate=1e-3), loss="mse")',
    },
    {
      name: 'module paths and the conventional tf alias',
      cells: 'from keras import optimizers\na = optimizers.SGD(lr=0.01, momentum=0.9)\nb = tf.keras.optimizers.RMSprop(lr=1e-4)',
      matches: [{ messageId: 'renamed', line: 2 }, { messageId: 'renamed', line: 3 }],
      output: 'from keras import optimizers\na = optimizers.SGD(learning_rate=0.01, momentum=0.9)\nb = tf.keras.optimizers.RMSprop(learning_rate=1e-4)',
    },
    { name: 'an unresolved optimizer is fixed while repairing its error', cells: 'opt = Adam(lr=0.1)', failure: { error: "TypeError: Adam.__init__() got an unexpected keyword argument 'lr'" }, matches: [{ messageId: 'renamed' }], output: 'opt = Adam(learning_rate=0.1)' },
  ],
});

FixTypeTester.run('tensorflow-session', keras.tensorflowSession, {
  valid: ['import tensorflow as tf\ns = tf.compat.v1.Session()'],
  invalid: [
    {
      cells: ['import tensorflow as tf', 'sess = tf.Session()\nsess.run(init)'],
      failure: { error: "AttributeError: module 'tensorflow' has no attribute 'Session'", cellIndex: 1 },
      matches: [{ messageId: 'removed', data: { name: 'tf.Session', replacement: 'tf.compat.v1.Session' }, cellIndex: 1 }],
      output: ['import tensorflow as tf\ntf.compat.v1.disable_eager_execution()', 'sess = tf.compat.v1.Session()\nsess.run(init)'],
      safety: 'unsafe',
    },
    {
      name: 'graph mode already switched on: only the rename',
      cells: 'import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\nwith tf.Session() as s:\n    pass',
      matches: [{ messageId: 'removed' }],
      output: 'import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\nwith tf.compat.v1.Session() as s:\n    pass',
    },
  ],
});

FixTypeTester.run('tensorflow-placeholder', keras.tensorflowPlaceholder, {
  valid: ['import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32)'],
  invalid: [
    {
      cells: 'import tensorflow as tf\nx = tf.placeholder(tf.float32, shape=[None, 784])\ny = tf.placeholder(tf.int32)',
      matches: [{ messageId: 'removed', line: 2 }, { messageId: 'removed', line: 3 }],
      output: 'import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\nx = tf.compat.v1.placeholder(tf.float32, shape=[None, 784])\ny = tf.compat.v1.placeholder(tf.int32)',
    },
  ],
});

FixTypeTester.run('tensorflow-contrib', keras.tensorflowContrib, {
  valid: ['import tensorflow as tf\nl = tf.keras.layers.Dense(3)'],
  invalid: [
    {
      cells: 'import tensorflow as tf\nfrom tensorflow.contrib import rnn\nl = tf.contrib.layers.fully_connected(x, 64)',
      failure: { error: "ModuleNotFoundError: No module named 'tensorflow.contrib'" },
      matches: [{ messageId: 'guidance', line: 2 }, { messageId: 'guidance', line: 3 }],
    },
  ],
});

FixTypeTester.run('protobuf-get-prototype', keras.protobufGetPrototype, {
  valid: [
    { name: 'only on its error', cells: 'import tensorflow as tf', failure: { error: "AttributeError: module 'numpy' has no attribute 'float'" } },
    { name: 'a scan finds nothing wrong with importing tensorflow', cells: 'import tensorflow as tf' },
  ],
  invalid: [
    {
      cells: 'import numpy as np\nimport tensorflow as tf',
      failure: { error: "AttributeError: 'MessageFactory' object has no attribute 'GetPrototype'" },
      matches: [{ messageId: 'guidance', data: { code: 'import tensorflow as tf' }, line: 2 }],
    },
  ],
});
