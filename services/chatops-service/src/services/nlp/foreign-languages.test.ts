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

  it('reads Bulgarian in Latin and Cyrillic letters', () => {
    expectReadings([
      [
        'molya pokaji error rate na auth za poslednite 6 chasa',
        'metrics',
        { service: 'auth-service', signal: 'error_ratio', window: '6h' },
      ],
      ['kakvi alerti gorqt na checkout sega?', 'alerts.list', { service: 'checkout' }],
      ['spisak na kriticheskite alerti, blagodarya', 'alerts.list', { severity: 'critical' }],
      ['kolko e natovaren checkout sega', 'metrics', { service: 'checkout', signal: 'saturation' }],
      ['mahni tishinata sil_9x2p', 'alerts.unsilence', { silence_id: 'sil_9x2p' }],
      [
        'razglushi ServiceDown za auth',
        'alerts.unsilence',
        { alert: 'ServiceDown', service: 'auth-service' },
      ],
      ['vurni churn staging nazad', 'models.rollback', { model: 'churn-predictor', alias: 'staging' }],
      ['istoriyata na petar za posledniya chas', 'history', { user: 'petar', window: '1h' }],
      ['koi e mute-nal checkout-a vchera?', 'history', {}],
      ['koi sum az, molya', 'whoami', {}],
      ['моля покажи алертите сега', 'alerts.list', {}],
    ]);
  });

  it('reads Ukrainian written in Latin letters', () => {
    expectReadings([
      ['bud laska, chy pratsyuye checkout zaraz?', 'status', { service: 'checkout' }],
      [
        'pokazhy error rate auth za ostanni 30 khvylyn',
        'metrics',
        { service: 'auth-service', signal: 'error_ratio', window: '30m' },
      ],
      [
        'zaglushy ServiceDown na auth na 2 hodyny',
        'alerts.silence',
        { alert: 'ServiceDown', service: 'auth-service', duration: '2h' },
      ],
      ['znimy silence 88, dyakuyu', 'alerts.unsilence', { silence_id: '88' }],
      ['vidkoty fraud na production', 'models.rollback', { model: 'fraud-detector', alias: 'production' }],
      [
        'postav iris versiyu sim na staging',
        'models.promote',
        { model: 'iris-classifier', version: 7, alias: 'staging' },
      ],
      ['shcho robyv Taras za tyzhden?', 'history', { user: 'taras', window: '7d' }],
      ['khto ya?', 'whoami', {}],
      ['chy mozhu ya silence alerty?', 'whoami', {}],
    ]);
  });

  it('reads Punjabi written in Latin letters', () => {
    expectReadings([
      ['paaji kehde alerts fire ho rahe ne checkout te?', 'alerts.list', { service: 'checkout' }],
      ['ji alert 812 main le reha haan', 'alerts.ack', { alert_id: '812' }],
      [
        'ServiceDown nu 2 ghante layi chup kara do',
        'alerts.silence',
        { alert: 'ServiceDown', duration: '2h' },
      ],
      ['Gurpreet di activity 2 din di', 'history', { user: 'gurpreet', window: '2d' }],
      ['main kaun haan ji?', 'whoami', {}],
      ['ki main rollback kar sakda haan?', 'whoami', {}],
    ]);
  });

  it('reads Kenyan Swahili and Sheng', () => {
    expectReadings([
      ['niaje, gateway iko up ama imeanguka?', 'status', { service: 'gateway' }],
      [
        'nipe error rate ya checkout saa tatu zilizopita',
        'metrics',
        { service: 'checkout', signal: 'error_ratio', window: '3h' },
      ],
      ['kuna alerts ngapi za critical sasa?', 'alerts.list', { severity: 'critical' }],
      ['ack 4410, mimi naishughulikia', 'alerts.ack', { alert_id: '4410' }],
      [
        'nyamazisha ServiceDown kwa dakika thelathini',
        'alerts.silence',
        { alert: 'ServiceDown', duration: '30m' },
      ],
      ['fungua ServiceDown tena', 'alerts.unsilence', { alert: 'ServiceDown' }],
      [
        'pandisha churn v5 iwe live',
        'models.promote',
        { model: 'churn-predictor', version: 5, alias: 'production' },
      ],
      ['kurudisha iris staging', 'models.rollback', { model: 'iris-classifier', alias: 'staging' }],
      ['nani alifanya rollback leo?', 'history', {}],
      ['mimi ni nani?', 'whoami', {}],
    ]);
  });

  it('reads Icelandic', () => {
    expectReadings([
      ['er checkout uppi? takk', 'status', { service: 'checkout' }],
      [
        'sýndu minnisnotkun á auth síðustu 2 klukkustundir',
        'metrics',
        { service: 'auth-service', signal: 'saturation', window: '2h' },
      ],
      ['hvaða viðvaranir eru virkar á gateway?', 'alerts.list', { service: 'gateway' }],
      ['ack-aðu viðvörun númer tólf', 'alerts.ack', { alert_id: '12' }],
      ['þaggaðu niður ServiceDown í 45 mínútur', 'alerts.silence', { alert: 'ServiceDown', duration: '45m' }],
      ['fjarlægðu þöggun 77, takk', 'alerts.unsilence', { silence_id: '77' }],
      ['rúllaðu fraud til baka á útgáfu 2', 'models.rollback', { model: 'fraud-detector', version: 2 }],
      ['útgáfur af churn, vinsamlegast', 'models.list', { model: 'churn-predictor' }],
      ['aðgerðir Sigrun síðustu 3 daga', 'history', { user: 'sigrun', window: '3d' }],
      ['hver gerði hvað í dag?', 'history', {}],
      ['hver er ég?', 'whoami', {}],
      ['má ég þagga niður viðvaranir?', 'whoami', {}],
    ]);
  });

  it('reads whole German sentences with English terms', () => {
    expectReadings([
      [
        'Zeig mir bitte die Latenz von checkout der letzten 3 Stunden',
        'metrics',
        { service: 'checkout', signal: 'latency_p99', window: '3h' },
      ],
      ['Darf ich Modelle promoten?', 'whoami', {}],
      ['Was hat Jonas gestern so gemacht?', 'history', { user: 'jonas' }],
      ['Bitte hebe die Stummschaltung von gateway auf', 'alerts.unsilence', { service: 'gateway' }],
      ['bitte Mute 17 beenden', 'alerts.unsilence', { silence_id: '17' }],
      ['Bot, was kannst du?', 'help', {}],
    ]);
  });

  it('reads whole French sentences with English terms', () => {
    expectReadings([
      ["c'est bon, je prends l'alerte quinze", 'alerts.ack', { alert_id: '15' }],
      ["levez le silence trente-deux s'il vous plaît", 'alerts.unsilence', { silence_id: '32' }],
      [
        'mets la version neuf de fraud en staging',
        'models.promote',
        { model: 'fraud-detector', version: 9, alias: 'staging' },
      ],
      ['mute auth pendant 2h', 'alerts.silence', { service: 'auth-service', duration: '2h' }],
      ["j'ai le droit de promouvoir un modèle ?", 'whoami', {}],
    ]);
  });

  it('reads whole Spanish sentences and Mexican Spanglish', () => {
    expectReadings([
      ['¿me dices si auth está respondiendo?', 'status', { service: 'auth-service' }],
      ['yo la llevo: alerta veintiséis', 'alerts.ack', { alert_id: '26' }],
      ['ackea porfa la alerta treinta y uno, ya la vi', 'alerts.ack', { alert_id: '31' }],
      [
        'elimina ya el silencio 71 porque se arregló',
        'alerts.unsilence',
        { silence_id: '71', comment: 'se arregló' },
      ],
      [
        'oye, cuanto trafico tiene checkout esta semana?',
        'metrics',
        { service: 'checkout', signal: 'request_rate', window: '7d' },
      ],
      [
        'dame la disponibilidad de checkout de las últimas 12 horas',
        'metrics',
        { service: 'checkout', signal: 'availability', window: '12h' },
      ],
      ['porfa callate la alerta 19 como unos 20 min', 'alerts.silence', { alert_id: '19', duration: '20m' }],
      ['wey checa quien muteo alertas ayer', 'history', {}],
      ['que ha hecho el Toño hoy', 'history', { user: 'toño' }],
    ]);
  });

  it('reads whole Italian sentences with English terms', () => {
    expectReadings([
      ['silenzia la alert 14 per 30 minuti', 'alerts.silence', { alert_id: '14', duration: '30m' }],
      ['quanto è lento checkout oggi?', 'metrics', { service: 'checkout', signal: 'latency_p99' }],
      [
        'mi fai vedere la mediana della latenza di gateway nelle ultime 6 ore?',
        'metrics',
        { service: 'gateway', signal: 'latency_p50', window: '6h' },
      ],
      ["prendo io l'alert 33", 'alerts.ack', { alert_id: '33' }],
      ["ok, faccio io: ack dell'alert numero dodici", 'alerts.ack', { alert_id: '12' }],
      ['gateway è tutto ok?', 'status', { service: 'gateway' }],
      ['posso fare mute degli alert?', 'whoami', {}],
      ['termina subito il silence 5e2f, grazie', 'alerts.unsilence', { silence_id: '5e2f' }],
    ]);
  });

  it('reads Japanese written in romaji', () => {
    expectReadings([
      [
        'critical no alert, ima hakka shiteru no ichiran misete kudasai',
        'alerts.list',
        { severity: 'critical' },
      ],
      [
        'kako 6 jikan no checkout no memory wo misete kudasai',
        'metrics',
        { service: 'checkout', signal: 'saturation', window: '6h' },
      ],
      [
        '2 jikan han no auth no latency misete kudasai',
        'metrics',
        { service: 'auth-service', signal: 'latency_p99', window: '2h30m' },
      ],
      ['watashi ga taiou shimasu, alert 73 wo ack shite', 'alerts.ack', { alert_id: '73' }],
      ['45-fun kan, alert #40 wo mute shite', 'alerts.silence', { alert_id: '40', duration: '45m' }],
      [
        'ichi jikan dake gateway no alert wo snooze shite',
        'alerts.silence',
        { service: 'gateway', duration: '1h' },
      ],
      ['ima silence 7c3d wo kaijo shite onegaishimasu', 'alerts.unsilence', { silence_id: '7c3d' }],
      ['gateway no silence wo kaijo shite kudasai', 'alerts.unsilence', { service: 'gateway' }],
      ['kako 3 jikan no Yuki-san no sousa rireki onegaishimasu', 'history', { user: 'yuki', window: '3h' }],
      ['promote no yarikata oshiete kudasai', 'help', {}],
    ]);
  });

  it('reads Taglish', () => {
    expectReadings([
      ['pakicheck po kung buhay pa yung gateway, ang bagal eh', 'status', { service: 'gateway' }],
      ['anong mga alert ang naka-open ngayon sa gateway?', 'alerts.list', { service: 'gateway' }],
      ['2 hours lang, pakisilence yung #61 po', 'alerts.silence', { alert_id: '61', duration: '2h' }],
      ['sige, pakiack yung alert 9 po', 'alerts.ack', { alert_id: '9' }],
      ['gateway, okay ba ngayon?', 'status', { service: 'gateway' }],
    ]);
  });

  it('reads Nigerian Pidgin', () => {
    expectReadings([
      ['abeg, make you see if gateway dey work', 'status', { service: 'gateway' }],
      ['na who I be for here abeg?', 'whoami', {}],
      ['wetin dey fire for auth now?', 'alerts.list', { service: 'auth-service' }],
    ]);
  });

  it('reads Persian in Latin letters, its endings joined to English words and its time words', () => {
    expectReadings([
      ['alan che alert-hayi baraye gateway firing-an?', 'alerts.list', { service: 'gateway' }],
      ['audit log-e sara baraye 2 rooz-e akhar', 'history', { user: 'sara', window: '2d' }],
      ['error rate-e auth too 20 daghighe-ye akhar?', 'metrics', { service: 'auth-service', window: '20m' }],
      ['ki akharin bar iris ro rollback kard? history bede', 'history', {}],
      ['man ki hastam inja?', 'whoami', {}],
    ]);
  });

  it('reads Marathi words and its postpositions after a name', () => {
    expectReadings([
      ['orders-svc sathi kahi alerts aahet ka? dakhav', 'alerts.list', { service: 'orders-svc' }],
      ['gateway cha silence kadh', 'alerts.unsilence', { service: 'gateway' }],
      ['kon rollback kela churn var? log bagh', 'history', {}],
      ['mi kon? majha role dakhav', 'whoami', {}],
      ['ha bot kay kay karu shakto?', 'help', {}],
    ]);
  });

  it('reads Latvian words, its time spans and its questions', () => {
    expectReadings([
      [
        'lūdzu apklusini ServiceDown uz 2 stundām',
        'alerts.silence',
        { alert: 'ServiceDown', duration: '2h' },
      ],
      ['noņem klusinājumu a9c1, paldies', 'alerts.unsilence', { silence_id: 'a9c1' }],
      [
        'parādi gateway latency pēdējās 6 stundās',
        'metrics',
        { service: 'gateway', signal: 'latency_p99', window: '6h' },
      ],
      ['kas es esmu?', 'whoami', {}],
      ['ko anna darīja šodien?', 'history', { user: 'anna' }],
    ]);
  });

  it('reads whole Catalan sentences, its elisions and its decimal commas', () => {
    expectReadings([
      [
        "Mostra'm les alertes crítiques del gateway de les últimes 6 hores.",
        'alerts.list',
        { severity: 'critical', service: 'gateway', window: '6h' },
      ],
      [
        "Silencia l'alerta 4410 durant una hora, si us plau.",
        'alerts.silence',
        { alert_id: '4410', duration: '1h' },
      ],
      ['Qui ha fet rollbacks avui?', 'history', {}],
      ['Com puc enllaçar el meu compte?', 'help', {}],
      [
        "Quina classe dona l'iris per a 6,1 2,8 4,7 1,2?",
        'models.predict',
        { features: [6.1, 2.8, 4.7, 1.2] },
      ],
    ]);
  });

  it('reads Sinhala in Latin letters and its postpositions after a name', () => {
    expectReadings([
      [
        'machang gateway eke latency eka kohomada dan?',
        'metrics',
        { service: 'gateway', signal: 'latency_p99' },
      ],
      ['mata rollback karanna puluwanda?', 'whoami', {}],
      ['ane HighErrorRatio eke mute eka ain karanna', 'alerts.unsilence', { alert: 'HighErrorRatio' }],
      ['machang mona commands da thiyenne?', 'help', {}],
    ]);
  });

  it('reads Uzbek words and the Uzbek endings glued to names and numbers', () => {
    expectReadings([
      [
        "iltimos, churn 3-versiyani canaryga o'tkaz",
        'models.promote',
        { model: 'churn-predictor', version: 3, alias: 'canary' },
      ],
      ['fraud-detector ni oldingi versiyaga qaytar', 'models.rollback', { model: 'fraud-detector' }],
      ['HighErrorRatio ni 2 soatga jim qil', 'alerts.silence', { alert: 'HighErrorRatio', duration: '2h' }],
      [
        'fraud-detector ning live da qaysi versiyasi bor?',
        'models.list',
        { model: 'fraud-detector', alias: 'production' },
      ],
      ['menga rollback qilish ruxsat berilganmi?', 'whoami', {}],
      ["oxirgi 3 kun audit logini ko'rsat", 'history', { window: '3d' }],
    ]);
  });

  it('reads Māori greetings and thanks as no part of the request', () => {
    expectReadings([
      ['kia ora, ack 5521 ka pai', 'alerts.ack', { alert_id: '5521' }],
      ['tēnā koe, is the gateway up?', 'status', { service: 'gateway' }],
    ]);
  });

  it('reads Amharic in Latin letters', () => {
    expectReadings([
      [
        "ebakih gateway 5xx le 3 se'at asay",
        'metrics',
        { service: 'gateway', signal: 'error_ratio', window: '3h' },
      ],
      ['ebakih HighLatencyP99 silence ansa', 'alerts.unsilence', { alert: 'HighLatencyP99' }],
      ['ahun churn canary wede version 4 melis', 'models.rollback', { model: 'churn-predictor', version: 4 }],
      ['fraud promote madreg echilalehu?', 'whoami', {}],
    ]);
  });

  it('reads Greek in Latin letters, its articles and its time spans', () => {
    expectReadings([
      [
        'deikse mou ta critical alerts tou checkout parakalo',
        'alerts.list',
        { service: 'checkout', severity: 'critical' },
      ],
      ['kane silence to ServiceDown gia 2 wres', 'alerts.silence', { alert: 'ServiceDown', duration: '2h' }],
      [
        'deikse mou to error rate tou auth tis teleftaies 6 wres',
        'metrics',
        { service: 'auth-service', signal: 'error_ratio', window: '6h' },
      ],
      ['poios ekane rollback simera?', 'history', {}],
      ['poios eimai egw?', 'whoami', {}],
      ['ti mporeis na kaneis?', 'help', {}],
      ['sbise to silence 3a4b parakalo', 'alerts.unsilence', { silence_id: '3a4b' }],
      [
        'vale to iris v3 sto staging',
        'models.promote',
        { model: 'iris-classifier', version: 3, alias: 'staging' },
      ],
    ]);
  });

  it('reads Hebrew in Latin letters and the article and prepositions joined to a name', () => {
    expectReadings([
      ['tare li et ha-alerts shel ha-checkout bevakasha', 'alerts.list', { service: 'checkout' }],
      [
        'tashtik et HighErrorRatio le-shaatayim',
        'alerts.silence',
        { alert: 'HighErrorRatio', duration: '2h' },
      ],
      ['tachzir et iris le-version 3 achshav', 'models.rollback', { model: 'iris-classifier', version: 3 }],
      [
        'ma ha-latency shel ha-gateway ba-shavua ha-acharon?',
        'metrics',
        { service: 'gateway', signal: 'latency_p99', window: '7d' },
      ],
      ['mi ani? tagid li', 'whoami', {}],
      ['eich ani ose rollback?', 'help', {}],
      ['yesh alerts critical ba-3 shaot ha-achronot?', 'alerts.list', { severity: 'critical', window: '3h' }],
    ]);
  });

  it('reads Welsh words, its numbers before a unit and its questions', () => {
    expectReadings([
      [
        'dangos y rhybuddion critical ar y gateway, diolch',
        'alerts.list',
        { service: 'gateway', severity: 'critical' },
      ],
      [
        'tawelwch ServiceDown am ddwy awr os gwelwch yn dda',
        'alerts.silence',
        { alert: 'ServiceDown', duration: '2h' },
      ],
      [
        'dangos latency y checkout dros y 3 awr diwethaf',
        'metrics',
        { service: 'checkout', signal: 'latency_p99', window: '3h' },
      ],
      ['pwy ydw i?', 'whoami', {}],
      ['beth wnaeth dafydd ddoe?', 'history', { user: 'dafydd' }],
      ['tawelwch alert 5521 am ddau ddiwrnod', 'alerts.silence', { alert_id: '5521', duration: '2d' }],
      ['rholio churn yn ôl i fersiwn 4 nawr', 'models.rollback', { model: 'churn-predictor', version: 4 }],
    ]);
  });

  it('reads Estonian words, its time spans and the endings after an apostrophe', () => {
    expectReadings([
      ['näita kõiki häireid gateway kohta palun', 'alerts.list', { service: 'gateway' }],
      [
        'vaigista HighErrorRatio kolmeks tunniks',
        'alerts.silence',
        { alert: 'HighErrorRatio', duration: '3h' },
      ],
      [
        'näita checkout p99 viimase kahe tunni jooksul',
        'metrics',
        { service: 'checkout', signal: 'latency_p99', window: '2h' },
      ],
      [
        "ennusta iris staging'us: 5.9, 3.0, 5.1, 1.8",
        'models.predict',
        { model: 'iris-classifier', alias: 'staging', features: [5.9, 3, 5.1, 1.8] },
      ],
      ['kes ma olen?', 'whoami', {}],
      ['kuidas häiret vaigistada?', 'help', {}],
      ['lõpeta vaigistus 9f8e palun', 'alerts.unsilence', { silence_id: '9f8e' }],
    ]);
  });

  it('reads Nepali in Latin letters and the grammar words after a name', () => {
    expectReadings([
      ['gateway ko alerts dekhau kripaya', 'alerts.list', { service: 'gateway' }],
      [
        'ServiceDown lai 2 ghanta ko lagi chup gara',
        'alerts.silence',
        { alert: 'ServiceDown', duration: '2h' },
      ],
      ['iris lai v4 ma firta lagau kripaya', 'models.rollback', { model: 'iris-classifier', version: 4 }],
      ['ma ko hu? mero role dekhau', 'whoami', {}],
      ['rollback kasari garne ho?', 'help', {}],
      ['<@U02QWER> le aaja k k garyo?', 'history', { user: 'U02QWER' }],
    ]);
  });

  it('reads Malay words and its time spans', () => {
    expectReadings([
      [
        'tolong senaraikan alert critical untuk gateway',
        'alerts.list',
        { service: 'gateway', severity: 'critical' },
      ],
      [
        'senyapkan HighErrorRatio untuk 2 jam, terima kasih',
        'alerts.silence',
        { alert: 'HighErrorRatio', duration: '2h' },
      ],
      [
        'tunjuk latency checkout untuk 3 jam lepas',
        'metrics',
        { service: 'checkout', signal: 'latency_p99', window: '3h' },
      ],
      [
        'naikkan churn v5 ke canary sekarang',
        'models.promote',
        { model: 'churn-predictor', version: 5, alias: 'canary' },
      ],
      ['macam mana nak link akaun saya?', 'help', {}],
      ['buang silence 4a5b sekarang', 'alerts.unsilence', { silence_id: '4a5b' }],
    ]);
  });

  it('reads Tamil in Latin letters and the case endings joined to a name', () => {
    expectReadings([
      ['checkout-la errors evlo irukku ippo?', 'metrics', { service: 'checkout', signal: 'error_ratio' }],
      [
        'churn v6-a champion-ku podu thayavu seithu',
        'models.promote',
        { model: 'churn-predictor', version: 6, alias: 'champion' },
      ],
      [
        'iris prod-la v2-ku thirumba kondu vaa',
        'models.rollback',
        { model: 'iris-classifier', alias: 'production', version: 2 },
      ],
      ['priya enna pannaan nethu?', 'history', { user: 'priya' }],
      ['naan yaaru? en roles kaattu', 'whoami', {}],
      ['alert 5521 snooze pannu 2 mani neram', 'alerts.silence', { alert_id: '5521', duration: '2h' }],
    ]);
  });

  it('reads Yoruba with and without its tone marks, its numbers and its time spans', () => {
    expectReadings([
      ['jọ̀ọ́ fi gbogbo alert critical hàn mí', 'alerts.list', { severity: 'critical' }],
      [
        'jowo fi latency ti checkout han mi fun wakati meta to koja',
        'metrics',
        { service: 'checkout', signal: 'latency_p99', window: '3h' },
      ],
      [
        'ẹ pa HighErrorRatio lẹ́nu mọ́ fún wákàtí méjì',
        'alerts.silence',
        { alert: 'HighErrorRatio', duration: '2h' },
      ],
      ['jowo da churn pada si version 2', 'models.rollback', { model: 'churn-predictor', version: 2 }],
      ['Ta ni mí? Àwọn role wo ni mo ní?', 'whoami', {}],
      ['Báwo ni mo ṣe lè rollback model?', 'help', {}],
      ['ṣé gateway ń ṣiṣẹ́?', 'status', { service: 'gateway' }],
      ['e pa alert 5521 lenu mo fun ojo meji', 'alerts.silence', { alert_id: '5521', duration: '2d' }],
      ['jowo so account mi po, code mi ni QW12-ER34', 'link', { code: 'QW12-ER34' }],
    ]);
  });

  it('reads whole Japanese sentences in romaji', () => {
    expectReadings([
      [
        'ichi-jikan HighLatencyP99 wo mute shite kudasai, riyuu: deploy-chuu',
        'alerts.silence',
        { alert: 'HighLatencyP99', duration: '1h', comment: 'deploy-chuu' },
      ],
      ['9c1d wo sanjuppun snooze', 'alerts.silence', { alert_id: '9c1d', duration: '30m' }],
      [
        'saigo no nijuppun no gateway no latency misete',
        'metrics',
        { service: 'gateway', signal: 'latency_p99', window: '20m' },
      ],
      [
        'churn no baajon juusan wo canary ni shite kudasai',
        'models.promote',
        { model: 'churn-predictor', version: 13, alias: 'canary' },
      ],
      ['ore no akaunto wa rinku sareteru?', 'whoami', {}],
      ['dare ga kinou churn wo rollback shita?', 'history', {}],
      ['ima gateway wa ugoiteru?', 'status', { service: 'gateway' }],
      ['ml-service no cpu wa dou?', 'metrics', { service: 'ml-service', signal: 'saturation' }],
      ['5521 wo ichinichi mute shite', 'alerts.silence', { alert_id: '5521', duration: '1d' }],
    ]);
  });

  it('reads Egyptian and Levantine Arabic as chat spells it', () => {
    expectReadings([
      [
        'law sama7t sakket el alert 8812 lemodet sa3teen, 3ashan fi deploy',
        'alerts.silence',
        { alert_id: '8812', duration: '2h', comment: 'fi deploy' },
      ],
      ['Layla 3amal eh el naharda?', 'history', { user: 'layla' }],
      ['el auth shaghal walla wa2ef?', 'status', { service: 'auth-service' }],
      ['wareeni el alerts elli tal3a fel sa3a elli fatet', 'alerts.list', { window: '1h' }],
      ['momken te3allemni ezay a3mel promote?', 'help', {}],
      ['sakket 5521 talat sa3at', 'alerts.silence', { alert_id: '5521', duration: '3h' }],
      ['sakket 5521 lemodet rob3 sa3a', 'alerts.silence', { alert_id: '5521', duration: '15m' }],
      ['meen ana?', 'whoami', {}],
      ['ack 5521 min fadlak', 'alerts.ack', { alert_id: '5521' }],
    ]);
  });

  it('reads whole German sentences', () => {
    expectReadings([
      [
        'bitte mute ServiceDown auf dem gateway für drei stunden, weil wir patchen',
        'alerts.silence',
        { alert: 'ServiceDown', service: 'gateway', duration: '3h', comment: 'wir patchen' },
      ],
      ['ich übernehme den alert 7781', 'alerts.ack', { alert_id: '7781' }],
      ['beende die stille 2c4d bitte', 'alerts.unsilence', { silence_id: '2c4d' }],
      [
        'setz churn version 5 auf staging',
        'models.promote',
        { model: 'churn-predictor', version: 5, alias: 'staging' },
      ],
      ['sag mal ob der checkout läuft', 'status', { service: 'checkout' }],
      ['wie funktioniert das mit dem promote?', 'help', {}],
      ['mute 5521 für anderthalb stunden', 'alerts.silence', { alert_id: '5521', duration: '1h30m' }],
      [
        'predict iris mit fünf, drei komma zwei, eins, null',
        'models.predict',
        { model: 'iris-classifier', features: [5, 3.2, 1, 0] },
      ],
    ]);
  });

  it('reads whole French sentences', () => {
    expectReadings([
      [
        "coupe ServiceDown sur auth pendant deux heures parce qu'on migre",
        'alerts.silence',
        { alert: 'ServiceDown', service: 'auth-service', duration: '2h', comment: 'on migre' },
      ],
      [
        'mets churn v6 en staging',
        'models.promote',
        { model: 'churn-predictor', version: 6, alias: 'staging' },
      ],
      ["qui a fait un ack aujourd'hui ?", 'history', {}],
      [
        'c koi la latence du gateway depuis une demi-heure',
        'metrics',
        { service: 'gateway', signal: 'latency_p99', window: '30m' },
      ],
      [
        'fais une prédiction churn avec trois, deux, huit, un',
        'models.predict',
        { model: 'churn-predictor', features: [3, 2, 8, 1] },
      ],
      ["tu peux m'expliquer comment acquitter une alerte ?", 'help', {}],
      ['mute le checkout pour trois jours svp', 'alerts.silence', { service: 'checkout', duration: '3d' }],
      ['coupe 5521 pendant une heure et demie', 'alerts.silence', { alert_id: '5521', duration: '1h30m' }],
      ['qui suis-je ?', 'whoami', {}],
    ]);
  });

  it('reads whole Brazilian Portuguese sentences', () => {
    expectReadings([
      [
        'silencia o HighLatencyP99 por duas horas, motivo: janela de manutenção',
        'alerts.silence',
        { alert: 'HighLatencyP99', duration: '2h', comment: 'janela de manutenção' },
      ],
      ['desmuta o alerta 6621 pfv', 'alerts.unsilence', { alert_id: '6621' }],
      ['o que a Carla fez ontem?', 'history', { user: 'carla' }],
      ['minha conta tá vinculada?', 'whoami', {}],
      ['o que vc sabe fazer?', 'help', {}],
      ['silencia 5521 por meia hora', 'alerts.silence', { alert_id: '5521', duration: '30m' }],
      ['quais alertas dispararam hoje no checkout?', 'alerts.list', { service: 'checkout' }],
    ]);
  });

  it('reads whole Spanish sentences', () => {
    expectReadings([
      ['quien promovio el churn a canary esta semana?', 'history', { window: '7d' }],
      [
        'regresa iris a la versión doce por favor',
        'models.rollback',
        { model: 'iris-classifier', version: 12 },
      ],
      [
        'silencia 5512 por tres horas porque hay mantenimiento',
        'alerts.silence',
        { alert_id: '5512', duration: '3h', comment: 'hay mantenimiento' },
      ],
      ['ack el cuatro cuatro uno nueve porfa', 'alerts.ack', { alert_id: '4419' }],
    ]);
  });

  it('reads whole Hindi sentences in Latin letters', () => {
    expectReadings([
      [
        'bhai 7732 ko teen ghante ke liye chup karao kyunki deploy chal raha hai',
        'alerts.silence',
        { alert_id: '7732', duration: '3h', comment: 'deploy chal raha hai' },
      ],
      ['koi critical chal raha hai kya abhi?', 'alerts.list', { severity: 'critical' }],
      ['checkout ka cpu dikhao', 'metrics', { service: 'checkout' }],
      ['5521 ko dedh ghante ke liye silence karo', 'alerts.silence', { alert_id: '5521', duration: '1h30m' }],
      ['main kaun hoon?', 'whoami', {}],
      [
        'auth ka p99 dikha do pichle do ghante ka',
        'metrics',
        { service: 'auth-service', signal: 'latency_p99', window: '2h' },
      ],
      [
        'iris ka live wala version wapas 3 pe le jao',
        'models.rollback',
        { model: 'iris-classifier', alias: 'production', version: 3 },
      ],
      ['gateway ka error rate is week kitna hai?', 'metrics', { service: 'gateway', window: '7d' }],
    ]);
  });

  it('reads Polish: questions with "czy", numbers in words, "bo" leading the note, "na" and "do"', () => {
    expectReadings([
      ['czy payments-api żyje?', 'status', { service: 'payments-api' }],
      [
        'pokaż latency dla checkout z ostatnich dwudziestu minut',
        'metrics',
        { service: 'checkout', signal: 'latency_p99', window: '20m' },
      ],
      [
        'wycisz 3310 na dwie godziny bo restartujemy bazę',
        'alerts.silence',
        { alert_id: '3310', duration: '2h', comment: 'restartujemy bazę' },
      ],
      ['potwierdzam 7781, jestem na tym', 'alerts.ack', { alert_id: '7781' }],
      ['usuń wyciszenie sil_ab12', 'alerts.unsilence', { silence_id: 'sil_ab12' }],
      [
        'promuj iris wersja 5 na produkcję',
        'models.promote',
        { model: 'iris-classifier', version: 5, alias: 'production' },
      ],
      ['co robił Marek dzisiaj', 'history', { user: 'marek' }],
      ['co ty umiesz', 'help', {}],
      ['jako kto jestem zalogowany', 'whoami', {}],
      ['kim jestem?', 'whoami', {}],
      ['wycofaj churn do wersji 3', 'models.rollback', { model: 'churn-predictor', version: 3 }],
    ]);
    // Bo before an English verb is a name, no Polish "because".
    expect(nlp.interpret('mute 4410 for 2h bo is looking').entities.comment).toBeUndefined();
  });

  it('reads Turkish: endings after an apostrophe, numbers before units, "sebep:", the verb last', () => {
    expectReadings([
      ['auth ne kadar yoğun', 'metrics', { service: 'auth-service', signal: 'saturation' }],
      [
        "7a1b'yi iki saat sustur, sebep: bakım",
        'alerts.silence',
        { alert_id: '7a1b', duration: '2h', comment: 'bakım' },
      ],
      ["4410'u onayla", 'alerts.ack', { alert_id: '4410' }],
      ['Ayşe son 3 günde ne yaptı', 'history', { user: 'ayşe', window: '3d' }],
      ['hesabım bağlı mı', 'whoami', {}],
      ['ben kimim', 'whoami', {}],
      [
        "iris v5'i canlıya yükselt",
        'models.promote',
        { model: 'iris-classifier', version: 5, alias: 'production' },
      ],
    ]);
  });

  it('reads Vietnamese with and without its marks', () => {
    expectReadings([
      ['checkout con song ko', 'status', { service: 'checkout' }],
      ['liet ke alert cua gateway trong 2 ngay qua', 'alerts.list', { service: 'gateway', window: '2d' }],
      [
        'tắt tiếng alert 4410 2 tiếng vì đang deploy',
        'alerts.silence',
        { alert_id: '4410', duration: '2h', comment: 'đang deploy' },
      ],
      ['bot làm được những gì', 'help', {}],
      ['minh la ai', 'whoami', {}],
    ]);
  });

  it('reads Indonesian: "-nya" on a name, "soalnya" leading the note, "versi sebelumnya"', () => {
    expectReadings([
      ['auth-service-nya sehat gak?', 'status', { service: 'auth-service' }],
      ['tampilkan semua alert warning minggu ini', 'alerts.list', { severity: 'warning', window: '7d' }],
      [
        'mute 5521 2 jam soalnya lagi maintenance',
        'alerts.silence',
        { alert_id: '5521', duration: '2h', comment: 'lagi maintenance' },
      ],
      ['turunin iris ke versi sebelumnya', 'models.rollback', { model: 'iris-classifier' }],
      ['bisukan 4410 selama 2 jam', 'alerts.silence', { alert_id: '4410', duration: '2h' }],
    ]);
  });

  it('reads Korean in Latin letters: numbers in words, endings on names, the verb last', () => {
    expectReadings([
      [
        'auth latency jinan isip bun dongan boyeo jwo',
        'metrics',
        { service: 'auth-service', signal: 'latency_p99', window: '20m' },
      ],
      ['4410 ack halge', 'alerts.ack', { alert_id: '4410' }],
      ['gateway alert du shigan mute hae jwo', 'alerts.silence', { service: 'gateway', duration: '2h' }],
      ['checkout mute pureo jwo', 'alerts.unsilence', { service: 'checkout' }],
      ['iris-reul version 2-ro doedollyeo', 'models.rollback', { model: 'iris-classifier', version: 2 }],
      ['minho-ga mwo haesseo?', 'history', { user: 'minho' }],
      ['nan nuguya?', 'whoami', {}],
    ]);
  });

  it('reads Thai in Latin letters: "khong" (of), units of time, "proh wa" leading the note', () => {
    expectReadings([
      [
        'kor du cpu khong gateway chuang 30 nathi tee laew noi krub',
        'metrics',
        { service: 'gateway', signal: 'saturation', window: '30m' },
      ],
      [
        'pid siang alert 3321 sam chuamong proh wa deploy',
        'alerts.silence',
        { alert_id: '3321', duration: '3h', comment: 'deploy' },
      ],
      ['krai tham arai bang nai 2 chuamong', 'history', { window: '2h' }],
      [
        'ao iris v4 khuen staging krub',
        'models.promote',
        { model: 'iris-classifier', version: 4, alias: 'staging' },
      ],
      ['phom pen krai', 'whoami', {}],
    ]);
  });

  it('reads Dutch: separable verbs ("pak … op", "zet … op stil", "laat … zien") and "reden:"', () => {
    expectReadings([
      ['ik pak 5512 op', 'alerts.ack', { alert_id: '5512' }],
      [
        'zet HighLatencyP99 op stil voor een uur, reden: onderhoud',
        'alerts.silence',
        { alert: 'HighLatencyP99', duration: '1h', comment: 'onderhoud' },
      ],
      ['laat de alerts van checkout zien', 'alerts.list', { service: 'checkout' }],
      ['wie ben ik', 'whoami', {}],
      ['bevestig 4410', 'alerts.ack', { alert_id: '4410' }],
      ['hoe werkt deze bot', 'help', {}],
    ]);
  });

  it('reads Italian: "è vivo", "me ne occupo io", "metti in muto", "perché" leading the note', () => {
    expectReadings([
      ['auth è vivo?', 'status', { service: 'auth-service' }],
      ['me ne occupo io del 7781', 'alerts.ack', { alert_id: '7781' }],
      [
        'metti in muto il 4410 per 2 ore perché stiamo migrando',
        'alerts.silence',
        { alert_id: '4410', duration: '2h', comment: 'stiamo migrando' },
      ],
      ['chi ha fatto promote ieri sera', 'history', {}],
      ['chi sono', 'whoami', {}],
      ['conferma il 4410', 'alerts.ack', { alert_id: '4410' }],
    ]);
  });
});
