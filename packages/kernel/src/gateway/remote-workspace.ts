import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { contentOf, type ReceivedMessage } from '../jupyter-message.js';
import type { ExecutorKernel } from '../notebook-executor.js';

/** Data a remote kernel needs under /kaggle/input/<slug>. */
export interface RemoteInput {
  slug: string;
  /** The data directory on this machine (uploaded when small). */
  path: string;
}

export interface RemoteWorkspaceOptions {
  inputs: RemoteInput[];
  /**
   * Where the inputs already are on the kernel's side (`<dataRoot>/<slug>`, e.g. a Kubernetes
   * volume); null uploads them through the kernel.
   */
  dataRoot: string | null;
  /** Largest total upload; more fails with a message naming the mount option. */
  uploadLimitBytes: number;
  /** Per execute_request while uploading. */
  chunkBytes?: number;
  /** Per step run on the kernel. */
  stepTimeoutMs?: number;
}

/** The workspace could not be set up on the kernel. */
export class RemoteWorkspaceError extends Error {
  override name = 'RemoteWorkspaceError';
}

const KAGGLE_INPUT = '/kaggle/input';
const KAGGLE_WORKING = '/kaggle/working';
const DEFAULT_CHUNK_BYTES = 512 * 1024;
const DEFAULT_STEP_TIMEOUT_MS = 60_000;
/** Workspace directories on the kernel's side: `<tmp>/mle-gateway-run-XXXX`. */
export const WORKSPACE_PREFIX = 'mle-gateway-run-';
/** In each workspace: the pid of the kernel that made it. */
const OWNER_FILE = '.mle-kernel-pid';

/** Python string literal (JSON's escapes are valid Python for the text used here). */
function py(value: string): string {
  return JSON.stringify(value);
}

async function filesUnder(dir: string): Promise<Array<{ path: string; bytes: number }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Array<{ path: string; bytes: number }> = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.push({ path, bytes: (await stat(path)).size });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Run `code` on the kernel outside the notebook's history (no execution count, no outputs
 * recorded) and return its stdout; throws RemoteWorkspaceError when it raises or times out.
 */
export async function runOnKernel(kernel: ExecutorKernel, code: string, timeoutMs = DEFAULT_STEP_TIMEOUT_MS): Promise<string> {
  let stdout = '';
  let markIdle!: () => void;
  const idle = new Promise<void>((resolve) => (markIdle = resolve));
  const handle = kernel.execute(code, { silent: false, storeHistory: false, allowStdin: false, stopOnError: false }, {
    iopub: (message: ReceivedMessage) => {
      if (message.header.msg_type === 'status' && contentOf(message, 'status').execution_state === 'idle') markIdle();
      if (message.header.msg_type !== 'stream') return;
      const content = contentOf(message, 'stream');
      if (content.name === 'stdout') stdout += content.text ?? '';
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const outcome = await Promise.race([
      handle.reply.then((reply) => ({ kind: 'reply' as const, reply })),
      kernel.died.then(() => ({ kind: 'died' as const })),
      new Promise<{ kind: 'timeout' }>((resolve) => (timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs))),
    ]);
    if (outcome.kind === 'died') throw new RemoteWorkspaceError('the kernel died while the workspace was being set up');
    if (outcome.kind === 'timeout') throw new RemoteWorkspaceError(`a workspace step took longer than ${timeoutMs} ms`);
    const content = contentOf(outcome.reply, 'execute_reply');
    if (content.status !== 'ok') throw new RemoteWorkspaceError(`a workspace step failed on the kernel: ${content.ename ?? 'error'}: ${content.evalue ?? ''}`);
    // The reply can overtake the last stream message (another channel): the idle status closes the step.
    await Promise.race([idle, kernel.died, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    return stdout;
  } finally {
    clearTimeout(timer);
    handle.dispose();
  }
}

/**
 * A private directory on the kernel's side laid out as Kaggle's: `<root>/working` is the working
 * directory and `<root>/input/<slug>` holds each input (uploaded, or a symlink to
 * `<dataRoot>/<slug>`). An IPython input transformer maps the notebook's `/kaggle/input` and
 * `/kaggle/working` paths there, so notebooks run unchanged on kernels without Kaggle's mounts;
 * relative `../input/<slug>` works by the layout itself. Private per run, because kernels on one
 * gateway share its file system and every notebook writes `submission.csv`.
 */
export class RemoteWorkspace {
  private constructor(
    readonly kernel: ExecutorKernel,
    /** The workspace root on the kernel's side. */
    readonly root: string,
    /** Bytes uploaded. */
    readonly uploadedBytes: number,
  ) {}

  get workingDir(): string {
    return `${this.root}/working`;
  }

  static async create(kernel: ExecutorKernel, options: RemoteWorkspaceOptions): Promise<RemoteWorkspace> {
    const stepMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    const uploads = options.dataRoot === null ? await Promise.all(options.inputs.map(async (input) => ({ input, files: await filesUnder(input.path) }))) : [];
    const total = uploads.reduce((sum, { files }) => sum + files.reduce((bytes, file) => bytes + file.bytes, 0), 0);
    if (total > options.uploadLimitBytes) {
      const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
      throw new RemoteWorkspaceError(`the data to upload (${mb(total)}) is above the upload limit (${mb(options.uploadLimitBytes)}): put it on the kernels' side and pass --gateway-data-root`);
    }
    const links = options.dataRoot === null ? [] : options.inputs.map((input) => input.slug);
    const setup = [
      'def _mle_workspace():',
      '    import atexit, glob, os, shutil, tempfile',
      // Workspaces of kernels that died without cleaning up (killed, os._exit) go when the next
      // run starts on that machine: only ours (the marker file), only when their kernel is gone.
      `    for old in glob.glob(os.path.join(tempfile.gettempdir(), ${py(`${WORKSPACE_PREFIX}*`)}, ${py(OWNER_FILE)})):`,
      '        try:',
      '            os.kill(int(open(old).read()), 0)',
      '        except ProcessLookupError:',
      '            shutil.rmtree(os.path.dirname(old), ignore_errors=True)',
      '        except (OSError, ValueError):',
      '            pass',
      `    root = tempfile.mkdtemp(prefix=${py(WORKSPACE_PREFIX)})`,
      `    with open(os.path.join(root, ${py(OWNER_FILE)}), "w") as f:`,
      '        f.write(str(os.getpid()))',
      '    atexit.register(shutil.rmtree, root, True)',
      '    os.makedirs(os.path.join(root, "working"))',
      '    os.makedirs(os.path.join(root, "input"))',
      ...links.map((slug) => `    os.symlink(os.path.join(${py(options.dataRoot ?? '')}, ${py(slug)}), os.path.join(root, "input", ${py(slug)}))`),
      '    os.chdir(os.path.join(root, "working"))',
      `    mapping = [(${py(KAGGLE_INPUT)}, os.path.join(root, "input")), (${py(KAGGLE_WORKING)}, os.path.join(root, "working"))]`,
      '    def _mle_kaggle_paths(lines):',
      '        out = []',
      '        for line in lines:',
      '            for old, new in mapping:',
      '                line = line.replace(old, new)',
      '            out.append(line)',
      '        return out',
      '    get_ipython().input_transformers_post.append(_mle_kaggle_paths)',
      '    print(root, end="")',
      'try:',
      '    _mle_workspace()',
      'finally:',
      '    del _mle_workspace',
    ].join('\n');
    const root = (await runOnKernel(kernel, setup, stepMs)).trim();
    if (!root.startsWith('/')) throw new RemoteWorkspaceError(`the kernel did not report its workspace (got ${JSON.stringify(root.slice(0, 100))})`);
    const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    for (const { input, files } of uploads) {
      for (const file of files) {
        const target = [root, 'input', input.slug, ...relative(input.path, file.path).split(sep)].join('/');
        const data = await readFile(file.path);
        const head = `import os as _mle_os\n_mle_os.makedirs(_mle_os.path.dirname(${py(target)}), exist_ok=True)\nopen(${py(target)}, "wb").close()\ndel _mle_os`;
        await runOnKernel(kernel, head, stepMs);
        for (let offset = 0; offset < data.length; offset += chunkBytes) {
          const chunk = data.subarray(offset, offset + chunkBytes).toString('base64');
          await runOnKernel(kernel, `import base64 as _mle_b64\nwith open(${py(target)}, "ab") as _mle_f:\n    _mle_f.write(_mle_b64.b64decode("${chunk}"))\ndel _mle_b64, _mle_f`, stepMs);
        }
      }
    }
    return new RemoteWorkspace(kernel, root, total);
  }

  /**
   * Copy `name` from the working directory to `destination`; false when the notebook did not
   * write it. Large files cross in one stdout stream: a submission is small.
   */
  async fetch(name: string, destination: string, timeoutMs = DEFAULT_STEP_TIMEOUT_MS): Promise<boolean> {
    const path = `${this.workingDir}/${name}`;
    const code = [
      'def _mle_fetch():',
      '    import base64, os',
      `    path = ${py(path)}`,
      '    if not os.path.isfile(path):',
      '        print("-", end="")',
      '        return',
      '    with open(path, "rb") as f:',
      '        print("+" + base64.b64encode(f.read()).decode("ascii"), end="")',
      'try:',
      '    _mle_fetch()',
      'finally:',
      '    del _mle_fetch',
    ].join('\n');
    const answer = (await runOnKernel(this.kernel, code, timeoutMs)).trim();
    if (!answer.startsWith('+')) return false;
    await mkdir(dirname(destination), { recursive: true });
    await writeFile(destination, Buffer.from(answer.slice(1), 'base64'));
    return true;
  }

  /** Remove the workspace on the kernel's side. */
  async remove(timeoutMs = 10_000): Promise<void> {
    await runOnKernel(this.kernel, `import shutil as _mle_shutil\n_mle_shutil.rmtree(${py(this.root)}, ignore_errors=True)\ndel _mle_shutil`, timeoutMs);
  }
}
