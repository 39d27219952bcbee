import { describe, expect, it } from 'vitest';
import { parseOriginList, ResponseUrlPolicy } from './response-url-policy.js';

describe('response_url policy', () => {
  it("allows only Slack's own HTTPS hook hosts by default", () => {
    const policy = new ResponseUrlPolicy();
    for (const url of [
      'https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN',
      'https://hooks.slack.com:443/actions/T1/2/abc',
      'https://HOOKS.slack.com/actions/T1/2/abc',
      'https://hooks.slack-gov.com/commands/T1/2/abc',
    ]) {
      expect(policy.check(url).ok, url).toBe(true);
    }
    for (const url of [
      'http://hooks.slack.com/commands/T1/2/abc',
      'https://hooks.slack.com:8443/commands/T1/2/abc',
      'https://hooks.slack.com.attacker.example/commands',
      'https://evil.hooks.slack.com/commands',
      'https://slack.com/api/chat.postMessage',
      'https://user:pw@hooks.slack.com/commands/T1/2/abc',
      'http://127.0.0.1:8081/users',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:8083/silences',
      'file:///etc/passwd',
      'not a url',
      '',
    ]) {
      expect(policy.check(url).ok, url).toBe(false);
    }
  });

  it('names the origin of a refused URL but never its path, which holds the one-time token', () => {
    const check = new ResponseUrlPolicy().check('http://10.0.0.5:9000/hooks/T1/secret-token');
    expect(check).toMatchObject({ ok: false, origin: 'http://10.0.0.5:9000' });
    expect(JSON.stringify(check)).not.toContain('secret-token');
  });

  it('takes an allow-list of origins with wildcard hosts and ports, which replaces the default', () => {
    const policy = new ResponseUrlPolicy('http://127.0.0.1:*, https://*.chat.example');
    expect(policy.check('http://127.0.0.1:41234/hooks/x').ok).toBe(true);
    expect(policy.check('http://127.0.0.1/hooks/x').ok).toBe(true);
    expect(policy.check('https://hooks.chat.example/x').ok).toBe(true);
    expect(policy.check('https://chat.example/x').ok).toBe(false);
    expect(policy.check('https://badchat.example/x').ok).toBe(false);
    expect(policy.check('http://localhost:41234/hooks/x').ok).toBe(false);
    expect(policy.check('https://hooks.slack.com/commands/T1/2/abc').ok).toBe(false);
    const exact = new ResponseUrlPolicy('http://127.0.0.1:8099');
    expect(exact.check('http://127.0.0.1:8099/a').ok).toBe(true);
    expect(exact.check('http://127.0.0.1:8098/a').ok).toBe(false);
  });

  it('refuses an allow-list entry that is not an origin, naming each one', () => {
    expect(() => parseOriginList('hooks.slack.com, ftp://x, https://ok.example')).toThrow(
      /"hooks\.slack\.com", "ftp:\/\/x" is not an origin/,
    );
    expect(() => parseOriginList('https://a.example/path')).toThrow(/not an origin/);
  });
});
