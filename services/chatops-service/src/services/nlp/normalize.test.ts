import { describe, expect, it } from 'vitest';
import { normalize } from './normalize.js';

describe('normalize', () => {
  it('joins prefixes split from their verb and keeps letter case', () => {
    expect(normalize('un-mute ServiceDown')).toBe('unmute ServiceDown');
    expect(normalize('un mute it')).toBe('unmute it');
    expect(normalize('re-enable HighErrorRatio')).toBe('reenable HighErrorRatio');
    expect(normalize('un-shush KafkaLag')).toBe('unshush KafkaLag');
    expect(normalize('ack-ing 5, roll-back fraud')).toBe('acking 5, roll back fraud');
  });

  it('reads "quiet" after a verb of being as a state, not the command', () => {
    expect(normalize('chatops went quiet, been quiet since noon')).toBe(
      'chatops went idle, been idle since noon',
    );
    expect(normalize('quiet ServiceDown 1h')).toBe('quiet ServiceDown 1h');
  });

  it('spells arrows, quotes, dashes and percent signs one way', () => {
    expect(normalize('move prod → v3')).toBe('move prod -> v3');
    expect(normalize('iris@prod=>v4')).toBe('iris@prod -> v4');
    expect(normalize('ack it “looking” – now')).toBe('ack it "looking" - now');
    expect(normalize('error % on auth')).toBe('error percent on auth');
    expect(normalize('  what’s   up  ')).toBe("what's up");
    expect(normalize('any SEV 1 or sev-2s?')).toBe('any sev1 or sev2s?');
  });

  it('reads Slack links as their label, drops code marks and spells rates per second', () => {
    expect(normalize('all ok? <https://grafana.example.com/d/abc|this graph> looks odd')).toBe(
      'all ok? this graph looks odd',
    );
    expect(normalize('is auth up <https://status.example.com>')).toBe('is auth up');
    expect(normalize('mute `alt_3e4f` 30m')).toBe('mute alt_3e4f 30m');
    expect(normalize('```predict iris 1 2```')).toBe('predict iris 1 2');
    expect(normalize('how many req/s on ml, ops/sec too')).toBe(
      'how many req per second on ml, ops per second too',
    );
    // A mention is not a link: the user id stays for the history command.
    expect(normalize('what did <@U04XYZ9> run')).toBe('what did <@U04XYZ9> run');
  });

  it('puts the command words of German, Spanish and French in English', () => {
    expect(normalize('mostrar modelos')).toBe('show models');
    expect(normalize('afficher les modèles')).toBe('show the models');
    expect(normalize('quittieren 9')).toBe('ack 9');
    expect(normalize('stummschalten ServiceDown 1h')).toBe('mute ServiceDown 1h');
    expect(normalize('wer bin ich')).toBe('who am i');
    expect(normalize('quel est mon rôle ?')).toBe('which is my role ?');
    expect(normalize('meine rechte')).toBe('my rights');
    // "est" and "mon" stay English words away from a French one.
    expect(normalize('after 5pm est on mon')).toBe('after 5pm est on mon');
    // Words that are English too are read as foreign only beside another foreign command word.
    expect(normalize('bin gleich da')).toBe('bin gleich da');
    expect(normalize('soy latte pls')).toBe('soy latte pls');
  });

  it('reads rows of decimal commas and decimals said in words as numbers', () => {
    expect(normalize('predict 5,1; 3,5; 1,4; 0,2 on iris')).toBe('predict 5.1, 3.5, 1.4, 0.2 on iris');
    expect(normalize('run it on 120,5;3;0,75')).toBe('run it on 120.5, 3, 0.75');
    // Commas between numbers are a list, not decimal marks, unless semicolons separate them.
    expect(normalize('predict 5,1, 3,5')).toBe('predict 5,1, 3,5');
    expect(normalize('ack 12,13')).toBe('ack 12,13');
    expect(normalize('iris for five point one, three point five, one point four, point two')).toBe(
      'iris for 5.1, 3.5, 1.4, 0.2',
    );
    expect(normalize('two point zero five and oh point three')).toBe('2.05 and 0.3');
    expect(normalize('at this point two alerts fired')).toBe('at this point two alerts fired');
    // A digit word before "point" starts the next decimal ("nine three point oh": 9, then 3.0).
    expect(normalize('iris four point nine three point oh one point four zero point two')).toBe(
      'iris 4.9 3.0 1.4 0.2',
    );
    expect(normalize('four point nine three')).toBe('four point nine three');
    // A row dictated with "comma": whole numbers in words become digits too.
    expect(normalize('fraud on three hundred comma two comma zero point seven')).toBe('fraud on 300, 2, 0.7');
    expect(normalize('twenty one comma forty two comma seven')).toBe('21, 42, 7');
    expect(normalize('i said one comma and then two comma no')).toBe(
      'i said one comma and then two comma no',
    );
  });

  it('reads a silence said to be done with as lifting it', () => {
    expect(normalize('silence on chatops can go now')).toBe('unmute on chatops now');
    expect(normalize("the ServiceDown mute isn't needed anymore")).toBe('the ServiceDown unmute');
    expect(normalize('silence ServiceDown for 2h')).toBe('silence ServiceDown for 2h');
  });

  it("reads Slack's emoji names: verbs as the verb, the rest as nothing", () => {
    expect(normalize(':white_check_mark: ack b71c - looking')).toBe('ack ack b71c - looking');
    expect(normalize(":rotating_light: what's firing?? :fire:")).toBe("what's firing??");
    expect(normalize(':loud_sound: unmute gateway alerts')).toBe('unmute unmute gateway alerts');
    // A time of day or "reason:" is not an emoji name.
    expect(normalize('ack 5 reason: deploy')).toBe('ack 5 reason: deploy');
  });

  it('reads ids and link codes said character by character', () => {
    expect(normalize('ack alert number three oh nine because im on it')).toBe(
      'ack alert number 309 because im on it',
    );
    expect(normalize('mute alert four two one for two hours')).toBe('mute alert 421 for two hours');
    expect(normalize('alert two is fine')).toBe('alert two is fine');
    expect(normalize('link my account code is b seven k four dash nine nine a two')).toBe(
      'link my account code is B7K4-99A2',
    );
    // Outside a message about linking, single letters stay words.
    expect(normalize('a b c d e f g h i j')).toBe('a b c d e f g h i j');
  });

  it('reads German, French and Portuguese time spans and percentiles said in words', () => {
    expect(normalize('latence p95 du gateway sur les 30 dernières minutes svp')).toBe(
      'latency p95 du gateway sur the last 30 minutes please',
    );
    expect(normalize('p99 vom gateway letzte Stunde bitte')).toBe('p99 of gateway last hour please');
    expect(normalize('acknowledge the high latency p ninety nine alert')).toBe(
      'acknowledge the high latency p99 alert',
    );
    // "mon" after a German word is the monitoring service, not French "my".
    expect(normalize('health check für mon')).toBe('health check for mon');
    expect(normalize('afficher mon historique')).toBe('show my history');
  });
});
