/**
 * Command words in the languages on-call people here most often fall back to (German, Spanish,
 * French, Portuguese, Italian, Polish), each with the English word the classifier and the extractor know. Only words that mean
 * nothing else in an English chat message; names are never among them. "help" in those languages
 * is a concept of its own (`concepts.ts`).
 */
const IN_ENGLISH: Record<string, string> = {
  // German
  zeigen: 'show',
  zeige: 'show',
  zeig: 'show',
  anzeigen: 'show',
  modelle: 'models',
  alarme: 'alerts',
  warnungen: 'alerts',
  stummschalten: 'mute',
  stumm: 'mute',
  quittieren: 'ack',
  bestätigen: 'ack',
  verlauf: 'history',
  zurückrollen: 'rollback',
  zurücksetzen: 'rollback',
  vorhersage: 'predict',
  vorhersagen: 'predict',
  verbinden: 'link',
  verknüpfen: 'link',
  dienst: 'service',
  bitte: 'please',
  alle: 'all',
  wer: 'who',
  rolle: 'role',
  rollen: 'roles',
  rechte: 'rights',
  meine: 'my',
  bin: 'am',
  ich: 'i',
  // Spanish
  mostrar: 'show',
  muestra: 'show',
  muéstrame: 'show me',
  modelos: 'models',
  alertas: 'alerts',
  silenciar: 'silence',
  reconocer: 'ack',
  historial: 'history',
  revertir: 'rollback',
  predecir: 'predict',
  promover: 'promote',
  vincular: 'link',
  cuenta: 'account',
  estado: 'status',
  qué: 'what',
  quién: 'who',
  soy: 'am i',
  hay: 'are there',
  comandos: 'commands',
  servicio: 'service',
  // French
  afficher: 'show',
  montrer: 'show',
  montre: 'show',
  modèles: 'models',
  alertes: 'alerts',
  acquitter: 'ack',
  historique: 'history',
  prédire: 'predict',
  promouvoir: 'promote',
  état: 'status',
  quelles: 'which',
  quel: 'which',
  quelle: 'which',
  rôle: 'role',
  rôles: 'roles',
  droits: 'rights',
  est: 'is',
  mon: 'my',
  mes: 'my',
  quels: 'which',
  commandes: 'commands',
  les: 'the',
  // Portuguese
  quais: 'which',
  qual: 'which',
  ativos: 'active',
  ativas: 'active',
  promova: 'promote',
  reverter: 'rollback',
  executou: 'ran',
  modelo: 'model',
  // Italian
  mostra: 'show',
  mostrami: 'show me',
  modelli: 'models',
  avvisi: 'alerts',
  allarmi: 'alerts',
  rimuovi: 'remove',
  promuovi: 'promote',
  silenzia: 'silence',
  metriche: 'metrics',
  // Polish
  pokaż: 'show',
  pokaz: 'show',
  alerty: 'alerts',
  modele: 'models',
  wycisz: 'mute',
  cofnij: 'rollback',
  potwierdź: 'ack',
  // Turkish
  göster: 'show',
  sustur: 'mute',
  susturur: 'mute',
  susturun: 'mute',
  susturabilir: 'mute',
  onayla: 'ack',
  kaldır: 'remove',
  geçmiş: 'history',
  tahmin: 'predict',
  durum: 'status',
  sürüm: 'version',
  sürümü: 'version',
  uyarılar: 'alerts',
  alarmlar: 'alerts',
  modeller: 'models',
  // "geri al", take back
  geri: 'rollback',
  için: 'for',
  lütfen: 'please',
  saat: 'hours',
  dakika: 'minutes',
  // Hindi, as typed in Latin letters
  dikhao: 'show',
  batao: 'tell me',
  // "hata do", remove; "wapas le jao", take back
  hata: 'remove',
  hatao: 'remove',
  wapas: 'rollback',
  kaunsa: 'which',
  kaunse: 'which',
  kya: 'what',
  chalaye: 'ran',
  chalaya: 'ran',
  mein: 'in',
  ghante: 'hours',
  ghanta: 'hour',
  // Dutch
  toon: 'show',
  lijst: 'list',
  graag: 'please',
  terug: 'back',
  naar: 'to',
  versie: 'version',
  alleen: 'only',
  meldingen: 'alerts',
  van: 'of',
  uur: 'hours',
  minuten: 'minutes',
  dagen: 'days',
  // Spanish, more
  quitar: 'remove',
  quita: 'remove',
  silencio: 'silence',
  horas: 'hours',
  hora: 'hour',
  minutos: 'minutes',
  días: 'days',
  porque: 'because',
  linkear: 'link',
  // German, more: time spans, the firing and silencing verbs, whose history
  letzte: 'last',
  letzten: 'last',
  letzter: 'last',
  stunde: 'hour',
  stunden: 'hours',
  tage: 'days',
  tagen: 'days',
  minute: 'minute',
  woche: 'week',
  seit: 'over the last',
  für: 'for',
  muten: 'mute',
  entstummen: 'unmute',
  aufheben: 'remove',
  entfernen: 'remove',
  löschen: 'delete',
  feuern: 'firing',
  feuert: 'firing',
  befehle: 'commands',
  ausgeführt: 'ran',
  gemacht: 'did',
  welche: 'which',
  läuft: 'running',
  erreichbar: 'up',
  erklären: 'explain',
  sehe: 'see',
  fehlerrate: 'error rate',
  fehlerquote: 'error rate',
  latenz: 'latency',
  einer: 'a',
  einen: 'a',
  eine: 'a',
  // "Tag" is also an English word: read as "day" only beside another word of the list ("einen Tag")
  tag: 'day',
  wie: 'how',
  vom: 'of',
  // French, more
  latence: 'latency',
  taux: 'rate',
  erreur: 'error',
  erreurs: 'errors',
  dernière: 'last',
  dernières: 'last',
  dernier: 'last',
  derniers: 'last',
  heure: 'hour',
  une: 'a',
  heures: 'hours',
  jour: 'day',
  jours: 'days',
  semaine: 'week',
  depuis: 'over the last',
  pendant: 'for',
  alerte: 'alert',
  acquitte: 'ack',
  réactiver: 'unmute',
  réactive: 'unmute',
  sonne: 'firing',
  sonnent: 'firing',
  lancé: 'ran',
  précédente: 'previous',
  précédent: 'previous',
  revient: 'roll back',
  revenir: 'roll back',
  suis: 'am',
  merci: 'thanks',
  svp: 'please',
  // Portuguese, more
  caiu: 'down',
  fora: 'down',
  taxa: 'rate',
  erro: 'errors',
  erros: 'errors',
  latência: 'latency',
  última: 'last',
  últimas: 'last',
  último: 'last',
  últimos: 'last',
  dia: 'day',
  dias: 'days',
  semana: 'week',
  silencia: 'silence',
  muta: 'mute',
  mutar: 'mute',
  tirar: 'remove',
  tira: 'remove',
  versão: 'version',
  anterior: 'previous',
  produção: 'production',
  histórico: 'history',
  rodou: 'ran',
  rodei: 'i ran',
  sobe: 'promote',
  subir: 'promote',
  volta: 'roll back',
  voltar: 'roll back',
  comando: 'command',
  obrigado: 'thanks',
  obrigada: 'thanks',
};

/**
 * Words of those languages that carry only grammar ("alert 102 ko ack kar do", "lijst van alerts
 * graag"): never a name, wherever they stand.
 */
export const FOREIGN_FUNCTION_WORDS: ReadonlySet<string> = new Set(
  [
    'ko ka ke ki pe par ne hai hain kar karo wala wali le jao raha rahi rahe ho gaya gayi se aur bhi abhi',
    'het een voor even nu',
    'musun misin mısın yeter ve bir',
    'por favor ya es el la del para una mi',
    // German, French and Portuguese grammar and chat words ("was ist los auf monitoring", "liste des
    // alertes", "je prends celle-là", "galera, o gateway caiu")
    'ist los auf und der die das den dem ein mal schon gerade noch doch kurz habe hab heute ich einmal wieder nicht bei mir sind nur machen bekannt',
    'le des du un ce cette celle celui là je tu il on en pour avec sur que qui quoi moi toi est-ce celle-là celui-là fait mets prends peux regarde voudrais savoir faire',
    'o os as do da dos das um uma pra pro no na nos nas em tá está galera alguém sabe aqui meu minha tudo',
  ]
    .join(' ')
    .split(' '),
);

// A whole word: letters with no letter, digit, `-` or `_` touching them, so the letters of a link
// code or a name ("9WER-T6YU", "van-service") are never read as a word of another language.
const WORD = /(?<![\p{L}\p{N}_-])\p{L}+(?![\p{L}\p{N}_-])/gu;
// Words that are also English words or everyday chat ("bin", "les", "hay", "soy", "alle", "est",
// "mon", "mes"): read as
// the foreign word only beside another word of the list ("wer bin ich", "afficher les modèles"),
// so "bin gleich zurück" or "soy latte" stay as they are.
const AMBIGUOUS = new Set(['bin', 'les', 'hay', 'soy', 'alle', 'est', 'mon', 'mes', 'tag']);
// French possessives stand before their noun ("mon historique"): only the word after decides, so
// "für mon" (German "for", then the monitoring service) keeps its name.
const POSSESSIVE = new Set(['mon', 'mes']);
const MAY_BE_AMBIGUOUS = /(?:bin|les|hay|soy|alle|est|mon|mes|tag)/i;
const known = (word: string | undefined) =>
  word !== undefined && IN_ENGLISH[word] !== undefined && !AMBIGUOUS.has(word);

/**
 * The message with those command words in English ("mostrar modelos" → "show models", "quittieren
 * 9" → "ack 9"); other words, and the case of every word, stay.
 *
 * @example inEnglish('afficher les modèles') // 'show the models'
 */
export function inEnglish(text: string): string {
  if (!MAY_BE_AMBIGUOUS.test(text))
    return text.replace(WORD, (word) => IN_ENGLISH[word.toLowerCase()] ?? word);
  const words = [...text.matchAll(WORD)].map((m) => m[0].toLowerCase());
  let i = -1;
  return text.replace(WORD, (word) => {
    i++;
    const lower = word.toLowerCase();
    if (AMBIGUOUS.has(lower) && !known(words[i + 1]) && (POSSESSIVE.has(lower) || !known(words[i - 1])))
      return word;
    return IN_ENGLISH[lower] ?? word;
  });
}
