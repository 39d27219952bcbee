import { get as httpGet } from 'node:http';
import { createServer } from 'node:net';

/**
 * Whether something already listens on `host:port`, found by binding it for a moment (as the
 * child would): connecting instead would miss a listener on another address of the same port.
 * Any other bind error (EACCES for a low port, EADDRNOTAVAIL) is reported as its code.
 *
 * @example
 * await portProblem('127.0.0.1', 8081) // null when free, 'EADDRINUSE' when taken
 */
export function portProblem(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/**
 * What to tell the operator about a port a service cannot have, naming the variable that moves it.
 *
 * @example
 * portAdvice('auth-service', 8081, 'AUTH_PORT', 'EADDRINUSE')
 * // 'port 8081 is in use (auth-service); set AUTH_PORT=<a free port> (or stop what listens there)'
 */
export function portAdvice(service: string, port: number, variable: string, problem: string): string {
  if (problem === 'EADDRINUSE') {
    return `port ${port} is in use (${service}); set ${variable}=<a free port> (or stop what listens there)`;
  }
  return `port ${port} cannot be listened on (${service}: ${problem}); set ${variable}=<another port>`;
}

/**
 * The name of the opsmesh service answering `/health/live` on `host:port`, or null when nothing
 * there answers as one (another program, or no answer within `timeoutMs`).
 *
 * @example
 * await serviceListening('127.0.0.1', 8081) // 'auth-service' while opsmesh runs, else null
 */
export function serviceListening(host: string, port: number, timeoutMs = 1000): Promise<string | null> {
  // node:http with the socket destroyed at the end, not fetch: a program that takes the
  // connection and never answers must not be left holding it open.
  return new Promise((resolve) => {
    const req = httpGet(
      { host, port, path: '/health/live', headers: { connection: 'close' }, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
          if (body.length > 4096) req.destroy();
        });
        res.on('end', () => {
          req.destroy();
          try {
            const live = JSON.parse(body) as { status?: unknown; service?: unknown; instance?: unknown };
            const ok = res.statusCode === 200 && live.status === 'ok' && typeof live.instance === 'string';
            resolve(ok && typeof live.service === 'string' ? live.service : null);
          } catch {
            resolve(null);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.on('close', () => resolve(null));
  });
}

/**
 * What to tell someone who runs `npm start` while the platform already runs on these ports (the
 * commonest way to meet a port in use): where it is, and the two ways on.
 *
 * @example
 * alreadyRunning(['auth-service', 'gateway'], 'http://127.0.0.1:8080')
 */
export function alreadyRunning(services: readonly string[], gateway: string | null): string {
  return [
    `opsmesh is already running here: ${services.join(', ')} answer${services.length === 1 ? 's' : ''} on ${services.length === 1 ? 'its port' : 'their ports'}.`,
    gateway ? `Open ${gateway}/ to use it, or stop it` : 'Stop it',
    '(Ctrl-C where it was started) and run this again; to run a second copy beside it, set the',
    'port variables (GATEWAY_PORT, AUTH_PORT, ML_PORT, MONITORING_PORT, CHATOPS_PORT) to free ports.',
  ].join(' ');
}
