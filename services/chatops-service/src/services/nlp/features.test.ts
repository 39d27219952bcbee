import { describe, expect, it } from 'vitest';
import { features } from './features.js';
import { intentModel, readIntentModel } from './intent-model.js';

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

  it('ranks a message by its words the same as by its whole feature list, cached words or not', () => {
    const { classifier } = intentModel(readIntentModel());
    const messages = [
      'silence _alert_ for _dur_',
      'stop muting _alert_ pls',
      'who silenced _alert_ yesterday',
      'roll back _model_ to _ver_',
      'silence _alert_ for _dur_',
      'book me a flight to lisbon',
      '',
    ];
    for (const m of messages) {
      const byWords = classifier.rankMessage(m);
      const byList = classifier.rank(features(m));
      expect(byWords.map((r) => r.label)).toEqual(byList.map((r) => r.label));
      byWords.forEach((r, i) => expect(r.probability).toBeCloseTo(byList[i]!.probability, 12));
    }
  });
});
