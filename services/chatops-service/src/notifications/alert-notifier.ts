import type { SlackApi } from '../slack/slack-api.js';
import { formatAlertGroup } from './alert-message.js';
import type { AlertmanagerPayload } from './alertmanager-payload.js';
import { partitionByChannel, type RoutingTable } from './routing.js';

/** Where the first message of an alert group went, so later updates land in its thread. */
export interface NotificationThread {
  groupKey: string;
  channel: string;
  channelId: string;
  ts: string;
  status: 'firing' | 'resolved';
}

export interface ThreadStore {
  find(groupKey: string, channel: string): Promise<NotificationThread | undefined>;
  save(thread: NotificationThread): Promise<void>;
}

export interface Delivery {
  channel: string;
  alerts: number;
  ok: boolean;
  threaded: boolean;
  error?: string;
}

export interface AlertNotifierDeps {
  slack: SlackApi;
  routing: RoutingTable;
  threads: ThreadStore;
  /** Incoming webhook used when no bot token is configured (no threads then). */
  webhookUrl?: string | undefined;
}

/**
 * Posts Alertmanager groups to Slack: one message per destination channel; later notifications of
 * the same group update that message and reply in its thread, so a resolution lands where the page was.
 */
export class AlertNotifier {
  constructor(private readonly deps: AlertNotifierDeps) {}

  async notify(payload: AlertmanagerPayload): Promise<Delivery[]> {
    const out: Delivery[] = [];
    for (const [channel, alerts] of partitionByChannel(this.deps.routing, payload.alerts)) {
      const message = formatAlertGroup(payload, alerts);
      const status = alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved';
      if (!this.deps.slack.canPost) {
        if (!this.deps.webhookUrl) {
          out.push({
            channel,
            alerts: alerts.length,
            ok: false,
            threaded: false,
            error: 'slack_not_configured',
          });
          continue;
        }
        const sent = await this.deps.slack.postToUrl(this.deps.webhookUrl, { ...message, channel });
        out.push({
          channel,
          alerts: alerts.length,
          ok: sent.ok,
          threaded: false,
          ...(sent.error ? { error: sent.error } : {}),
        });
        continue;
      }
      const thread = await this.deps.threads.find(payload.groupKey, channel);
      if (thread) {
        const updated = await this.deps.slack.updateMessage({
          channel: thread.channelId,
          ts: thread.ts,
          ...message,
        });
        const reply = await this.deps.slack.postMessage({
          channel: thread.channelId,
          thread_ts: thread.ts,
          text: message.text,
        });
        await this.deps.threads.save({ ...thread, status });
        const error = !updated.ok ? updated.error : !reply.ok ? reply.error : undefined;
        out.push({ channel, alerts: alerts.length, ok: !error, threaded: true, ...(error ? { error } : {}) });
        continue;
      }
      const posted = await this.deps.slack.postMessage({ channel, ...message });
      if (posted.ok) {
        await this.deps.threads.save({
          groupKey: payload.groupKey,
          channel,
          channelId: posted.channel,
          ts: posted.ts,
          status,
        });
        out.push({ channel, alerts: alerts.length, ok: true, threaded: false });
      } else out.push({ channel, alerts: alerts.length, ok: false, threaded: false, error: posted.error });
    }
    return out;
  }
}
