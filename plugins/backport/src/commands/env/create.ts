import { readFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { openStore } from '@mle/core';
import { MleCommand } from '@mle/command';
import { EnvironmentBuilder, type EnvironmentOutcome } from '../../create-environment.js';
import { buildFlags, describeEnvironment, environmentOptionsFromFlags, splitList } from '../../environment-flags.js';
import { environmentUsage, type EnvironmentRecord, type EnvironmentUsage } from '../../environment-store.js';
import { createNotebookEnvironment } from '../../notebook-environment.js';

/** One create call's result as printed with --json (the lock text is left to `mle env show`). */
export interface EnvCreateItem {
  /** The notebook id or path for --for, else the mode. */
  target: string;
  status: 'ready' | 'failed' | 'skipped';
  action?: 'built' | 'reused' | 'failed';
  resolved?: boolean;
  cachedFailure?: boolean;
  seconds?: number;
  environment?: Omit<EnvironmentRecord, 'lock'>;
  kernelSpec?: { name: string; resourceDir: string; argv: string[] };
  /** Why a --for target was skipped before any environment work (no date, unreadable file). */
  error?: string;
}

export interface EnvCreateResult {
  items: EnvCreateItem[];
  /** Counts over the whole database after this run. */
  usage: EnvironmentUsage;
}

function itemOf(target: string, outcome: EnvironmentOutcome): EnvCreateItem {
  const { lock: _lock, ...environment } = outcome.environment;
  const item: EnvCreateItem = { target, status: outcome.status, action: outcome.action, resolved: outcome.resolved, seconds: Number(outcome.seconds.toFixed(3)), environment };
  if (outcome.status === 'ready') item.kernelSpec = { name: outcome.kernelSpec.name, resourceDir: outcome.kernelSpec.resourceDir, argv: outcome.kernelSpec.argv };
  else item.cachedFailure = outcome.cachedFailure;
  return item;
}

export default class EnvCreate extends MleCommand<typeof EnvCreate> {
  static override summary = 'Create (or reuse) a Python environment: contemporary, as of a date, for a notebook, or from a lock.';

  static override description = `Environments are made with uv from interpreters on this machine and cached by (interpreter,
resolved pins): asking again for the same pins reuses the environment and builds nothing.

  --contemporary            today's ML stack (numpy, pandas, scikit-learn, scipy, matplotlib, seaborn,
                            xgboost, lightgbm, statsmodels) plus --imports/--packages, as of --at (default today)
  --at DATE --imports a,b   a backported environment: Python by the date rule (newest minor released
                            before the date, minus one; else the nearest on this machine), packages
                            resolved with uv --exclude-newer DATE
  --for ID|PATH             a notebook's imports (imports table, or parsed from the .ipynb) as of its
                            date (notebooks.date, or metadata.mle.date; --at overrides). Repeatable;
                            a failure never stops the batch
  --from-lock FILE          install a recorded lock (<env>/mle-lock.txt) without resolving

Failures are recorded with a stable code and uv's message: no-interpreter, no-wheel, build-failed,
resolution-conflict, distribution-not-found, no-release-at-date, network, timeout, disk,
install-failed. The exit code is 1 when any environment failed.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --contemporary',
    '<%= config.bin %> <%= command.id %> --at 2023-03-01 --imports pandas,numpy,sklearn',
    '<%= config.bin %> <%= command.id %> --for 42 --for notebooks/titanic.ipynb --json',
    '<%= config.bin %> <%= command.id %> --from-lock ~/.cache/mle/envs/py3.10.13-8580877dcd087c79/mle-lock.txt --offline',
  ];

  static override flags = {
    contemporary: Flags.boolean({ summary: "Today's ML stack, pinned (as of --at when given).", default: false, exclusive: ['for', 'from-lock'] }),
    at: Flags.string({ summary: 'Date the packages are resolved as of (2023-03-01 or an ISO timestamp, UTC).' }),
    imports: Flags.string({ summary: 'Comma-separated imported modules, mapped to distributions (sklearn → scikit-learn).' }),
    packages: Flags.string({ summary: 'Comma-separated requirements added as they are (pandas<2, numpy).' }),
    stack: Flags.string({ summary: 'With --contemporary: comma-separated distributions replacing the default stack.' }),
    for: Flags.string({ summary: 'A notebook id in --db, or a .ipynb path (repeatable).', multiple: true, exclusive: ['from-lock'] }),
    'from-lock': Flags.string({ summary: 'Install this lock file without resolving.' }),
    ...buildFlags,
  };

  async run(): Promise<EnvCreateResult> {
    const flags = this.flags;
    const imports = splitList(flags.imports);
    const packages = splitList(flags.packages);
    if (!flags.contemporary && !flags.for && !flags['from-lock'] && !flags.at) {
      this.error('say what to build: --contemporary, --at DATE (with --imports/--packages), --for NOTEBOOK or --from-lock FILE', { exit: 2 });
    }
    const store = openStore(flags.db);
    const progress = this.progress('env');
    let done = 0;
    const builder = new EnvironmentBuilder(store, {
      ...environmentOptionsFromFlags(flags),
      signal: this.signal,
      onProgress: (event) => progress.update(done, `${event.phase}: ${event.message.slice(0, 80)}`),
    });
    const items: EnvCreateItem[] = [];
    try {
      if (flags['from-lock']) {
        const lock = readFileSync(flags['from-lock'], 'utf8');
        items.push(itemOf(flags['from-lock'], await builder.createFromLock(lock, flags.python ? { python: flags.python } : {})));
      } else if (flags.for) {
        for (const target of flags.for) {
          if (this.signal.aborted) break;
          const result = await createNotebookEnvironment(builder, store, target, {
            ...(flags.at ? { at: flags.at } : {}),
            imports,
            packages,
            ...(flags.python ? { python: flags.python } : {}),
          });
          items.push('skipped' in result ? { target, status: 'skipped', error: result.skipped } : itemOf(target, result.outcome));
          done++;
        }
      } else {
        const kind = flags.contemporary ? 'contemporary' : 'backport';
        const outcome = await builder.create({
          kind,
          ...(flags.at ? { at: flags.at } : {}),
          imports,
          packages,
          ...(flags.stack !== undefined ? { stack: splitList(flags.stack) } : {}),
          ...(flags.python ? { python: flags.python } : {}),
        });
        items.push(itemOf(kind, outcome));
      }
      progress.stop();
      const result: EnvCreateResult = { items, usage: environmentUsage(store) };
      if (!this.jsonEnabled()) {
        for (const item of items) {
          if (!item.environment) this.log(`${item.target}: skipped: ${item.error ?? ''}`);
          else this.log(`${item.target}: ${item.action} in ${item.seconds?.toFixed(1)} s: ${describeEnvironment(item.environment)}`);
        }
        this.log(`environments in ${flags.db}: ${result.usage.builds} built, ${result.usage.reuses} reused, ${result.usage.failures} failed`);
      }
      if (items.some((item) => item.status !== 'ready')) process.exitCode = 1;
      return result;
    } finally {
      progress.stop();
      store.close();
    }
  }
}
