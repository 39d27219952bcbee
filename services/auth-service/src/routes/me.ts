import {
  ApiKeyListSchema,
  ChangePasswordRequestSchema,
  CreateApiKeyRequestSchema,
  CreatedApiKeySchema,
  IdParamsSchema,
  MeSchema,
  OWNED_PAGE_DEFAULT,
  OwnedListQuerySchema,
  SessionListSchema,
} from '@opsmesh/contracts/auth';
import { problemResponses } from '@opsmesh/contracts/common';
import { answerPage, pageRequest } from '@opsmesh/shared/http/paging';
import { requireAuth, requirePermission } from '@opsmesh/shared/identity/hooks';
import type { ServiceApp } from '@opsmesh/shared/service/create-service';
import { Type } from '@sinclair/typebox';
import { authErrors } from '../errors.js';
import type { SessionRepository } from '../models/session.js';
import { toSession } from '../models/session.js';
import type { CredentialService } from '../services/credential-service.js';
import type { UserService } from '../services/user-service.js';
import { caller } from './client-info.js';

/** The caller's own account: profile, password, sessions and API keys. */
export async function meRoutes(
  app: ServiceApp,
  opts: { users: UserService; sessions: SessionRepository; credentials: CredentialService },
): Promise<void> {
  const tags = ['me'];
  const security = [{ bearer: [] }];

  app.get(
    '/me',
    {
      onRequest: requireAuth(),
      schema: {
        tags,
        security,
        summary: 'The caller',
        response: { 200: MeSchema, ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      const identity = caller(request);
      if (identity.kind === 'service' || identity.subject.startsWith('svc_')) {
        throw authErrors.AUTH_USER_NOT_FOUND({ id: identity.subject });
      }
      const user = await opts.users.get(identity.subject);
      return {
        ...user,
        permissions: [...identity.permissions].sort(),
        session_id: identity.sessionId ?? null,
      };
    },
  );

  app.post(
    '/me/password',
    {
      onRequest: requireAuth(),
      schema: {
        tags,
        security,
        summary: 'Change the password; every other session is revoked',
        body: ChangePasswordRequestSchema,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const identity = caller(request);
      await opts.users.changePassword(
        identity.subject,
        request.body.current_password,
        request.body.new_password,
        identity.sessionId,
        request.ip,
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/sessions',
    {
      onRequest: requireAuth(),
      schema: {
        tags,
        security,
        summary:
          "The caller's active sessions, newest first, a page at a time (x-total-count, x-next-offset)",
        querystring: OwnedListQuerySchema,
        response: { 200: SessionListSchema, ...problemResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const identity = caller(request);
      const page = pageRequest(request.query, OWNED_PAGE_DEFAULT);
      const found = await opts.sessions.listForUser(identity.subject, false, page);
      answerPage(reply, page, found.rows.length, found.total);
      return { items: found.rows.map((r) => toSession(r, identity.sessionId)) };
    },
  );

  app.delete(
    '/sessions/:id',
    {
      onRequest: requireAuth(),
      schema: {
        tags,
        security,
        summary: 'Revoke one of your sessions (admins: any)',
        params: IdParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const identity = caller(request);
      const session = await opts.sessions.findById(request.params.id);
      if (!session || (session.user_id !== identity.subject && !identity.permissions.has('users:write'))) {
        throw authErrors.AUTH_SESSION_NOT_FOUND({ id: request.params.id });
      }
      await opts.sessions.revoke(
        session.id,
        identity.subject === session.user_id ? 'revoked by owner' : 'revoked by admin',
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api-keys',
    {
      onRequest: requirePermission('apikeys:write'),
      schema: {
        tags,
        security,
        summary: "The caller's API keys, newest first, a page at a time (x-total-count, x-next-offset)",
        querystring: OwnedListQuerySchema,
        response: { 200: ApiKeyListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const page = pageRequest(request.query, OWNED_PAGE_DEFAULT);
      const found = await opts.credentials.listApiKeys(caller(request).subject, page);
      answerPage(reply, page, found.items.length, found.total);
      return { items: found.items };
    },
  );

  app.post(
    '/api-keys',
    {
      onRequest: requirePermission('apikeys:write'),
      schema: {
        tags,
        security,
        summary: 'Create an API key scoped to some of your permissions; the key is shown once',
        body: CreateApiKeyRequestSchema,
        response: { 201: CreatedApiKeySchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const identity = caller(request);
      if (identity.kind === 'api-key')
        throw authErrors.AUTH_PERMISSION_NOT_HELD({
          permissions: ['apikeys:write (by access token, not by key)'],
        });
      return reply.code(201).send(await opts.credentials.createApiKey(identity, request.body, request.ip));
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      onRequest: requirePermission('apikeys:write'),
      schema: {
        tags,
        security,
        summary: 'Revoke an API key',
        params: IdParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await opts.credentials.revokeApiKey(request.params.id, caller(request), request.ip);
      return reply.code(204).send(null);
    },
  );
}
