// The Slack app manifest points Slack at routes that exist: each request URL reaches, through the
// gateway's shipped config, a route the ChatOps service serves; the scopes cover what it calls.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseGatewayConfig } from '../src/config/load-gateway-config.js';
import { LocalStore } from '../src/rate-limit/local-store.js';
import { RouteTable } from '../src/router/route-table.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const manifest = parse(readFileSync(join(root, 'deploy/slack/manifest.yaml'), 'utf8'));
const slackRoutes = readFileSync(
  join(root, 'services/chatops-service/src/routes/slack/slack-routes.ts'),
  'utf8',
);
const slackApi = readFileSync(join(root, 'services/chatops-service/src/slack/slack-api.ts'), 'utf8');

describe('the Slack app manifest', () => {
  const table = RouteTable.build(
    parseGatewayConfig(
      readFileSync(join(root, 'services/gateway/config/gateway.yaml'), 'utf8'),
      'gateway.yaml',
    ),
    { local: new LocalStore(), redis: undefined },
  );
  const urls = {
    command: manifest.features.slash_commands[0].url as string,
    events: manifest.settings.event_subscriptions.request_url as string,
    interactivity: manifest.settings.interactivity.request_url as string,
  };

  it.each(Object.entries(urls))(
    'sends the %s request to a signed, open route the ChatOps service serves',
    (_what, url) => {
      const match = table.match('POST', new URL(url).pathname);
      expect(match.kind).toBe('route');
      if (match.kind !== 'route') return;
      // Slack carries no platform token: the route is open, and the service checks Slack's signature.
      expect(match.route.name).toBe('chatops-slack');
      expect(match.route.auth.open).toBe(true);
      expect(slackRoutes).toContain(`app.post('${match.upstreamPath}'`);
    },
  );

  it('declares the /ops command, the events the service handles and the scopes it needs', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/ops']);
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'message.im']);
    expect(slackRoutes).toContain("'app_mention'");
    expect(slackRoutes).toContain("channel_type === 'im'");
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    for (const scope of ['commands', 'chat:write', 'app_mentions:read', 'im:history'])
      expect(scopes).toContain(scope);
    // Posting (chat.postMessage) and updating (chat.update) need chat:write; nothing else is called.
    expect([...new Set(slackApi.match(/'[a-z]+\.[a-zA-Z]+'/g))].sort()).toEqual([
      "'chat.postMessage'",
      "'chat.update'",
    ]);
  });
});
