import { describe, expect, it } from 'vitest';
import { SilenceSet, silenceState } from './silences.js';

describe('silences', () => {
  const silence = {
    id: 'sil_1',
    matchers: [
      { name: 'alertname', op: '=' as const, value: 'ServiceDown' },
      { name: 'service', op: '=~' as const, value: 'auth-.*' },
    ],
    startsAt: 1000,
    endsAt: 5000,
    createdBy: 'usr_1',
    comment: 'maintenance',
    createdAt: 0,
  };
  it('is pending, active, then expires on its own', () => {
    expect(silenceState(silence, 0)).toBe('pending');
    expect(silenceState(silence, 1000)).toBe('active');
    expect(silenceState(silence, 5000)).toBe('expired');
  });
  it('mutes matching alerts only while active', () => {
    const set = new SilenceSet();
    set.replace([silence]);
    const labels = { alertname: 'ServiceDown', service: 'auth-service' };
    expect(set.mutedBy(labels, 500)).toEqual([]);
    expect(set.mutedBy(labels, 2000)).toEqual(['sil_1']);
    expect(set.mutedBy({ ...labels, service: 'ml-service' }, 2000)).toEqual([]);
    expect(set.mutedBy(labels, 5000)).toEqual([]);
  });

  it('takes one changed silence without recompiling the rest, and counts those in force', () => {
    const set = new SilenceSet();
    const base = { createdBy: 'usr_1', comment: '', createdAt: 0 };
    const a = {
      ...base,
      id: 'sil_a',
      matchers: [{ name: 'alertname', op: '=' as const, value: 'A' }],
      startsAt: 0,
      endsAt: 100,
    };
    set.replace([a]);
    set.upsert({
      ...base,
      id: 'sil_b',
      matchers: [{ name: 'alertname', op: '=' as const, value: 'B' }],
      startsAt: 0,
      endsAt: 100,
    });
    expect(set.mutedBy({ alertname: 'B' }, 50)).toEqual(['sil_b']);
    set.upsert({ ...a, endsAt: 50 });
    expect(set.mutedBy({ alertname: 'A' }, 60)).toEqual([]);
    expect(set.list().map((s) => s.id)).toEqual(['sil_b', 'sil_a']);
  });
});
