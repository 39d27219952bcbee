import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverServices, Supervisor } from './supervisor.js';
import { supervisorConfig } from './supervisor-config.js';
import { chooseLogFormat, Terminal } from './terminal.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

function fail(message: string, code: number): never {
  process.stderr.write(`[opsmesh] ${message}\n`);
  process.exit(code);
}

let config: ReturnType<typeof supervisorConfig>;
try {
  config = supervisorConfig(process.env);
} catch (err) {
  fail(err instanceof Error ? err.message : String(err), 2);
}
const isTTY = process.stdout.isTTY === true;
const terminal = new Terminal({
  format: chooseLogFormat(config.LOG_FORMAT, isTTY),
  colour: isTTY && !process.env['NO_COLOR'],
  write: (text) => process.stdout.write(text),
});

// `npm start -- auth-service ml-service` runs a subset; no arguments runs everything.
const args = process.argv.slice(2);
const all = discoverServices(root);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    [
      'Usage: npm start [-- <service>...]',
      '',
      'Starts every opsmesh service on 127.0.0.1 (or only those named), each as its own process,',
      'restarts one that crashes or hangs, and stops them all on Ctrl-C.',
      '',
      `Services: ${all.map((s) => s.name).join(', ')}`,
      'Ports: GATEWAY_PORT (8080), AUTH_PORT, ML_PORT, MONITORING_PORT, CHATOPS_PORT (8081-8084).',
      'Data: OPSMESH_DATA_DIR (./data); logs: LOG_FORMAT=pretty|json. More in the README.',
      '',
    ].join('\n'),
  );
  process.exit(0);
}
// An option here was ignored before, and everything started: say what is taken instead.
const options = args.filter((a) => a.startsWith('-'));
if (options.length)
  fail(
    `unknown option(s): ${options.join(', ')}; npm start takes service names (see npm start -- --help)`,
    2,
  );
const only = args;
const unknown = only.filter((name) => !all.some((s) => s.name === name));
if (unknown.length) {
  fail(`unknown service(s): ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`, 2);
}
let supervisor: Supervisor;
try {
  supervisor = new Supervisor({
    root,
    services: only.length ? all.filter((s) => only.includes(s.name)) : all,
    onOutput: (service, line, at) => terminal.child(service, line, at),
    say: (message, level, service, at) => terminal.event(message, level, service, at),
  });
} catch (err) {
  // Services that wait for each other in their package.json `opsmesh.after`: said, not a stack.
  fail(err instanceof Error ? err.message : String(err), 2);
}
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  terminal.event(`${signal}: stopping every service`);
  await supervisor.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// The services run in process groups of their own, out of reach of the terminal's hang-up.
process.on('SIGHUP', () => void shutdown('SIGHUP'));

try {
  await supervisor.start();
  const pub = supervisor.services.find((s) => s.public) ?? supervisor.services[0];
  const block = [
    '',
    'opsmesh is running:',
    ...supervisor.services.map((s) => `  ${s.name.padEnd(20)} ${supervisor.url(s.name)}`),
    '',
    pub ? `Open ${supervisor.url(pub.name)}${pub.public ? '/' : ''} (console and API entry).` : '',
    ...adminLines(supervisor),
    'Press Ctrl-C to stop everything.',
    '',
  ].join('\n');
  if (terminal.format === 'json') {
    terminal.event('opsmesh is running');
    // For the person who started it, not for the log stream on stdout (it may hold a password).
    process.stderr.write(`${block}\n`);
  } else process.stdout.write(`${block}\n`);
} catch (err) {
  terminal.event(`start-up failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
  if (terminal.format === 'json') {
    process.stderr.write(`[opsmesh] start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  await supervisor.stop();
  process.exit(1);
}

/** The admin's password on the start that created it; on later starts, what to do when it is lost. */
function adminLines(supervisor: Supervisor): string[] {
  if (!supervisor.services.some((s) => s.name === 'auth-service')) return [];
  const created = supervisor.adminCredentials;
  if (created) {
    return [
      '',
      `  Admin:    ${created.email}`,
      `  Password: ${created.password}`,
      '  (generated on this first start and shown only now: keep it somewhere safe)',
      '',
    ];
  }
  return [
    'Sign in as the admin created on the first start (its password was shown then, or is OPSMESH_ADMIN_PASSWORD).',
    'Lost it? Stop opsmesh and run `npx opsmesh admin reset-password` (README: "A lost admin password").',
  ];
}
