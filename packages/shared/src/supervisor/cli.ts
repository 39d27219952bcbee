import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverServices, Supervisor } from './supervisor.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
// `npm start -- auth-service ml-service` runs a subset; no arguments runs everything.
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const all = discoverServices(root);
const unknown = only.filter((name) => !all.some((s) => s.name === name));
if (unknown.length) {
  process.stderr.write(
    `[opsmesh] unknown service(s): ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}\n`,
  );
  process.exit(2);
}
let supervisor: Supervisor;
try {
  supervisor = new Supervisor({
    root,
    services: only.length ? all.filter((s) => only.includes(s.name)) : all,
  });
} catch (err) {
  process.stderr.write(`[opsmesh] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`[opsmesh] ${signal}: stopping every service\n`);
  await supervisor.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  await supervisor.start();
  const pub = supervisor.services.find((s) => s.public) ?? supervisor.services[0];
  const lines = supervisor.services.map((s) => `  ${s.name.padEnd(20)} ${supervisor.url(s.name)}`);
  process.stderr.write(
    [
      '',
      'opsmesh is running:',
      ...lines,
      '',
      pub ? `Open ${supervisor.url(pub.name)}${pub.public ? '/' : ''} (console and API entry).` : '',
      ...adminLines(supervisor),
      'Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
} catch (err) {
  process.stderr.write(`[opsmesh] start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
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
    'Lost it? Stop opsmesh and run `npx opsmesh admin reset-password` (README: "Lost the admin password").',
  ];
}
