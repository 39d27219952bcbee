import { readFileSync } from 'node:fs';
import { CommonConfig } from '@opsmesh/shared';
import { describe, expect, it } from 'vitest';
import { GatewayEnvSchema } from './env-config.js';

describe('gateway configuration', () => {
  it('is documented in the gateway README: every variable of its own with its default and meaning', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = new Map(
      readme
        .split('\n')
        .filter((l) => l.startsWith('| `'))
        .map((l) => {
          const cells = l.split('|').map((c) => c.trim());
          return [
            cells[1]!.replaceAll('`', ''),
            { value: cells[2]!.replaceAll('`', ''), meaning: cells[3]! },
          ];
        }),
    );
    const own = Object.keys(GatewayEnvSchema.properties).filter((n) => !(n in CommonConfig.properties));
    for (const name of own) {
      const s = GatewayEnvSchema.properties[name as keyof typeof GatewayEnvSchema.properties] as {
        default?: unknown;
        description?: string;
      };
      const row = rows.get(name);
      expect(row, `${name} has no row in the gateway README's configuration table`).toBeDefined();
      const fallback = s.default === undefined ? '' : String(s.default);
      // Paths inside the checkout are shown relative to it.
      if (fallback.startsWith('/')) expect(fallback.endsWith(row!.value), name).toBe(true);
      else expect(row!.value, name).toBe(fallback);
      expect(row!.meaning, `${name} needs its meaning in the README`).not.toBe('');
      if (s.description) expect(row!.meaning, name).toBe(s.description);
    }
    expect([...rows.keys()].sort()).toEqual(own.sort());
  });
});
