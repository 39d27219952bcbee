import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AlertNotifier,
  type NotificationThread,
  type ThreadStore,
} from '../src/notifications/alert-notifier.js';
import { alertmanagerPayload } from '../src/notifications/fixtures.js';
import { parseRoutes } from '../src/notifications/routing.js';
import { SlackApi } from '../src/slack/slack-api.js';
import { FakeSlack } from './fake-slack.js';

class MemoryThreads implements ThreadStore {
  readonly rows = new Map<string, NotificationThread>();
  async find(groupKey: string, channel: string) {
    return this.rows.get(`${groupKey}|${channel}`);
  }
  async save(thread: NotificationThread) {
    this.rows.set(`${thread.groupKey}|${thread.channel}`, thread);
  }
}

let slack: FakeSlack;
beforeEach(async () => {
  slack = await new FakeSlack().start();
});
afterEach(() => slack.close());

const routing = parseRoutes('severity=critical:#pager', '#alerts');

describe('AlertNotifier against a local Slack', () => {
  it('routes by severity, then threads the resolution under the first message', async () => {
    const threads = new MemoryThreads();
    const notifier = new AlertNotifier({
      slack: new SlackApi({ apiUrl: slack.apiUrl, botToken: slack.botToken }),
      routing,
      threads,
    });
    const firing = alertmanagerPayload([
      { labels: { alertname: 'HighLatency', severity: 'critical' } },
      { labels: { alertname: 'HighLatency', severity: 'warning' } },
    ]);
    const first = await notifier.notify(firing);
    expect(first).toEqual([
      { channel: '#pager', alerts: 1, ok: true, threaded: false },
      { channel: '#alerts', alerts: 1, ok: true, threaded: false },
    ]);
    const posts = slack.to('/api/chat.postMessage');
    expect(posts.map((p) => p.body['channel'])).toEqual(['#pager', '#alerts']);
    expect(posts[0]!.body['text']).toContain('FIRING: HighLatency');

    const resolved = alertmanagerPayload(
      [
        {
          status: 'resolved',
          labels: { alertname: 'HighLatency', severity: 'critical' },
          endsAt: '2026-11-26T03:30:00Z',
        },
      ],
      { status: 'resolved' },
    );
    const second = await notifier.notify(resolved);
    expect(second).toEqual([{ channel: '#pager', alerts: 1, ok: true, threaded: true }]);
    const parent = posts[0]!;
    const [update] = slack.to('/api/chat.update');
    expect(update!.body).toMatchObject({ channel: 'CPAGER' });
    expect(update!.body['text']).toContain('RESOLVED');
    const reply = slack.to('/api/chat.postMessage')[2]!;
    expect(reply.body['thread_ts']).toBeDefined();
    expect(reply.body['text']).toContain('RESOLVED');
    expect(parent.headers.authorization).toBe(`Bearer ${slack.botToken}`);
    expect((await threads.find(resolved.groupKey, '#pager'))?.status).toBe('resolved');
  });

  it('falls back to the incoming webhook without a bot token', async () => {
    const notifier = new AlertNotifier({
      slack: new SlackApi({ apiUrl: slack.apiUrl }),
      routing,
      threads: new MemoryThreads(),
      webhookUrl: slack.hookUrl('T000/B000/xyz'),
    });
    const out = await notifier.notify(alertmanagerPayload([{}]));
    expect(out).toEqual([{ channel: '#pager', alerts: 1, ok: true, threaded: false }]);
    const [hook] = await slack.waitFor('/hooks');
    expect(hook!.body['text']).toContain('FIRING');
    expect(Array.isArray(hook!.body['blocks'])).toBe(true);
  });

  it('reports Slack errors and an unreachable Slack instead of throwing', async () => {
    const wrongToken = new AlertNotifier({
      slack: new SlackApi({ apiUrl: slack.apiUrl, botToken: 'xoxb-wrong' }),
      routing,
      threads: new MemoryThreads(),
    });
    expect(await wrongToken.notify(alertmanagerPayload([{}]))).toEqual([
      { channel: '#pager', alerts: 1, ok: false, threaded: false, error: 'invalid_auth' },
    ]);
    const down = new AlertNotifier({
      slack: new SlackApi({ apiUrl: 'http://127.0.0.1:9/api', botToken: 'x', timeoutMs: 500 }),
      routing,
      threads: new MemoryThreads(),
    });
    expect((await down.notify(alertmanagerPayload([{}])))[0]).toMatchObject({
      ok: false,
      error: 'unreachable',
    });
    const none = new AlertNotifier({
      slack: new SlackApi({ apiUrl: slack.apiUrl }),
      routing,
      threads: new MemoryThreads(),
    });
    expect((await none.notify(alertmanagerPayload([{}])))[0]).toMatchObject({
      error: 'slack_not_configured',
    });
  });
});
