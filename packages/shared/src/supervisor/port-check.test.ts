import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../testing/external-servers.js';
import { portAdvice, portProblem } from './port-check.js';

describe('portProblem', () => {
  it('finds a port held on the same address, and frees its own bind at once', async () => {
    const port = await freePort();
    expect(await portProblem('127.0.0.1', port)).toBeNull();
    // The check's own bind is gone: the port can be listened on right after.
    expect(await portProblem('127.0.0.1', port)).toBeNull();
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(port, '127.0.0.1', r));
    try {
      expect(await portProblem('127.0.0.1', port)).toBe('EADDRINUSE');
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });

  it('finds a port held on every address (0.0.0.0) when checking loopback', async () => {
    const port = await freePort();
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(port, '0.0.0.0', r));
    try {
      expect(await portProblem('127.0.0.1', port)).toBe('EADDRINUSE');
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });

  it('names the variable to set', () => {
    expect(portAdvice('auth-service', 8081, 'AUTH_PORT', 'EADDRINUSE')).toBe(
      'port 8081 is in use (auth-service); set AUTH_PORT=<a free port> (or stop what listens there)',
    );
    expect(portAdvice('auth-service', 80, 'AUTH_PORT', 'EACCES')).toBe(
      'port 80 cannot be listened on (auth-service: EACCES); set AUTH_PORT=<another port>',
    );
  });
});
