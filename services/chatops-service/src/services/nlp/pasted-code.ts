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

/** Whether a pasted block reads as code, a shell session or a log rather than as a command. */
export function looksLikeCode(block: string): boolean {
  return CODE_SYNTAX.some((pattern) => pattern.test(block));
}

// A command of a command-line tool pasted without fences ("kubectl logs -f auth-7d9c", "git revert
// HEAD~1"): the tools whose names no request to this bot starts with.
const UNFENCED_COMMAND =
  /^\s*(?:\$\s*)?(?:sudo|kubectl|helm|git|docker|curl|wget|psql|redis-cli|npx|systemctl|journalctl|terraform|ssh|scp)\s+\S/;

/**
 * The message without the fenced blocks that are code by their syntax ("```sql SELECT * FROM alerts
 * WHERE severity = 'critical'```", "```$ kubectl get pods```", "```git revert HEAD~1```"): what is
 * asked is in the words around them, and a block of code alone asks nothing of this bot. A fenced
 * command ("```predict iris 6.3 3.3 6.0 2.5```", "```JK29-QW84```") stays, without its fences.
 * `code` says whether a block was taken out.
 *
 * @example withoutPastedCode('what is this?\n```\nSELECT 1;\n```') // { text: 'what is this?', code: true }
 */
export function withoutPastedCode(message: string): { text: string; code: boolean } {
  if (!message.includes('\n') && UNFENCED_COMMAND.test(message)) return { text: '', code: true };
  let code = false;
  const text = message.replace(FENCE, (whole, _lang: string | undefined, body: string) => {
    if (!looksLikeCode(body)) return whole;
    code = true;
    return ' ';
  });
  return { text: code ? text.trim() : message, code };
}
