import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { CommonConfig, ConfigError, loadConfig, parseDotenv } from './load-config.js';

const Schema = Type.Object({
  PORT: Type.Integer({ default: 8081, minimum: 1, maximum: 65535 }),
  NAME: Type.String(),
  MODE: Type.Union([Type.Literal('open'), Type.Literal('admin')], { default: 'open' }),
  FLAG: Type.Boolean({ default: false }),
});

describe('loadConfig', () => {
  it('applies defaults and coerces types', () => {
    const c = loadConfig('t', Schema, { NAME: 'x', PORT: '9000', FLAG: 'true' }, { dotenvPath: false });
    expect(c).toEqual({ PORT: 9000, NAME: 'x', MODE: 'open', FLAG: true });
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig('t', Schema, { PORT: 'abc', MODE: 'closed' }, { dotenvPath: false });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const vars = (err as ConfigError).problems.map((p) => p.variable).sort();
      expect(vars).toEqual(['MODE', 'NAME', 'PORT']);
      expect((err as Error).message).toMatch(/NAME: is required/);
      expect((err as Error).message).toMatch(/MODE: got "closed", expected one of "open", "admin"/);
    }
  });

  it('refuses a TRUST_PROXY entry that is not an address, a CIDR or a known name', () => {
    expect(
      loadConfig('t', CommonConfig, { TRUST_PROXY: '10.0.0.0/8, loopback' }, { dotenvPath: false })
        .TRUST_PROXY,
    ).toBe('10.0.0.0/8, loopback');
    expect(loadConfig('t', CommonConfig, {}, { dotenvPath: false }).TRUST_PROXY).toBe('');
    expect(() => loadConfig('t', CommonConfig, { TRUST_PROXY: 'true' }, { dotenvPath: false })).toThrow(
      /TRUST_PROXY: got "true", expected proxies whose X-Forwarded-\* headers are believed/,
    );
  });

  it('takes DISCOVERY_TTL_SECONDS as whole seconds from 2 to 3600, 10 when unset, and names a bad one', () => {
    const ttl = (value?: string) =>
      loadConfig('t', CommonConfig, value === undefined ? {} : { DISCOVERY_TTL_SECONDS: value }, {
        dotenvPath: false,
      }).DISCOVERY_TTL_SECONDS;
    expect(ttl()).toBe(10);
    expect(ttl('3')).toBe(3);
    for (const bad of ['1', '0', '2.5', 'ten', '3601'])
      expect(() => ttl(bad), bad).toThrow(
        /DISCOVERY_TTL_SECONDS: got .*, expected whole seconds from 2 to 3600/,
      );
  });

  it('parses dotenv files', () => {
    expect(parseDotenv('# c\nA=1\nexport B="two words"\nC=\'x=y\'\n\nbad')).toEqual({
      A: '1',
      B: 'two words',
      C: 'x=y',
    });
  });
});
