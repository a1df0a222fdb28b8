import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gatewayKernel, onGateway } from './resolve-kernel.js';
import { gatewayTargetFromFlags } from './run-flags.js';

const dir = mkdtempSync(join(tmpdir(), 'mle-run-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--gateway flags', () => {
  it('are off without --gateway, and refuse gateway-only flags alone', () => {
    expect(gatewayTargetFromFlags({}, {})).toBeNull();
    expect(gatewayTargetFromFlags({ 'gateway-header': [] }, {})).toBeNull();
    expect(() => gatewayTargetFromFlags({ 'gateway-data-root': '/data' }, {})).toThrow('--gateway-data-root needs --gateway URL');
  });

  it('read the token from $MLE_GATEWAY_TOKEN unless given, headers, data root, upload limit and CA', () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
    const target = gatewayTargetFromFlags(
      { gateway: 'https://eg.example.org/gw', 'gateway-header': ['X-Team: ml'], 'gateway-data-root': '/kaggle/input', 'gateway-upload-limit': '2M', 'gateway-ca': ca },
      { MLE_GATEWAY_TOKEN: 'from-env' },
    );
    expect(target).toMatchObject({ connection: { url: 'https://eg.example.org/gw', token: 'from-env', headers: { 'X-Team': 'ml' } }, dataRoot: '/kaggle/input', uploadLimitBytes: 2 * 1024 * 1024, kernelName: null });
    expect(target?.connection.tls?.ca?.toString()).toContain('BEGIN CERTIFICATE');
    expect(gatewayTargetFromFlags({ gateway: 'http://h:1', 'gateway-token': 'flag' }, { MLE_GATEWAY_TOKEN: 'env' })?.connection.token).toBe('flag');
    expect(gatewayTargetFromFlags({ gateway: 'http://h:1' }, {})?.uploadLimitBytes).toBe(8 * 1024 * 1024);
  });

  it('say in one line what is wrong', () => {
    expect(() => gatewayTargetFromFlags({ gateway: 'h:1' }, {})).toThrow(/only http and https|is not a URL/);
    expect(() => gatewayTargetFromFlags({ gateway: 'http://h:1', 'gateway-header': ['bad'] }, {})).toThrow('"Name: value"');
    expect(() => gatewayTargetFromFlags({ gateway: 'http://h:1', 'gateway-data-root': 'data' }, {})).toThrow(/absolute path/);
    expect(() => gatewayTargetFromFlags({ gateway: 'http://h:1', 'gateway-ca': join(dir, 'missing.pem') }, {})).toThrow(/--gateway-ca/);
    expect(() => gatewayTargetFromFlags({ gateway: 'http://h:1', 'gateway-upload-limit': 'lots' }, {})).toThrow(/not a size/);
  });

  it('label runs by gateway and kernelspec, never the token, and fill {env}', () => {
    const target = gatewayTargetFromFlags({ gateway: 'http://127.0.0.1:8888', 'gateway-token': 'secret', 'gateway-kernel': 'mle-env-{env}' }, {})!;
    const local = { kernel: { pythonPath: '/envs/12/bin/python' }, environmentDir: '/envs/12', environmentId: 12, label: 'env:12' };
    expect(onGateway(local, target).label).toBe('gateway:http://127.0.0.1:8888#mle-env-12');
    expect(() => gatewayKernel(target)).toThrow(/names \{env\}/);
    const plain = gatewayTargetFromFlags({ gateway: 'http://127.0.0.1:8888', 'gateway-token': 'secret' }, {})!;
    expect(gatewayKernel(plain).label).toBe('gateway:http://127.0.0.1:8888#default');
    expect(gatewayKernel(plain).label).not.toContain('secret');
  });
});
