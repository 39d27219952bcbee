import { describe, expect, it } from 'vitest';
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
    expect(humanize(1_234_567)).toBe('1.2346M');
    expect(humanize(0.0042)).toBe('4.2m');
    expect(humanizeDuration(3_725)).toBe('1h 2m 5s');
    expect(humanizeDuration(0.25)).toBe('250ms');
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
});
