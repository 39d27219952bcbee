import { describe, expect, it } from 'vitest';
import { LiveConfig } from './live-config.js';

const valid = (upstream: string) => `format_version: "1"
services:
  - name: ml
    upstream: ${upstream}
    routes:
      - name: ml-api
        paths: [/api/ml]
`;

describe('LiveConfig', () => {
  it('swaps in a good config and keeps the old one when the new one is bad', async () => {
    let text = valid('ml-a');
    const results: boolean[] = [];
    const live = await LiveConfig.load(
      { path: 'gw.yaml', read: async () => text, onReload: (r) => results.push(r.ok) },
      (c) => c.services[0]!.upstream,
    );
    expect(live.current).toBe('ml-a');
    text = valid('ml-b');
    expect(await live.reload()).toEqual({ ok: true, version: 2 });
    expect(live.current).toBe('ml-b');
    text = valid('ml-c').replace('paths: [/api/ml]', 'paths: []');
    const bad = await live.reload();
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain('gw.yaml:7');
    expect(live.current).toBe('ml-b');
    expect(live.version).toBe(2);
    expect(results).toEqual([true, false]);
  });

  it('refuses to start on a bad file', async () => {
    await expect(
      LiveConfig.load({ path: 'x.yaml', read: async () => 'services: 3' }, (c) => c),
    ).rejects.toThrow(/x.yaml:1/);
  });
});
