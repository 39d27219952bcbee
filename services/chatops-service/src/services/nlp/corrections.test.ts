import { describe, expect, it } from 'vitest';
import { applyCorrections } from './corrections.js';

describe('applyCorrections', () => {
  it('puts the value named after a taking-back word in place of the last one of its shape', () => {
    expect(applyCorrections('silence HighErrorRatio 2h, no wait, 3h')).toBe('silence HighErrorRatio 3h');
    expect(applyCorrections('silence ServiceDown for 2h, no wait, HighLatencyP99')).toBe(
      'silence HighLatencyP99 for 2h',
    );
    expect(applyCorrections('ack 12 no wait 13')).toBe('ack 13');
    expect(applyCorrections('ack alert #5, no wait, #6')).toBe('ack alert #6');
    expect(applyCorrections('predict iris 1 2 3 4, no wait, 5 2 3 1')).toBe('predict iris 5 2 3 1');
    expect(applyCorrections('promote iris v2... actually v3 to staging')).toBe('promote iris v3 to staging');
    expect(applyCorrections('mute ml for 1h, make that 2h')).toBe('mute ml for 2h');
  });

  it('replaces the last word, or restarts at the same word, and a restated command replaces all', () => {
    expect(applyCorrections('rollback iris... no, churn')).toBe('rollback churn');
    expect(applyCorrections('latency for auth... sorry i meant ml')).toBe('latency for ml');
    expect(applyCorrections('error budget... i mean error rate on the gateway')).toBe(
      'error rate on the gateway',
    );
    expect(applyCorrections('ack it, no wait, silence it for 1h')).toBe('silence it for 1h');
  });

  it('leaves messages that take nothing back as they are', () => {
    for (const text of [
      'is the gateway actually healthy',
      'ack 12, no need to page anyone',
      'silence it, no wait',
      'how do I... nvm, here: P0O9-I8U7 link',
    ])
      expect(applyCorrections(text), text).toBe(text);
  });

  it('reads past a lead that rules something out, keeping the names a ruled-out verb was about', () => {
    expect(applyCorrections('not iris, roll back fraud')).toBe('roll back fraud');
    expect(applyCorrections('not the gateway, the auth one - is it healthy')).toBe(
      'the auth one - is it healthy',
    );
    expect(applyCorrections('not sil_1111, unsilence sil_2222')).toBe('unsilence sil_2222');
    expect(applyCorrections("don't roll back fraud, promote v8 to canary instead")).toBe(
      'promote v8 to canary instead fraud',
    );
    expect(applyCorrections('dont ack it, just silence HighErrorRatio 1h')).toBe('silence HighErrorRatio 1h');
    expect(applyCorrections("don't page me for HighErrorRatio for 30m")).toBe(
      "don't page me for HighErrorRatio for 30m",
    );
    expect(applyCorrections('is auth up or not')).toBe('is auth up or not');
  });

  it('drops a ruled-out lead ended by a full stop, and "not asking you to …"', () => {
    expect(applyCorrections("don't roll back. promote churn v4 to prod instead")).toBe(
      'promote churn v4 to prod instead',
    );
    expect(applyCorrections('nvm dont ack anything,false alarm')).toBe('false alarm');
    expect(applyCorrections('not asking you to run anything. what commands exist')).toBe(
      'what commands exist',
    );
    expect(applyCorrections("don't extend it, remove silence 6620 - deploy done")).toBe(
      'remove silence 6620 - deploy done',
    );
  });

  it('drops a value ruled out after the one meant, and only one of the same shape', () => {
    expect(applyCorrections('silence X 30m pls, not 30h')).toBe('silence X 30m pls');
    expect(applyCorrections('make it 2 hours not 20')).toBe('make it 2 hours');
    expect(applyCorrections('rollback iris to v8 not v18')).toBe('rollback iris to v8');
    expect(applyCorrections('unmute alert 58 not silence 58')).toBe('unmute alert 58');
    expect(applyCorrections('versions of iris, not churn')).toBe('versions of iris');
    // Nothing of the shape before: a "not" of another kind stays.
    expect(applyCorrections('why is auth not responding')).toBe('why is auth not responding');
    expect(applyCorrections('ack 4471, not sure if real')).toBe('ack 4471, not sure if real');
    // Inside a note, the writer's own words stay.
    expect(applyCorrections('ack 3345 bc its drift not infra')).toBe('ack 3345 bc its drift not infra');
  });

  it('drops what a request leaves out and a sentence recalling what the bot answered', () => {
    expect(
      applyCorrections('every sev1 in the past hour, all services except the gateway, oldest first'),
    ).toBe('every sev1 in the past hour, all services, oldest first');
    expect(applyCorrections('models with a production alias, except the iris demo')).toBe(
      'models with a production alias',
    );
    expect(applyCorrections('show alerts except for ones I acked')).toBe(
      'show alerts except for ones I acked',
    );
    expect(applyCorrections('you give uptime. I need cpu of ml-service')).toBe('I need cpu of ml-service');
    expect(applyCorrections('I think you misread me. undo the promote of iris on canary')).toBe(
      'undo the promote of iris on canary',
    );
    // A message of that sentence alone keeps it.
    expect(applyCorrections('you showed me a week of data')).toBe('you showed me a week of data');
  });
});
