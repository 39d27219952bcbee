import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../testing/external-servers.js';
import { alreadyRunning, portAdvice, portProblem, serviceListening } from './port-check.js';

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

  it('tells an opsmesh service on a port from another program, and what to say when all are', async () => {
    const port = await freePort();
    let answer = { status: 'ok', service: 'auth-service', instance: 'ins_1' } as object;
    const server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      expect(await serviceListening('127.0.0.1', port)).toBe('auth-service');
      answer = { hello: 'world' };
      expect(await serviceListening('127.0.0.1', port)).toBeNull();
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(await serviceListening('127.0.0.1', port)).toBeNull();
    expect(alreadyRunning(['auth-service', 'gateway'], 'http://127.0.0.1:8080')).toMatch(
      /^opsmesh is already running here: auth-service, gateway answer on their ports\. Open http:\/\/127\.0\.0\.1:8080\/ to use it, or stop it \(Ctrl-C where it was started\)/,
    );
  });
});
