import { describe, expect, it } from 'vitest';
import { OrderedLines, startDependencies } from './start-order.js';

describe('startDependencies', () => {
  const platform = [
    { name: 'auth', public: false },
    { name: 'ml', public: false, after: ['auth'] },
    { name: 'chat', public: false, after: ['auth', 'ml-not-started'] },
    { name: 'gateway', public: true },
  ];

  it('waits for what each names and is being started; the public entry waits for all the others', () => {
    expect(Object.fromEntries(startDependencies(platform))).toEqual({
      auth: [],
      ml: ['auth'],
      chat: ['auth'],
      gateway: ['auth', 'ml', 'chat'],
    });
    // A subset (npm start -- ml): nothing to wait for.
    expect(startDependencies([platform[1]!]).get('ml')).toEqual([]);
  });

  it('names services that wait for each other', () => {
    expect(() =>
      startDependencies([
        { name: 'a', public: false, after: ['b'] },
        { name: 'b', public: false, after: ['a'] },
      ]),
    ).toThrow('services wait for each other and would never start: a -> b -> a');
  });
});

describe('OrderedLines', () => {
  it('shows lines of services started together in their listed order, each once those before are ready', () => {
    const shown: string[] = [];
    const order = new OrderedLines(['auth', 'ml', 'chat', 'gateway']);
    const write = (service: string, line: string) =>
      order.write(service, () => shown.push(`${service}: ${line}`));
    write('auth', 'migrated');
    write('chat', 'migrated');
    write('ml', 'migrated');
    order.ready('auth');
    write('chat', 'ready');
    order.ready('chat');
    expect(shown).toEqual(['auth: migrated', 'ml: migrated']);
    write('ml', 'ready');
    order.ready('ml');
    write('auth', 'a later warning');
    expect(shown).toEqual([
      'auth: migrated',
      'ml: migrated',
      'ml: ready',
      'chat: migrated',
      'chat: ready',
      'auth: a later warning',
    ]);
    write('gateway', 'ready');
    expect(shown.at(-1)).toBe('gateway: ready');
  });

  it('shows everything held when released (a failed start) and everything live after', () => {
    const shown: string[] = [];
    const order = new OrderedLines(['auth', 'ml']);
    order.write('ml', () => shown.push('ml crashed'));
    expect(shown).toEqual([]);
    order.release();
    order.write('ml', () => shown.push('ml restarting'));
    expect(shown).toEqual(['ml crashed', 'ml restarting']);
  });
});
