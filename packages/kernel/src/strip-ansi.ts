// CSI sequences (colours, cursor moves) and OSC sequences (titles, hyperlinks) as IPython emits them.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Remove ANSI escape sequences, e.g. from IPython tracebacks before they are stored or classified. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
