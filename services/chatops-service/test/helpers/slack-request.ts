import { signSlackRequest } from '../../src/slack/signature.js';
import { SIGNING_SECRET } from './test-app.js';

/** Headers and body of a request signed like Slack signs it. */
export function signed(
  body: string | Buffer,
  contentType: 'application/json' | 'application/x-www-form-urlencoded',
  options: { timestamp?: number; secret?: string; extra?: Record<string, string> } = {},
) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlackRequest(options.secret ?? SIGNING_SECRET, timestamp, body),
      ...options.extra,
    },
  };
}

/** A slash command body as Slack sends it. */
export function slashCommand(
  text: string,
  user = 'U100',
  responseUrl = 'http://127.0.0.1:9/hooks/none',
): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T100',
    team_domain: 'acme',
    channel_id: 'C100',
    channel_name: 'ops',
    user_id: user,
    user_name: 'someone',
    command: '/ops',
    text,
    response_url: responseUrl,
    trigger_id: '1.2.3',
  }).toString();
}
