import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configDir, HostsStore } from './hosts.js';

describe('hosts.json', () => {
  const root = mkdtempSync(join(tmpdir(), 'opsmesh-hosts-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const entry = { user: 'a@b.c', user_id: 'usr_1', access_token: 'at', refresh_token: 'rt', expires_at: 'x' };

  it('lives in OPSMESH_CONFIG_DIR, else $XDG_CONFIG_HOME/opsmesh, else ~/.config/opsmesh', () => {
    expect(configDir({ OPSMESH_CONFIG_DIR: '/c' })).toBe('/c');
    expect(configDir({ XDG_CONFIG_HOME: '/x' })).toBe('/x/opsmesh');
    expect(configDir({})).toMatch(/\.config\/opsmesh$/);
  });

  it('is written whole with mode 0600 in a 0700 directory, the last login the default', () => {
    const store = new HostsStore(join(root, 'one'));
    expect(store.read()).toEqual({ hosts: {} });
    store.update('http://a', entry, true);
    store.update('http://b', { ...entry, user: 'b@b.c' });
    expect(store.read()).toEqual({
      default: 'http://a',
      hosts: { 'http://a': entry, 'http://b': { ...entry, user: 'b@b.c' } },
    });
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(statSync(store.dir).mode & 0o777).toBe(0o700);
    store.update('http://a', undefined);
    expect(store.read()).toEqual({ hosts: { 'http://b': { ...entry, user: 'b@b.c' } } });
  });

  it('names the file to delete when it is not JSON', () => {
    const store = new HostsStore(join(root, 'three'));
    store.update('http://a', entry);
    writeFileSync(store.path, '{"hosts": ');
    expect(() => store.read()).toThrow(/three\/hosts\.json is not valid JSON; delete it and log in again/);
  });

  it('runs one locked section at a time', async () => {
    const store = new HostsStore(join(root, 'two'));
    let inside = 0;
    let overlapped = false;
    const section = () =>
      store.withLock(async () => {
        inside++;
        if (inside > 1) overlapped = true;
        await new Promise((r) => setTimeout(r, 30));
        inside--;
      });
    await Promise.all([section(), section(), section()]);
    expect(overlapped).toBe(false);
  });
});
