import { describe, expect, it } from 'vitest';
import { parseReceivers } from './config.js';

describe('parseReceivers', () => {
  it('reads name=url pairs', () => {
    expect(parseReceivers('chatops=http://127.0.0.1:8084/notifications/alertmanager, x=https://h/p')).toEqual(
      [
        { name: 'chatops', url: 'http://127.0.0.1:8084/notifications/alertmanager' },
        { name: 'x', url: 'https://h/p' },
      ],
    );
    expect(parseReceivers('')).toEqual([]);
  });
  it('names a bad entry', () => {
    expect(() => parseReceivers('chatops')).toThrow(/"chatops"/);
    expect(() => parseReceivers('a=ftp://x')).toThrow(/"a=ftp:\/\/x"/);
  });
});
