import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitCommandError, gitEnv, NEUTRAL_CONFIG } from './git-process.js';

interface Pending {
  id: string;
  resolve: (content: Buffer) => void;
  reject: (error: Error) => void;
}

/**
 * One `git cat-file --batch` process and the reads it owes. Git answers requests in the order
 * they were written, so answers are matched to a FIFO queue as they stream back.
 */
class CatFileBatch {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  /** Bytes received and not yet consumed. */
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** The answer whose content is being received, once its header has been read. */
  private body: { size: number; refusal?: string } | undefined;
  private stderr = '';

  constructor(private readonly gitDir: string) {
    this.child = spawn('git', [...NEUTRAL_CONFIG, '--git-dir', gitDir, 'cat-file', '--batch'], { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => {
      if (this.stderr.length < 4096) this.stderr += text;
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.on('error', (error) => this.fail((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git not found on PATH' : error.message));
    this.child.on('close', (code) => this.fail(`git cat-file exited with ${code}${this.stderr ? `: ${this.stderr.trim().split('\n')[0]}` : ''}`));
    // A write after git died must not crash the process: the close handler rejects instead.
    this.child.stdin.on('error', () => undefined);
  }

  read(id: string): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ id, resolve, reject });
      this.child.stdin.write(`${id}\n`);
    });
  }

  /** No more requests: git answers what it was asked, then exits. */
  end(): void {
    this.child.stdin.end();
  }

  private fail(reason: string): void {
    for (const request of this.queue.splice(0)) request.reject(new GitCommandError(reason));
  }

  private take(size: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const rest = all.subarray(size);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return all.subarray(0, size);
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (!this.body) {
        // Header line: `<id> <type> <size>`, or `<id> missing` / `<id> ambiguous`.
        if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
        const newline = this.chunks[0]?.indexOf(10) ?? -1;
        if (newline === -1) return;
        const [id = '', type = '', size = ''] = this.take(newline + 1).toString('utf8').trim().split(' ');
        if (type === 'missing' || type === 'ambiguous') {
          this.queue.shift()?.reject(new GitCommandError(`object ${id} is ${type} in ${this.gitDir}`));
          continue;
        }
        this.body = { size: Number(size), ...(type === 'blob' ? {} : { refusal: `object ${id} is a ${type}, not a file` }) };
      }
      // Content plus git's trailing newline. Until it is all here, chunks are only collected.
      if (this.buffered < this.body.size + 1) return;
      const content = Buffer.from(this.take(this.body.size + 1).subarray(0, this.body.size));
      const request = this.queue.shift();
      if (this.body.refusal) request?.reject(new GitCommandError(this.body.refusal));
      else request?.resolve(content);
      this.body = undefined;
    }
  }
}

/**
 * Reads blobs through one long-lived `git cat-file --batch` process instead of one process per
 * file. `close()` lets the process finish the reads already asked for and exit.
 */
export class GitBlobReader {
  private batch: CatFileBatch | undefined;
  private closed = false;

  constructor(private readonly gitDir: string) {}

  /** The content of a blob; rejects with a one-line reason when git does not have it. */
  read(id: string): Promise<Buffer> {
    if (this.closed) {
      // A straggler after close gets a process of its own that exits once it has answered.
      const once = new CatFileBatch(this.gitDir);
      const content = once.read(id);
      once.end();
      return content;
    }
    this.batch ??= new CatFileBatch(this.gitDir);
    return this.batch.read(id);
  }

  close(): void {
    this.closed = true;
    this.batch?.end();
    this.batch = undefined;
  }
}
