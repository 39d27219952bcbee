import { describe, expect, it } from 'vitest';
import { features } from './features.js';

describe('features', () => {
  it('gives words, pairs, concepts and character n-grams', () => {
    const f = features('snooze _alert_');
    expect(f).toContain('w:snooze');
    expect(f).toContain('b:^ snooze');
    expect(f).toContain('k:silence');
    expect(f).toContain('f:silence');
    expect(f).toContain('c: sn');
  });

  it('reads phrasal verbs by their particle', () => {
    expect(features('roll back _model_')).toContain('k:rollback');
    expect(features('roll out _model_')).toContain('k:promote');
    // An alarm that "went off" fired: a question about alerts, not about going anywhere.
    expect(features('what went off overnight')).toContain('k:alerting');
    expect(features('is anything going off')).toContain('k:alerting');
  });

  it('marks negation and past forms', () => {
    expect(features('stop muting _alert_')).toContain('n:silence');
    expect(features('who acked _alert_')).toContain('k:past');
    // The past form keeps its concept: "silenced" is history, "linked" a question about oneself.
    expect(features('who silenced _alert_')).toContain('p:silence');
    expect(features('is my slack linked')).toContain('p:link');
  });
});
