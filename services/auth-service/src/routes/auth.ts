import {
  IntrospectRequestSchema,
  IntrospectResponseSchema,
  JwksSchema,
  LoginRequestSchema,
  LogoutRequestSchema,
  RefreshRequestSchema,
  RegisterRequestSchema,
  TOKEN_EXCHANGE_GRANT,
  TokenRequestSchema,
  TokenResponseSchema,
  UserSchema,
} from '@opsmesh/contracts/auth';
import { problemResponses } from '@opsmesh/contracts/common';
import { commonErrors } from '@opsmesh/shared/errors/define-errors';
import { parseBasicCredentials } from '@opsmesh/shared/http/caller-text';
import { authenticateRequest, requireAuth } from '@opsmesh/shared/identity/hooks';
import type { ServiceApp } from '@opsmesh/shared/service/create-service';
import { Type } from '@sinclair/typebox';
import { authErrors } from '../errors.js';
import type { CredentialService } from '../services/credential-service.js';
import type { JwtService } from '../services/jwt-service.js';
import type { SessionService } from '../services/session-service.js';
import type { UserService } from '../services/user-service.js';
import { caller, clientInfo } from './client-info.js';

export interface AuthRoutesOptions {
  sessions: SessionService;
  users: UserService;
  credentials: CredentialService;
  jwt: JwtService;
  registration: 'open' | 'admin';
  issuer: string;
  audience: string;
}

/** OAuth 2 clients post forms to the token and introspection endpoints (RFC 6749 §4.4, RFC 7662 §2.1). */
const OAUTH_BODY_TYPES = ['application/x-www-form-urlencoded', 'application/json'];

/** Open and token routes: login, refresh, logout, registration, OAuth token endpoint, introspection, JWKS. */
export async function authRoutes(app: ServiceApp, opts: AuthRoutesOptions): Promise<void> {
  const tags = ['auth'];

  app.post(
    '/login',
    {
      schema: {
        tags,
        summary: 'Log in with email and password',
        body: LoginRequestSchema,
        response: { 200: TokenResponseSchema, ...problemResponses(400, 401, 403, 429) },
      },
    },
    async (request) => opts.sessions.login(request.body.email, request.body.password, clientInfo(request)),
  );

  app.post(
    '/refresh',
    {
      schema: {
        tags,
        summary: 'Exchange a refresh token for new tokens (the old one is spent)',
        body: RefreshRequestSchema,
        response: { 200: TokenResponseSchema, ...problemResponses(400, 401) },
      },
    },
    async (request) => opts.sessions.refresh(request.body.refresh_token, clientInfo(request)),
  );

  app.post(
    '/logout',
    {
      onRequest: requireAuth(),
      schema: {
        tags,
        summary: "End the caller's session",
        security: [{ bearer: [] }],
        body: Type.Optional(LogoutRequestSchema),
        response: { 204: Type.Null(), ...problemResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const identity = caller(request);
      await opts.sessions.logout({
        sessionId: identity.sessionId,
        refreshToken: request.body?.refresh_token,
        actor: identity.subject,
        ip: request.ip,
      });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/register',
    {
      schema: {
        tags,
        summary: 'Create an account (viewer role) when self-registration is open',
        body: RegisterRequestSchema,
        response: { 201: UserSchema, ...problemResponses(400, 403, 409) },
      },
    },
    async (request, reply) => {
      if (opts.registration !== 'open') throw authErrors.AUTH_REGISTRATION_CLOSED({});
      return reply.code(201).send(await opts.users.register(request.body, request.ip));
    },
  );

  app.post(
    '/token',
    {
      schema: {
        tags,
        summary: 'OAuth 2 token endpoint: client_credentials, refresh_token, token-exchange (RFC 8693)',
        consumes: OAUTH_BODY_TYPES,
        body: TokenRequestSchema,
        response: { 200: TokenResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const body = request.body;
      if (body.grant_type === 'client_credentials') {
        let { client_id: id, client_secret: secret } = body;
        const basic = parseBasicCredentials(request.headers.authorization, { formEncoded: true });
        if (basic.kind === 'malformed') {
          throw authErrors.AUTH_MALFORMED_CLIENT_AUTH(
            { reason: basic.reason },
            { headers: { 'www-authenticate': 'Basic realm="opsmesh", charset="UTF-8"' } },
          );
        }
        if (basic.kind === 'basic') {
          id = basic.user;
          secret = basic.password;
        }
        if (!id || !secret) {
          throw authErrors.AUTH_INVALID_GRANT({
            reason: 'client_credentials needs client_id and client_secret (or HTTP Basic).',
          });
        }
        return opts.credentials.clientCredentials(id, secret, request.ip);
      }
      if (body.grant_type === 'refresh_token') {
        if (!body.refresh_token)
          throw authErrors.AUTH_INVALID_GRANT({ reason: 'refresh_token is required.' });
        return opts.sessions.refresh(body.refresh_token, clientInfo(request));
      }
      if (body.grant_type === TOKEN_EXCHANGE_GRANT) {
        const identity = await authenticateRequest(request);
        if (!identity.permissions.has('tokens:exchange'))
          throw commonErrors.FORBIDDEN({ permission: 'tokens:exchange' });
        if (!body.subject_token)
          throw authErrors.AUTH_INVALID_GRANT({
            reason: 'subject_token (the user id or email) is required.',
          });
        return opts.credentials.exchange(identity, body.subject_token, body.subject_token_type, request.ip);
      }
      throw authErrors.AUTH_INVALID_GRANT({ reason: 'unsupported grant_type' });
    },
  );

  app.post(
    '/introspect',
    {
      schema: {
        tags,
        summary: 'RFC 7662 token introspection (service accounts, or a token introspecting itself)',
        consumes: OAUTH_BODY_TYPES,
        body: IntrospectRequestSchema,
        response: { 200: IntrospectResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const presented = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      // A credential may always learn about itself; anything else needs `tokens:introspect`.
      if (presented !== request.body.token) {
        if (!(await authenticateRequest(request)).permissions.has('tokens:introspect')) {
          throw commonErrors.FORBIDDEN({ permission: 'tokens:introspect' });
        }
      }
      return opts.credentials.introspect(request.body.token, opts.issuer, opts.audience);
    },
  );

  app.get(
    '/.well-known/jwks.json',
    { schema: { tags, summary: 'Public keys that verify access tokens', response: { 200: JwksSchema } } },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300, stale-while-revalidate=60');
      return opts.jwt.jwks();
    },
  );
}
