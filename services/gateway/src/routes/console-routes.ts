import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { applySecurityHeaders } from '../plugins/security-headers.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Scripts and styles from this origin only. uPlot positions its parts through the CSSOM
 * (`el.style.left = ...`), which a style-src without 'unsafe-inline' still allows.
 */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Every file under `dir` with a known type, as paths relative to it with forward slashes. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !TYPES[extname(entry.name)]) continue;
    out.push(relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
  }
  return out.sort();
}

/** Files of npm packages the console loads, served from the installed package (no copy kept in web/). */
function vendorFiles(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const uplot = dirname(require.resolve('uplot/package.json'));
  return {
    '/console/vendor/uplot.js': join(uplot, 'dist/uPlot.esm.js'),
    '/console/vendor/uplot.css': join(uplot, 'dist/uPlot.min.css'),
  };
}

/**
 * Serves the operator console: `web/index.html` at `/`, every other file of `web/` under
 * `/console/`, and the vendored libraries under `/console/vendor/`. The list is made once at
 * start from the directory, so no request path ever reaches the file system; files are read
 * per request, so an edited view shows on reload.
 */
export async function consoleRoutes(app: FastifyInstance, opts: { webDir: string }): Promise<void> {
  const files: Record<string, string> = { '/': join(opts.webDir, 'index.html'), ...vendorFiles() };
  for (const file of filesUnder(opts.webDir)) {
    if (file !== 'index.html') files[`/console/${file}`] = join(opts.webDir, file);
  }
  for (const [url, path] of Object.entries(files)) {
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    app.get(url, { schema: { hide: true } }, async (_request, reply) => {
      const body = await readFile(path);
      applySecurityHeaders(reply);
      return reply
        .type(type)
        .header('content-security-policy', CSP)
        .header('cache-control', 'no-cache')
        .send(body);
    });
  }
}
