import { describe, it } from 'vitest';
import { FixTypeTester } from '@mle/plugin-modernize';
import { base64Aliases, timeClock } from '../src/fix-types.js';

// FixTypeTester runs each case as its own test, like ESLint's RuleTester: valid cases must not
// match; invalid ones must match at the given sites and fix to the given output.
FixTypeTester.describe = describe;
FixTypeTester.it = it;

FixTypeTester.run('python-time-clock', timeClock, {
  valid: ['import time\nt0 = time.perf_counter()', 'clock = make_clock()\nclock.clock()', { name: 'another module with a clock', cells: 'import pygame\nc = pygame.time.Clock()' }],
  invalid: [
    {
      cells: ['import time', 't0 = time.clock()\nwork()\nprint(time.clock() - t0)'],
      failure: { error: "AttributeError: module 'time' has no attribute 'clock'" },
      matches: [
        { messageId: 'removed', data: { old: 'time.clock', replacement: 'time.process_time', version: '3.8' }, cellIndex: 1, line: 1 },
        { messageId: 'removed', cellIndex: 1, line: 3 },
      ],
      output: ['import time', 't0 = time.process_time()\nwork()\nprint(time.process_time() - t0)'],
      safety: 'safe',
    },
    {
      name: 'an alias and a from-import keep their local names',
      cells: 'import time as t\nfrom time import clock\na = t.clock()\nb = clock()',
      matches: [{ messageId: 'removed', line: 3 }, { messageId: 'removed', line: 2 }],
      output: 'import time as t\nfrom time import process_time as clock\na = t.process_time()\nb = clock()',
    },
  ],
});

FixTypeTester.run('python-base64-string-aliases', base64Aliases, {
  valid: ['import base64\nbase64.encodebytes(b"x")'],
  invalid: [
    {
      cells: 'import base64\ntoken = base64.encodestring(b"mle")\nprint(base64.decodestring(token))',
      failure: { kind: 'scan' },
      matches: [{ messageId: 'removed', data: { old: 'base64.encodestring', replacement: 'base64.encodebytes', version: '3.9' } }, { messageId: 'removed', line: 3 }],
      output: 'import base64\ntoken = base64.encodebytes(b"mle")\nprint(base64.decodebytes(token))',
    },
  ],
});
