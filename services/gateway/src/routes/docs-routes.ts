import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PlatformDocs } from '../docs/platform-docs.js';
import { applySecurityHeaders } from '../plugins/security-headers.js';

/**
 * Swagger UI's page runs from its own files on this origin: scripts from 'self' only; its
 * components set inline styles, hence 'unsafe-inline' for styles alone. Nothing is fetched from
 * elsewhere (the online validator is off).
 */
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/**
 * `/docs`: the interactive reference (Swagger UI, served from the installed package) over the
 * platform's merged document; `/docs/json` and `/docs/openapi.json` are that document.
 */
export async function docsRoutes(app: FastifyInstance, deps: { docs: PlatformDocs }): Promise<void> {
  const withFreshDocs = async (_request: unknown, reply: FastifyReply) => {
    applySecurityHeaders(reply);
    await deps.docs.get();
  };
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: DOCS_CSP,
    validatorUrl: false,
    theme: { title: 'opsmesh API' },
    uiConfig: {
      deepLinking: true,
      docExpansion: 'list',
      defaultModelsExpandDepth: 0,
      displayRequestDuration: true,
      filter: true,
      persistAuthorization: false,
    },
    uiHooks: { onRequest: withFreshDocs },
    // The hook above refreshed the merged document; the page's `/docs/json` serves it.
    transformSpecificationClone: false,
    transformSpecification: () => deps.docs.current,
  });
  app.get('/docs/openapi.json', { schema: { hide: true } }, async (_request, reply) => {
    applySecurityHeaders(reply);
    const doc = await deps.docs.get();
    return reply.type('application/json; charset=utf-8').send(`${JSON.stringify(doc, null, 2)}\n`);
  });
}
