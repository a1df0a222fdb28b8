/**
 * Why an environment could not be made. Each code is stable (stored in
 * `environments.failure_mode` and counted by reports); the tool's own message is kept beside it.
 */
export const FAILURE_MODES = {
  'no-interpreter': 'no interpreter on this machine can serve the date (or uv refuses the one there, e.g. Python 2)',
  'no-wheel': 'a required release has no wheel for this interpreter and building from source is disabled (--allow-build opts in)',
  'build-failed': 'building a source distribution failed (only with --allow-build)',
  'invalid-metadata': "a release's metadata is not valid by today's standards (e.g. pandas 0.20's `pytz (>=2011k)`), so uv cannot use it",
  'resolution-conflict': 'the requirements cannot all be satisfied together as of the date',
  'distribution-not-found': 'a requested distribution does not exist on the index (often a wrong import → distribution guess)',
  'no-release-at-date': 'the distribution exists, but had no release uploaded before the date',
  network: 'the index could not be reached',
  timeout: 'a step ran past its time budget and was killed',
  disk: 'not enough free disk space in the environment or uv cache directory',
  'install-failed': 'installing the resolved pins failed (hash mismatch, broken wheel, kernelspec not created)',
} as const;

export type FailureMode = keyof typeof FAILURE_MODES;

/**
 * Modes that a retry with the same inputs would meet again: their resolution outcome is cached
 * per request, so a corpus asking 1000 times for an impossible date asks uv once.
 */
export const DETERMINISTIC_FAILURES: ReadonlySet<FailureMode> = new Set(['no-interpreter', 'no-wheel', 'build-failed', 'invalid-metadata', 'resolution-conflict', 'distribution-not-found', 'no-release-at-date']);

/** The step that failed; reports read it to tell resolution failures from install failures. */
export type EnvironmentStep = 'interpreter' | 'resolve' | 'venv' | 'install' | 'kernelspec' | 'preflight';

/** An environment could not be made; carries the stable code and the tool's trimmed message. */
export class EnvironmentFailureError extends Error {
  override name = 'EnvironmentFailureError';
  constructor(
    readonly mode: FailureMode,
    readonly step: EnvironmentStep,
    readonly toolMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`${mode} (${step}): ${firstLine(toolMessage)}`, options);
  }
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim().length > 0)?.trim() ?? '';
}

/** Longest message kept; uv's resolver explanations are long but the start and end say the most. */
export const MAX_MESSAGE_CHARS = 4000;

/** Drop uv's progress noise and keep head and tail of very long messages. */
export function trimToolMessage(text: string, maxChars = MAX_MESSAGE_CHARS): string {
  const lines = text
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0 && !/^(Using CPython|Creating virtual environment|Activate with|Resolved \d+ packages|Prepared \d+ packages|Installed \d+ packages|Audited \d+ packages|Uninstalled \d+ packages|Downloading |Downloaded | [+-] )/.test(line));
  const joined = lines.join('\n');
  if (joined.length <= maxChars) return joined;
  const half = Math.floor((maxChars - 40) / 2);
  return `${joined.slice(0, half)}\n… [${joined.length - 2 * half} characters trimmed] …\n${joined.slice(-half)}`;
}

/**
 * Classify a failed uv invocation from its stderr. Order matters: uv's "No solution found"
 * wraps several causes, the most specific of which is named by a hint or phrase.
 */
export function classifyUvFailure(stderr: string, step: EnvironmentStep): FailureMode {
  const text = stderr;
  if (/No space left on device|os error 28|ENOSPC|Disk quota exceeded|os error 122/i.test(text)) return 'disk';
  if (/Can't use Python at|does not support `-I` flag|Please use Python 3\.\d+ or newer|No interpreter found|Failed to inspect Python interpreter/i.test(text)) return 'no-interpreter';
  // Transport errors first: a failed sdist *download* is reported as "Failed to download and build".
  if (/error sending request|dns error|tcp connect error|Connection refused|failed to lookup address|Request failed after \d+ retries/i.test(text)) return 'network';
  if (/Failed to build `|Failed to download and build `|The build backend returned an error|Build backend failed|Failed to resolve requirements from `(?:setup\.py|build-system)/i.test(text)) return 'build-failed';
  if (/Hash mismatch/i.test(text)) return 'install-failed';
  if (/was not found in the package registry|not found in the provided package locations|Package `[^`]+` not found/i.test(text)) return 'distribution-not-found';
  if (/there (?:are|is) no versions of[\s\S]*filtered by `exclude-newer`/i.test(text)) return 'no-release-at-date';
  // Checked before no-wheel: uv's explanation of such a failure also lists wheel-less releases it tried.
  if (/have invalid metadata|has invalid metadata|Metadata for `[^`]+` \(v[^)]*\) could not be parsed/i.test(text)) return 'invalid-metadata';
  if (/no (?:usable )?wheels|building from source is disabled|Wheels are required for|only found wheels for|no wheels with a matching/i.test(text)) return 'no-wheel';
  if (/No solution found|unsatisfiable|conflicting/i.test(text)) return 'resolution-conflict';
  if (/Failed to fetch|connection error|Could not connect|operation timed out/i.test(text)) return 'network';
  return step === 'resolve' ? 'resolution-conflict' : 'install-failed';
}
