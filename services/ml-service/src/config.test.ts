import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MlConfigSchema } from './config.js';

describe('ml-service configuration', () => {
  it('is documented in the README: every variable with its default and meaning', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = new Map(
      readme
        .split('\n')
        .filter((l) => l.startsWith('| `ML_'))
        .map((l) => {
          const cells = l.split('|').map((c) => c.trim());
          return [
            cells[1]!.replaceAll('`', ''),
            { value: cells[2]!.replaceAll('`', ''), meaning: cells[3]! },
          ];
        }),
    );
    const documented: string[] = [];
    for (const [name, schema] of Object.entries(MlConfigSchema.properties)) {
      if (!name.startsWith('ML_')) continue;
      documented.push(name);
      const s = schema as { default?: unknown; description?: string };
      const row = rows.get(name);
      expect(row, `${name} has no row in the README's configuration table`).toBeDefined();
      expect(row!.value, name).toBe(s.default === undefined ? '' : String(s.default));
      expect(row!.meaning, name).toBe(s.description ?? '');
      expect(s.description, `${name} needs a description in config.ts`).toBeTruthy();
    }
    expect([...rows.keys()].sort()).toEqual(documented.sort());
  });
});
