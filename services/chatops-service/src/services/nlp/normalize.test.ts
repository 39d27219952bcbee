import { describe, expect, it } from 'vitest';
import { normalize } from './normalize.js';

describe('normalize', () => {
  it('joins prefixes split from their verb and keeps letter case', () => {
    expect(normalize('un-mute ServiceDown')).toBe('unmute ServiceDown');
    expect(normalize('un mute it')).toBe('unmute it');
    expect(normalize('re-enable HighErrorRatio')).toBe('reenable HighErrorRatio');
  });

  it('spells arrows, quotes, dashes and percent signs one way', () => {
    expect(normalize('move prod → v3')).toBe('move prod -> v3');
    expect(normalize('iris@prod=>v4')).toBe('iris@prod -> v4');
    expect(normalize('ack it “looking” – now')).toBe('ack it "looking" - now');
    expect(normalize('error % on auth')).toBe('error percent on auth');
    expect(normalize('  what’s   up  ')).toBe("what's up");
    expect(normalize('any SEV 1 or sev-2s?')).toBe('any sev1 or sev2s?');
  });
});
