import { describe, expect, it } from 'vitest';
import { defaultRules } from './default-rules.js';
import { compileTemplate, humanize, humanizeDuration, renderTemplate, TemplateError } from './template.js';

describe('templates', () => {
  it('renders $value and $labels', () => {
    expect(renderTemplate('{{ $labels.service }} is at {{ $value }}', { service: 'api' }, 0.5)).toBe(
      'api is at 0.5',
    );
    expect(renderTemplate('{{$labels.missing}}!', {}, 1)).toBe('!');
  });
  it('renders the humanize functions', () => {
    expect(renderTemplate('{{ humanizePercentage $value }}', {}, 0.1234)).toBe('12.34%');
    expect(humanize(1_234_567)).toBe('1.235M');
    expect(humanize(0.0042)).toBe('4.2m');
    expect(humanizeDuration(3_725)).toBe('1h 2m 5s');
    expect(humanizeDuration(0.25)).toBe('250ms');
    // Four significant digits below a second, as Prometheus (found by the conformance test).
    expect(humanizeDuration(0.5649804)).toBe('565ms');
    expect(humanizeDuration(0.0000125)).toBe('12.5us');
    expect(humanizeDuration(4.8)).toBe('4.8s');
    expect(humanizeDuration(12.34567)).toBe('12.35s');
  });
  it.each([
    ['{{ $value', /never closed/],
    ['{{ $nope }}', /unknown reference/],
    ['{{ printf "%d" $value }}', /unsupported/],
    ['{{ humanize $labels.a }}', /applies to \$value/],
    ['{{ }}', /unknown reference|unsupported/],
  ])('rejects %s', (text, message) => {
    expect(() => compileTemplate(text)).toThrow(TemplateError);
    expect(() => compileTemplate(text)).toThrow(message);
  });

  it('renders the built-in summaries readably: burn rates rounded, short latencies not cut', () => {
    const rules = Object.fromEntries(defaultRules({ sloObjective: 0.999 }).map((r) => [r.name, r]));
    const summary = (name: string, value: number) =>
      renderTemplate(rules[name]!.annotations['summary']!, { service: 'ml-service' }, value);
    expect(summary('ErrorBudgetBurnFast', 113.13244995369912)).toBe(
      'ml-service burns its error budget 113.1x too fast',
    );
    expect(summary('HighLatencyP99', 4.8)).toBe('ml-service p99 latency is 4.8s');
  });
});
