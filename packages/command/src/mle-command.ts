import { Command, Flags, type Interfaces } from '@oclif/core';
import { DEFAULT_DB_PATH } from '@mle/core';
import { Progress } from './progress.js';

export type MleFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof MleCommand)['baseFlags'] & T['flags']>;
export type MleArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/**
 * Base of every mle command: `--db` and `--json` everywhere, one-line errors, progress bars
 * that stay silent when output is not a terminal or is JSON, and an AbortSignal raised by
 * Ctrl-C so that long work stops at a clean point and can be resumed.
 */
export abstract class MleCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    db: Flags.string({
      summary: 'SQLite database to read and write.',
      default: DEFAULT_DB_PATH,
      env: 'MLE_DB',
      helpGroup: 'GLOBAL',
    }),
  };

  protected flags!: MleFlags<T>;
  protected args!: MleArgs<T>;
  /** Every positional argument, for commands that take a list (`static strict = false`). */
  protected positionals: string[] = [];
  private readonly abortController = new AbortController();
  private readonly onSigint = () => {
    if (this.abortController.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping at the next safe point (Ctrl-C again to quit now); re-run the same command to resume\n');
    this.abortController.abort();
  };

  /** Aborted on the first Ctrl-C or SIGTERM. */
  protected get signal(): AbortSignal {
    return this.abortController.signal;
  }

  public override async init(): Promise<void> {
    await super.init();
    const { args, argv, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof MleCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as MleFlags<T>;
    this.args = args as MleArgs<T>;
    this.positionals = argv.map(String);
    process.on('SIGINT', this.onSigint);
    process.on('SIGTERM', this.onSigint);
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    process.off('SIGINT', this.onSigint);
    process.off('SIGTERM', this.onSigint);
    return super.finally(error);
  }

  /** A progress bar on stderr; a no-op unless stderr is a terminal and --json is off. */
  protected progress(label: string, total?: number): Progress {
    return new Progress(label, total, { enabled: Boolean(process.stderr.isTTY) && !this.jsonEnabled() && !process.env.CI });
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // oclif's own errors (bad flags, exit) already carry their formatting.
    if (error.oclif) return super.catch(error);
    const message = oneLine(error.message) || String(error);
    if (this.jsonEnabled()) {
      this.logJson({ error: { name: error.name, message } });
      return this.exit(error.exitCode ?? 1);
    }
    if (process.env.MLE_DEBUG) process.stderr.write(`${error.stack ?? ''}\n`);
    return this.error(message, { exit: error.exitCode ?? 1 });
  }
}

/**
 * The first line of an error message, with the indented lines that continue it (oclif's flag
 * parsing puts the reason on an indented second line: "Parsing --tolerance\n\tabc is not ...").
 */
export function oneLine(message: string): string {
  const [first = '', ...rest] = message.split('\n');
  const continued = [];
  for (const line of rest) {
    if (!/^\s/.test(line) || line.trim() === '') break;
    continued.push(line.trim());
  }
  return [first.trim(), ...continued].join(' ');
}
