import { loggedNames } from './normalize.js';

// A fenced block (```…```, the closing fence optional: Slack keeps what was pasted).
const FENCE = /```([a-z]*\n)?([\s\S]*?)(?:```|$)/gi;

// What code, a shell session or a log looks like, line by line: SQL statements, a shell prompt, a
// command of the usual command-line tools, a statement ending in `;` or a brace, a log line's
// timestamp or level. A command to this bot is words and names ("predict iris 6.3 3.3 6.0 2.5"),
// which none of these match.
const CODE_SYNTAX: readonly RegExp[] = [
  /^\s*(?:select|insert|update|delete|with|create|alter|drop|grant)\b[^\n]*\b(?:from|into|set|table|index|where|as|on)\b/im,
  /^\s*[$#%>]\s+\S/m,
  /^\s*(?:sudo|kubectl|helm|git|docker|curl|wget|psql|redis-cli|npm|npx|node|python3?|pip|ssh|scp|rm|mv|cp|chmod|systemctl|journalctl|terraform|make)\s/m,
  /[;{}]\s*$/m,
  /^\s*\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/m,
  /^\s*(?:ERROR|WARN(?:ING)?|INFO|DEBUG|FATAL|Traceback|Exception|panic:)\b/m,
];

// A command or a query pasted (SQL, a shell prompt, a tool's command): what it names is no request
// of the reader's ("```kubectl delete pod auth-7f9``` can u run this").
const COMMAND_SYNTAX = CODE_SYNTAX.slice(0, 3);

/** Whether a pasted block reads as code, a shell session or a log rather than as a command. */
export function looksLikeCode(block: string): boolean {
  return CODE_SYNTAX.some((pattern) => pattern.test(block));
}

// A command of a command-line tool pasted without fences ("kubectl logs -f auth-7d9c", "git revert
// HEAD~1"): the tools whose names no request to this bot starts with. Not the tool as the subject
// of a sentence ("curl says connection refused, is auth down?").
const UNFENCED_COMMAND =
  /^\s*(?:\$\s*)?(?:sudo|kubectl|helm|git|docker|curl|wget|psql|redis-cli|npx|systemctl|journalctl|terraform|ssh|scp)\s+(?!(?:says?|said|shows?|showed|gives?|gave|returns?|returned|reports?|reported|prints?|printed|keeps|kept|fails?|failed|is|was|just|still|can'?t|cannot|won'?t|times?|timed)\b)\S/;

// A command typed and then taken back or explained ("… jk,", "… ie", "… I mean"): what follows is
// the request.
const TAKEN_BACK =
  /(?:\.{2,}|…|[,;])\s*(?:jk|j\/k|ie|i\.e\.?|i\s+mean|or\s+rather|actually|kidding|lol)\b[,:.]?\s*/i;

// Error output quoted inline ("curl says `curl: (7) Failed to connect … Connection refused`, is auth
// down?"): what a tool printed, not words of the request around it. Short spans (`12`, `LP09-MN87`,
// `502 Bad Gateway`) stay, as names and ids are quoted that way too.
const INLINE_CODE = /(?<!`)`([^`\n]+)`(?!`)/g;
const ERROR_OUTPUT =
  /\b(?:error|failed|failure|refused|exception|timed out|denied|forbidden|unreachable|unavailable|traceback|panic|fatal)\b/i;
// Keys of a pasted inference request body: the model it names and its feature values.
const MODEL_KEYS = ['model', 'model_name', 'name'];
const VALUE_KEYS = ['features', 'inputs', 'instances', 'data', 'x'];

/**
 * A pasted JSON request body for a prediction (`{"model": "churn", "inputs": [4, 0, 1.5]}`) as the
 * words of one ("churn 4 0 1.5"); undefined for any other block.
 */
function jsonRequest(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const fields = parsed as Record<string, unknown>;
  const model = MODEL_KEYS.map((k) => fields[k]).find((v): v is string => typeof v === 'string');
  const values = VALUE_KEYS.map((k) => numbers(fields[k])).find((v) => v.length > 0);
  if (!values) return undefined;
  return [model ?? '', ...values].join(' ').trim();
}

/** The numbers of a value: a number, an array of them, one row of rows, or a V2 input's `data`. */
function numbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (!Array.isArray(value)) {
    const data = (value as { data?: unknown } | null)?.data;
    return data === undefined ? [] : numbers(data);
  }
  if (value.every((v) => typeof v === 'number')) return value as number[];
  return value.length > 0 ? numbers(value[0]) : [];
}

/**
 * The message without the fenced blocks that are code by their syntax ("```sql SELECT * FROM alerts
 * WHERE severity = 'critical'```", "```$ kubectl get pods```", "```git revert HEAD~1```"): what is
 * asked is in the words around them, and a block of code alone asks nothing of this bot. A fenced
 * command ("```predict iris 6.3 3.3 6.0 2.5```", "```JK29-QW84```") stays, without its fences.
 * `code` says whether a block was taken out.
 *
 * @example withoutPastedCode('what is this?\n```\nSELECT 1;\n```') // { text: 'what is this?', code: true }
 */
export function withoutPastedCode(message: string): { text: string; code: boolean; blocks: string[] } {
  if (!message.includes('\n') && UNFENCED_COMMAND.test(message)) {
    // ("terraform state show module.kyc_worker... jk, is kyc-worker actually up?": the command taken
    // back, and what is asked said after it.)
    const back = TAKEN_BACK.exec(message);
    return { text: back ? message.slice(back.index + back[0].length).trim() : '', code: true, blocks: [] };
  }
  let code = false;
  const blocks: string[] = [];
  const text = message
    .replace(FENCE, (whole, _lang: string | undefined, body: string) => {
      const request = jsonRequest(body);
      if (request !== undefined) {
        code = true;
        return ` ${request} `;
      }
      if (!looksLikeCode(body)) return whole;
      code = true;
      blocks.push(body);
      // ("```ALERT HighErrorRatio checkout warning```\nflapping hard, mute it for 20m": what the
      // request points back at is what the block names.)
      return COMMAND_SYNTAX.some((pattern) => pattern.test(body))
        ? ' '
        : loggedNames(body, message.slice(message.indexOf(whole) + whole.length));
    })
    .replace(INLINE_CODE, (whole, body: string) => {
      if (!ERROR_OUTPUT.test(body) || body.trim().split(/\s+/).length < 3) return whole;
      code = true;
      blocks.push(body);
      return ' ';
    });
  return { text: code ? text.replace(/[ \t]{2,}/g, ' ').trim() : message, code, blocks };
}
