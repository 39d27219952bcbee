import { beforeAll, describe, expect, it } from 'vitest';
import { ChatopsConfigSchema } from '../../config.js';
import { NlpProcessor } from '../nlp-processor.js';
import { readIntentModel } from './intent-model.js';
import { loadDatasetLexicon } from './utterances.js';

const threshold = ChatopsConfigSchema.properties.NLP_CONFIDENCE_THRESHOLD.default as number;
let nlp: NlpProcessor;

beforeAll(() => {
  nlp = NlpProcessor.fromModel(readIntentModel(), loadDatasetLexicon(), threshold);
});

/** Each message read as the intent and exactly the entities given. */
function expectReadings(cases: [string, string, Record<string, unknown>][]) {
  for (const [text, intent, entities] of cases)
    expect({ text, ...nlp.interpret(text) }).toMatchObject({ text, intent, entities });
}

describe('English mixed with other languages', () => {
  it('reads Hungarian words and the Hungarian endings of English words', () => {
    expectReadings([
      [
        'kérlek mutasd a latency-t a gateway-en az elmúlt 2 órában',
        'metrics',
        { service: 'gateway', signal: 'latency_p99', window: '2h' },
      ],
      ['köszi, ack-olom a #88-as alertet', 'alerts.ack', { alert_id: '88' }],
      [
        'némítsd a ServiceDown-t az auth-on 2 órára',
        'alerts.silence',
        { alert: 'ServiceDown', service: 'auth-service', duration: '2h' },
      ],
      ['oldd fel a 61-es silence-t légyszi', 'alerts.unsilence', { silence_id: '61' }],
      [
        'promote-old a churn v4-et canary-re',
        'models.promote',
        { model: 'churn-predictor', version: 4, alias: 'canary' },
      ],
      ['hogy kell ack-olni egy alertet?', 'help', {}],
      ['szabad nekem promote-olni?', 'whoami', {}],
      ['mit csinált Zoli ma?', 'history', { user: 'zoli' }],
      ['most fut a monitoring-service?', 'status', { service: 'monitoring-service' }],
    ]);
  });

  it('reads Romanian words and the Romanian endings of English words', () => {
    expectReadings([
      ['arata-mi alertele critice pe gateway', 'alerts.list', { service: 'gateway', severity: 'critical' }],
      ['scoate silence-ul 73 te rog', 'alerts.unsilence', { silence_id: '73' }],
      ['ce drepturi am?', 'whoami', {}],
      ['pot sa sterg silence-uri?', 'whoami', {}],
      ['cine a facut promote ieri? istoric', 'history', {}],
      ['cum fac rollback la un model?', 'help', {}],
      ['vreau sa-mi leg contul, codul e AB12-CD34', 'link', { code: 'AB12-CD34' }],
      [
        'latenta pe ml-service, ultimele 6h',
        'metrics',
        { service: 'ml-service', signal: 'latency_p99', window: '6h' },
      ],
    ]);
  });

  it('reads French as it is typed in Quebec', () => {
    expectReadings([
      ["montre-moi l'historique de la dernière heure", 'history', { window: '1h' }],
      [
        "y'a-tu des alertes critical sur le gateway, tsé?",
        'alerts.list',
        { service: 'gateway', severity: 'critical' },
      ],
      ["j'ack l'alerte 27 pis je regarde", 'alerts.ack', { alert_id: '27' }],
      ["qu'est-ce que Martin a fait depuis mardi", 'history', { user: 'martin' }],
      ["j'suis-tu linké, genre?", 'whoami', {}],
      ["c'est quoi la façon de promouvoir un modèle?", 'help', {}],
    ]);
  });

  it('reads Bengali written in Latin letters', () => {
    expectReadings([
      ['bhai alert 4b2e ta ack kore dao', 'alerts.ack', { alert_id: '4b2e' }],
      [
        'gateway er latency last 1 hour dekhao',
        'metrics',
        { service: 'gateway', signal: 'latency_p99', window: '1h' },
      ],
      [
        'iris er canary ta ager version e ferot nao',
        'models.rollback',
        { model: 'iris-classifier', alias: 'canary' },
      ],
      ['ami ki model promote korte parbo?', 'whoami', {}],
      ['priya last 2 days e ki ki korche?', 'history', { user: 'priya', window: '2d' }],
      ['ki bhabe silence korbo?', 'help', {}],
    ]);
  });

  it('reads Jamaican patois', () => {
    expectReadings([
      ['who mi be pon dis bot?', 'whoami', {}],
      ['a who promote di iris model yessideh?', 'history', {}],
      ['show mi di alert dem fi gateway', 'alerts.list', { service: 'gateway' }],
      ['how mi fi silence a alert?', 'help', {}],
      ['mi cyaan find di churn model, show mi di version dem', 'models.list', { model: 'churn-predictor' }],
    ]);
  });

  it('reads Norwegian', () => {
    expectReadings([
      ['hvordan demper jeg et varsel?', 'help', {}],
      ['vis varslene på gateway nå, takk', 'alerts.list', { service: 'gateway' }],
      ['er auth oppe?', 'status', { service: 'auth-service' }],
      [
        'demp ServiceDown på gateway i 2 timer',
        'alerts.silence',
        { alert: 'ServiceDown', service: 'gateway', duration: '2h' },
      ],
      ['hvilke rettigheter har jeg?', 'whoami', {}],
      ['hvem er jeg logget inn som', 'whoami', {}],
      ['hva har Kari gjort i dag?', 'history', { user: 'kari' }],
      ['historikk siste 3 timer', 'history', { window: '3h' }],
      ['hvilke versjoner finnes av fraud?', 'models.list', { model: 'fraud-detector' }],
      ['rull tilbake churn til v4 vær så snill', 'models.rollback', { model: 'churn-predictor', version: 4 }],
    ]);
  });

  it('reads Finnish words and the Finnish endings of English words', () => {
    expectReadings([
      ['moi, onko gateway pystyssä?', 'status', { service: 'gateway' }],
      ['näytä alertit nyt, kiitos', 'alerts.list', {}],
      ['mitä Mikko teki eilen?', 'history', { user: 'mikko' }],
      [
        'promote iris versio 5 stagingiin pliis',
        'models.promote',
        { model: 'iris-classifier', version: 5, alias: 'staging' },
      ],
      ['onko mulla oikeudet kuitata alertteja?', 'whoami', {}],
      [
        'latency auth viimeiset 2 tuntia',
        'metrics',
        { service: 'auth-service', signal: 'latency_p99', window: '2h' },
      ],
      ['kuka mä oon?', 'whoami', {}],
    ]);
  });

  it('reads Thai particles written in Latin letters', () => {
    expectReadings([
      ['gateway healthy mai krub?', 'status', { service: 'gateway' }],
      ['ack alert 4821 na kha', 'alerts.ack', { alert_id: '4821' }],
      [
        'show auth latency last hour noi krap',
        'metrics',
        { service: 'auth-service', signal: 'latency_p99', window: '1h' },
      ],
      [
        'mute HighErrorRate on checkout for 1 hour na ka',
        'alerts.silence',
        { alert: 'HighErrorRate', service: 'checkout', duration: '1h' },
      ],
      ['khob khun krub, show the alerts', 'alerts.list', {}],
    ]);
  });

  it('reads Puerto Rican Spanish', () => {
    expectReadings([
      ['wepa, auth está down o no?', 'status', { service: 'auth-service' }],
      ['mano qué hizo Carmen ayer?', 'history', { user: 'carmen' }],
      [
        'dale silencia HighLatencyP99 pa gateway por un día',
        'alerts.silence',
        { alert: 'HighLatencyP99', service: 'gateway', duration: '1d' },
      ],
      [
        'qué tal latency de auth en la última hora',
        'metrics',
        { service: 'auth-service', signal: 'latency_p99', window: '1h' },
      ],
      ['history pa Pedro de los últimos 7 días', 'history', { user: 'pedro', window: '7d' }],
      ['history de hoy pa Marisol', 'history', { user: 'marisol' }],
    ]);
  });

  it('reads Glaswegian Scots', () => {
    expectReadings([
      ['aye gonnae list the critical alerts', 'alerts.list', { severity: 'critical' }],
      ["how's it gaun", 'unknown', {}],
      [
        "pure slow the day, what's the p99 on gateway",
        'metrics',
        { service: 'gateway', signal: 'latency_p99' },
      ],
      ["gie's yer commands", 'help', {}],
      ['gonnae ack 5512', 'alerts.ack', { alert_id: '5512' }],
      [
        'aye gonnae mute ServiceDown on auth for a wee hour',
        'alerts.silence',
        { alert: 'ServiceDown', service: 'auth-service', duration: '1h' },
      ],
    ]);
  });
});
