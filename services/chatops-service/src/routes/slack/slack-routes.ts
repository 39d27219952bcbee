import { formPairs, parseJsonObject, type ServiceApp, utf8Body } from '@opsmesh/shared';
import type { FastifyRequest } from 'fastify';
import { chatopsErrors } from '../../errors.js';
import type { SlackEventRepository } from '../../models/slack-event-repository.js';
import { type BackgroundTasks, within } from '../../services/background-tasks.js';
import type { ChatService, SlackWho } from '../../services/chat-service.js';
import { type Block, escapeMrkdwn } from '../../slack/blocks.js';
import type { ResponseUrlPolicy } from '../../slack/response-url-policy.js';
import { verifySlackRequest } from '../../slack/signature.js';
import type { SlackApi } from '../../slack/slack-api.js';

export interface SlackRouteDeps {
  signingSecret: string | undefined;
  chat: ChatService;
  events: SlackEventRepository;
  slack: SlackApi;
  /** Where a request's `response_url` may point; others are logged and never fetched. */
  responseUrls: ResponseUrlPolicy;
  tasks: BackgroundTasks;
  inlineBudgetMs: number;
  /** Seconds since the epoch; tests pin it to check the replay window. */
  nowSeconds?: () => number;
  /** Turns a failure of the chat pipeline (e.g. auth down) into a reply. */
  failureReply: (err: unknown) => string;
}

interface Answer {
  text: string;
  blocks: Block[];
}

const hidden = { hide: true } as const;

/** The body as text; bytes that are not UTF-8 are refused (400), never read as U+FFFD. */
function raw(request: FastifyRequest): string {
  return Buffer.isBuffer(request.body) ? utf8Body(request.body) : '';
}

/** The body's form fields; escapes that are not UTF-8 are refused (400) naming the field. */
const formOf = (request: FastifyRequest) => new URLSearchParams(formPairs(raw(request)));

/** The request's `response_url` when the policy allows it; a refused one is logged (origin only) and dropped. */
function allowedResponseUrl(
  policy: ResponseUrlPolicy,
  request: FastifyRequest,
  url: string | null | undefined,
): string | null {
  if (!url) return null;
  const check = policy.check(url);
  if (check.ok) return check.url;
  request.log.warn(
    { origin: check.origin, reason: check.reason },
    'Slack response_url refused; the reply is not sent (allow its origin in SLACK_RESPONSE_URL_ALLOW if it is a Slack stand-in)',
  );
  return null;
}

/**
 * Slack's ways in: slash commands, the Events API and interactivity. Every request is verified
 * (signature and five-minute window) before anything is parsed or run; answers go back within
 * Slack's 3 s, and work that takes longer finishes through `response_url` or `chat.postMessage`.
 */
export function slackRoutes(deps: SlackRouteDeps) {
  const now = deps.nowSeconds ?? (() => Math.floor(Date.now() / 1000));

  const answer = (who: SlackWho, text: string, responseUrl: string | null): Promise<Answer> =>
    deps.chat.fromSlack(who, text, responseUrl).then(
      (e) => ({ text: e.reply, blocks: e.blocks }),
      (err: unknown) => ({ text: escapeMrkdwn(deps.failureReply(err)), blocks: [] }),
    );

  return async (app: ServiceApp) => {
    // The signature covers the exact bytes, so this scope keeps bodies raw and parses after checking.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.addHook('preHandler', async (request) => {
      if (!deps.signingSecret) throw chatopsErrors.CHATOPS_SLACK_DISABLED({});
      const header = (name: string) => {
        const v = request.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const check = verifySlackRequest(
        deps.signingSecret,
        {
          timestamp: header('x-slack-request-timestamp'),
          signature: header('x-slack-signature'),
          rawBody: raw(request),
        },
        now(),
      );
      if (!check.ok) throw chatopsErrors.CHATOPS_SLACK_SIGNATURE_INVALID({ reason: check.detail });
      // A byte-identical request inside the window is a replay (Slack's own retries are signed anew).
      if (!(await deps.events.claim(`sig:${header('x-slack-signature')}`))) {
        throw chatopsErrors.CHATOPS_SLACK_SIGNATURE_INVALID({
          reason: 'This signed request was already received once.',
        });
      }
    });

    app.post('/slack/commands', { schema: hidden }, async (request) => {
      const form = formOf(request);
      const teamId = form.get('team_id');
      const userId = form.get('user_id');
      if (!teamId || !userId) {
        throw chatopsErrors.CHATOPS_SLACK_PAYLOAD_INVALID({
          reason: 'A slash command needs team_id and user_id.',
        });
      }
      const responseUrl = allowedResponseUrl(deps.responseUrls, request, form.get('response_url'));
      const who = { teamId, userId, channelId: form.get('channel_id'), requestId: String(request.id) };
      const work = answer(who, `/ops ${form.get('text') ?? ''}`, responseUrl);
      const fast = await within(work, deps.inlineBudgetMs);
      if (fast) return { response_type: 'ephemeral', text: fast.value.text, blocks: fast.value.blocks };
      if (responseUrl) {
        deps.tasks.run(async () => {
          const late = await work;
          await deps.slack.postToUrl(responseUrl, {
            response_type: 'ephemeral',
            replace_original: false,
            ...late,
          });
        });
      }
      return { response_type: 'ephemeral', text: 'Working on it; the answer follows in a moment.' };
    });

    app.post('/slack/events', { schema: hidden }, async (request, reply) => {
      const body = parseJsonObject(raw(request)) as SlackEventEnvelope | null;
      if (!body) {
        throw chatopsErrors.CHATOPS_SLACK_PAYLOAD_INVALID({ reason: 'The event body is not a JSON object.' });
      }
      if (body.type === 'url_verification') return { challenge: String(body.challenge ?? '') };
      if (body.type !== 'event_callback') return { ok: true };
      if (!body.event_id || !body.event) {
        throw chatopsErrors.CHATOPS_SLACK_PAYLOAD_INVALID({
          reason: 'An event callback needs event_id and event.',
        });
      }
      // Slack retries (X-Slack-Retry-Num) carry the same event id: the first claim wins.
      if (!(await deps.events.claim(body.event_id))) {
        reply.header('x-slack-no-retry', '1');
        return { ok: true, duplicate: true };
      }
      const event = body.event;
      const addressed =
        event.type === 'app_mention' || (event.type === 'message' && event.channel_type === 'im');
      if (!addressed || event.bot_id || event.subtype || !event.user || !event.channel) return { ok: true };
      const who = {
        teamId: body.team_id ?? event.team ?? '',
        userId: event.user,
        channelId: event.channel,
        requestId: String(request.id),
      };
      const channel = event.channel;
      const threadTs = event.thread_ts ?? event.ts;
      deps.tasks.run(async () => {
        const result = await answer(who, event.text ?? '', null);
        await deps.slack.postMessage({
          channel,
          text: result.text,
          blocks: result.blocks,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
      });
      return { ok: true };
    });

    app.post('/slack/interactions', { schema: hidden }, async (request, reply) => {
      const payload = parseJsonObject(formOf(request).get('payload') ?? '') as SlackInteraction | null;
      if (!payload) {
        throw chatopsErrors.CHATOPS_SLACK_PAYLOAD_INVALID({
          reason: 'An interaction needs a payload field holding a JSON object.',
        });
      }
      if (payload.type !== 'block_actions') return reply.code(200).send();
      const action = payload.actions?.[0];
      // Confirm/Cancel settle a pending change; a choice button (`chatops_say_<n>`) sends its text
      // as the person's next message, so a question back is answered with one press.
      const said = action?.action_id?.startsWith('chatops_say') === true;
      const verb =
        action?.action_id === 'chatops_confirm'
          ? 'confirm'
          : action?.action_id === 'chatops_cancel'
            ? 'cancel'
            : null;
      const teamId = payload.team?.id ?? payload.user?.team_id;
      if ((!verb && !said) || !action?.value || !payload.user?.id || !teamId) return reply.code(200).send();
      const who = {
        teamId,
        userId: payload.user.id,
        channelId: payload.channel?.id ?? null,
        requestId: String(request.id),
      };
      const responseUrl = allowedResponseUrl(deps.responseUrls, request, payload.response_url);
      deps.tasks.run(async () => {
        const result = await answer(who, said ? action.value! : `${verb} ${action.value}`, responseUrl);
        if (responseUrl) await deps.slack.postToUrl(responseUrl, { replace_original: !said, ...result });
      });
      return reply.code(200).send();
    });
  };
}

interface SlackEventEnvelope {
  type?: string;
  challenge?: string;
  team_id?: string;
  event_id?: string;
  event?: {
    type?: string;
    user?: string;
    team?: string;
    text?: string;
    channel?: string;
    channel_type?: string;
    ts?: string;
    thread_ts?: string;
    bot_id?: string;
    subtype?: string;
  };
}

interface SlackInteraction {
  type?: string;
  user?: { id?: string; team_id?: string };
  team?: { id?: string };
  channel?: { id?: string };
  response_url?: string;
  actions?: { action_id?: string; value?: string }[];
}
