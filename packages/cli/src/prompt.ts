import { createInterface } from 'node:readline/promises';
import { CliError, EXIT } from './cli-error.js';

/** Whether questions can be asked: both ends of the conversation are a terminal. */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Asks one line on the terminal (the question on stderr, so stdout stays clean). */
export async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** How many times an empty answer is asked again before giving up. */
export const PROMPT_TRIES = 3;

/**
 * Asks until the answer is not empty: Enter alone gets a short sentence and the question again,
 * at most `tries` times in all, then a usage error naming the option that gives the value.
 */
export async function askUntilGiven(
  asker: (question: string) => Promise<string>,
  question: string,
  what: string,
  option: string,
  tries = PROMPT_TRIES,
): Promise<string> {
  for (let i = 0; i < tries; i++) {
    const answer = await asker(question);
    if (answer) return answer;
    if (i + 1 < tries) process.stderr.write(`The ${what} is needed; type it, or press Ctrl-C to stop.\n`);
  }
  throw new CliError(`No ${what} given after ${tries} tries; give it with ${option}.`, EXIT.usage);
}

/** Asks for a secret without echoing it: raw mode, Enter ends, Backspace edits, Ctrl-C cancels. */
export function askSecret(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new CliError('Cancelled.', EXIT.failure));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    // Echo is off before the question shows: an answer typed the moment it appears is not echoed.
    stdin.setRawMode(true);
    process.stderr.write(question);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** All of standard input, for `--password-stdin` (the trailing newline dropped). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
