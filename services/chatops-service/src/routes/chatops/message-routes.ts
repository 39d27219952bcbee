import {
  ChatLinkRequestSchema,
  ChatLinkSchema,
  ChatMessageRequestSchema,
  ChatMessageResponseSchema,
  LinkCodeResponseSchema,
  problemResponses,
  RunListQuerySchema,
  RunListResponseSchema,
} from '@opsmesh/contracts';
import { answerPage, hasPermission, pageRequest, requirePermission, type ServiceApp } from '@opsmesh/shared';
import { newLinkCode } from '../../models/ids.js';
import type { LinkRepository } from '../../models/link-repository.js';
import type { RunRepository } from '../../models/run-repository.js';
import { type ChatService, toCommandRun } from '../../services/chat-service.js';

export interface MessageRouteDeps {
  chat: ChatService;
  runs: RunRepository;
  links: LinkRepository;
  linkCodeTtlSeconds: number;
}

const security = [{ bearer: [] }];

/** `/messages` for platform users, their run history, and linking chat users. */
export function messageRoutes(deps: MessageRouteDeps) {
  return async (app: ServiceApp) => {
    app.post(
      '/messages',
      {
        preHandler: requirePermission('chatops:use'),
        schema: {
          tags: ['chatops'],
          summary: 'Send a chat message: the reply, Block Kit blocks, intent, entities and any confirmation',
          security,
          body: ChatMessageRequestSchema,
          response: { 200: ChatMessageResponseSchema, ...problemResponses(400, 401, 403) },
        },
      },
      async (request) => deps.chat.fromApi(request.identity!, request.body.text, String(request.id)),
    );

    app.get(
      '/runs',
      {
        preHandler: requirePermission('chatops:use'),
        schema: {
          tags: ['chatops'],
          summary: "Your command runs, newest first (audit:read or chatops:admin: anyone's)",
          security,
          querystring: RunListQuerySchema,
          response: { 200: RunListResponseSchema, ...problemResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const seesAll = hasPermission(request, 'audit:read') || hasPermission(request, 'chatops:admin');
        const actor = seesAll ? request.query.actor : request.identity!.subject;
        const page = pageRequest(request.query, 20);
        const found = await deps.runs.page({ actor, ...page });
        answerPage(reply, page, found.items.length, found.total);
        return { items: found.items.map(toCommandRun) };
      },
    );

    app.post(
      '/links/codes',
      {
        preHandler: requirePermission('chatops:use'),
        schema: {
          tags: ['chatops'],
          summary: 'A one-time code to link your Slack user to this account',
          security,
          response: { 201: LinkCodeResponseSchema, ...problemResponses(401, 403) },
        },
      },
      async (request, reply) => {
        const code = newLinkCode();
        const expiresAt = new Date(Date.now() + deps.linkCodeTtlSeconds * 1000);
        await deps.links.saveCode(code, request.identity!.subject, expiresAt);
        return reply.code(201).send({
          code,
          expiresAt: expiresAt.toISOString(),
          instructions: `In Slack, send "/ops link ${code}" (or DM the bot "link ${code}") within ${Math.round(deps.linkCodeTtlSeconds / 60)} minutes.`,
        });
      },
    );

    app.post(
      '/links',
      {
        preHandler: requirePermission('chatops:admin'),
        schema: {
          tags: ['chatops'],
          summary: 'Link a Slack user to a platform user (admins)',
          security,
          body: ChatLinkRequestSchema,
          response: { 201: ChatLinkSchema, ...problemResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const linkedAt = new Date();
        const { teamId, chatUserId, subject } = request.body;
        await deps.links.upsert({
          teamId,
          chatUserId,
          subject,
          linkedBy: request.identity!.subject,
          linkedAt,
        });
        return reply
          .code(201)
          .send({ platform: 'slack', teamId, chatUserId, subject, linkedAt: linkedAt.toISOString() });
      },
    );
  };
}
