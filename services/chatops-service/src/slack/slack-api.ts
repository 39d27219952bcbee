import type { Block } from './blocks.js';

export interface SlackApiOptions {
  /** Base of the Web API, `https://slack.com/api` in production, a local server in tests. */
  apiUrl: string;
  botToken?: string | undefined;
  timeoutMs?: number;
}

export interface SlackMessage {
  channel: string;
  text: string;
  blocks?: Block[];
  thread_ts?: string;
}

export type SlackResult = { ok: true; channel: string; ts: string } | { ok: false; error: string };

/**
 * The few Slack calls this service makes. Failures come back as `{ ok: false, error }` (Slack's own
 * error string, or `unreachable` / `timeout`), never as exceptions: a chat post must not break a run.
 */
export class SlackApi {
  constructor(private readonly options: SlackApiOptions) {}

  get canPost(): boolean {
    return Boolean(this.options.botToken);
  }

  postMessage(message: SlackMessage): Promise<SlackResult> {
    return this.call('chat.postMessage', message);
  }

  updateMessage(message: SlackMessage & { ts: string }): Promise<SlackResult> {
    return this.call('chat.update', message);
  }

  /**
   * Posts to an incoming webhook or a `response_url`; both answer plain `ok`. A redirect is not
   * followed (Slack's hooks never redirect; following one would carry the post to a host the
   * response_url policy never saw) and counts as a failure.
   */
  async postToUrl(url: string, body: object): Promise<{ ok: boolean; error?: string }> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      await res.text();
      if (res.status >= 300 && res.status < 400) return { ok: false, error: 'redirect_refused' };
      return res.ok ? { ok: true } : { ok: false, error: `http_${res.status}` };
    } catch (err) {
      return { ok: false, error: errorName(err) };
    }
  }

  private async call(method: string, body: object): Promise<SlackResult> {
    if (!this.options.botToken) return { ok: false, error: 'not_configured' };
    try {
      const res = await fetch(`${this.options.apiUrl.replace(/\/$/, '')}/${method}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          authorization: `Bearer ${this.options.botToken}`,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      const data = (await res.json().catch(() => ({}))) as {
        ok?: boolean;
        channel?: string;
        ts?: string;
        error?: string;
      };
      if (data.ok && data.channel && data.ts) return { ok: true, channel: data.channel, ts: data.ts };
      return { ok: false, error: data.error ?? `http_${res.status}` };
    } catch (err) {
      return { ok: false, error: errorName(err) };
    }
  }
}

function errorName(err: unknown): string {
  return err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'unreachable';
}
