import type { Alert, Silence } from '@opsmesh/contracts';
import { describe, expect, it } from 'vitest';
import { pickAlerts, pickSilence } from './alert-targets.js';

const alert = (fingerprint: string, alertname: string, service: string) =>
  ({ fingerprint, alertname, labels: { service }, state: 'firing' }) as unknown as Alert;
const alerts = [
  alert('3fa9c1d2e4b5a6f7', 'ServiceDown', 'ml-service'),
  alert('3fb0aa00bb11cc22', 'HighErrorRatio', 'gateway'),
  alert('12ab34cd56ef7890', 'ServiceDown', 'auth-service'),
];

describe('alert targets', () => {
  it('picks the alert an id prefix names, or all of a name', () => {
    expect(pickAlerts(alerts, { alert_id: '3fa9' }, 'ack')).toEqual({ alerts: [alerts[0]] });
    expect(pickAlerts(alerts, { alert_id: '12' }, 'ack')).toEqual({ alerts: [alerts[2]] });
    expect(pickAlerts(alerts, { alert: 'ServiceDown' }, 'ack')).toEqual({ alerts: [alerts[0], alerts[2]] });
  });

  it('answers an ambiguous or unknown id with the alerts it could mean, as buttons', () => {
    const several = pickAlerts(alerts, { alert_id: '3f' }, 'ack');
    expect(several).toMatchObject({
      reply:
        'Several active alerts have an id starting with 3f; which one?\n• `3fa9` ServiceDown on ml-service\n• `3fb0` HighErrorRatio on gateway',
      choices: [
        { label: '3fa9 ServiceDown', text: '/ops alerts ack 3fa9' },
        { label: '3fb0 HighErrorRatio', text: '/ops alerts ack 3fb0' },
      ],
      failed: false,
    });
    const none = pickAlerts(alerts, { alert_id: '99' }, 'silence');
    expect(none).toMatchObject({
      failed: false,
      choices: expect.arrayContaining([{ label: '12ab ServiceDown', text: '/ops alerts silence 12ab' }]),
    });
    expect(pickAlerts([], { alert_id: '99' }, 'ack')).toMatchObject({ failed: true });
  });

  it('picks a silence by any prefix of its id', () => {
    const silence = (id: string) =>
      ({
        id,
        matchers: [{ name: 'alertname', op: '=', value: 'ServiceDown' }],
        endsAt: '2026-01-01T00:00:00Z',
      }) as unknown as Silence;
    const active = [silence('sil_mf3k2x1a0123'), silence('sil_mf3k2y9b00aa')];
    expect(pickSilence(active, 'mf3k2x')).toEqual({ silence: active[0] });
    expect(pickSilence(active, 'sil_mf3k2y')).toEqual({ silence: active[1] });
    expect(pickSilence(active, 'mf3k2')).toMatchObject({
      reply: expect.stringMatching(/^Several active silences have an id starting with mf3k2/),
      choices: [{ label: 'mf3k2x', text: '/ops alerts unsilence mf3k2x' }, expect.anything()],
    });
  });
});
