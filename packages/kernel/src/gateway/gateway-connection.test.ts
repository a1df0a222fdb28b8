import { describe, expect, it } from 'vitest';
import { GatewayConfigError, gatewayEndpoint, gatewayHeaders, parseHeader, redactedUrl } from './gateway-connection.js';

describe('gateway connection settings', () => {
  it('builds REST and websocket endpoints under the base path', () => {
    expect(gatewayEndpoint({ url: 'http://127.0.0.1:8888' }, '/api/kernels').toString()).toBe('http://127.0.0.1:8888/api/kernels');
    expect(gatewayEndpoint({ url: 'https://eg.example.org/gateway/' }, '/api/kernels/k/channels', 'ws').toString()).toBe('wss://eg.example.org/gateway/api/kernels/k/channels');
    expect(gatewayEndpoint({ url: 'http://h:1/a' }, '/api', 'ws').protocol).toBe('ws:');
  });

  it('refuses URLs that are not http(s) or carry a query', () => {
    expect(() => gatewayEndpoint({ url: 'ftp://h' }, '/api')).toThrow(GatewayConfigError);
    expect(() => gatewayEndpoint({ url: 'http://h/?token=x' }, '/api')).toThrow(/--gateway-token/);
    expect(() => gatewayEndpoint({ url: 'not a url' }, '/api')).toThrow(/is not a URL/);
  });

  it('parses headers and puts the token first, extra headers after', () => {
    expect(parseHeader('X-Team:  ml ops ')).toEqual(['X-Team', 'ml ops']);
    expect(parseHeader('Authorization: Bearer a:b')).toEqual(['Authorization', 'Bearer a:b']);
    expect(() => parseHeader('no colon')).toThrow(/"Name: value"/);
    expect(() => parseHeader(': value')).toThrow(GatewayConfigError);
    expect(gatewayHeaders({ url: 'http://h', token: 't', headers: { 'X-A': '1' } })).toEqual({ Authorization: 'token t', 'X-A': '1' });
  });

  it('never shows credentials in the URL it reports', () => {
    expect(redactedUrl({ url: 'https://user:secret@eg.example.org/gw/', token: 't' })).toBe('https://eg.example.org/gw');
  });
});
