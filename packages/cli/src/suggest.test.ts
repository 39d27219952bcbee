import { describe, expect, it } from 'vitest';
import { didYouMean } from './suggest.js';

describe('didYouMean', () => {
  it('finds the name a slip of the keyboard meant', () => {
    expect(didYouMean('emial', ['email', 'name', 'role', 'password'])).toBe('email');
    expect(didYouMean('silense', ['list', 'ack', 'silence', 'unsilence', 'silences'])).toBe('silence');
    expect(didYouMean('user', ['login', 'users', 'models', 'alerts'])).toBe('users');
    expect(didYouMean('logn', ['login', 'logout', 'whoami'])).toBe('login');
    expect(didYouMean('Modles', ['users', 'models'])).toBe('models');
    expect(didYouMean('reset', ['list', 'create', 'disable', 'reset-password'])).toBe('reset-password');
  });

  it('suggests nothing for a word close to no name', () => {
    expect(didYouMean('deploy', ['users', 'models', 'alerts', 'traces', 'admin'])).toBeUndefined();
    expect(didYouMean('x', ['json', 'url'])).toBeUndefined();
    expect(didYouMean('anything', [])).toBeUndefined();
  });
});
