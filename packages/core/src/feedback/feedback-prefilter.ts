/**
 * Tokens without which a cell holds no assertion, guard, print, display, logging or stdout call,
 * and no Python 2 syntax the study's parser would choke on (`print x`, `exec`, `except E, e`,
 * backticks, `<>`). A superset on purpose: a false hit costs one full parse, a miss loses an instance.
 * Case-insensitive so `LOGGER.info` and `Logger.warning` pass.
 */
const FEEDBACK_TOKENS = /assert|\bprint\b|\bdisplay\b|\braise\b|pprint|\bstd(?:out|err)\b|tqdm\.write|\bexec\b|\bexcept\b|`|<>|log\w*\s*\.\s*(?:debug|info|warn|warning|error|critical|exception|fatal|log)\s*\(/i;

/** Whether the (masked) cell may hold feedback other than its last statement. */
export function mayContainFeedback(code: string): boolean {
  return FEEDBACK_TOKENS.test(code);
}
