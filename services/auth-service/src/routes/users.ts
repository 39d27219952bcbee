import {
  CreateUserRequestSchema,
  IdParamsSchema,
  OWNED_PAGE_DEFAULT,
  OwnedListQuerySchema,
  SessionListSchema,
  SetPasswordRequestSchema,
  SetRolesRequestSchema,
  UpdateUserRequestSchema,
  UserListQuerySchema,
  UserListSchema,
  UserSchema,
} from '@opsmesh/contracts/auth';
import { problemResponses } from '@opsmesh/contracts/common';
import { answerPage, pageRequest } from '@opsmesh/shared/http/paging';
import { requirePermission } from '@opsmesh/shared/identity/hooks';
import type { ServiceApp } from '@opsmesh/shared/service/create-service';
import { Type } from '@sinclair/typebox';
import { type SessionRepository, toSession } from '../models/session.js';
import type { UserService } from '../services/user-service.js';
import { caller } from './client-info.js';

/** Admin user management: CRUD, roles, status, and a user's sessions. */
export async function userRoutes(
  app: ServiceApp,
  opts: { users: UserService; sessions: SessionRepository },
): Promise<void> {
  const tags = ['users'];
  const security = [{ bearer: [] }];
  const read = requirePermission('users:read');
  const write = requirePermission('users:write');
  const actor = (request: Parameters<typeof caller>[0]) => ({ id: caller(request).subject, ip: request.ip });

  app.get(
    '/users',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'List users',
        querystring: UserListQuerySchema,
        response: { 200: UserListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const page = pageRequest(request.query, 50);
      const found = await opts.users.list({ ...page, search: request.query.q, status: request.query.status });
      answerPage(reply, page, found.items.length, found.total);
      return found;
    },
  );

  app.post(
    '/users',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Create a user',
        body: CreateUserRequestSchema,
        response: { 201: UserSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await opts.users.create(request.body, actor(request))),
  );

  app.get(
    '/users/:id',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'One user',
        params: IdParamsSchema,
        response: { 200: UserSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => opts.users.get(request.params.id),
  );

  app.patch(
    '/users/:id',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Change display name, roles or status (disabling revokes every session)',
        params: IdParamsSchema,
        body: UpdateUserRequestSchema,
        response: { 200: UserSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => opts.users.update(request.params.id, request.body, actor(request)),
  );

  app.put(
    '/users/:id/roles',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: "Replace a user's roles",
        params: IdParamsSchema,
        body: SetRolesRequestSchema,
        response: { 200: UserSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => opts.users.update(request.params.id, { roles: request.body.roles }, actor(request)),
  );

  app.post(
    '/users/:id/disable',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Disable a user and revoke every session',
        params: IdParamsSchema,
        response: { 200: UserSchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => opts.users.update(request.params.id, { status: 'disabled' }, actor(request)),
  );

  app.post(
    '/users/:id/password',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: "Reset a user's password (lifts a lockout and revokes every session of the user)",
        params: IdParamsSchema,
        body: SetPasswordRequestSchema,
        response: { 200: UserSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => opts.users.resetPassword(request.params.id, request.body.new_password, actor(request)),
  );

  app.post(
    '/users/:id/enable',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Re-enable (and unlock) a user',
        params: IdParamsSchema,
        response: { 200: UserSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => opts.users.update(request.params.id, { status: 'active' }, actor(request)),
  );

  app.delete(
    '/users/:id',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Delete a user',
        params: IdParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await opts.users.remove(request.params.id, actor(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/users/:id/sessions',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary:
          "A user's sessions, revoked ones included, newest first, a page at a time (x-total-count, x-next-offset)",
        params: IdParamsSchema,
        querystring: OwnedListQuerySchema,
        response: { 200: SessionListSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await opts.users.get(request.params.id);
      const page = pageRequest(request.query, OWNED_PAGE_DEFAULT);
      const found = await opts.sessions.listForUser(request.params.id, true, page);
      answerPage(reply, page, found.rows.length, found.total);
      return { items: found.rows.map((r) => toSession(r, undefined)) };
    },
  );
}
