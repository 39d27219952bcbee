import { describe, expect, it } from 'vitest';
import { looksLikeCode, withoutPastedCode } from './pasted-code.js';

describe('withoutPastedCode', () => {
  it('tells code, shell sessions and logs from commands by their syntax', () => {
    expect(looksLikeCode("SELECT * FROM alerts WHERE severity = 'critical';")).toBe(true);
    expect(looksLikeCode('$ kubectl get pods -n ml')).toBe(true);
    expect(looksLikeCode('git revert HEAD~1')).toBe(true);
    expect(looksLikeCode('2026-12-06T03:12:44Z conn refused')).toBe(true);
    expect(looksLikeCode('predict iris 6.3 3.3 6.0 2.5')).toBe(false);
    expect(looksLikeCode('JK29-QW84')).toBe(false);
  });

  it('drops fenced code and keeps fenced commands and the words around the code', () => {
    expect(withoutPastedCode('```sql\nSELECT * FROM alerts;\n```')).toEqual({
      text: '',
      code: true,
      blocks: ['SELECT * FROM alerts;\n'],
    });
    expect(withoutPastedCode('what is this?\n```\nSELECT 1;\n```')).toEqual({
      text: 'what is this?',
      code: true,
      blocks: ['SELECT 1;\n'],
    });
    expect(withoutPastedCode('kubectl logs -f ml-5c7d')).toEqual({ text: '', code: true, blocks: [] });
    expect(withoutPastedCode('make iris v3 the champion').code).toBe(false);
    expect(withoutPastedCode('```{"model": "churn", "inputs": [4, 0, 1.5]}``` this pls')).toEqual({
      text: 'churn 4 0 1.5 this pls',
      code: true,
      blocks: [],
    });
    expect(
      withoutPastedCode('curl says `curl: (7) Failed to connect: Connection refused`, is auth up?'),
    ).toEqual({
      text: 'curl says , is auth up?',
      code: true,
      blocks: ['curl: (7) Failed to connect: Connection refused'],
    });
    expect(withoutPastedCode('got `502 Bad Gateway` from gw').code).toBe(false);
    expect(withoutPastedCode('```predict churn-predictor 12 1 0 3```')).toEqual({
      text: '```predict churn-predictor 12 1 0 3```',
      code: false,
      blocks: [],
    });
  });
});
