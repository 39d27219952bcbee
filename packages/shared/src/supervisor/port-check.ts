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
