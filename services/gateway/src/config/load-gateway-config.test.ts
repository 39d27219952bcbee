import { describe, expect, it } from 'vitest';
import { GatewayConfigError, parseGatewayConfig } from './load-gateway-config.js';

const good = `format_version: "1"
plugins:
  - name: cors
services:
  - name: ml
    upstream: ml-service
    routes:
      - name: ml-api
        paths: [/api/ml]
        strip_path: true
        plugins:
          - name: rate-limit
            config: { second: 5, minute: 100 }
`;

function issuesOf(text: string) {
  try {
    parseGatewayConfig(text, 'gw.yaml');
  } catch (err) {
    if (err instanceof GatewayConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected the config to be refused');
}

describe('parseGatewayConfig', () => {
  it('fills defaults of services, routes and plugin configs', () => {
    const config = parseGatewayConfig(good);
    const service = config.services[0]!;
    expect(service.balancer).toBe('least-outstanding');
    expect(service.healthchecks.passive.failures).toBe(3);
    expect(service.healthchecks.active.path).toBe('/health/ready');
    const rl = service.routes[0]!.plugins[0]!;
    expect(rl.config).toMatchObject({ policy: 'local', limit_by: 'consumer', second: 5, minute: 100 });
    expect(config.plugins[0]!.config).toMatchObject({ origins: ['*'], credentials: false });
  });

  it('names the line and the field path of a bad value', () => {
    const issues = issuesOf(good.replace('paths: [/api/ml]', 'paths: [api/ml]'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 9, path: 'services[0].routes[0].paths[0]' });
  });

  it('reports every problem at once, including plugin configs and unknown fields', () => {
    const text = good
      .replace('upstream: ml-service', 'upstream: ml-service\n    colour: blue')
      .replace('second: 5', 'second: -5');
    const issues = issuesOf(text);
    expect(issues.map((i) => i.path)).toEqual(['services[0].colour']);
    expect(issues[0]!.line).toBe(7);
    const pluginIssues = issuesOf(good.replace('second: 5', 'second: -5'));
    expect(pluginIssues[0]).toMatchObject({
      path: 'services[0].routes[0].plugins[0].config.second',
      line: 13,
    });
  });

  it('refuses an unknown plugin naming the known ones', () => {
    const issues = issuesOf(good.replace('- name: cors', '- name: magic'));
    expect(issues[0]!.path).toBe('plugins[0].name');
    expect(issues[0]!.line).toBe(3);
    expect(issues[0]!.message).toContain('request-transformer');
  });

  it('refuses duplicate names, a strip prefix that does not match and missing fields', () => {
    const dup =
      good.replace('name: ml-api', 'name: ml-api\n        methods: [GET]') + good.split('services:\n')[1];
    expect(issuesOf(dup).some((i) => i.message.includes('defined twice'))).toBe(true);
    const strip = issuesOf(good.replace('strip_path: true', 'strip_path: /api/auth'));
    expect(strip[0]).toMatchObject({ path: 'services[0].routes[0].paths[0]' });
    const missing = issuesOf(good.replace('    upstream: ml-service\n', ''));
    expect(missing[0]).toMatchObject({ path: 'services[0].upstream', line: 5 });
  });

  it('reports YAML syntax errors with their line', () => {
    const issues = issuesOf('format_version: "1"\nservices: [\n');
    expect(issues[0]!.line).toBeGreaterThan(1);
  });
});
