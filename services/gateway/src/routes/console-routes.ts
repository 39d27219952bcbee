import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { applySecurityHeaders } from '../plugins/security-headers.js';

/** The console's files: a fixed list, so no request path ever reaches the file system. */
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/console/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

/** Serves the operator console (`web/`) at `/`. */
export async function consoleRoutes(app: FastifyInstance, opts: { webDir: string }): Promise<void> {
  for (const [url, { file, type }] of Object.entries(FILES)) {
    app.get(url, { schema: { hide: true } }, async (_request, reply) => {
      const body = await readFile(join(opts.webDir, file));
      applySecurityHeaders(reply);
      return reply
        .type(type)
        .header('content-security-policy', CSP)
        .header('cache-control', 'no-cache')
        .send(body);
    });
  }
}
