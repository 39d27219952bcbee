import { describe, expect, it } from 'vitest';
import { fieldsInWords } from './field-syntax.js';

describe('fieldsInWords', () => {
  it('says command-line flags, key=value pairs and calls in words', () => {
    expect(fieldsInWords('!silence --rule ErrorBudgetBurnFast --svc gateway --for 90m -m "load test"')).toBe(
      '!silence  ErrorBudgetBurnFast  on gateway  for 90m  "load test"',
    );
    expect(fieldsInWords('/ops silence id=4c1f dur=1d')).toBe('/ops silence id 4c1f for 1d');
    expect(fieldsInWords("!ack id=b41e reason='known flake'")).toBe('!ack id b41e "known flake"');
    expect(fieldsInWords('/ops history --user=jdoe --window 12h')).toBe(
      '/ops history  user jdoe  over the last 12h',
    );
    expect(fieldsInWords('silence(alert="DiskIOSaturated", for="6h", comment="disk swap")')).toBe(
      'silence DiskIOSaturated, for 6h, "disk swap"',
    );
    expect(fieldsInWords('model=churn v=7 -> prod')).toBe('churn version 7 -> prod');
  });

  it('reads a JSON object as its fields, and --help as help', () => {
    expect(
      fieldsInWords('{"action":"promote","model":"churn-predictor","version":23,"alias":"staging"}').trim(),
    ).toBe('promote, churn-predictor, version 23, staging');
    expect(fieldsInWords('/ops history --help')).toBe('/ops history  help ');
  });

  it('reads a form of KEY: value lines, and only a form of two lines or more', () => {
    expect(
      fieldsInWords(
        'ACTION: silence\nRULE: PodCrashLooping\nSERVICE: chatops\nDURATION: 30m\nREASON: rollback underway',
      ),
    ).toBe('silence\nPodCrashLooping\non chatops\nfor 30m\n"rollback underway"');
    expect(fieldsInWords('SIGNAL: availability\nWINDOW: last 24h')).toBe('availability\nlast 24h');
    expect(fieldsInWords('note: the deploy is done')).toBe('note: the deploy is done');
  });

  it('leaves fields it does not know, and plain text, as written', () => {
    expect(fieldsInWords('> p99=2.4s (threshold 1s) HighLatencyP99 firing')).toBe(
      '> p99=2.4s (threshold 1s) HighLatencyP99 firing',
    );
    expect(fieldsInWords('ack 42 -- known flake')).toBe('ack 42 -- known flake');
    expect(fieldsInWords('re-enable the gateway alerts')).toBe('re-enable the gateway alerts');
    expect(fieldsInWords('is auth up')).toBe('is auth up');
  });
});
