/**
 * Which `response_url`s this service may post a reply to. The URL arrives inside a signed Slack
 * request, but the signature only proves Slack relayed the text: a workspace member can still
 * craft an interaction payload, and a leaked signing secret would otherwise turn the service
 * into a proxy onto internal hosts. So replies go only to origins on an allow-list: by default
 * Slack's own HTTPS hook hosts (commercial and GovSlack), on the default port.
 */

/** Slack's documented `response_url` hosts: `https://hooks.slack.com/commands|actions/...`. */
export const SLACK_RESPONSE_ORIGINS = 'https://hooks.slack.com,https://hooks.slack-gov.com';

interface OriginPattern {
  scheme: 'http:' | 'https:';
  /** Exact host, or a suffix when the pattern was `*.example.com` (stored as `.example.com`). */
  host: string;
  wildcardHost: boolean;
  /** Exact port (the scheme's default when the pattern named none), or `*`. */
  port: string;
}

export type ResponseUrlCheck = { ok: true; url: string } | { ok: false; reason: string; origin: string };

const PATTERN = /^(https?):\/\/(\*\.[a-z0-9.-]+|[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\*|\d{1,5}))?\/?$/i;
const DEFAULT_PORT = { 'http:': '80', 'https:': '443' } as const;

/**
 * Parses a comma-separated list of origins (`scheme://host[:port]`, host may start with `*.`,
 * port may be `*`); throws naming every entry that is not one.
 *
 * @example
 * parseOriginList('https://hooks.slack.com,http://127.0.0.1:*')
 */
export function parseOriginList(text: string): OriginPattern[] {
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = entries.filter((e) => !PATTERN.test(e));
  if (bad.length > 0) {
    throw new Error(
      `SLACK_RESPONSE_URL_ALLOW: ${bad.map((b) => `"${b}"`).join(', ')} is not an origin; write scheme://host[:port], e.g. https://hooks.slack.com or http://127.0.0.1:*`,
    );
  }
  return entries.map((entry) => {
    const [, scheme, host, port] = PATTERN.exec(entry)!;
    const s = `${scheme!.toLowerCase()}:` as OriginPattern['scheme'];
    const h = host!.toLowerCase();
    return {
      scheme: s,
      host: h.startsWith('*.') ? h.slice(1) : h,
      wildcardHost: h.startsWith('*.'),
      port: port ?? DEFAULT_PORT[s],
    };
  });
}

/** Decides, from the allow-list, whether a reply may be posted to a caller-named URL. */
export class ResponseUrlPolicy {
  private readonly patterns: OriginPattern[];

  constructor(allow: string = SLACK_RESPONSE_ORIGINS) {
    this.patterns = parseOriginList(allow);
  }

  /**
   * `ok` with the normalised URL when it may be posted to; otherwise the reason and the origin
   * (never the path, which carries Slack's one-time token) for the log line.
   *
   * @example
   * new ResponseUrlPolicy().check('http://169.254.169.254/latest') // { ok: false, ... }
   */
  check(raw: string): ResponseUrlCheck {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { ok: false, reason: 'not an absolute URL', origin: 'unparsable' };
    }
    const origin = `${url.protocol}//${url.host}`;
    if (url.username || url.password) {
      return { ok: false, reason: 'a URL with credentials in it', origin };
    }
    const port = url.port || DEFAULT_PORT[url.protocol as OriginPattern['scheme']] || '';
    const host = url.hostname.toLowerCase();
    const allowed = this.patterns.some(
      (p) =>
        p.scheme === url.protocol &&
        (p.wildcardHost ? host.endsWith(p.host) && host.length > p.host.length : host === p.host) &&
        (p.port === '*' || p.port === port),
    );
    if (!allowed) {
      return {
        ok: false,
        reason: 'not an allowed origin; Slack replies go only to the origins in SLACK_RESPONSE_URL_ALLOW',
        origin,
      };
    }
    return { ok: true, url: url.href };
  }
}
