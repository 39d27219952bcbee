import { describe, expect, it } from 'vitest';
import { actionIntent, aloneCommand, namesCommand } from './command-words.js';
import { features } from './features.js';

describe('command words', () => {
  it('tells a phrase about a command from one about anything else', () => {
    expect(namesCommand('unmute something')).toBe(true);
    expect(namesCommand('use the rollback thing')).toBe(true);
    expect(namesCommand('make pasta')).toBe(false);
    // Everyday words that a concept also holds ("good", "down") say nothing by themselves.
    expect(namesCommand('get a good night of sleep')).toBe(false);
  });

  it('knows the words that are a command by themselves', () => {
    expect(aloneCommand('tutorial')).toBe('help');
    expect(aloneCommand('menu')).toBe('help');
    expect(aloneCommand('alarms')).toBe('alerts.list');
    expect(aloneCommand('audit')).toBe('history');
    for (const word of ['mute', 'rollback', 'check', 'fine'])
      expect(aloneCommand(word), word).toBeUndefined();
  });

  it('reads the command from the leading verb only', () => {
    expect(actionIntent(features('deploy models'))).toBe('models.promote');
    expect(actionIntent(features('roll back a model'))).toBe('models.rollback');
    expect(actionIntent(features('unsnooze things'))).toBe('alerts.unsilence');
    expect(actionIntent(features('see who ran what'))).toBeUndefined();
    expect(actionIntent(features('list the models'))).toBeUndefined();
  });
});
