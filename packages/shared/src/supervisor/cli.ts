import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Supervisor } from './supervisor.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const supervisor = new Supervisor({ root });
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
