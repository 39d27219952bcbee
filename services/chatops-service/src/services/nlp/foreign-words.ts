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
const AMBIGUOUS = new Set(['bin', 'les', 'hay', 'soy', 'alle', 'est', 'mon', 'mes']);
const MAY_BE_AMBIGUOUS = /(?:bin|les|hay|soy|alle|est|mon|mes)/i;
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
    if (AMBIGUOUS.has(lower) && !known(words[i - 1]) && !known(words[i + 1])) return word;
    return IN_ENGLISH[lower] ?? word;
  });
}
