import { existsSync, readFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayConfigError, gatewayBaseUrl, parseHeader } from '@mle/kernel';
import type { GatewayTarget } from './resolve-kernel.js';

/** The bundled competitions of this repository (datasets/competitions), used when --competitions is absent. */
export function defaultCompetitionsDir(): string {
  const local = resolve('datasets', 'competitions');
  if (existsSync(local)) return local;
  // plugins/execute/{src,dist} → repository root.
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'datasets', 'competitions');
}

/** `8G`, `512M`, `1073741824` → bytes. */
export function parseBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)[bB]?$/.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text} (use e.g. 8G, 512M)`);
  const power = { '': 0, k: 1, m: 2, g: 3, t: 4 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(match[1]) * 1024 ** power);
}

/** The `--gateway*` flags as a command parsed them. */
export interface GatewayFlagValues {
  gateway?: string | undefined;
  'gateway-token'?: string | undefined;
  'gateway-header'?: string[] | undefined;
  'gateway-kernel'?: string | undefined;
  'gateway-data-root'?: string | undefined;
  'gateway-upload-limit'?: string | undefined;
  'gateway-ca'?: string | undefined;
}

export const DEFAULT_GATEWAY_UPLOAD_LIMIT = '8M';

/** The `--gateway*` flags, the same on `mle run`, `mle backport` and `mle modernize`. */
export const gatewayFlags = {
  gateway: Flags.string({ summary: 'Run kernels on this Jupyter Kernel Gateway / Enterprise Gateway (http[s]://host:port[/base]) instead of locally; results stay in the local database.', helpGroup: 'GATEWAY' }),
  'gateway-token': Flags.string({ summary: 'Token for the gateway (sent as "Authorization: token T").', env: 'MLE_GATEWAY_TOKEN', helpGroup: 'GATEWAY' }),
  'gateway-header': Flags.string({ summary: 'Extra header for every gateway request, "Name: value" (repeatable).', multiple: true, helpGroup: 'GATEWAY' }),
  'gateway-kernel': Flags.string({ summary: "Kernelspec on the gateway (default: its default kernelspec); {env} stands for the run's environment id.", helpGroup: 'GATEWAY' }),
  'gateway-data-root': Flags.string({ summary: "Where the competitions' data is on the kernels' side (<root>/<slug>, e.g. a mounted volume); without it, data is uploaded per run.", helpGroup: 'GATEWAY' }),
  'gateway-upload-limit': Flags.string({ summary: 'Largest competition data uploaded through the kernel per run, e.g. 8M; larger needs --gateway-data-root.', default: DEFAULT_GATEWAY_UPLOAD_LIMIT, helpGroup: 'GATEWAY' }),
  'gateway-ca': Flags.file({ summary: "PEM file of the CA that signed the gateway's TLS certificate.", exists: true, helpGroup: 'GATEWAY' }),
};

/** `--tolerance`: parsed and checked once for every command that grades runs. */
export const toleranceFlag = Flags.custom<number>({
  summary: 'Relative error within which a score reproduces.',
  default: 0.1,
  parse: async (input) => {
    const tolerance = Number(input);
    if (input.trim() === '' || !Number.isFinite(tolerance) || tolerance < 0) throw new Error(`${input} is not a non-negative number (0.1 means within 10% of the reported score)`);
    return tolerance;
  },
});

/** The gateway to run on, or null without --gateway; throws a one-line error for unusable values. */
export function gatewayTargetFromFlags(flags: GatewayFlagValues, env: NodeJS.ProcessEnv = process.env): GatewayTarget | null {
  const url = flags.gateway;
  if (!url) {
    const stray = (['gateway-header', 'gateway-kernel', 'gateway-data-root', 'gateway-ca'] as const).find((name) => flags[name] !== undefined && (!Array.isArray(flags[name]) || flags[name].length > 0));
    if (stray) throw new GatewayConfigError(`--${stray} needs --gateway URL`);
    return null;
  }
  gatewayBaseUrl(url);
  const token = flags['gateway-token'] ?? env.MLE_GATEWAY_TOKEN;
  const headers = Object.fromEntries((flags['gateway-header'] ?? []).map(parseHeader));
  const dataRoot = flags['gateway-data-root'] ?? null;
  if (dataRoot !== null && !dataRoot.startsWith('/')) throw new GatewayConfigError(`--gateway-data-root ${dataRoot}: an absolute path on the kernels' side is needed`);
  let ca: Buffer | undefined;
  if (flags['gateway-ca']) {
    try {
      ca = readFileSync(flags['gateway-ca']);
    } catch (error) {
      throw new GatewayConfigError(`--gateway-ca ${flags['gateway-ca']}: ${(error as Error).message}`);
    }
  }
  return {
    connection: { url, ...(token ? { token } : {}), ...(Object.keys(headers).length > 0 ? { headers } : {}), ...(ca ? { tls: { ca } } : {}) },
    kernelName: flags['gateway-kernel'] ?? null,
    dataRoot,
    uploadLimitBytes: parseBytes(flags['gateway-upload-limit'] ?? DEFAULT_GATEWAY_UPLOAD_LIMIT),
  };
}
