import {
  AuditListSchema,
  AuditQuerySchema,
  CreatedServiceAccountSchema,
  CreateServiceAccountRequestSchema,
  IdParamsSchema,
  RotateKeyResponseSchema,
  ServiceAccountListQuerySchema,
  ServiceAccountListSchema,
} from '@opsmesh/contracts/auth';
import { problemResponses } from '@opsmesh/contracts/common';
import { answerPage, pageRequest } from '@opsmesh/shared/http/paging';
import { requirePermission } from '@opsmesh/shared/identity/hooks';
import type { ServiceApp } from '@opsmesh/shared/service/create-service';
import { Type } from '@sinclair/typebox';
import { type AuditRepository, toAuditEvent } from '../models/audit.js';
import type { CredentialService } from '../services/credential-service.js';
import type { JwtService } from '../services/jwt-service.js';
import { caller } from './client-info.js';

/** Signing-key rotation, service accounts and the audit trail. */
export async function adminRoutes(
  app: ServiceApp,
  opts: { jwt: JwtService; credentials: CredentialService; audit: AuditRepository },
): Promise<void> {
  const tags = ['admin'];
  const security = [{ bearer: [] }];

  app.post(
    '/keys/rotate',
    {
      onRequest: requirePermission('keys:rotate'),
      schema: {
        tags,
        security,
        summary: 'Start signing with a new key; the old one stays published until its tokens expire',
        response: { 200: RotateKeyResponseSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      const result = await opts.jwt.rotate();
      await opts.audit.record({
        action: 'signing_key_rotated',
        outcome: 'success',
        actor: caller(request).subject,
        target: result.kid,
        ip: request.ip,
        detail: { retired: result.retired },
      });
      return result;
    },
  );

  app.get(
    '/service-accounts',
    {
      onRequest: requirePermission('service-accounts:write'),
      schema: {
        tags,
        security,
        summary: 'List service accounts, oldest first, a page at a time',
        querystring: ServiceAccountListQuerySchema,
        response: { 200: ServiceAccountListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const page = pageRequest(request.query, 100);
      const found = await opts.credentials.listServiceAccounts(page);
      answerPage(reply, page, found.items.length, found.total);
      return { items: found.items };
    },
  );

  app.post(
    '/service-accounts',
    {
      onRequest: requirePermission('service-accounts:write'),
      schema: {
        tags,
        security,
        summary: 'Create a service account; its client secret is shown once',
        body: CreateServiceAccountRequestSchema,
        response: { 201: CreatedServiceAccountSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await opts.credentials.createServiceAccount(request.body.name, caller(request), request.ip)),
  );

  app.delete(
    '/service-accounts/:id',
    {
      onRequest: requirePermission('service-accounts:write'),
      schema: {
        tags,
        security,
        summary: 'Disable a service account and revoke its keys',
        params: IdParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await opts.credentials.disableServiceAccount(request.params.id, caller(request), request.ip);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/audit',
    {
      onRequest: requirePermission('audit:read'),
      schema: {
        tags,
        security,
        summary: 'The audit trail, newest first',
        querystring: AuditQuerySchema,
        response: { 200: AuditListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const page = pageRequest(request.query, 50);
      const found = await opts.audit.list({
        ...page,
        action: request.query.action,
        actor: request.query.actor,
        target: request.query.target,
      });
      answerPage(reply, page, found.rows.length, found.total);
      return { items: found.rows.map(toAuditEvent) };
    },
  );
}
