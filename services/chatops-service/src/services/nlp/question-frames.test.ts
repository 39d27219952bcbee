import { describe, expect, it } from 'vitest';
import { questionFrame } from './question-frames.js';

describe('questionFrame', () => {
  it('recognises questions about how to use a command', () => {
    expect(questionFrame('how would i mute an alert?')).toEqual({ kind: 'how', rest: 'mute an alert' });
    expect(questionFrame("what's the way to get a prediction out of a model")).toEqual({
      kind: 'how',
      rest: 'get a prediction out of a model',
    });
    expect(questionFrame('hey, how do you promote a version')).toEqual({
      kind: 'how',
      rest: 'promote a version',
    });
    expect(questionFrame('hw do i ack')).toEqual({ kind: 'how', rest: 'ack' });
    expect(questionFrame('how does silencing work here')).toEqual({ kind: 'how', rest: 'silencing' });
    expect(questionFrame('reckon you could walk me through linking my account?')).toEqual({
      kind: 'how',
      rest: 'linking my account',
    });
    expect(questionFrame('excuse me, what is the format for giving feature values')).toEqual({
      kind: 'how',
      rest: 'giving feature values',
    });
  });

  it('recognises questions about one’s own rights, not polite requests', () => {
    expect(questionFrame('can i roll models back?')).toEqual({ kind: 'may', rest: 'roll models back' });
    expect(questionFrame('am i allowed to silence alerts')).toEqual({ kind: 'may', rest: 'silence alerts' });
    expect(questionFrame('do i have permission to promote models')).toEqual({
      kind: 'may',
      rest: 'promote models',
    });
    expect(questionFrame('can i get the p99 of ml')).toBeUndefined();
    expect(questionFrame('can i see the alerts')).toBeUndefined();
    expect(questionFrame('r my perms enough to deploy models')).toEqual({
      kind: 'may',
      rest: 'deploy models',
    });
    expect(questionFrame('does my role let me unmute things')).toEqual({
      kind: 'may',
      rest: 'unmute things',
    });
  });

  it('reads the word order of other languages and comparisons of commands as how-questions', () => {
    expect(questionFrame('how one is supposed to check health of services with you')).toEqual({
      kind: 'how',
      rest: 'check health of services with you',
    });
    expect(questionFrame('how is one meant to promote')).toEqual({ kind: 'how', rest: 'promote' });
    expect(questionFrame('how i can make the prediction with model')).toMatchObject({ kind: 'how' });
    expect(questionFrame('ack vs silence, which one do i want')).toEqual({ kind: 'how', rest: 'ack' });
    expect(questionFrame('difference between promote and rollback')).toMatchObject({ kind: 'how' });
    // Comparing signals is a request for them, and "how is ml doing" asks for its status.
    expect(questionFrame('p50 vs p99 for auth')).toBeUndefined();
    expect(questionFrame('how are you doing')).toBeUndefined();
    // About talking to the bot at all, which the classifier reads as help in general.
    expect(questionFrame('how am i supposed to talk to you')).toBeUndefined();
  });

  it('recognises questions about who did something', () => {
    expect(questionFrame('who acked ServiceDown')).toEqual({ kind: 'who', rest: 'acked ServiceDown' });
    expect(questionFrame("who's been messing with the models")).toMatchObject({ kind: 'who' });
    expect(questionFrame('who am i')).toBeUndefined();
    expect(questionFrame('how is ml doing')).toBeUndefined();
    expect(questionFrame('did someone mute something')).toEqual({ kind: 'who', rest: 'mute something' });
    expect(questionFrame('has anybody touched prod')).toEqual({ kind: 'who', rest: 'touched prod' });
    expect(questionFrame("what's been done in the past hour")).toEqual({
      kind: 'who',
      rest: 'done in the past hour',
    });
    expect(questionFrame('what got changed today')).toMatchObject({ kind: 'who' });
    // Present states and questions to the group are not about the past.
    expect(questionFrame("what's deployed on ml")).toBeUndefined();
    expect(questionFrame('have we got any alerts')).toBeUndefined();
  });

  it('reads "remind me the command for", "steps to" and a half-remembered syntax as how-questions', () => {
    expect(questionFrame('remind me the command for linking my account?')).toEqual({
      kind: 'how',
      rest: 'linking my account',
    });
    expect(questionFrame('steps to roll back a model alias? asking for the runbook')).toEqual({
      kind: 'how',
      rest: 'roll back a model alias? asking for the runbook',
    });
    expect(questionFrame("i can't remember, is it promote model@alias vn")).toEqual({
      kind: 'how',
      rest: 'promote model@alias vn',
    });
  });

  it('reads what one person did, and actions of a kind over a past stretch, as who-questions', () => {
    expect(questionFrame('could you show me everything jo did?')).toEqual({
      kind: 'who',
      rest: 'everything jo did',
    });
    expect(questionFrame('any rollbacks in the last 24 hours?')).toEqual({
      kind: 'who',
      rest: 'rollbacks in the last 24 hours',
    });
    // A request for rollbacks now is no question about the past.
    expect(questionFrame('any rollbacks needed?')).toBeUndefined();
  });

  it('reads article-less and French how-questions, and what a command shows', () => {
    expect(questionFrame('what is command for promote churn model version 5 to staging')).toMatchObject({
      kind: 'how',
      rest: 'promote churn model version 5 to staging',
    });
    expect(questionFrame('is there command to check which version sits on production alias')?.kind).toBe(
      'how',
    );
    expect(questionFrame('which command show the history')).toEqual({ kind: 'how', rest: 'the history' });
    expect(questionFrame('what does whoami actually show')).toEqual({ kind: 'how', rest: 'whoami' });
    expect(questionFrame('comment on fait pour ack une alert')).toEqual({
      kind: 'how',
      rest: 'ack une alert',
    });
    expect(questionFrame('how see i p99 latency for gateway')).toEqual({
      kind: 'how',
      rest: 'p99 latency for gateway',
    });
    expect(questionFrame('could someone remind me how one acknowledges an alert')?.kind).toBe('how');
    // A request stays a request.
    expect(questionFrame('show the history of raj')).toBeUndefined();
  });
});
