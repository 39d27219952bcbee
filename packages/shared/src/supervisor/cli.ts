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
const supervisor = new Supervisor({
  root,
  services: only.length ? all.filter((s) => only.includes(s.name)) : all,
});
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
      'The bootstrap admin credentials are printed above by auth-service on its first start.',
      'Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
} catch (err) {
  process.stderr.write(`[opsmesh] start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  await supervisor.stop();
  process.exit(1);
}
