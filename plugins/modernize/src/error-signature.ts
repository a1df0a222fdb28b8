import type { ErrorSignature, FailureError, FixTypeMeta } from '@mle/core';

/** Whether an error matches one of the signatures. */
export function matchesErrorSignature(signatures: readonly ErrorSignature[], error: Pick<FailureError, 'name' | 'value'>): boolean {
  return signatures.some((signature) => signature.name === error.name && (signature.value === undefined || signature.value.test(error.value)));
}

/**
 * The fix types worth asking about an error, in registry order: those whose signatures match it,
 * then those that declare no signature (they may answer any error). The loop's cheap pre-dispatch.
 */
export function fixTypesForError<T extends { meta: FixTypeMeta }>(fixTypes: readonly T[], error: Pick<FailureError, 'name' | 'value'>): T[] {
  const signed = fixTypes.filter((fixType) => fixType.meta.errorSignatures && matchesErrorSignature(fixType.meta.errorSignatures, error));
  const unsigned = fixTypes.filter((fixType) => !fixType.meta.errorSignatures);
  return [...signed, ...unsigned];
}

/** Remove ANSI colour codes, which IPython puts in tracebacks. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

/**
 * The 1-based line of the failing cell that raised, from an IPython traceback: the first frame
 * (the cell's own) marks it `---> 12` (IPython ≤ 8) or names `line 12` after `Cell In[3]`.
 * Null when the traceback does not say (SyntaxErrors, empty tracebacks).
 */
export function failingLine(traceback: readonly string[]): number | null {
  for (const entry of traceback) {
    const text = stripAnsi(entry);
    const cellHeader = /Cell In\s*\[\d*\],\s*line (\d+)/.exec(text);
    if (cellHeader) return Number(cellHeader[1]);
    if (/^\s*(Input In|<ipython-input-)/m.test(text) || text.includes('<ipython-input-')) {
      const arrow = /-+>\s*(\d+)/.exec(text);
      if (arrow) return Number(arrow[1]);
    }
  }
  return null;
}
