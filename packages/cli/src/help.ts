import { Help, type Command } from '@oclif/core';

/**
 * Descriptions are written as paragraphs wrapped in the source; oclif keeps those newlines and
 * wraps again at the terminal's width, which leaves ragged half-lines. Unwrap each paragraph
 * (blank lines, indented lines and list items keep their breaks) and let oclif do the wrapping.
 */
export function unwrapParagraphs(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const previous = out.at(-1);
    const startsBlock = line.trim() === '' || /^\s/.test(line) || /^([-*•]|\d+\.)\s/.test(line) || line.startsWith('$ ');
    if (previous !== undefined && previous.trim() !== '' && !startsBlock && !/^\s/.test(previous)) out[out.length - 1] = `${previous} ${line}`;
    else out.push(line);
  }
  return out.join('\n');
}

export default class MleHelp extends Help {
  protected override formatCommand(command: Command.Loadable): string {
    return super.formatCommand(command.description ? { ...command, description: unwrapParagraphs(command.description) } : command);
  }
}
