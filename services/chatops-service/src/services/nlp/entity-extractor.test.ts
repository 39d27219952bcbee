import { describe, expect, it } from 'vitest';
import { EntityExtractor } from './entity-extractor.js';
import { EverydayWords } from './everyday-words.js';
import { DEFAULT_LEXICON } from './lexicon.js';
import { normalize } from './normalize.js';

const extractor = new EntityExtractor({ ...DEFAULT_LEXICON, models: ['iris-classifier', 'fraud-detector'] });
const entities = (text: string) => extractor.extract(normalize(text)).entities;
const ids = (text: string) => extractor.extract(normalize(text)).ids.map((i) => i.value);

describe('EntityExtractor', () => {
  it('reads the example of the issue with canonical names', () => {
    expect(entities("what's the p99 latency of ml-service over the last 30 minutes?")).toEqual({
      signal: 'latency_p99',
      service: 'ml-service',
      window: '30m',
    });
  });

  it('canonicalises short names and synonyms', () => {
    expect(entities('uptime of ml')).toEqual({ signal: 'availability', service: 'ml-service' });
    expect(entities('error rate of the auth service')).toEqual({
      signal: 'error_ratio',
      service: 'auth-service',
    });
    expect(entities('is gw up')).toEqual({ service: 'gateway' });
  });

  it('reads the everyday words for signals', () => {
    expect(entities('how hot is the CPU on ml')).toEqual({ signal: 'saturation', service: 'ml-service' });
    expect(entities('how slow is it')).toEqual({ signal: 'latency_p99' });
    expect(entities('how fast is auth responding')).toEqual({
      signal: 'latency_p99',
      service: 'auth-service',
    });
    expect(entities('is auth throwing 500s')).toEqual({ signal: 'error_ratio', service: 'auth-service' });
    expect(entities('error % on gateway')).toEqual({ signal: 'error_ratio', service: 'gateway' });
    expect(entities('thruput of ml')).toEqual({ signal: 'request_rate', service: 'ml-service' });
    expect(entities('tail latencies on auth')).toEqual({ signal: 'latency_p99', service: 'auth-service' });
    expect(entities('is ml fast enough')).toEqual({ signal: 'latency_p99', service: 'ml-service' });
    expect(entities('how available was gw')).toEqual({ signal: 'availability', service: 'gateway' });
    expect(entities('memory usage on auth')).toEqual({ signal: 'saturation', service: 'auth-service' });
    expect(entities('how snappy is the gateway')).toEqual({ signal: 'latency_p99', service: 'gateway' });
    expect(entities('median response time of ml')).toEqual({ signal: 'latency_p50', service: 'ml-service' });
    expect(entities('how many req/s on auth')).toEqual({ signal: 'request_rate', service: 'auth-service' });
    expect(entities('is the authentication service healthy')).toEqual({ service: 'auth-service' });
  });

  it('matches services, models, signals and severities through typos', () => {
    expect(entities('status of monitorng')).toEqual({ service: 'monitoring-service' });
    expect(entities('predict iris-clasifier 5.1 3.5 1.4 0.2')).toEqual({
      model: 'iris-classifier',
      features: [5.1, 3.5, 1.4, 0.2],
    });
    expect(entities('availabilty of gatway')).toEqual({ signal: 'availability', service: 'gateway' });
    expect(entities('critcal alerts')).toEqual({ severity: 'critical' });
    // A model's short name mistyped, when it is long enough to tell apart.
    expect(entities('rollbakc fruad prod')).toEqual({ model: 'fraud-detector', alias: 'production' });
    expect(entities('versions of the fruad model')).toEqual({ model: 'fraud-detector' });
  });

  it('does not fuzz common words into entities', () => {
    expect(entities('show the alerts about the model')).toEqual({});
    const everyday = EverydayWords.fromExamples(
      ['get a prediction', 'the prediction please', 'a prediction for this'].map((text) => ({
        text,
        intent: 'x',
      })),
    );
    const careful = new EntityExtractor(DEFAULT_LEXICON, everyday);
    // "prediction" is two letters from "production", but a word people use, so never an alias.
    expect(careful.extract('get a prediction from fraud-model').entities).toEqual({});
  });

  it('says how each name was read: exact, a clear typo, or unknown with what is near', () => {
    const read = (text: string) => extractor.extract(text).resolutions;
    expect(read('silence HighErorRatio')).toEqual([
      { key: 'alert', written: 'HighErorRatio', value: 'HighErrorRatio', match: 'typo', suggestions: [] },
    ]);
    // "Rate" for "Ratio" replaces a word: another name, not a typo.
    expect(read('silence HighErrorRate')).toEqual([
      {
        key: 'alert',
        written: 'HighErrorRate',
        value: 'HighErrorRate',
        match: 'unknown',
        suggestions: ['HighErrorRatio'],
      },
    ]);
    expect(read('ack HighLatencyP95')[0]).toMatchObject({
      match: 'unknown',
      suggestions: ['HighLatencyP99'],
    });
    expect(read('status of ml-servcie')).toEqual([
      { key: 'service', written: 'ml-servcie', value: 'ml-service', match: 'typo', suggestions: [] },
    ]);
  });

  it('finds names by their shape even when nobody registered them', () => {
    const found = extractor.extract('predict with payments-scorer 1 2 3');
    expect(found.names.map((n) => n.text)).toEqual(['payments-scorer']);
    expect(found.entities).toEqual({ features: [1, 2, 3] });
    expect(extractor.extract('rollback fraud-model@prod').names).toEqual([
      expect.objectContaining({ text: 'fraud-model', kind: 'model' }),
    ]);
    expect(entities('rollback fraud-model@prod')).toEqual({ alias: 'production' });
    expect(entities('iris-classifier@staging -> v3')).toEqual({
      model: 'iris-classifier',
      alias: 'staging',
      version: 3,
    });
    expect(entities('mute DiskAlmostFull 1h')).toEqual({ alert: 'DiskAlmostFull', window: '1h' });
  });

  it('finds alert and silence ids as people write them', () => {
    expect(ids('ack #12')).toEqual(['12']);
    expect(ids('ack alert number twelve')).toEqual(['12']);
    expect(ids('ack alert twenty-one')).toEqual(['21']);
    expect(ids('ack 42')).toEqual(['42']);
    expect(ids('ack 3FA9')).toEqual(['3fa9']);
    expect(ids('mine, 7c1e')).toEqual(['7c1e']);
    expect(ids('mine - 9a8b')).toEqual(['9a8b']);
    expect(ids("i'm on it, 4d2c")).toEqual(['4d2c']);
    expect(ids('unsilence mf3k2')).toEqual(['mf3k2']);
    expect(ids('delete silence six')).toEqual(['6']);
    expect(ids('acknowledge a1b2c3d4e5f60718')).toEqual(['a1b2c3d4e5f60718']);
    expect(extractor.extract('unsilence sil_93jd').ids).toEqual([
      expect.objectContaining({ value: 'sil_93jd', kind: 'silence_id' }),
    ]);
    // Durations, percentiles and versions are not ids.
    expect(ids('mute 42 for twenty minutes')).toEqual(['42']);
    expect(entities('mute 42 for twenty minutes')).toEqual({ window: '20m' });
    expect(ids('silence p99 alerts')).toEqual([]);
    expect(ids('ack the one on gateway')).toEqual([]);
  });

  it('takes a base-36 id after a number sign, but not a channel name', () => {
    expect(ids('unmute #k3j9')).toEqual(['k3j9']);
    expect(ids('ack #c0ffee')).toEqual(['c0ffee']);
    expect(ids('post it in #incidents')).toEqual([]);
  });

  it('reads severities in the plural and spelt with a space', () => {
    expect(entities('sev1s right now?')).toEqual({ severity: 'critical' });
    expect(entities('any sev 2 alerts')).toEqual({ severity: 'warning' });
    expect(entities('any warns on ml')).toEqual({ severity: 'warning', service: 'ml-service' });
  });

  it('takes the version a change goes to when several are written', () => {
    expect(entities('iris v3 is broken, go back to v2')).toMatchObject({ version: 2 });
    expect(entities('move iris prod from v4 to v5')).toMatchObject({ version: 5, alias: 'production' });
    expect(entities('promote iris v3 to prod')).toMatchObject({ version: 3 });
  });

  it('reads comments', () => {
    expect(entities('silence HighErorRatio for two hours because deploy in progress.')).toEqual({
      alert: 'HighErrorRatio',
      window: '2h',
      comment: 'deploy in progress',
    });
    expect(extractor.extract('ack alt_7f3k2 "looking into it"')).toMatchObject({
      entities: { comment: 'looking into it' },
      ids: [expect.objectContaining({ value: 'alt_7f3k2', kind: 'alert_id' })],
    });
  });

  it('reads versions, aliases, features and lone numbers, in digits or words', () => {
    expect(entities('promote iris-classifier version three to prod')).toEqual({
      model: 'iris-classifier',
      version: 3,
      alias: 'production',
    });
    expect(entities('roll back iris canary to version one')).toMatchObject({ version: 1, alias: 'canary' });
    expect(entities('predict fraud-detector [6.3, -2.9, 5.6]')).toEqual({
      model: 'fraud-detector',
      features: [6.3, -2.9, 5.6],
    });
    expect(extractor.extract('promote iris-classifier 4 staging').loneNumber).toBe(4);
    expect(entities('silence it for the next half hour')).toEqual({ window: '30m' });
  });

  it('reads users and link codes', () => {
    expect(entities('history for user alice')).toEqual({ user: 'alice' });
    expect(entities("show @bob's commands")).toEqual({ user: 'bob' });
    expect(entities('what did <@U123ABC> run')).toEqual({ user: 'U123ABC' });
    expect(entities('what did carol run')).toEqual({ user: 'carol' });
    expect(entities('what did i run')).toEqual({});
    expect(entities('whats dave been doing')).toEqual({ user: 'dave' });
    expect(entities("what's erin been running")).toEqual({ user: 'erin' });
    expect(entities("what's been done")).toEqual({});
    // Found by the words around them, a noun of everyday or operations English is nobody's name.
    expect(entities('what models do we have')).toEqual({});
    expect(entities('what commands ran in the past day')).toEqual({ window: '1d' });
    expect(entities('what did @models run')).toEqual({ user: 'models' });
    expect(entities('link k7q2-m9xd')).toEqual({ code: 'K7Q2-M9XD' });
  });

  it('masks entities for the classifier and respells slips', () => {
    expect(extractor.extract('p99 of ml for 2h').masked).toBe(' _signal_  of  _service_  for  _dur_ ');
    const everyday = EverydayWords.fromExamples(
      ['show the error rate', 'any error today', 'error count', 'how do i'].map((text) => ({
        text,
        intent: 'x',
      })),
    );
    const speller = new EntityExtractor(DEFAULT_LEXICON, everyday);
    expect(speller.extract('eror rate of ml').entities).toEqual({
      signal: 'error_ratio',
      service: 'ml-service',
    });
  });

  it('never takes a software release for a name', () => {
    expect(extractor.extract(normalize('deploy auth-service v2.3.1 to prod')).names).toEqual([]);
    expect(extractor.extract(normalize('rollback payments-scorer')).names.map((n) => n.text)).toEqual([
      'payments-scorer',
    ]);
  });

  it('takes channels and ticket keys beside a command for references, not names', () => {
    expect(entities('in #incident-42 now, ack 9')).toEqual({});
    expect(ids('in #incident-42 now, ack 9')).toEqual(['9']);
    expect(entities('ack 17 (INC-4521)')).toEqual({});
    expect(ids('ack 17 (INC-4521)')).toEqual(['17']);
    const names = (text: string) => extractor.extract(normalize(text)).names.map((n) => n.text);
    expect(names('status of payments-api, see OPS-12')).toEqual(['payments-api']);
    expect(names('ack 17 (INC-4521) in #incident-42')).toEqual([]);
  });

  it('reads an id said before its verb', () => {
    expect(ids('mf3k2x ack')).toEqual(['mf3k2x']);
    expect(ids('3fa9 mute for 1h')).toEqual(['3fa9']);
    expect(ids('ok ack')).toEqual([]);
  });

  it('reads more everyday names of signals and split percentiles', () => {
    expect(entities('p 99 ml svc')).toMatchObject({ signal: 'latency_p99', service: 'ml-service' });
    expect(entities('is the gateway saturated')).toEqual({ signal: 'saturation', service: 'gateway' });
    expect(entities('err rate on auth')).toEqual({ signal: 'error_ratio', service: 'auth-service' });
    expect(entities('5xx ratio for ml')).toEqual({ signal: 'error_ratio', service: 'ml-service' });
  });

  it('reads feature rows with decimal commas or said in words', () => {
    expect(entities('predict 5,1; 3,5; 1,4; 0,2 on iris-classifier')).toEqual({
      model: 'iris-classifier',
      features: [5.1, 3.5, 1.4, 0.2],
    });
    expect(
      entities('iris-classifier for five point one, three point five, one point four, point two'),
    ).toEqual({
      model: 'iris-classifier',
      features: [5.1, 3.5, 1.4, 0.2],
    });
  });

  it('reads an ordinal version and skips syntax written out', () => {
    expect(entities('promote the 2nd version of iris-classifier to staging')).toEqual({
      model: 'iris-classifier',
      alias: 'staging',
      version: 2,
    });
    expect(entities('is it promote model@alias vN')).toEqual({});
  });

  it('reads the person of "everything X did"', () => {
    expect(entities('show me everything jo did')).toEqual({ user: 'jo' });
    expect(entities('all that priya.s changed today')).toEqual({ user: 'priya.s' });
  });

  it('takes the alias a change goes to', () => {
    expect(entities('graduate iris-classifier v5 from staging to production')).toEqual({
      model: 'iris-classifier',
      alias: 'production',
      version: 5,
    });
    expect(entities('move iris-classifier v4 from production to staging')).toMatchObject({
      alias: 'staging',
    });
  });

  it('reads whose history in other word orders and keeps Slack ids in their case', () => {
    expect(entities('mostra o histórico de comandos do raj')).toEqual({ user: 'raj' });
    expect(entities('history ines 2h')).toMatchObject({ user: 'ines' });
    expect(entities("qu'est-ce que Thomas a lancé comme commandes ?")).toMatchObject({ user: 'thomas' });
    expect(entities('what did U07ABCD do in the bot in the last 30 min')).toMatchObject({ user: 'U07ABCD' });
  });

  it('reads a known rule in capitals as the rule, and grammar words of other languages as no name', () => {
    expect(entities('ACK HIGHLATENCYP99')).toEqual({ alert: 'HighLatencyP99' });
    expect(entities('est-ce que tu peux ack 5520 svp ?')).not.toHaveProperty('service');
    expect(entities('liste des alertes critical svp')).toEqual({ severity: 'critical' });
  });

  it('ends a comment at its first sentence and reads "since" before a clause as a reason', () => {
    expect(
      entities("ack HighErrorRatio, reason: investigating with DB team. I'll post an update later"),
    ).toMatchObject({ comment: 'investigating with DB team' });
    expect(entities('ack #9f3e since deploy is rolling out')).toMatchObject({
      comment: 'deploy is rolling out',
    });
    expect(entities('alerts on gateway since 2h')).not.toHaveProperty('comment');
  });

  it('takes the service asked about when another clause names one too', () => {
    expect(entities('gateway returns 502 when it calls auth, is auth itself alive?')).toEqual({
      service: 'auth-service',
    });
    expect(entities('list gateway alerts, not the auth ones')).toMatchObject({ service: 'gateway' });
    // Services listed together are asked about together: the first one.
    expect(entities('is auth and ml up')).toEqual({ service: 'auth-service' });
    expect(entities('alerts on auth or gateway?')).toMatchObject({ service: 'auth-service' });
  });
});
