/**
 * Meta Kaggle writes dates as `MM/DD/YYYY` or `MM/DD/YYYY HH:MM:SS` (some dumps use ISO-like
 * `YYYY-MM-DD[ HH:MM:SS]`), with no zone: they are read as UTC. Returns ISO 8601 UTC, or
 * `null` for an empty or unreadable value.
 */
export function parseKaggleDate(text: string | undefined): string | null {
  const value = text?.trim();
  if (!value) return null;
  let parts: RegExpMatchArray | null = value.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/);
  let year: number, month: number, day: number;
  let time: (string | undefined)[];
  if (parts) {
    [month, day, year] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
    time = parts.slice(4);
  } else {
    parts = value.match(/^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]00:?00)?$/);
    if (!parts) return null;
    [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
    time = parts.slice(4, 8);
  }
  const [hours = 0, minutes = 0, seconds = 0] = time.slice(0, 3).map((t) => (t === undefined ? 0 : Number(t)));
  const millis = time[3] === undefined ? 0 : Math.round(Number(`0.${time[3]}`) * 1000);
  const ms = Date.UTC(year, month - 1, day, hours, minutes, seconds, millis);
  const date = new Date(ms);
  // Reject values Date.UTC silently rolls over (02/30, 25:00).
  if (Number.isNaN(ms) || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hours > 23 || minutes > 59 || seconds > 59) return null;
  return date.toISOString();
}

/** A numeric cell: `null` when empty or not a number. */
export function parseNumber(text: string | undefined): number | null {
  const value = text?.trim();
  if (!value) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** An id cell: `null` unless a non-negative integer (`SourceKernelVersionId` is often empty; pandas dumps write `123.0`). */
export function parseId(text: string | undefined): number | null {
  const number = parseNumber(text);
  return number !== null && Number.isSafeInteger(number) && number >= 0 ? number : null;
}

/** `True`/`False` as written by Meta Kaggle (and 1/0); `null` when empty. */
export function parseBool(text: string | undefined): boolean | null {
  const value = text?.trim().toLowerCase();
  if (!value) return null;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return null;
}
