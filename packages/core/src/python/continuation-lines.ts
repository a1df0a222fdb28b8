/**
 * Lines that start inside an open bracket, an open triple-quoted string or after a backslash:
 * their first character continues an expression, so a `%` there is the modulo operator, not a
 * magic (`print("%s"\n      % x)`). Lines that look like magics at statement level are skipped
 * by the scan, since their text is not Python (`!echo "it's"`).
 */
export function continuationLines(lines: readonly string[]): Set<number> {
  const continued = new Set<number>();
  let depth = 0;
  let triple: string | null = null;
  let backslash = false;
  // A magic or shell line ending in a backslash goes on on the next line, which is not Python either.
  let magicGoesOn = false;
  lines.forEach((line, index) => {
    if (magicGoesOn) {
      magicGoesOn = line.trimEnd().endsWith('\\');
      return;
    }
    const open = depth > 0 || triple !== null || backslash;
    if (open) continued.add(index);
    backslash = false;
    const trimmed = line.trimStart();
    if (!open && (trimmed.startsWith('%') || trimmed.startsWith('!'))) {
      magicGoesOn = line.trimEnd().endsWith('\\');
      return;
    }
    let i = 0;
    while (i < line.length) {
      const c = line[i]!;
      if (triple !== null) {
        if (c === '\\') i += 2;
        else if (line.startsWith(triple, i)) {
          i += 3;
          triple = null;
        } else i++;
        continue;
      }
      if (c === '#') break;
      if (c === '"' || c === "'") {
        if (line[i + 1] === c && line[i + 2] === c) {
          triple = c.repeat(3);
          i += 3;
          continue;
        }
        i++;
        while (i < line.length && line[i] !== c) i += line[i] === '\\' ? 2 : 1;
        i++;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      else if (c === '\\' && i === line.length - 1) backslash = true;
      i++;
    }
  });
  return continued;
}
