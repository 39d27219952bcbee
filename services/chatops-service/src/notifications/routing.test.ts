import { describe, expect, it } from 'vitest';
import { channelFor, parseRoutes, partitionByChannel } from './routing.js';

describe('notification routing', () => {
  const table = parseRoutes(
    'severity=critical:#pager; service=ml-service,severity=warning:#ml-alerts',
    '#alerts',
  );

  it('parses routes with several matchers', () => {
    expect(table.routes).toEqual([
      { match: { severity: 'critical' }, channel: '#pager' },
      { match: { service: 'ml-service', severity: 'warning' }, channel: '#ml-alerts' },
    ]);
  });

  it('sends each alert to the first matching route, else the default', () => {
    expect(channelFor(table, { labels: { severity: 'critical', service: 'auth-service' } })).toBe('#pager');
    expect(channelFor(table, { labels: { severity: 'warning', service: 'ml-service' } })).toBe('#ml-alerts');
    expect(channelFor(table, { labels: { severity: 'warning', service: 'gateway' } })).toBe('#alerts');
  });

  it('partitions a group by channel', () => {
    const parts = partitionByChannel(table, [
      { labels: { severity: 'critical' } },
      { labels: { severity: 'info' } },
      { labels: { severity: 'critical' } },
    ]);
    expect([...parts.keys()]).toEqual(['#pager', '#alerts']);
    expect(parts.get('#pager')).toHaveLength(2);
  });

  it('rejects bad specs naming the entry', () => {
    expect(() => parseRoutes('severity:#x', '#a')).toThrow(/bad matcher/);
    expect(() => parseRoutes('severity=critical', '#a')).toThrow(/needs labels and a channel/);
    expect(parseRoutes('', '#a').routes).toEqual([]);
  });
});
