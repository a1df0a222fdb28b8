/**
 * Sanitizers for notebook text outputs: what differs between two runs of the same code without the
 * code's behaviour having changed (memory addresses, timestamps, durations, progress bars, paths,
 * library versions, float noise, pandas footers), so that outputs can be compared as the author
 * read them.
 */

const ADDRESS = /\b0x[0-9a-fA-F]{6,}\b/;
const TIMESTAMP = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?|\b\d{1,2}:\d{2}:\d{2}\b|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/;
const DURATION = /\b\d+(?:\.\d+)? ?(?:ms|µs|us|ns|s|sec|secs|seconds|min|minutes)\b(?!\w)|\bWall time\b|\bCPU times\b|\bElapsed\b/i;
const PROGRESS = /\r|\d+%\|[^\n]*\||\b\d+(?:\.\d+)? ?(?:it|s)\/(?:s|it)\b|━━|\[=+>?\.*\]/;
const PATH = /(?:^|[\s'"(=])(?:\/(?:tmp|home|root|usr|opt|kaggle|var|mnt|content|private)\/[^\s'":,)]*|[A-Z]:\\[^\s'"]+)/;
const VERSION = /\b\d+\.\d+\.\d+(?:[.+-]?[a-z]+\d*)?\b/;
/** `<Figure size 640x480 with 1 Axes>`, `<matplotlib.axes._subplots.AxesSubplot at 0x7f…>`, `<Axes: title=…>`. */
const ANGLE_REPR = /^<[\w.]+(?:[ :][\s\S]*)?>$/;
/** `XGBRegressor(base_score=None, …)`, `Pipeline(steps=[…])`, `LinearRegression()`: an object's constructor repr. */
const CONSTRUCTOR_REPR = /^[A-Z][\w.]*\([\s\S]*\)$/;
const VALUE_CONSTRUCTORS = /^(?:Index|RangeIndex|Int64Index|Float64Index|MultiIndex|Timestamp|Timedelta|Decimal|Fraction)\(/;

/** Why a stored output cannot be expected to come back identical, or null when it can. */
export function unstableTextReason(text: string): string | null {
  if (ADDRESS.test(text)) return 'memory address';
  if (PROGRESS.test(text)) return 'progress bar';
  if (TIMESTAMP.test(text)) return 'timestamp';
  if (DURATION.test(text)) return 'duration';
  if (PATH.test(text)) return 'file path';
  if (VERSION.test(text)) return 'library version';
  return null;
}

/** Whether the text is an object's repr (a figure, an estimator) rather than a value. */
export function isObjectRepr(text: string): boolean {
  const t = text.trim();
  if (ANGLE_REPR.test(t)) return true;
  return CONSTRUCTOR_REPR.test(t) && !VALUE_CONSTRUCTORS.test(t) && !t.startsWith('array(');
}

/** Names in an expression that say its value describes the machine or the moment, not the computation. */
const UNSTABLE_EXPRESSION = /\b(?:time|perf_counter|monotonic|datetime|date|now|today|timedelta|__version__|version|sys\.version|platform|device|get_device_name|cuda|gpu|getpid|getcwd|memory_usage|memory|psutil|id(?=\s*\()|hex(?=\s*\()|uuid|hostname|environ|tempfile|mkdtemp)\b/;

/** Why an expression's value is not stable across runs (time, versions, devices, addresses), or null. */
export function unstableExpressionReason(expression: string): string | null {
  // Names inside string literals (`columns='id'`) are data, not calls.
  const m = UNSTABLE_EXPRESSION.exec(expression.replace(/(['"])(?:\\.|(?!\1).)*\1/g, "''"));
  return m ? `depends on ${m[0]}` : null;
}

/** Round numbers written with more than `digits` significant digits, so float noise compares equal. */
function roundNumbers(line: string, digits: number): string {
  return line.replace(/[-+]?\d+\.\d+(?:[eE][-+]?\d+)?/g, (text) => {
    const significant = text.replace(/[-+.]|[eE].*$/g, '').replace(/^0+/, '').length;
    if (significant <= digits) return text;
    const value = Number(text);
    return Number.isFinite(value) ? String(Number(value.toPrecision(digits))) : text;
  });
}

export interface NormalizeOptions {
  /** Significant digits numbers are rounded to (float noise); default 6. */
  significantDigits?: number;
}

/**
 * The text with everything a re-run may legitimately change masked: progress-bar redraws collapse
 * to their final state, addresses, timestamps, durations, paths and versions become placeholders,
 * pandas `Name:/dtype:` footers and value_counts' index-name header go, long floats are rounded,
 * and runs of spaces collapse.
 */
export function normalizeOutputText(text: string, options: NormalizeOptions = {}): string {
  const digits = options.significantDigits ?? 6;
  const raw = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1));
  // pandas ≥ 2 prints a Series' index name on a line of its own above the rows (value_counts):
  // drop a lone word right above `key  value` rows that end in a Name/dtype footer.
  const footer = /^(?:Name: .*, )?(?:Length: \d+, )?dtype: \S+$/;
  for (let i = 0; i < raw.length; i++) {
    if (!footer.test(raw[i]!.trim())) continue;
    let j = i - 1;
    while (j >= 0 && /^\S.*\s{2,}\S+$/.test(raw[j]!)) j--;
    if (j >= 0 && j < i - 1 && /^\S+$/.test(raw[j]!.trim())) raw[j] = '\u0000';
  }
  const lines = raw
    .filter((line) => line !== '\u0000')
    .filter((line) => !/\d+%\|/.test(line) && !/\b\d+(?:\.\d+)?\s?(?:it|s)\/(?:s|it)\b/.test(line))
    .filter((line) => !/^(?:Name: .*, )?(?:Length: \d+, )?dtype: \S+$/.test(line.trim()) && !/^Name: [^,]*$/.test(line.trim()))
    .map((line) =>
      roundNumbers(
        line
          .replace(new RegExp(ADDRESS.source, 'g'), '0x…')
          .replace(new RegExp(TIMESTAMP.source, 'g'), '<time>')
          .replace(new RegExp(DURATION.source, 'gi'), '<duration>')
          .replace(new RegExp(PATH.source, 'g'), (m) => `${/^[\s'"(=]/.test(m) ? m[0] : ''}<path>`)
          .replace(new RegExp(VERSION.source, 'g'), '<version>')
          .replace(/np\.(?:float|int|uint)\d*\(([^()]*)\)/g, '$1'),
        digits,
      )
        .replace(/[ \t]+/g, ' ')
        .trim(),
    );
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();
  return lines.join('\n');
}
