import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { gatewayEndpoint, gatewayHeaders, redactedUrl, type GatewayConnection } from './gateway-connection.js';

/** A kernel as the Jupyter Server kernels API describes it. */
export interface GatewayKernelModel {
  id: string;
  name: string;
  execution_state?: string;
  last_activity?: string;
  connections?: number;
  reason?: string;
}

export interface GatewayKernelSpecs {
  default: string;
  kernelspecs: Record<string, { name: string; spec: { language?: string; display_name?: string; argv?: string[]; env?: Record<string, string> } }>;
}

/** The gateway answered with an HTTP error or could not be reached. */
export class GatewayError extends Error {
  override name = 'GatewayError';
  constructor(
    message: string,
    /** HTTP status; null when no answer came. */
    readonly status: number | null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The server's own one-line reason from a JSON error body (`{"message": ..., "reason": ...}`). */
function reasonOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; reason?: unknown };
    const text = [parsed.reason, parsed.message].filter((part) => typeof part === 'string' && part).join(': ');
    if (text) return text.split('\n')[0]!.slice(0, 300);
  } catch {
    // Not JSON: a proxy's HTML page, say.
  }
  return body.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/**
 * The REST half of a gateway: kernelspecs, and starting, inspecting, interrupting, restarting and
 * deleting kernels (`/api/kernelspecs`, `/api/kernels[/{id}[/interrupt|/restart]]`).
 */
export class GatewayRestClient {
  readonly connection: GatewayConnection;

  constructor(connection: GatewayConnection) {
    this.connection = connection;
    gatewayEndpoint(connection, '/api');
  }

  async kernelSpecs(): Promise<GatewayKernelSpecs> {
    return (await this.#json<GatewayKernelSpecs>('GET', '/api/kernelspecs', undefined, [200]))!;
  }

  /** POST /api/kernels. `env` reaches the kernel only for names the gateway allows (KERNEL_*, its whitelist). */
  async startKernel(name: string | undefined, options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<GatewayKernelModel> {
    const body = { ...(name ? { name } : {}), ...(options.env ? { env: options.env } : {}) };
    try {
      return (await this.#json<GatewayKernelModel>('POST', '/api/kernels', body, [200, 201], options.timeoutMs))!;
    } catch (error) {
      // Gateways answer an unknown kernelspec with a bare 500: say which names exist instead.
      if (!name || !(error instanceof GatewayError) || error.status === null || error.status < 400) throw error;
      const specs = await this.kernelSpecs().catch(() => null);
      if (!specs || name in specs.kernelspecs) throw error;
      const known = Object.keys(specs.kernelspecs).sort().join(', ') || 'none';
      throw new GatewayError(`no kernelspec ${JSON.stringify(name)} on ${redactedUrl(this.connection)} (it has: ${known}); check --gateway-kernel`, error.status, { cause: error });
    }
  }

  /** The kernel's model, or null when the gateway does not know it (deleted, culled). */
  async getKernel(id: string, timeoutMs?: number): Promise<GatewayKernelModel | null> {
    return this.#json<GatewayKernelModel>('GET', `/api/kernels/${encodeURIComponent(id)}`, undefined, [200], timeoutMs, true);
  }

  async listKernels(): Promise<GatewayKernelModel[]> {
    return (await this.#json<GatewayKernelModel[]>('GET', '/api/kernels', undefined, [200]))!;
  }

  /** DELETE; true when it was deleted, false when it was already gone. */
  async deleteKernel(id: string, timeoutMs?: number): Promise<boolean> {
    const response = await this.#send('DELETE', `/api/kernels/${encodeURIComponent(id)}`, undefined, timeoutMs);
    if (response.status === 404) return false;
    this.#check(response, [200, 202, 204], 'DELETE', '/api/kernels/…');
    return true;
  }

  async interruptKernel(id: string, timeoutMs?: number): Promise<void> {
    const response = await this.#send('POST', `/api/kernels/${encodeURIComponent(id)}/interrupt`, {}, timeoutMs);
    this.#check(response, [200, 204], 'POST', '/api/kernels/…/interrupt');
  }

  async restartKernel(id: string, timeoutMs?: number): Promise<GatewayKernelModel> {
    const response = await this.#send('POST', `/api/kernels/${encodeURIComponent(id)}/restart`, {}, timeoutMs);
    this.#check(response, [200], 'POST', '/api/kernels/…/restart');
    return JSON.parse(response.body) as GatewayKernelModel;
  }

  async #json<T>(method: string, path: string, body: unknown, ok: number[], timeoutMs?: number, nullOn404 = false): Promise<T | null> {
    const response = await this.#send(method, path, body, timeoutMs);
    if (nullOn404 && response.status === 404) return null;
    this.#check(response, ok, method, path);
    try {
      return JSON.parse(response.body) as T;
    } catch (error) {
      throw new GatewayError(`${method} ${path} on ${redactedUrl(this.connection)}: the answer is not JSON: ${reasonOf(response.body)}`, response.status, { cause: error });
    }
  }

  #check(response: { status: number; body: string }, ok: number[], method: string, path: string): void {
    if (ok.includes(response.status)) return;
    const hint = response.status === 401 || response.status === 403 ? ' (check --gateway-token / --gateway-header)' : '';
    throw new GatewayError(`${method} ${path} on ${redactedUrl(this.connection)}: HTTP ${response.status} ${reasonOf(response.body)}${hint}`, response.status);
  }

  #send(method: string, path: string, body: unknown, timeoutMs = this.connection.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS): Promise<{ status: number; body: string }> {
    const url = gatewayEndpoint(this.connection, path);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const tls = this.connection.tls ?? {};
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method,
          headers: { Accept: 'application/json', ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}), ...gatewayHeaders(this.connection) },
          ...(url.protocol === 'https:' ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.rejectUnauthorized ?? true } : {}),
          timeout: timeoutMs,
        },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', (error) => reject(new GatewayError(`${method} ${path} on ${redactedUrl(this.connection)}: ${error.message}`, null, { cause: error })));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error) => reject(new GatewayError(`${method} ${path} on ${redactedUrl(this.connection)}: ${error.message}`, null, { cause: error })));
      req.end(payload);
    });
  }
}
