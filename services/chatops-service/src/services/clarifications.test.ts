import { describe, expect, it } from 'vitest';
import type { AnyCommand } from '../models/command.js';
import { askFor, clarify, strictCommand, typoNotes, unknownName } from './clarifications.js';
import type { Resolution } from './nlp/name-resolver.js';
import type { Interpretation } from './nlp-processor.js';

const rollback = {
  intent: 'models.rollback',
  summary: 'Move a model alias back',
  usage: 'models rollback <model> [alias]',
  example: 'roll back iris-classifier',
} as AnyCommand;
const status = { intent: 'status', summary: 'Show service health', usage: 'status [service]' } as AnyCommand;
const commands = new Map([rollback, status].map((c) => [c.intent, c]));
const names = { model: ['iris-classifier', 'fraud-detector'], service: ['ml-service'], alert: [], alias: [] };
const unsure = (alternatives: Interpretation['alternatives']): Interpretation => ({
  intent: 'unknown',
  confidence: 0.6,
  entities: {},
  strict: false,
  clarify: true,
  alternatives,
  resolutions: [],
});

describe('clarifications', () => {
  it('notes each name taken as a typo', () => {
    expect(typoNotes([])).toBeUndefined();
    expect(
      typoNotes([
        { key: 'alert', written: 'HighErorRatio', value: 'HighErrorRatio', match: 'typo', suggestions: [] },
      ]),
    ).toBe('Taking HighErorRatio as HighErrorRatio.');
  });

  it('names back an unknown name with the near ones as the same message, renamed', () => {
    const res: Resolution = {
      key: 'model',
      written: 'fraud-model',
      value: 'fraud-model',
      match: 'unknown',
      suggestions: ['fraud-detector'],
    };
    const out = unknownName(res, names.model, 'rollback fraud-model@prod');
    expect(out.reply).toBe(
      'There is no model named fraud-model. Did you mean fraud-detector? Known models: iris-classifier, fraud-detector.',
    );
    expect(out.choices).toEqual([{ label: 'fraud-detector', text: 'rollback fraud-detector@prod' }]);
    expect(unknownName({ ...res, suggestions: [] }, [], 'x').reply).toBe(
      'There is no model named fraud-model. No models are known yet.',
    );
  });

  it('asks which one for a command alone, says what it can do for off-topic, offers the likely ones', () => {
    const bare = clarify(unsure([{ intent: 'models.rollback', confidence: 0.5 }]), commands, names);
    expect(bare.reply).toBe(
      'Do you want to move a model alias back? Which model? For example: `roll back iris-classifier`.',
    );
    expect(bare.choices.map((c) => c.text)).toEqual([
      '/ops models rollback iris-classifier',
      '/ops models rollback fraud-detector',
    ]);
    const offTopic = clarify(unsure([{ intent: 'status', confidence: 0.05 }]), commands, names);
    expect(offTopic.reply).toMatch(/^Sorry, I can't help with that\./);
    // A greeting or thanks is the first thing many people say: answered as such, not refused.
    const off = unsure([{ intent: 'status', confidence: 0.05 }]);
    for (const hi of ['hi', 'Hello!', 'hey there', 'good morning', 'yo']) {
      expect(clarify(off, commands, names, hi).reply, hi).toMatch(/^Hi! I can check service status/);
    }
    for (const thanks of ['thanks', 'Thank you!', 'thx', 'cheers']) {
      expect(clarify(off, commands, names, thanks).reply, thanks).toMatch(/^You're welcome\. I can /);
    }
    // Uploading is not a chat command: the refusal says where it is done.
    for (const upload of ['upload a model', 'can I upload fraud.onnx?', 'uploading my model']) {
      expect(clarify(off, commands, names, upload).reply, upload).toMatch(
        /^Models are uploaded from the command line, not in chat: `opsmesh models upload <name> <file\.onnx>`; then I can promote it and predict with it\. I can check/,
      );
    }
    for (const other of ['hi, what is the weather', 'order pizza', 'history of rome']) {
      expect(clarify(off, commands, names, other).reply, other).toMatch(/^Sorry, I can't help with that\./);
    }
    const likely = clarify(
      unsure([
        { intent: 'status', confidence: 0.3, entities: { service: 'ml-service' } },
        { intent: 'models.rollback', confidence: 0.25, entities: { model: 'iris-classifier' } },
      ]),
      commands,
      names,
    );
    expect(likely.reply).toMatch(
      /^I am not sure what you mean\. Did you mean one of these\?\n• Show service health/,
    );
    expect(likely.choices).toEqual([
      { label: 'Show service health', text: '/ops status ml-service' },
      { label: 'Move a model alias back', text: '/ops models rollback iris-classifier' },
    ]);
  });

  it('asks for a missing target with the known names filled in', () => {
    const asked = askFor('Which model?', 'models.rollback', { alias: 'production' }, names);
    expect(asked.reply).toBe('Which model?');
    expect(asked.choices[0]).toEqual({
      label: 'iris-classifier',
      text: '/ops models rollback iris-classifier production',
    });
    expect(askFor('Which version?', 'models.promote', { model: 'iris' }, names).choices).toEqual([]);
  });

  it('writes commands in the strict form the parser reads back', () => {
    expect(strictCommand('alerts.silence', { alert: 'ServiceDown', duration: '2h', comment: 'deploy' })).toBe(
      '/ops alerts silence ServiceDown 2h because deploy',
    );
    expect(strictCommand('models.predict', { model: 'iris', features: [1, 2.5] })).toBe(
      '/ops models predict iris 1,2.5',
    );
    expect(strictCommand('metrics', { service: 'ml-service', signal: 'latency_p99' })).toBe(
      '/ops metrics ml-service latency_p99',
    );
    expect(strictCommand('models.list', { model: 'churn-predictor' })).toBe(
      '/ops models list churn-predictor',
    );
    expect(strictCommand('models.list', { model: 'churn-predictor', alias: 'canary' })).toBe(
      '/ops models list churn-predictor canary',
    );
  });

  it('asks for the whole command when a message only points back at an earlier one', () => {
    const history = { intent: 'history', summary: 'Show recent commands', usage: 'history' } as AnyCommand;
    const back = { ...unsure([]), refersBack: true };
    const reply = clarify(back, new Map([...commands, ['history', history]]), names, 'do that again');
    expect(reply.reply).toMatch(/can't tell what to repeat/);
    expect(reply.choices).toEqual([{ label: 'My recent commands', text: '/ops history' }]);
  });
});
