import { readFileSync } from 'node:fs';
import type { Entities, Lexicon } from './lexicon.js';

export interface Utterance {
  id: string;
  text: string;
  intent: string;
  entities: Entities;
  split: 'train' | 'dev' | 'heldout';
}

/** Messages expanded from the phrasings in `scripts/utterance-templates.ts`: coverage of every slot. */
export const UTTERANCES_FILE = new URL('../../../data/utterances.jsonl', import.meta.url);
/** Messages written as people write in chat (typos, slang, word order), each labelled by hand. */
export const CHAT_UTTERANCES_FILE = new URL('../../../data/chat-utterances.jsonl', import.meta.url);

/**
 * The sets of written messages collected after the first ones, each written apart from the
 * training messages in styles the ones before it do not use and scored once, unseen, before any
 * change it prompted (its first read, in the README), by number with the styles it holds. Sets
 * up to {@link TRAINED_THROUGH} have since become training data (`data/chat-written-<n>.jsonl`,
 * split `train`); the later ones are held out and only ever scored on
 * (`data/chat-heldout-<n>.jsonl`, split `heldout`).
 */
export const WRITTEN_SETS = {
  2: 'other styles: phone typing, slang, ids and numbers as people say them, off-topic and bare verbs',
  3: 'Slack mentions, backticks and code blocks, pasted alert text, emoji, non-native English, long and short hex ids, unknown and misspelt names',
  4: 'Slack shorthand and slang, self-corrections, arrow and @ notation, pasted links and code blocks, greetings in other languages, very short and very long messages',
  5: 'new writers: formal and verbose, all capitals, command-line flags and key=value, texting slang, dictated punctuation, emoji for verbs, reversed word order, pasted tracebacks',
  6: 'Slack markdown and quotes, timestamps pasted in front, German and Spanish words mixed in, "would you mind …", heavy typos, spelt-out durations, new alias names',
  7: 'terse 3am on-call shorthand, non-native English, pasted alert notifications with a question, commands wrapped in politeness, two services in one question, negations, relative times, misspelt model and alert names, ids in every form, German/Spanish/French command words',
  8: 'on-call typing fast: numbers and ids as words and #n, unknown and typo\'d model and alert names, "how do I …" for every command, questions about one\'s own roles, bare verbs and off-topic asks, time phrases ("until tomorrow morning", "since lunch", "for the rest of the shift"), two things in one message, hyphenated and slang verbs ("un-mute", "nuke", "kill that silence"), arrows, = and @ for aliases',
  9: 'written without reading the reader: polite new hires, Indian and British English, ML jargon (forward pass, inference, feature rows with decimal commas or in words), ids beside ticket and channel numbers, prefixed silence ids, unknown services, models and alerts, alert names said as words, link codes in lower case or with an en dash, verbs the commands do not use (claim, gag, graduate, go live, back out)',
  10: 'written without reading the reader: vague back-references ("do that again", "same for staging"), pasted error output and JSON, dictated punctuation and numbers in words, ack\'d/pls/thx/rn/asap/eod/wfh, autocorrect slips, negative questions ("why isn\'t gateway up?"), ordinals, model names with underscores, dots and versions, end times with time zones, durations as "a couple of hours", "half an hour", "1.5h", sarcasm, Portuguese/Italian/Polish word order; lists of ids ("ack 4, 5 and 9") are labelled with the first id only',
  11: 'written without reading the reader, eight people: terse SRE shorthand, apologetic new hires, ML jargon (AUC, drift, shadow, checkpoint), formal managers, phone typing with missing spaces, Spanish/Hindi/Turkish/Dutch/Japanese speakers writing English, pasted notifications, kubectl/curl output, stack traces and log lines with a question, 3 am anger and sarcasm; Slack mentions, `^ this`, hashtags, numbered lists, durations in words, vague end times',
  12: 'written without reading the reader, eight people: a German SRE (German word order, "bitte", "mal"), a Brazilian ML engineer mixing Portuguese, a French on-call engineer ("svp", "le gateway", spaced "?"), Polish/Korean English without articles, voice dictation (no punctuation, numbers as words, homophones), a polite manager burying the request in context, emoji and Slack formatting with quoted bot replies, a sarcastic senior with negations ("don\'t roll back, just list"); ids beside other numbers, pasted logs and notifications before the request, ALL CAPS',
  13: 'written without reading the reader, eight people: a Mexican SRE mixing Spanish, Indian English ("kindly do the needful", "revert back", "only"), a phone thumb-typist (autocorrect slips, run-together words, misspelt names), a CLI power user (`/ops ack 4471 -m "…"`, `--for 45m`, `model=churn v=7 -> prod`, `predict(iris, [...])`), an incident commander (ACTION:/MODEL:/REASON: lines, bullets, quoted bot output), a Dutch data scientist (Dutch words, champion/challenger, shadow eval), a hesitant new joiner (vague names: "the login thing", "the AI service"), a 3 am veteran (1-4 words, abbreviations, sarcasm, negation)',
  14: 'written without reading the reader, eight people: an Australian/British SRE with slang ("reckon", "chuck it back", "bin that silence"), a polite Japanese ML engineer (romaji, "-san", full-width punctuation), an Italian SRE mixing Italian, a Russian speaker (no articles, transliterated and Cyrillic words), a product manager (business words, long context), speech-to-text (spoken numbers, punctuation and symbols, misheard words), forwarded emails, tickets and webhook pastes with one human line, a terse lowercase texter with emoji',
  15: 'written without reading the reader, eight people: a customer-support agent relaying complaints, a formal security auditor, a Chinese engineer writing English with Chinese patterns, words and punctuation, a data engineer writing pseudo-code (SQL, pipes, calls), a markdown-heavy writer (headings, bold, bullets, tables), a keyboard-slip typist (adjacent keys in most words), a rambler with the request in the middle, a voice-assistant habit (wake words, filler, closings)',
  16: 'written without reading the reader, eight people: an autocorrect victim (real words for ours: "promise" for promote, "alters", "sliced"), a Gen-Z engineer (lowercase, emoji, fr, ngl, bestie), a Filipino engineer mixing Tagalog (paki-ack, pa-check naman), a Scottish/Irish on-call engineer (banjaxed, gonnae, wee), a Swedish engineer mixing Swedish, a manager in capitals and clipped orders, a verbose data scientist (A/B, shadow, feature vectors), a sarcastic tired senior',
  17: "written without reading the reader, plain on-call chat at night by eight people: a terse senior (3-6 words), a nervous junior, numbers and ids all in words, a team's own models and alert rules beside ours, ids in every form (#n, number n, bare, hex, sil_), slang verbs and everyday words for signals (nuke, yeet, bin, how hot), a fast typist (typos, run-together words), a colleague mixing how-to and can-I questions with commands and off-topic chat",
  18: "written without reading the reader, ordinary on-call chat by eight people of one team: a dry British SRE, a fast casual American, a polite Indian ML engineer, an angry site lead at 4 am, an intern unsure of every name, a cold phone typist, numbers and durations in every form (1.5h, 90 mins, half a day, #4812), other teams' services and models beside ours",
  19: "written without reading the reader, eight people at the edges of the team: a product manager in business words, a line pasted from Grafana, PagerDuty, Datadog or a URL and then the ask, Portuguese and Hinglish mixed in, a screen-reader user dictating, a formal security engineer, context before the request, replies quoting the bot's own messages",
  20: 'written without reading the reader, ordinary on-call chat by eight people of another team: a New Zealand SRE, a hedging Canadian, a German writing English in German word order, a NOC operator writing like a ticket, a data-platform engineer naming their pipelines and tables, a phone-only mobile developer, a senior in abbreviations and symbols (sil X@ml x1h, rb churn @canary -> v7), questions about what the bot did or would do',
  21: 'written without reading the reader, eight people the bot had not met: Polish, Turkish and Vietnamese speakers mixing in their words, voice-to-text on a noisy line (a lert, role back, four ate one two), Slack emoji codes, runbook steps, the object alone (churn v9 canary, p99 gw), two requests or a changed mind in one message',
  22: "written without reading the reader, ordinary on-call chat by eight people of a third team: an Irish SRE, a South African engineer, a Brazilian writing English only, an incident commander giving numbered orders, an ML researcher calling things by the wrong names, wishes and the passive (I'd like the churn model promoted), times of day and relative dates, commands typed as if the bot were a shell (alerts ls --sev crit, history -u priya -s 2h)",
  23: 'written without reading the reader, eight people new to the bot: a French engineer, a Korean engineer without articles, an Arabic speaker, a lowercase intern, a formal architect with a signature, yes/no questions, numbers with units glued and odd separators (ver9, 1,5h, 5.1;3.5;1.4;0.2), the same thing named two ways (the gateway, I mean the edge)',
  24: 'written without reading the reader, ordinary on-call chat by eight people of a fourth team: a laconic Scandinavian SRE, a chatty PM, a compact Singaporean engineer, a senior in lowercase with no punctuation, an engineer mid-outage repeating and correcting words, a data scientist naming builds by day or nickname, thresholds with units and percentages, very short replies',
  25: "written without reading the reader, eight people with unexpected habits: German and Spanish words mixed in, heavy Slack formatting, requests addressed to the bot inside a message to a colleague, abbreviations of the platform's own names (auth-svc, iris-clf, HighLatP99), the request first and a paragraph after, checklist items, sarcasm",
  26: 'written without reading the reader, ordinary on-call chat by eight people of a fifth team: a Nigerian SRE (abeg, how far), a Singaporean engineer in Singlish (can or not, lah), a Japanese engineer in careful English, a Texan in long friendly run-on sentences, a 3 am on-call with fat-finger typos, a product manager in tickets and dates (by EOD, INC-…), an ML engineer with notebook and MLflow habits, a support engineer relaying what customers say',
  27: 'written without reading the reader, ordinary on-call chat by eight people of a sixth team: an Italian engineer mixing Italian words, a direct and terse Dutch engineer, voice dictation with spoken punctuation and misheard words, an emoji-heavy junior, a staff engineer in precise sentences with asides, replies in a thread (re:, ^, +1, also), a database admin naming the infrastructure (the postgres behind auth, the inference pods), an incident commander mid-incident (IC here:, for the record, 14:02)',
  28: 'written without reading the reader, ordinary on-call chat by eight people of a seventh team: a Kenyan SRE with Swahili words (sawa, haraka), a direct Israeli engineer (yalla, sababa), a Welsh ops engineer, an ex-military ops lead (copy, execute, ETA), a hedging new graduate, a swipe-keyboard typist whose phone swaps whole words, an SRE manager asking for report numbers (last sprint, month to date), a data scientist with precise values (negatives, 1e-3)',
  29: 'written without reading the reader, ordinary on-call chat by eight people of an eighth team: everything phrased as a question, Hungarian and Czech words, British understatement (might be worth muting, a bit of a wobble), abbreviations (chk gw p99 1h, sil ml 2h kthx), a JSON or log snippet inline with the request, capitals and odd spacing (ACK 4812, a c k 4812), people, channels and tickets named around the request',
  30: 'written without reading the reader, ordinary on-call chat by eight people of a ninth team: a Ukrainian SRE without articles, a Pakistani engineer mixing Urdu (yaar, jaldi, kar do), a Canadian French speaker (svp, tantôt), a night-shift NOC operator in templates (REQ:, CHK:), a polite senior (Could you kindly … Many thanks), a developer asking about their own checkout-api and basket-recommender, a bad mobile connection (doubled and cut words), reasons after since or as',
  31: 'written without reading the reader, ordinary on-call chat by eight people of a tenth team: an Australian SRE (arvo, reckon, heaps), a Chinese engineer in Chinese sentence patterns (auth can or not login), a grumpy on-call at the end of a 12-hour shift, a lead delegating (can someone … actually bot, just …), an ML platform engineer (deploy, serve, revert the deploy), a data analyst in business words (how many requests, what % failed), clock times and days (since 9am, until 17:30, over the weekend), Slack reaction words (:eyes:, :+1:)',
  32: 'written without reading the reader, ordinary on-call chat by eight people of an eleventh team: a Greek SRE (parakalo, ela), a Mexican-American engineer in Spanglish (ahorita, porfa), a Korean engineer in short English, a Unix veteran (grep the alerts, tail history, kill silence 12), a junior asking is it okay if, a product owner naming features and customers (the login page, the scoring API), numbers with units mixed (2hrs, half hr, ninety mins, #4,812), the bot and a teammate tagged together',
  33: 'written without reading the reader, ordinary on-call chat by eight people of a twelfth team: a brief Finnish SRE (kiitos, nyt), a Brazilian in Portuguese word order, an Egyptian engineer (yalla, khalas), a former Windows admin (reboot, service for everything), lowercase with no punctuation and run-together words, a cautious just-to-confirm asker, versions named with run names or dates (v14, the march retrain), several services in one question (labelled with the first, as a list of ids is)',
  34: "written without reading the reader, ordinary on-call chat by eight people of a thirteenth team: a Romanian SRE (te rog, acum), a Jamaican engineer in light patois, an Indonesian engineer (tolong, dong, sekarang), a QA engineer quoting names in backticks and quotes, a sleepy on-call's homophones (weight, there, roll for role), a release manager (freezes, change windows), questions without a mark and commands with one, dashboards and graphs around the request",
  35: 'written without reading the reader, ordinary on-call chat by eight people of a fourteenth team: a laconic Danish SRE (tak, lige), a Ghanaian engineer (chale, I beg), a Thai engineer (krub, ka), a security-minded engineer checking identity and rights, a platform engineer in Kubernetes words (the auth deployment, ml pods), a support lead forwarding tickets, arrows and slashes (auth -> status?, ml/p99/1h, churn@staging?), a night owl with the request buried in a long message',
  36: 'written without reading the reader, ordinary on-call chat by eight people of a fifteenth team: a Portuguese SRE (por favor, agora, pá), a Malaysian engineer in Manglish (can ah, got or not), a Lithuanian engineer without articles, a terse senior in 2-4 word fragments, alert, silence, alarm and page used loosely, a data scientist in statistics words (drift, AUC, calibration), UTC times with relative spans (since 02:00 UTC, so ~3h), a polite apologiser thanking in advance',
  37: 'written without reading the reader, ordinary on-call chat by eight people of a sixteenth team: a Hong Kong engineer with Cantonese particles (la, ga, wor), a Norwegian SRE (takk, nå), a Colombian engineer (parce, de una), team tags before requests ([payments], (ml-team)), yes/no questions, list positions beside the real id (the 2nd one, 4812), autocorrect capitals and splits (Fraud Detector, Chat Ops), very short pings (gw?, ml p99?, alerts?)',
  38: 'written without reading the reader, ordinary on-call chat by eight people of a seventeenth team: a crisp British-style SRE, a Nepali engineer (dai, hajur, please kindly), a Puerto Rican engineer (mano, ahora mismo), wishes in the past tense (I wanted to check, I was hoping to mute), statements with a question mark only sometimes (auth status, churn versions pls), emoji as decoration inside requests, named feature values (tenure=12 monthly=49.9), so … thx',
  39: 'written without reading the reader, ordinary on-call chat by eight people of an eighteenth team: a Turkish-German engineer (bitte, lütfen, tamam), a South Indian engineer (kindly, itself, only), a Kiwi SRE (sweet as, chur, yeah nah), checklists and numbered steps, requests for a person (history for the new guy, sam), environment and region named (prod eu-west gateway p99), comparative questions (is auth slower than yesterday?), things described instead of named (the thing that serves the models, the red alert about errors)',
  40: "written without reading the reader, ordinary on-call chat by eight people of a nineteenth team: a Belgian engineer with Dutch and French words (alstublieft, nu, svp), a Zimbabwean engineer (ndapota, now now), a Bangladeshi engineer (bhai, ekhon, koro, dekhao), a veteran naming the old monolith then the new name (the flask app's auth bit, I mean auth-service), a perfectionist with exact units and ids, code-review style requests (nit:, LGTM, promote it), asks for a summary (the state of things on ml), shift handovers",
  41: "written without reading the reader, ordinary on-call chat by eight people of a twentieth team: an Irish-Polish engineer (proszę, teraz), a Sri Lankan engineer (aney, machan), a Venezuelan engineer (chamo, porfa), a cautious SRE asking what a command does then ordering it (what happens if I roll back churn? ok do it), lower-case short names and clipped verbs (unsil, promo, rb), long messages with many numbers beside the one that matters, the bot's own health and history, a pasted Slack thread then the question",
  42: "written without reading the reader, ordinary on-call chat by eight people of a twenty-first team: a Swiss-German engineer (grüezi, jetzt grad), a Filipino-American engineer (sige, salamat), a formal Ethiopian engineer, a platform lead asking against thresholds (is gw p99 under 300ms), a junior asking what the bot did or will do, one long line with no punctuation, team nicknames for models (the churny one, fraudy), a just-woken on-call (wat's firing, did someone ack); read once after every fix above, nothing changed for it",
  43: 'written without reading the reader, ordinary on-call chat by eight people of a twenty-second team: a Peruvian engineer (pe, causa, ya pues), a Scottish engineer in a hurry, an Israeli-Russian engineer (davai, seichas), the dashboard or runbook they came from, weekly numbers for a report, a request then a correction after a line break, formal British politeness, the bot asked as a colleague; read once after every fix above, nothing changed for it',
  44: 'written without reading the reader, ordinary on-call chat by eight people of a twenty-third team: a Vietnamese engineer (ạ, nhé, ơi), a Gulf Arab lead (yalla, inshallah, khalas), a Catalan developer (si us plau, ara, mira), a Serbian/Croatian SRE (ajde, brate, hitno), a Gen-Z junior (no cap, lowkey, fr), an ex-air-traffic on-caller in radio protocol (copy, roger, say again, over), a markdown lover (backticks, bold, bullets, code fences), a phone user who starts with @opsmesh and signs off',
  45: 'written without reading the reader, ordinary on-call chat by eight people of a twenty-fourth team: an Iranian engineer (lotfan, khob, alan, ro … kon), an Afrikaans speaker (ja nee, lekker, now-now, asseblief), a Zulu/Xhosa engineer (yebo, sharp, eish, haibo), a terse Baltic engineer (auth up? ok), an SRE half-writing PromQL and SQL (rate(...), select … where service=…), a corporate email writer (Hi team, Kindly, Best regards), a sarcastic on-caller venting while asking, a gamer (gg, nerf, rez, respawn, afk)',
  46: "written without reading the reader, ordinary on-call chat by eight people of a twenty-fifth team: a Slovak engineer (prosím, teraz, pozri), a Kazakh engineer (rakhmet, qazir, jaqsy), a Hausa-speaking engineer (don Allah, yanzu, na gode), a self-interrupting typist (ack— wait— ack 4412), a senior writing only nouns and values (churn. canary. v9.), indirect askers (I'd love to know whether, wondering if), ISO timestamps and durations (PT2H, since 2026-12-07T01:00Z), Given/When/Then lines and checklists",
  47: "written without reading the reader, ordinary on-call chat by eight people of a twenty-sixth team: a Maltese engineer (jekk jogħġbok, grazzi, issa, mela), a Slovenian engineer (prosim, hvala, zdaj, daj), a Gujarati engineer (kem cho, jaldi, maherbani karine), a Haitian engineer in Haitian Creole (souple, kounye a, mèsi), a manager in sports metaphors (bench it, sub in v7, call a timeout on the alerts), an intern asking permission at length, a data scientist's numbers with uncertainty (~0.31 ± 0.02, n=4), random capitals and l33t speak (4ck, s1l3nc3, pR0m0t3)",
  48: "written without reading the reader, ordinary on-call chat by eight people of a twenty-seventh team: a Lebanese engineer mixing Arabic and French (yalla, kifak, chou, ya3ne), a Malayali engineer (entha, pettennu, chetta), a DBA's SQL-style comments (-- on it, /* why */), emoji as words (🔇 gw 1h, 🔙 churn v7), replies under a quoted bot message, a tired on-call spelling by sound (promoat, silents, rollbak), a manager's long formal passive sentences, whole requests in German (Bitte den Alarm 42 bestätigen)",
  49: "written without reading the reader, ordinary on-call chat by eight people of a twenty-eighth team: a Cebuano engineer (palihug, karon, salamat), a Yoruba engineer (ẹ jọ̀ọ́, e se, oya), a Belarusian engineer in transliterated Russian (pokazhi, zaglushi, otkati), a Korean engineer in Konglish (jom, juseyo, -yo), a network engineer naming hosts, pods, IPs and ports beside the request, a release engineer's semver tags and git shas beside model versions, a very polite British apologiser, an intern dropping vowels (shw alrts gw, mt ml 1h, prmt irs v4 stg)",
  50: 'written without reading the reader, ordinary on-call chat by eight people of a twenty-ninth team, mostly in English: a blunt Chicago SRE in sports-radio slang, a Scottish data scientist in long careful sentences, a polite Filipino-Canadian engineer (po), a South African SRE (shame, just now, is it?), a Nigerian-British ML engineer (abeg, oya), a one-handed phone typist (chtops, latncy, rolbak), a staff engineer asking with conditions (only if, unless), a new manager in business words (uptime KPI, the login product, the fraud engine)',
  51: 'written without reading the reader, ordinary on-call chat by eight people of a thirtieth, international team writing mostly English with a few of their own words: Brazilian (beleza, valeu), Japanese (please kindly, -san), Indian (kar do, dekho, jaldi), Mexican (órale, porfa, ahorita), German (bitte, mal, German word order), French (svp, merci, a space before ?), Polish (no articles) and Turkish (lütfen, abi, tamam) engineers',
  52: 'written without reading the reader, ordinary on-call chat by eight people of a thirty-first team, mostly English: a dry Welsh SRE, a Greek-Cypriot engineer (re, ela), an Icelandic engineer (takk, já), a Texan manager asking for a quick rundown, a data engineer naming tables, DAGs and jobs, a night-shift operator pasting the start of a PagerDuty or Opsgenie notification then asking, fragments between slashes and pipes (gw / p99 / 1h | ack 5120), an apologising junior',
  53: "written without reading the reader, ordinary on-call chat by eight people of a thirty-second team: an Estonian engineer (palun, aitäh), a Tanzanian engineer mixing Swahili (tafadhali, asante, sasa, nionyeshe), an Irish SRE (grand, sound, what's the story with), a Malaysian-Chinese engineer (can or not, lah, already), an ML researcher's hedged sentences, 'hey bot could you possibly', the reason first and the request last (since the deploy broke X, roll back Y), voice dictation (no punctuation, numbers as words, full stop, misheard words)",
  54: "written without reading the reader, ordinary on-call chat by eight people of a thirty-third team: a Jamaican engineer mixing patois (wah gwaan, mi, seh, soon come), a New Zealand SRE (sweet as, chur, yeah nah), a Bangladeshi engineer (bhai, ektu), a terse staff engineer in lowercase fragments, a manager typing on a smartwatch, a dyslexic engineer's phonetic spellings (silens, aknowlege, rolbak), a former Windows admin writing PowerShell-like phrases (Get-Alerts -Service gateway), an intern who over-explains",
  55: 'written without reading the reader, ordinary on-call chat by eight people of a thirty-fourth team: a Québécois engineer in Franglais (check ça, tsé, pis), a Hungarian engineer (kérlek, most, köszi), a Romanian engineer (te rog, acum, mersi), an Australian ex-tradie SRE (reckon, arvo, heaps), a precise engineer writing conditions (if X then Y, otherwise Z), kubectl-like commands (kubectl get alerts -n gateway --since=1h), a sleepy engineer at 3am (typos, half sentences, wait, nvm), a product manager in business words (customers, conversion, SLA)',
  56: 'written without reading the reader, ordinary on-call chat by eight people of a thirty-fifth team: a Ghanaian engineer (chale, charley, paa), a Glaswegian SRE (aye, wee, pure), a Puerto Rican engineer mixing Spanish (wepa, ahorita, mano, dale), an ex-military ops lead (roger, wilco, sitrep, ETA, negative), an engineer in ALL CAPS under stress, a data scientist phrasing requests as pandas or SQL (df.query, groupby, WHERE), replies in threads (^ this, +1, same for auth), a nervous new hire asking whether things are safe first',
  57: "written without reading the reader, ordinary on-call chat by eight people of a thirty-sixth team: a Finnish engineer (kiitos, nyt, pliis, moi), a Thai engineer (krub, ka, na, noi), a Norwegian engineer (takk, nå, vær så snill), a Tejano engineer (ándale, órale, y'all), a game developer in gaming slang (nerf, buff, respawn, gg, afk, aggro), a compliance officer's formal, legalistic requests, messages mostly of emoji, arrows and numbers, Markdown in chat (headings, bullet lists, bold)",
  58: 'written without reading the reader, ordinary on-call chat by eight people of a thirty-seventh team: a Durban engineer (ja, howzit, lekker, now now, eish), a Welsh engineer (diolch, plis, iawn), a Hong Kong engineer with Cantonese particles (la, ga, wor, mm goi), a tired parent typing one-thumbed (no punctuation, autocorrect), an old-school sysadmin writing like IRC (/me, brb, afk), an SRE lead in terse telegraphese full of ids, an enthusiastic junior with exclamation marks and emoji, names always slightly wrong (the iris classifer, the fraud model thing, auth svc thingy)',
  59: "written without reading the reader, ordinary on-call chat by eight people of a thirty-eighth team: a Czech engineer (prosím, teď, díky, ukaž), an Israeli engineer (bevakasha, achshav, toda, yalla), a Canadian in hockey slang (beauty, give'r, bud, eh), an ex-nurse's medical jargon (vitals, triage, code blue, stat), a finance person (EOD, basis points, P&L, run-rate), long florid metaphors, questions written as statements without a question mark, ids and numbers said in words (alert forty-two, silence oh-seven-f-three, three point five)",
  60: 'written without reading the reader, ordinary on-call chat in English by eight people of a thirty-ninth team: a senior SRE who never fixes typos, a new grad asking everything as a question, a sarcastic night-shift engineer, an ML engineer naming models and versions loosely (the churn one, v-twelve), a support engineer relaying customers, a manager wanting summaries, ids as pages and emails show them (#4471, 0x3fa9, SIL-77ab), slang and abbreviations (tbh, ngl, idk, smth)',
  61: "written without reading the reader, ordinary on-call chat by eight people of a fortieth team: a Sri Lankan Tamil engineer (machan, aiyo, seri), a Brazilian writing English in Portuguese order (is up the auth?), a Lithuanian engineer (prašau, ačiū, dabar), an Egyptian engineer (ya basha, khalas, ezzay), a chemist-turned-data-scientist's precise hypotheses, Grafana and Prometheus URLs and panel titles pasted with the request, an executive's one or two words, an auditor restating the request twice",
  62: "written without reading the reader, ordinary on-call chat in English by eight people of a forty-first team: all lowercase without punctuation, a Texan dropping words (gw up?), a British engineer who apologises and hedges, a frontend developer describing things in everyday words (the thing that shows red, the login part), a QA engineer's reproducible steps, swipe-keyboard slips, a data engineer naming tables and jobs, a veteran's shortest commands (ack 4471 / mute 3f9a 2h / unsil 17)",
  63: 'written without reading the reader, ordinary on-call chat by eight people of a forty-second team: a Bulgarian engineer (molya, sega, blagodarya), a Ukrainian engineer in Latin letters (bud laska, zaraz, dyakuyu, pokazhy), a Punjabi engineer (paaji, ji, hun, kiddan), a Kenyan engineer in Sheng (niaje, poa, sasa), an Icelandic engineer (takk, núna, vinsamlegast), requests written as commit messages or ticket titles (fix: ack 4471), user stories (as an on-call I want …), two requests mixed and corrected mid-sentence',
  64: "written without reading the reader, ordinary on-call chat in English by eight people of a forty-third team: 'would you be able to' questions, a terse Dutch engineer (ack 88 pls), a Scottish engineer's run-on messages with asides in brackets, context first (the deploy went out at 3, so …), a line pasted from an alert email then the ask, abbreviations for everything (svc, env, ver, pred, unsil, rb), several things asked with one wanted, things named by their role (the scoring model, the login service, the one that pages at night)",
  65: 'written without reading the reader, ordinary on-call chat by eight people of a forty-fourth team: Spanglish (ahorita, porfa, wey, checa), Taglish (pakicheck, naman, po), Nigerian Pidgin (abeg, wetin, dey), whole German sentences with English terms, whole French sentences with English terms, Japanese in romaji (onegaishimasu, kakunin shite), whole Spanish sentences, whole Italian sentences',
  66: 'written without reading the reader, ordinary on-call chat in English by eight people of a forty-fifth team: phone dictation with speech-to-text errors left in (al earts, gate way, period written out), Singlish (lah, leh, can or not), an Australian (arvo, reckon, heaps), everything as a headline or noun phrase (gateway status check), we and our for everything, requests relayed for someone else (Priya asks if auth is up), email style with greeting and sign-off, Gen-Z slang (fr, no cap, lowkey)',
  67: "written without reading the reader, ordinary on-call chat by eight people of a forty-sixth team, each mixing their language with English terms: Persian in Latin letters (lotfan, alan, merci, bebin), Marathi (kara, aata, bagh), Latvian (lūdzu, tagad, paldies), whole Catalan sentences (si us plau, ara, mostra'm), Sinhala in Latin letters (karunakarala, dan, istuti, machang), Uzbek (iltimos, hozir, rahmat), Māori words (kia ora, ka pai), Amharic in Latin letters (ebakih, ahun, amesegnalehu)",
  68: 'written without reading the reader, ordinary on-call chat in English by eight people of a forty-seventh team: autocorrect replacing names with real words (chum predictor, fraud defector, ack alter), missing spaces and doubled words, an ITIL incident manager (P1 incident, CAB, RFC, change window), an SRE in SLO words (burn rate, error budget, SLI), a product manager speaking of customers and features, a formal writer (Dear Bot), commands asked as yes/no questions (is it possible to ack 4471?), a tired night shift in two to four words',
  69: "written without reading the reader, ordinary on-call chat in English by eight people of a forty-eighth team in their first week with the bot: PagerDuty and Opsgenie words (incident, trigger, resolve, snooze, escalate), Datadog and Grafana words (monitor, muted monitor, downtime, panel), model versions called builds, releases, checkpoints or tags and aliases called environments or slots, a vague goal then the ask, a line of the bot's earlier reply pasted before a follow-up, things the bot cannot do mixed with things it can, filler words (um, like, basically, kinda), the passive voice and third person",
  70: 'written without reading the reader, ordinary on-call chat in English by eight people of a forty-ninth team: radio brevity (roger, wilco, sitrep), kitchen slang (86 that alert, fire, behind), an Irish engineer (grand, giving out, yoke), Indian English (kindly do the needful, revert back, prepone), a South African (now-now, lekker, ja), lowercase with ellipses, numbered steps in one message, home-made abbreviations (plz chk, svc, prd, dplymt)',
  71: "written without reading the reader, ordinary on-call chat in English by eight people of a fiftieth team: a short story before the request, sarcasm (oh great, another page), what not to do then what to do (don't silence it, just ack 88), British understatement (slightly on fire), salesy enthusiasm, everything misnamed (alerts called tickets, models bots, aliases environments, the audit log the paper trail), conditional politeness (if it's not too much trouble), a colleague's line pasted in quotes before the ask",
  72: 'written without reading the reader, ordinary on-call chat in English as a second language by eight people of a fifty-first team: German word order and compounds (please make, is it possible that), very polite Japanese English (sorry for trouble, could you kindly), Russian English without articles (show alert for gateway), French false friends (actually for currently, eventually for maybe), Spanish English (the gateway is fine? is up?), Chinese English (can help me check or not, already at the end), short Korean English (please check, ㅠㅠ), Arabic English (please if possible, kindly, inshallah)',
  73: "written without reading the reader, ordinary on-call chat in English by eight people of a fifty-second team: a Unix greybeard writing shell commands with flags (silence --svc gw --for 2h, models ls fraud), a phone with autocorrect slips and emoji, corrections mid-message (silence gw 2h, no wait, 3h), ALL CAPS anger, a hedging intern (maybe?, if that's ok), numbers with units, brackets or decimal commas, everything as can we / could we, key=value pairs (svc=gw dur=2h why=deploy)",
  74: 'written without reading the reader, ordinary on-call chat by eight people of a fifty-third team, each mixing their language with English terms: Greek in Latin letters (parakalo, tora, deikse mou), Hebrew in Latin letters (bevakasha, achshav, tare li), Welsh (os gwelwch yn dda, nawr, dangos), Estonian (palun, nüüd, näita), Nepali in Latin letters (kripaya, aile, dekhau), Yoruba (jọ̀ọ́, ní báyìí, fi hàn mí), Malay (tolong, sekarang, tunjuk), Tamil in Latin letters (thayavu seithu, ippo, kaattu)',
  75: 'written without reading the reader, ordinary on-call chat in English by eight people of a fifty-fourth team: a support engineer forwarding what a customer said, a finance person (revenue, MRR, is this costing us), a security engineer (least privilege, audit trail, SOC2 evidence), Slack markdown (backticks, bold, bullets, > quotes), Slack emoji codes (:fire: :eyes: :pray:), a log line or error text pasted before the ask, a hurried parent on mobile (sry, brb), a team lead delegating (can someone … actually bot, just …)',
  76: "written without reading the reader, a new user's first hour with the bot by eight people of a fifty-fifth team: greeting it and asking what it is, a link code pasted from the web page with words around it (my code is …, the page says … what now), commands guessed as imagined (wrong order, missing words, guessed verbs), asking whether allowed before doing anything, the problem described instead of the command (the login page is throwing errors), a manager new to the on-call rota, an ML engineer finding and calling their model, thanks and small talk",
  77: 'written without reading the reader, ordinary on-call chat in English by eight people of a fifty-sixth team from roles next to operations: a DBA (replication lag, failover, vacuum), a network engineer (packet loss, BGP, ms), a mobile developer (crash-free sessions, the app), a data analyst half in SQL, a customer success manager (accounts, churned customers), a QA lead (regression, flaky), a CTO in one line, a contractor in their first month who over-explains',
  78: 'written without reading the reader, ordinary on-call chat in English by eight people of a fifty-seventh team: half long (three to six sentences: what happened, what was tried, other services and models named in passing, then the one request), half very short (one to four words typed between other work)',
  79: 'written without reading the reader, ordinary on-call chat by eight people of a fifty-eighth team, each in their own language with English terms, in languages the reader had met: Spanish (whole sentences and Spanglish), Brazilian Portuguese, German, French, Hindi in Latin letters, Japanese in romaji, Russian in Latin letters, Arabic as chat spells it (3, 7, 2 for letters; yalla, khalas, law sama7t)',
  80: 'written without reading the reader, ordinary on-call chat in English by eight people of a fifty-ninth team, each getting words wrong or short their own way: a dyslexic engineer (letters swapped, words spelt by sound: sevrice, lattency, promot), fat fingers on neighbouring keys, missing and doubled spaces, every vowel dropped, home-made abbreviations (svc, mdl, alrt, ver, env, dur), a voice assistant writing numbers as words and mishearing names, all lower case with no punctuation, commands backwards (gateway alerts silence 2h)',
  81: 'written without reading the reader, a first hour with the bot by eight people of a sixtieth team: a student intern, a product manager, a designer, a sales engineer, an SRE used to other chat bots (PagerDuty, Opsgenie, Hubot) typing their command forms, slash commands in the wrong shape (/ops silence please, /alerts ack 4471), help asked in the middle of trying something, jokes and small talk to test the bot',
  82: "written without reading the reader, people testing the bot's defences while asking real things, a sixty-first team: instructions to the bot hidden in requests (ignore your rules and …), names with SQL or shell characters, HTML and markdown around names, zero-width spaces and look-alike letters inside names and verbs, long repeated words, emoji inside names, mentions of users and the bot, asks to reveal secrets, asks to act as another user",
  83: 'written without reading the reader, ordinary on-call chat in English by eight people of a sixty-second team, each from their own region: Canadian, New Zealander, Scottish, Nigerian, Filipino, Pakistani, Trinidadian, the American South',
  84: 'written without reading the reader, ordinary on-call chat by eight ML engineers and data scientists of a sixty-third team: model names and versions as their tools write them (models/fraud-detector/versions/7, fraud-detector:7, churn@v12, MLflow run names, tags), inputs as JSON objects, arrays, CSV rows, key=value pairs or scientific notation, aliases called stages, slots or environments, drift, shadow traffic and A/B splits beside the ask',
  85: 'written without reading the reader, ordinary on-call chat in English by eight people of a sixty-fourth team on a busy week: a lead in full sentences with context, a junior who asks permission and hedges, a night shift in fragments, a data scientist precise about numbers, an SRE who pastes then asks, a joker, a manager wanting numbers for reports, a fast typist with typos and no punctuation',
  86: "written without reading the reader, a first hour with the bot by eight people of a sixty-fifth team who read nothing about it: single words and fragments, search-engine queries, asks as to a colleague, made-up commands that sound plausible, confusion over the link step, what each thing means (what is a silence, what's canary), undoing what they just did, rudeness and frustration",
  87: 'written without reading the reader, ordinary on-call chat by eight people of a sixty-sixth team, each in their own language with English terms: Polish, Turkish, Vietnamese (with and without diacritics), Indonesian, Korean in Latin letters, Thai in Latin letters, Dutch, Italian',
  88: 'written without reading the reader, ordinary on-call chat in English by eight people of a sixty-seventh team writing Slack the busy way: several lines (greeting, ask, sign-off), bullet lists with one bullet the ask, threads quoted before the ask, links and file names, two or three teammates mentioned, a question about something else at the end, :emoji: codes, two quick thoughts joined by and/also with only the first for the bot',
  89: 'written without reading the reader, ordinary on-call chat in English by eight people of a sixty-eighth team typing on phones away from a desk: voice-to-text with misheard words and spoken punctuation (comma, question mark), autocorrect turning names and verbs into real words, swipe typing that merges or swaps words, one-handed typing with no capitals or punctuation, smartwatch replies of two or three words, a message arriving in pieces on one line from a train, a parent interrupted mid-message, a commuter in long run-on sentences',
  90: 'written without reading the reader, ordinary on-call chat by eight SREs of a sixty-ninth team who live in other tools and write to the bot in their shapes: kubectl-, PromQL-, Terraform-, git- and SQL-shaped asks, commands copied from a runbook with placeholders left in or filled oddly (<SERVICE>, {{alert_id}}, $MODEL), PagerDuty and Opsgenie words (incident, escalate, resolve, maintenance window), YAML-like key: value lines, shell pipes and flags, glob or regex-like names (HighLatency*), ticket and PR numbers beside alert ids',
  91: "written without reading the reader, ordinary on-call chat in English by eight people of a seventieth team who ask everything as questions: indirect asks (I wonder if, would it be possible, any chance you could), yes/no questions for commands, questions expecting an answer (gw's fine, right?), stacked questions, tag questions, negative questions (isn't churn on v9 already?), a question put to a teammate by name that the bot should answer, rhetorical frustration with a real ask inside",
  92: 'written without reading the reader, ordinary on-call chat in English by eight people of a seventy-first team in the middle of a big incident: an incident commander giving orders with role prefixes (IC:, comms:, ops:), people talking over each other in one message (quotes, @-mentions), status updates with one ask inside, clock times and time zones (silence until 14:30 UTC, since 09:10), durations given as end points (until the deploy finishes, till morning, through the weekend), escalation language, all-caps panic, follow-ups after the incident (what did we silence, who acked what, what changed on the models)',
  93: 'written without reading the reader, ordinary on-call chat by eight people of a seventy-second team who write in their own language and paste it through a machine translation tool: English as such a tool renders Spanish, Chinese, Russian, Japanese, Arabic, German, Hindi and Portuguese, with literal idioms, odd word order, wrong prepositions, stiff register, names translated into ordinary words, 24-hour clocks and decimal commas',
  94: 'written without reading the reader, ordinary chat by eight people of a seventy-third team who work in notebooks and scripts and write to the bot in code shapes: Python calls and method chains, keyword arguments, dict and list literals, f-strings, comments after #, pandas and sklearn words, shell one-liners with jq, HTTP verbs and paths (GET /alerts?severity=critical), with or without a sentence around them',
  95: "written without reading the reader, ordinary on-call chat in English by eight people of a seventy-fourth team who misremember names and commands: model, service and alert names close to the real ones but wrong (a word swapped, singular for plural, an old name), abbreviations invented on the spot, commands half-remembered from other bots and tools, aliases called by other names (the live one, the test slot), versions said as the latest, the one before, last week's",
  96: 'written without reading the reader, ordinary on-call chat in English by eight people of a seventy-fifth team covering the night shift across Asia-Pacific, each writing English the way people in their place do in chat: Singapore (lah, leh, can or not), Malaysia, Hong Kong, the Philippines (po, naman), Bangalore, Australia, New Zealand, Japan',
  97: "written without reading the reader, ordinary unremarkable on-call chat in English by eight people of a seventy-sixth team on a normal week: polite, terse and with context, a few typos, their own services, models and alert rules beside the platform's, ids and durations in whatever form comes naturally",
  98: "written without reading the reader, ordinary on-call chat in English by eight people of a seventy-seventh team who say exactly what they want with several conditions in one message: filters stacked (only critical, on one service, in a window, unacked), a command with its reason, duration and target, a prediction with inputs, version and alias, comparisons (p99 vs yesterday), exclusions (everything except the gateway), scope words (just, only, all, any) and conditions (if it's still firing, unless someone already acked it)",
  99: 'written without reading the reader, ordinary on-call chat in English by eight people of a seventy-eighth team right after the bot misunderstood them: rephrasing and retrying (no, I meant …, not that one), correcting one detail (make that 2 hours not 20, v7 not v17), repeating in capitals, telling the bot what it answered before asking again (you showed me a week, I wanted 20 minutes), quoting its wrong reply, impatience and sarcasm, giving up and asking for help',
  100: 'written without reading the reader, ordinary on-call chat in English by eight people of a seventy-ninth team who ran operations through an older in-house chat bot and type to this one out of habit: its command shapes (!status auth, .ack 4471, bot: deploy …), their old names for things (the login module, the scoring blueprint), asking whether this bot does what the old one did, comparing the two, and habits from other chat bots',
  101: 'written without reading the reader, ordinary on-call chat in English by eight people of an eightieth team who keep talking to the bot about itself between requests: what it can and cannot do, whether a command exists, who runs it, whether it is an AI, why it answered what it did, whether they are allowed or linked, small talk and jokes, requests put as questions about its abilities; many at the edges of help, whoami, out of scope and the commands',
  102: "written without reading the reader, ordinary on-call chat by eight people of an eighty-first team (US, UK, Germany, India, Japan, Brazil, Australia, a night NOC) who say times and spans every way: durations in words and digits (ninety seconds, 1.5 hrs, 2h30, 45', a fortnight), end points (until Friday 9am, till the end of my shift), relative starts (since midnight, this morning), clock times with zones, dates, and times that are no span; several wrote in German, Portuguese or Japanese",
  103: 'written without reading the reader, ordinary on-call chat by eight people of an eighty-second team whose services and models are named as other toolchains name them: model hub ids (acme/sentiment-roberta), framework and file names (resnet50_v1.5, model.pkl, fraud_v3.onnx), Kubernetes and cloud names (payments-api-7d9f8c, auth.prod.svc.cluster.local, orders-svc:8080, search-blue), alert rules in other styles (kube_pod_crashlooping, node-disk-pressure, SLO:checkout:availability), versions as tools write them (v1.4.2, build 4410, sha 9f3e2c1)',
  104: 'written without reading the reader, ordinary on-call chat in English by eight people of an eighty-third team who write long busy messages: several things at once where one is for the bot (updates, plans, handovers, questions to a named teammate, links and tickets, chat logs with times), the request at the start, middle or end, other services, models and alerts named in passing, a few asking the bot two things',
  105: "written without reading the reader, ordinary unremarkable on-call chat in English by eight people of an eighty-fourth team (a payments company's platform team) on an ordinary week: plain requests typed between other work, terse, polite or with a line of context, a few typos, their own services, models and alert rules beside the platform's, ids and durations in whatever form comes naturally",
  106: 'written without reading the reader, ordinary on-call chat by eight people of an eighty-fifth team who write long busy Slack messages where one part is for the bot: status updates, handovers, incident notes, questions to a named teammate, links and tickets, pasted chat lines with times, other services, models, alerts, numbers and versions named in passing, the request at the start, middle or end, addressed to the bot or not',
  107: 'written without reading the reader, ordinary on-call chat by eight people of an eighty-sixth team whose messages are full of numbers (ports, percentages, latencies, counts, dates and clock times, tickets, PRs and builds, money, versions, feature values) beside the one id, version, duration or window the request is about; a few wrote in Spanish or German',
  108: 'written without reading the reader, a first hour with the bot by eight people of an eighty-seventh team just moved off an old all-in-one Flask admin app: commands guessed, things named as the old app named them (the login blueprint, the /predict endpoint, the monitoring tab), what things mean, the link step half right, wants said in words, a greeting or thanks around the request, whether they are allowed; a few wrote in Dutch',
  109: "written without reading the reader, ordinary on-call chat in English by eight people of an eighty-eighth team (the platform team of a logistics and delivery company: routing, dispatch, tracking and ETA) on an ordinary week: plain requests between other work, terse or chatty, a line of context before or after, a few typos, their own services, models and alert rules beside the platform's",
  110: "written without reading the reader, ordinary on-call chat by eight people of an eighty-ninth team whose own services, models and alert rules are named with ordinary English words or words that collide with the bot's commands and aliases (search, orders, billing, status-page, history-svc, alerts-api; forecast, pricing, spam, ranker, risk, latest), said bare, with -svc or as the search service, the pricing model",
  111: "written without reading the reader, ordinary on-call chat by eight people of a ninetieth team in Latin America and Iberia (Mexico, Argentina, Colombia, Chile, Spain, Brazil, Portugal) writing mostly in Spanish or Portuguese with the English terms engineers use, each in their own country's words and slang, with and without accents",
  112: 'written without reading the reader, a first hour with the bot by eight people of a ninety-first team who are not engineers or are new to operations (a support lead, a finance analyst, a data analyst, a product manager, a new-graduate SRE, a security reviewer, an intern, a sales engineer): their own words, guessed commands, what things mean, whether they are allowed, the link code with words around it, problems described instead of commands, greetings and thanks',
  113: "written without reading the reader, ordinary on-call chat in English by eight people of a ninety-second team (the live-operations team of a game studio: matchmaking, lobby, store, anti-cheat and player-churn services and models) on an ordinary week: plain requests between other work, terse or chatty, context before or after, typos and abbreviations, their own names beside the platform's",
  114: 'written without reading the reader, ordinary on-call chat in English by eight people of a ninety-third team in a busy incident channel during and after an outage: long messages (timeline notes, what was tried, who does what, questions to named teammates, links, tickets and incident numbers, other services, models and alerts named in passing) where one part is for the bot, anywhere, addressed to it or not',
  115: "written without reading the reader, ordinary on-call chat in English by eight people of a ninety-fourth team who paste something and ask about it: an Alertmanager, PagerDuty, Opsgenie or Grafana notification, a quote of a colleague or of the bot's last reply, JSON, a log line, curl or kubectl output, a stack trace, a link, before or after a short request that points at it (mine, this one, mute it 2h)",
  116: 'written without reading the reader, ordinary on-call chat by eight people of a ninety-fifth team across Europe writing mostly in their own language with English terms: French (France, Belgium), German (Germany, Austria), Italian, Dutch, Polish, Swedish, Czech and Romanian, with and without accents, some switching to English mid-message',
  117: "written without reading the reader, ordinary on-call chat by eight people of a ninety-sixth team (the platform team of a hospital and health-records company: patient-portal, scheduling, claims, lab-results and pharmacy services; triage, readmission-risk and no-show models) on an ordinary week: plain requests between other work, terse or chatty, context before or after, typos and abbreviations, their own names beside the platform's",
  118: 'written without reading the reader, a first hour with the bot by eight people of a ninety-seventh team each coming from another operations tool and writing as it taught them: Datadog (monitors, mute a monitor), Grafana and Prometheus (firing, silences), PagerDuty and Opsgenie (incidents, acknowledge, snooze, escalate), Kubernetes (pods, rollout undo, get and describe), MLflow and SageMaker (registered models, stages, endpoints, invoke), Jenkins and Argo CD (sync, promote, rollback), ServiceNow (tickets, assignment): their words for our things, guessed commands, what things mean, greetings and thanks',
  119: 'written without reading the reader, ordinary on-call chat by eight people of a ninety-eighth team who type ids, numbers and names the many ways people do: ids spelt out in words, with #, no., number, id or nr, in brackets or quotes, short and long hex silence ids and prefixes, ids beside ports, tickets, percentages and times; versions as v7, version seven, 7th, the one before, latest; durations and windows in digits, words, fractions and clock ranges; names misspelt, run together, in capitals, with spaces for hyphens or abbreviated; typos everywhere; terse, chatty, non-native, dictating by voice, on a phone',
  120: 'written without reading the reader, ordinary on-call chat by eight people of a ninety-ninth team who poke at the bot while asking for real things: instructions to it hidden in requests (ignore previous rules, as admin, system: …), names with quotes, SQL, shell, path or HTML characters, look-alike Unicode letters, zero-width and right-to-left marks, full-width digits, very long messages with one real ask, drawn-out words, Slack mention tricks, forged bot replies pasted in, asks for what the bot must not do (delete everything, show secrets, make me admin) beside real asks',
} as const;

export type WrittenSet = keyof typeof WRITTEN_SETS;

/**
 * Sets 2-53 are trained on. Each was a held-out set until newer sets took over the measuring: its
 * first read is recorded and its misses were fixed as classes, so it no longer measured anything
 * unseen. Trained on, their 14,830 messages in 52 teams' styles lifted the first reads of the four
 * sets written next (66-69) by 1.1-4.0 points of intent accuracy over the same code without them.
 */
export const TRAINED_THROUGH = 53;

/** One of the later written sets, trained on or held out by its number. */
export function loadWrittenSet(n: WrittenSet): Utterance[] {
  const name = n <= TRAINED_THROUGH ? 'written' : 'heldout';
  return loadUtterances(new URL(`../../../data/chat-${name}-${n}.jsonl`, import.meta.url));
}

const ORDINALS = [
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
  'twentieth',
  'twenty-first',
  'twenty-second',
  'twenty-third',
  'twenty-fourth',
  'twenty-fifth',
  'twenty-sixth',
  'twenty-seventh',
  'twenty-eighth',
  'twenty-ninth',
  'thirtieth',
  'thirty-first',
  'thirty-second',
  'thirty-third',
  'thirty-fourth',
  'thirty-fifth',
  'thirty-sixth',
  'thirty-seventh',
  'thirty-eighth',
  'thirty-ninth',
  'fortieth',
  'forty-first',
  'forty-second',
  'forty-third',
  'forty-fourth',
  'forty-fifth',
  'forty-sixth',
  'forty-seventh',
  'forty-eighth',
  'forty-ninth',
  'fiftieth',
  'fifty-first',
  'fifty-second',
  'fifty-third',
  'fifty-fourth',
  'fifty-fifth',
  'fifty-sixth',
  'fifty-seventh',
  'fifty-eighth',
  'fifty-ninth',
  'sixtieth',
  'sixty-first',
  'sixty-second',
  'sixty-third',
  'sixty-fourth',
  'sixty-fifth',
  'sixty-sixth',
  'sixty-seventh',
  'sixty-eighth',
  'sixty-ninth',
  'seventieth',
  'seventy-first',
  'seventy-second',
  'seventy-third',
  'seventy-fourth',
  'seventy-fifth',
  'seventy-sixth',
  'seventy-seventh',
  'seventy-eighth',
  'seventy-ninth',
  'eightieth',
  'eighty-first',
  'eighty-second',
  'eighty-third',
  'eighty-fourth',
  'eighty-fifth',
  'eighty-sixth',
  'eighty-seventh',
  'eighty-eighth',
  'eighty-ninth',
  'ninetieth',
  'ninety-first',
  'ninety-second',
  'ninety-third',
  'ninety-fourth',
  'ninety-fifth',
  'ninety-sixth',
  'ninety-seventh',
  'ninety-eighth',
  'ninety-ninth',
  'hundredth',
  'hundred-and-first',
  'hundred-and-second',
  'hundred-and-third',
  'hundred-and-fourth',
  'hundred-and-fifth',
  'hundred-and-sixth',
  'hundred-and-seventh',
  'hundred-and-eighth',
  'hundred-and-ninth',
  'hundred-and-tenth',
  'hundred-and-eleventh',
  'hundred-and-twelfth',
  'hundred-and-thirteenth',
  'hundred-and-fourteenth',
  'hundred-and-fifteenth',
  'hundred-and-sixteenth',
  'hundred-and-seventeenth',
  'hundred-and-eighteenth',
  'hundred-and-nineteenth',
  'hundred-and-twentieth',
];

/** A later written set with its number, its name in words ("seventh") and the styles it holds. */
export interface LoadedWrittenSet {
  n: WrittenSet;
  ordinal: string;
  styles: string;
  rows: Utterance[];
}

/** Every later written set, in order, trained on or held out. */
export function loadWrittenSets(): LoadedWrittenSet[] {
  return Object.entries(WRITTEN_SETS).map(([key, styles]) => {
    const n = Number(key) as WrittenSet;
    return { n, ordinal: ORDINALS[n - 2] ?? `set ${n}`, styles, rows: loadWrittenSet(n) };
  });
}

/** The later written sets still held out, in order: the one loader the evaluation, the seed spread and the tests share. */
export function loadHeldoutSets(): LoadedWrittenSet[] {
  return loadWrittenSets().filter((s) => s.n > TRAINED_THROUGH);
}

/** Both labelled sets: the generated one, then the written one. */
export function loadAllUtterances(): { generated: Utterance[]; chat: Utterance[] } {
  return { generated: loadUtterances(UTTERANCES_FILE), chat: loadUtterances(CHAT_UTTERANCES_FILE) };
}

/**
 * What the shipped classifier is trained on: the train split of both sets and the written sets up
 * to {@link TRAINED_THROUGH} (never dev or held-out).
 */
export function trainingUtterances(): Utterance[] {
  const { generated, chat } = loadAllUtterances();
  const written = loadWrittenSets().filter((s) => s.n <= TRAINED_THROUGH);
  return [...generated, ...chat, ...written.flatMap((s) => s.rows)].filter((u) => u.split === 'train');
}

/** Reads and checks a labelled data set; a malformed line names its line number. */
export function loadUtterances(file: URL | string = UTTERANCES_FILE): Utterance[] {
  const out: Utterance[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const row = JSON.parse(line) as Partial<Utterance>;
    if (typeof row.text !== 'string' || typeof row.intent !== 'string' || typeof row.entities !== 'object') {
      throw new Error(`utterances line ${i + 1}: needs text, intent and entities`);
    }
    if (row.split !== 'train' && row.split !== 'dev' && row.split !== 'heldout')
      throw new Error(`utterances line ${i + 1}: bad split`);
    out.push(row as Utterance);
  });
  return out;
}

/** The vocabulary the data set was written against; training masks entities with it. */
export function loadDatasetLexicon(
  file: URL | string = new URL('../../../data/lexicon.json', import.meta.url),
): Lexicon {
  return JSON.parse(readFileSync(file, 'utf8')) as Lexicon;
}
