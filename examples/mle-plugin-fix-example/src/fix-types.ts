import { moduleAttributeRename } from './module-attribute-rename.js';

/** The README ships in the package (npm always packs it), so the link works wherever it is installed. */
const README = new URL('../README.md', import.meta.url).href;

/**
 * `time.clock()` went in Python 3.8. On Linux, where Kaggle's notebooks ran, it returned the
 * process's CPU time, which is what `time.process_time()` returns; `perf_counter()` (wall time)
 * would be the replacement on Windows. Timing code only prints the value, so either keeps the
 * notebook's results, and process_time keeps its printed meaning too.
 */
export const timeClock = moduleAttributeRename({
  code: 'EX001',
  id: 'python-time-clock',
  module: 'time',
  renames: { clock: 'process_time' },
  removedIn: '3.8',
  description: 'Replace time.clock() (removed in Python 3.8) with time.process_time(), what it returned on Linux.',
  docsUrl: `${README}#ex001-python-time-clock`,
});

/** `base64.encodestring`/`decodestring` were deprecated aliases of the *bytes functions, removed in Python 3.9. */
export const base64Aliases = moduleAttributeRename({
  code: 'EX002',
  id: 'python-base64-string-aliases',
  module: 'base64',
  renames: { encodestring: 'encodebytes', decodestring: 'decodebytes' },
  removedIn: '3.9',
  description: 'Replace base64.encodestring/decodestring (removed in Python 3.9) with encodebytes/decodebytes, which they aliased.',
  docsUrl: `${README}#ex002-python-base64-string-aliases`,
});

export const fixTypes = [timeClock, base64Aliases];
