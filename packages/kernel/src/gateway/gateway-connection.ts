/** How to reach a Jupyter Kernel Gateway / Enterprise Gateway (any Jupyter Server kernels API). */
export interface GatewayConnection {
  /** Base URL, e.g. `https://gateway.example.org/gateway` or `http://127.0.0.1:8888`. */
  url: string;
  /** Sent as `Authorization: token <token>`. */
  token?: string;
  /** Extra headers on every request and on the websocket upgrade (proxies, other auth schemes). */
  headers?: Record<string, string>;
  tls?: GatewayTlsOptions;
  /** Per REST request (default 30 s: kernel starts on a cluster can be slow to be accepted). */
  requestTimeoutMs?: number;
}

export interface GatewayTlsOptions {
  /** PEM of the CA that signed the gateway's certificate (a private cluster CA). */
  ca?: string | Buffer;
  /** Client certificate and key, for gateways behind mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Default true; false accepts any certificate (never in production). */
  rejectUnauthorized?: boolean;
}

/** A flag or setting value that is not usable, said in one line. */
export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError';
  /** A usage error: commands exit with status 2, as for other bad flags. */
  readonly exitCode = 2;
}

/** `Name: value` → [name, value]; throws GatewayConfigError otherwise. */
export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new GatewayConfigError(`gateway header ${JSON.stringify(text)} is not "Name: value"`);
  return [name, text.slice(colon + 1).trim()];
}

/** The gateway's base URL, checked: http(s) only, no query or fragment, without a trailing slash. */
export function gatewayBaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GatewayConfigError(`gateway URL ${JSON.stringify(url)} is not a URL (expected e.g. http://127.0.0.1:8888)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new GatewayConfigError(`gateway URL ${url}: only http and https are supported`);
  if (parsed.search || parsed.hash) throw new GatewayConfigError(`gateway URL ${url}: no query or fragment (pass the token with --gateway-token)`);
  parsed.pathname = parsed.pathname.replace(/\/+$/, '');
  return parsed;
}

/** An endpoint under the gateway's base path (which may be a prefix such as /gateway). */
export function gatewayEndpoint(connection: GatewayConnection, path: string, protocol?: 'ws'): URL {
  const base = gatewayBaseUrl(connection.url);
  const url = new URL(base.toString());
  // A URL's path is never empty ("/" at least): drop the trailing slash before appending.
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  if (protocol === 'ws') url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}

/** Headers for every request: the token and the extra headers. */
export function gatewayHeaders(connection: GatewayConnection): Record<string, string> {
  return { ...(connection.token ? { Authorization: `token ${connection.token}` } : {}), ...connection.headers };
}

/** The token and password-like headers replaced, for messages and logs. */
export function redactedUrl(connection: GatewayConnection): string {
  const url = gatewayBaseUrl(connection.url);
  url.username = '';
  url.password = '';
  return url.toString().replace(/\/$/, '');
}
