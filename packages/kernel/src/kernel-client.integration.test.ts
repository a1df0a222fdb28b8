import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnectionInfo, writeConnectionFile } from './connection-file.js';
import { KernelClient } from './kernel-client.js';
import { launchPythonKernel } from './kernel-launcher.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentOf } from './jupyter-message.js';
import { KernelManager } from './kernel-manager.js';
import { findEnvironmentKernelSpec } from './kernelspecs.js';
import { NotebookExecutor } from './notebook-executor.js';
import { expectGroupGone, expectNothingLeft, notebookOf, PYTHON, streamTextOf, TOOLS_ENV } from './test-support/kernels.js';


// Whatever happened in the tests, nothing of a kernel may survive them.
afterAll(() => expectNothingLeft());

describe('KernelClient against ipykernel over ipc', () => {
  let km: KernelManager;
  beforeAll(async () => {
    km = await KernelManager.start({ kernel: { pythonPath: PYTHON } });
  });
  afterAll(async () => {
    await km?.shutdown({ mode: 'immediate' });
    if (km) await expectGroupGone(km.process.pid);
  });

  it('is ready only after a kernel_info reply and IOPub traffic, and records language_info', () => {
    expect(km.connection.transport).toBe('ipc');
    expect(km.client.iopubReceived).toBeGreaterThan(0);
    expect(km.client.kernelInfo?.protocol_version).toMatch(/^5\./);
    expect(km.client.kernelInfo?.implementation).toBe('ipython');
    expect(km.languageInfo?.name).toBe('python');
    expect(km.startupMs).toBeGreaterThan(0);
  });

  it('gets heartbeat echoes from a live kernel', async () => {
    expect(await km.client.heartbeat(2000)).toBe(true);
    expect(await km.client.heartbeat(2000)).toBe(true);
  });

  it('drops and counts IOPub messages signed with the wrong key, keeping genuine ones', async () => {
    // The kernel itself publishes a message signed with another key, parented to the running cell:
    // were it accepted, "FORGED" would appear in the cell's output.
    const forge = [
      'from jupyter_client.session import Session',
      'kernel = get_ipython().kernel',
      'parent = kernel.get_parent()',
      'Session(key=b"wrong-key").send(kernel.iopub_socket, "stream", {"name": "stdout", "text": "FORGED\\n"}, parent=parent)',
      'kernel.session.send(kernel.iopub_socket, "stream", {"name": "stdout", "text": "GENUINE\\n"}, parent=parent)',
    ].join('\n');
    const before = km.client.rejected['bad-signature'];
    const { result, notebook } = await new NotebookExecutor(null).execute(notebookOf([forge]), { kernel: km });
    expect(result.status).toBe('ok');
    expect(streamTextOf(notebook.cells[0])).toBe('GENUINE\n');
    expect(km.client.rejected['bad-signature']).toBe(before + 1);
    expect(result.rejectedMessages['bad-signature']).toBe(before + 1);
  });

  it('routes replies by parent msg_id when requests overlap', async () => {
    const [first, second] = await Promise.all([
      km.client.request('shell', 'kernel_info_request', {}, 5000),
      km.client.request('shell', 'kernel_info_request', {}, 5000),
    ]);
    expect(first.parent_header.msg_id).not.toBe(second.parent_header.msg_id);
    expect(contentOf(first, 'kernel_info_reply').status).toBe('ok');
  });

  it('interrupts by interrupt_request on control', async () => {
    // Interrupt only once the code runs (execute_input seen): earlier, there is nothing to interrupt.
    let running!: () => void;
    const started = new Promise<void>((resolve) => (running = resolve));
    const handle = km.client.execute('import time\ntime.sleep(30)', { stopOnError: true }, { iopub: (message) => message.header.msg_type === 'execute_input' && running() });
    await started;
    const interruptReply = await km.client.interrupt(5000);
    expect(interruptReply.header.msg_type).toBe('interrupt_reply');
    const reply = await handle.reply;
    handle.dispose();
    expect(contentOf(reply, 'execute_reply')).toMatchObject({ status: 'error', ename: 'KeyboardInterrupt' });
  });
});

describe('the low-level pieces composed by hand', () => {
  it('connection file → launchPythonKernel → KernelClient → execute → shutdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mle-low-'));
    const connection = await createConnectionInfo({ transport: 'ipc', dir });
    const connectionFile = join(dir, 'kernel.json');
    await writeConnectionFile(connectionFile, connection);
    const kernel = await launchPythonKernel(PYTHON, { connectionFile, env: { PATH: '/usr/bin:/bin', HOME: dir } });
    const client = new KernelClient(connection);
    try {
      client.connect();
      const info = await client.waitForReady({ timeoutMs: 60_000, process: kernel });
      expect(info.language_info.name).toBe('python');
      const seen: string[] = [];
      const handle = client.execute('print(40 + 2)', { stopOnError: true }, { iopub: (message) => seen.push(message.header.msg_type) });
      const reply = await handle.reply;
      expect(contentOf(reply, 'execute_reply')).toMatchObject({ status: 'ok', execution_count: 1 });
      // Busy and idle both arrive, the idle possibly after the reply.
      const deadline = Date.now() + 5000;
      while (seen.filter((type) => type === 'status').length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(seen.at(-1)).toBe('status');
      expect(seen).toEqual(expect.arrayContaining(['status', 'execute_input', 'stream']));
      handle.dispose();
      await client.shutdown(5000);
      expect(await kernel.waitForExit(5000)).toBe(true);
    } finally {
      client.close();
      await kernel.kill();
      rmSync(dir, { recursive: true, force: true });
    }
    await expectGroupGone(kernel.pid);
  });
});

describe('KernelManager lifecycle', () => {
  it('starts a kernelspec over tcp and shuts it down gracefully on control', async () => {
    const spec = findEnvironmentKernelSpec(TOOLS_ENV);
    expect(spec).not.toBeNull();
    const km = await KernelManager.start({ kernel: { spec: spec! }, transport: 'tcp' });
    expect(km.connection.transport).toBe('tcp');
    const { result } = await new NotebookExecutor(null).execute(notebookOf(['print(6 * 7)']), { kernel: km });
    expect(result.status).toBe('ok');
    const exit = await km.shutdown({ mode: 'graceful', graceMs: 5000 });
    // The kernel left on its own after shutdown_request: no signal was needed.
    expect(exit).toEqual({ code: 0, signal: null });
    await expectGroupGone(km.process.pid);
  });

  it('writes its connection file with mode 0600 and removes it afterwards', async () => {
    const km = await KernelManager.start({ kernel: { pythonPath: PYTHON }, heartbeatIntervalMs: 0 });
    const file = join(km.connection.ip, '..', 'connection.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await km.shutdown({ mode: 'immediate' });
    expect(() => statSync(file)).toThrow();
    await expectGroupGone(km.process.pid);
  });

  it('declares a kernel dead when it stops answering its heartbeat', async () => {
    const km = await KernelManager.start({ kernel: { pythonPath: PYTHON }, heartbeatIntervalMs: 200, heartbeatMissesAllowed: 2 });
    try {
      // SIGSTOP freezes the kernel (and its heartbeat thread) without ending the process.
      km.process.signalGroup('SIGSTOP');
      const death = await km.died;
      expect(death.reason).toBe('heartbeat');
      expect(km.isAlive()).toBe(false);
      expect(km.process.isAlive()).toBe(true);
    } finally {
      km.process.signalGroup('SIGCONT');
      await km.shutdown({ mode: 'immediate' });
    }
    await expectGroupGone(km.process.pid);
  });
});
