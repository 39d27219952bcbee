import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError, EXIT, usageError } from './cli-error.js';
import { type Command, createContext, DEFAULT_URL, type Group, type Options } from './command.js';
import { createOutput } from './output.js';
import { PACKAGE_DIR } from './package-dir.js';
import { didYouMean } from './suggest.js';

/** Options every command takes. */
const GLOBAL: Options = {
  json: { type: 'boolean' },
  url: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** Command groups, loaded only when used: a command starts without the others' code. */
const GROUPS: Record<string, { summary: string; load: () => Promise<Group> }> = {
  auth: {
    summary: 'login, logout, whoami',
    load: async () => (await import('./commands/session.js')).session,
  },
  users: {
    summary: 'create, list, disable users and reset their passwords',
    load: async () => (await import('./commands/users.js')).users,
  },
  keys: {
    summary: 'create, list and revoke your API keys',
    load: async () => (await import('./commands/keys.js')).keys,
  },
  models: {
    summary: 'list models and their versions, upload, promote, roll back and predict',
    load: async () => (await import('./commands/models.js')).models,
  },
  alerts: {
    summary: 'list, acknowledge, silence and unsilence alerts',
    load: async () => (await import('./commands/alerts.js')).alerts,
  },
  traces: {
    summary: 'show a distributed trace',
    load: async () => (await import('./commands/traces.js')).traces,
  },
  status: {
    summary: 'each service ready or not, and the alerts firing',
    load: async () => (await import('./commands/status.js')).status,
  },
  chat: {
    summary: 'send ChatOps a message, as in Slack ("opsmesh chat is auth up?")',
    load: async () => (await import('./commands/chat.js')).chat,
  },
  admin: {
    summary: 'offline administration on the data directory (the services may be down)',
    load: async () => (await import('./commands/admin.js')).admin,
  },
};

/** Top-level commands and the group each belongs to: `login`, `logout` and `whoami` are `auth`'s. */
const TOP_LEVEL_GROUP: Record<string, string> = {
  login: 'auth',
  logout: 'auth',
  whoami: 'auth',
  status: 'status',
  chat: 'chat',
};
const TOP_LEVEL = new Set(Object.keys(TOP_LEVEL_GROUP));

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('package.json', PACKAGE_DIR), 'utf8'));
  return pkg.version as string;
}

function mainHelp(): string {
  return [
    'opsmesh: the opsmesh platform on the command line',
    '',
    'Usage: opsmesh <command> [subcommand] [options]',
    '',
    'Commands:',
    '  login                 log in to a gateway and keep the tokens',
    '  logout                end the session and forget the tokens',
    '  whoami                who the stored login is',
    ...Object.entries(GROUPS)
      .filter(([name]) => name !== 'auth')
      .map(([name, g]) => `  ${name.padEnd(21)} ${g.summary}`),
    '',
    'Options on every command:',
    '  --json                machine output (JSON on stdout; errors as problem JSON on stderr)',
    `  --url <url>           the gateway (else OPSMESH_URL, else the last login, else ${DEFAULT_URL})`,
    '  -h, --help            help for the command',
    '',
    'Run "opsmesh <command> --help" for a command\'s options.',
  ].join('\n');
}

function optionHelp(options: Options | undefined): string[] {
  return Object.entries(options ?? {}).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ' <value>' : ''}`;
    return `  ${flag}${o.multiple ? ' (repeatable)' : ''}`;
  });
}

function groupHelp(name: string, group: Group): string {
  const prefix = TOP_LEVEL.has(name) || name === 'auth' ? 'opsmesh' : `opsmesh ${name}`;
  return [
    `${prefix}: ${group.summary}`,
    '',
    ...Object.entries(group.commands).map(([sub, c]) => `  ${prefix} ${sub} ${c.usage}\n      ${c.summary}`),
  ].join('\n');
}

function commandHelp(path: string, command: Command): string {
  const opts = optionHelp(command.options);
  return [
    `Usage: opsmesh ${path} ${command.usage}`,
    '',
    command.summary,
    ...(opts.length ? ['', 'Options:', ...opts] : []),
  ].join('\n');
}

/** The command words before any option: global options taking a value skip their value. */
function commandWords(argv: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--url') {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    words.push(arg);
  }
  return words;
}

/**
 * Words people reach for that name no command, with the command that does it: a spelling
 * suggestion cannot find these (`deploy` is not a slip of `upload`).
 */
const OTHER_WORDS: Record<string, string> = {
  deploy:
    'To deploy a model: opsmesh models upload <name> <file.onnx>, then opsmesh models promote <name> <version>.',
  'models deploy':
    'To deploy a model: opsmesh models upload <name> <file.onnx>, then opsmesh models promote <name> <version>.',
  'models ls': 'Did you mean "models list"?',
  'models show': 'Did you mean "models versions"?',
  'models infer': 'Did you mean "models predict"?',
  'alerts ls': 'Did you mean "alerts list"?',
  'users ls': 'Did you mean "users list"?',
  health: 'Did you mean "status"?',
  services: 'Did you mean "status"?',
};

/** ` Did you mean "x"?` when a known name is close to the word typed, else nothing. */
function meant(word: string, known: readonly string[], prefix = ''): string {
  const other = OTHER_WORDS[`${prefix}${word}`];
  if (other) return ` ${other}`;
  const guess = didYouMean(word, known);
  return guess ? ` Did you mean "${prefix}${guess}"?` : '';
}

/**
 * A command-line parse error in the CLI's words. Node's own for an unknown option explains how to
 * pass a positional starting with '-', which is rarely what happened: a flag was mistyped.
 */
function optionProblem(err: Error & { code?: string }, options: Options): string {
  const flag = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
    const name = flag.replace(/^-+/, '').split('=')[0]!;
    const guess = flag.startsWith('--') ? didYouMean(name, Object.keys(options)) : undefined;
    return guess
      ? `Unknown option ${flag}. Did you mean --${guess}?`
      : `Unknown option ${flag}. (An argument that starts with '-' goes after "--".)`;
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    return err.message.includes('argument missing')
      ? `Option ${flag} needs a value: ${flag} <value>.`
      : `Option ${flag} takes no value.`;
  }
  return err.message;
}

/** Removes the first occurrence of each command word from the arguments. */
function withoutWords(argv: string[], words: string[]): string[] {
  const rest = [...argv];
  for (const w of words) {
    const at = rest.indexOf(w);
    if (at >= 0) rest.splice(at, 1);
  }
  return rest;
}

async function run(argv: string[], json: { on: boolean }): Promise<void> {
  // Only as the whole command line: `models predict --version 2` names a model version.
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${version()}\n`);
    return;
  }
  const words = commandWords(argv);
  // `opsmesh help [command]` reads as `opsmesh [command] --help`, as git and gh take it.
  if (words[0] === 'help') return run([...argv.filter((a) => a !== 'help'), '--help'], json);
  const [first, second] = words;
  if (!first) {
    process.stdout.write(`${mainHelp()}\n`);
    if (!argv.includes('--help') && !argv.includes('-h')) throw usageError('Name a command.');
    return;
  }
  const groupName = TOP_LEVEL_GROUP[first] ?? first;
  const entry = GROUPS[groupName];
  if (!entry) {
    const known = [...new Set([...TOP_LEVEL, ...Object.keys(GROUPS).filter((g) => g !== 'auth'), 'help'])];
    throw usageError(`Unknown command "${first}".${meant(first, known)} Run "opsmesh --help" for the list.`);
  }
  const group = await entry.load();
  const subName = TOP_LEVEL.has(first) ? first : second;
  if (!subName) {
    process.stdout.write(`${groupHelp(groupName, group)}\n`);
    if (!argv.includes('--help') && !argv.includes('-h'))
      throw usageError(`Name one of the ${first} commands above.`);
    return;
  }
  const command = group.commands[subName];
  if (!command) {
    const known = Object.keys(group.commands);
    throw usageError(
      `Unknown command "${first} ${subName}".${meant(subName, known, `${first} `)} Known: ${known.join(', ')}.`,
    );
  }
  const path = TOP_LEVEL.has(first) ? first : `${first} ${subName}`;
  const rest = withoutWords(argv, TOP_LEVEL.has(first) ? [first] : [first, subName]);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    const options = { ...GLOBAL, ...command.options };
    throw usageError(`${optionProblem(err as Error, options)}\n\n${commandHelp(path, command)}`);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  json.on = values['json'] === true;
  if (values['help']) {
    process.stdout.write(`${commandHelp(path, command)}\n`);
    return;
  }
  const [min, max] = command.positionals ?? [0, 0];
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    throw usageError(
      `${parsed.positionals.length < min ? 'Missing' : 'Too many'} arguments.\n\n${commandHelp(path, command)}`,
    );
  }
  const out = createOutput(json.on);
  const ctx = createContext(out, process.env, typeof values['url'] === 'string' ? values['url'] : undefined);
  await command.run(ctx, values, parsed.positionals);
}

const json = { on: process.argv.includes('--json') };
try {
  await run(process.argv.slice(2), json);
} catch (err) {
  const error =
    err instanceof CliError
      ? err
      : new CliError(
          // A stack trace helps whoever fixes the bug, not whoever runs the command: on request only.
          process.env['OPSMESH_DEBUG']
            ? `Unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
            : `Unexpected failure: ${err instanceof Error ? err.message : String(err)} (OPSMESH_DEBUG=1 shows where)`,
          EXIT.failure,
        );
  if (json.on) {
    process.stderr.write(
      `${JSON.stringify({ ...(error.problem ?? { title: error.message }), exitCode: error.exitCode })}\n`,
    );
  } else {
    process.stderr.write(`error: ${error.message}\n`);
  }
  process.exitCode = error.exitCode;
}
