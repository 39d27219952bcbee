import { describe, expect, it } from 'vitest';
import { UpstreamClients } from './upstream-clients.js';

describe('UpstreamClients', () => {
  it('keeps one pool per address, with its Host, base path and span attributes, and lets go of departed ones', async () => {
    const clients = new UpstreamClients({ connectTimeoutMs: 100 });
    const plain = clients.get('http://127.0.0.1:8082');
    expect(clients.get('http://127.0.0.1:8082')).toBe(plain);
    expect(plain).toMatchObject({ host: '127.0.0.1:8082', basePath: '' });
    const ml = clients.get('http://10.0.0.5:80/ml/');
    expect(ml).toMatchObject({ host: '10.0.0.5', basePath: '/ml' });
    expect(plain.spanAttributes).toEqual({
      'opsmesh.upstream.address': '127.0.0.1',
      'opsmesh.upstream.port': 8082,
    });
    expect(ml.spanAttributes).toEqual({
      'opsmesh.upstream.address': '10.0.0.5',
      'opsmesh.upstream.port': 80,
    });
    expect(clients.get('https://[::1]/').spanAttributes).toEqual({
      'opsmesh.upstream.address': '::1',
      'opsmesh.upstream.port': 443,
    });
    clients.retain(new Set(['http://127.0.0.1:8082']));
    expect(clients.get('http://127.0.0.1:8082')).toBe(plain);
    expect(clients.get('http://10.0.0.5:80/ml/')).not.toBe(ml); // closed, made again on next use
    await clients.close();
    expect(plain.pool.closed).toBe(true);
  });
});
