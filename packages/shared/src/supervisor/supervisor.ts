import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBase62 } from '../ids/new-id.js';
import { LivenessProbe } from './liveness-probe.js';
import { livenessSettings, type SupervisorConfig, supervisorConfig } from './supervisor-config.js';

export interface ServiceSpec {
  name: string;
  dir: string;
  port: number;
  order: number;
  public: boolean;
  /** Extra arguments before the entry point (e.g. node flags). */
  entry: string;
}

/** Reads `services/* /package.json` files carrying an `opsmesh` block: `{ port, order, public? }`. */
export function discoverServices(root: string): ServiceSpec[] {
  const servicesDir = join(root, 'services');
  const specs: ServiceSpec[] = [];
  for (const name of readdirSync(servicesDir)) {
    let pkg: { name?: string; opsmesh?: { port?: number; order?: number; public?: boolean; entry?: string } };
    try {
      pkg = JSON.parse(readFileSync(join(servicesDir, name, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (!pkg.opsmesh?.port) continue;
    specs.push({
      name: pkg.name ?? name,
      dir: join(servicesDir, name),
      port: pkg.opsmesh.port,
      order: pkg.opsmesh.order ?? 5,
      public: pkg.opsmesh.public ?? false,
      entry: pkg.opsmesh.entry ?? 'src/main.ts',
    });
  }
  return specs.sort((a, b) => a.order - b.order);
}

export function portVariable(service: string): string {
  return `${service
    .replace(/-service$/, '')
    .replace(/-/g, '_')
    .toUpperCase()}_PORT`;
}

interface Running {
  spec: ServiceSpec;
  child: ChildProcess | null;
  restarts: number;
  startedAt: number;
  stopping: boolean;
  timer: NodeJS.Timeout | null;
  probe: LivenessProbe | null;
}

export interface SupervisorOptions {
  root: string;
  env?: NodeJS.ProcessEnv;
  services?: ServiceSpec[];
  /** Where each child's output goes; stdout of the supervisor by default (JSON lines pass through). */
  onOutput?: (service: string, line: string) => void;
  say?: (msg: string) => void;
  readyTimeoutMs?: number;
  maxBackoffMs?: number;
}

/**
 * Runs each service as its own process on 127.0.0.1, waits for `/health/ready`, restarts a crashed
 * one with exponential backoff (reset after a minute of good health), and stops all on `stop()`.
 */
export class Supervisor {
  private readonly running = new Map<string, Running>();
  private readonly env: NodeJS.ProcessEnv;
  private readonly say: (msg: string) => void;
  readonly services: ServiceSpec[];
  private secrets: Record<string, string> = {};
  /** Settings from the environment (liveness probing, the kill grace); a bad one throws a ConfigError. */
  readonly config: SupervisorConfig;

  constructor(private readonly options: SupervisorOptions) {
    this.services = options.services ?? discoverServices(options.root);
    this.config = supervisorConfig(options.env ?? process.env);
    this.say = options.say ?? ((m) => process.stderr.write(`[opsmesh] ${m}\n`));
    const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
    for (const spec of this.services) env[portVariable(spec.name)] ??= String(spec.port);
    // Children run in their own folders: data goes under the root's ./data unless told otherwise.
    env['OPSMESH_DATA_DIR'] = resolve(options.root, env['OPSMESH_DATA_DIR'] || 'data');
    env['AUTH_URL'] ??= `http://127.0.0.1:${env[portVariable('auth-service')] ?? 8081}`;
    // Each service gets a service account (client credentials) that the auth service provisions at
    // start, so services can call one another as themselves and exchange tokens for users.
    if (!env['OPSMESH_SERVICE_ACCOUNTS']) {
      this.secrets = Object.fromEntries(
        this.services.filter((s) => s.name !== 'auth-service').map((s) => [s.name, randomBase62(40)]),
      );
      env['OPSMESH_SERVICE_ACCOUNTS'] = Object.entries(this.secrets)
        .map(([name, secret]) => `${name}=${secret}`)
        .join(',');
    }
    // Alerts flow from the monitoring service to the ChatOps service when both run, with a
    // bearer token the one sends (ALERT_RECEIVER_TOKEN) and the other checks (NOTIFY_TOKEN).
    if (this.services.some((s) => s.name === 'chatops-service')) {
      env['NOTIFY_TOKEN'] ??= randomBase62(40);
      env['ALERT_RECEIVERS'] ??=
        `chatops=http://127.0.0.1:${env[portVariable('chatops-service')]}/notifications/alertmanager`;
      env['ALERT_RECEIVER_TOKEN'] ??= env['NOTIFY_TOKEN'];
    }
    // Spans go to the monitoring service's built-in trace store when it runs; with
    // OTEL_EXPORTER_OTLP_ENDPOINT set they go to that collector instead (OPSMESH_TRACE_EXPORT=both: to both).
    if (this.services.some((s) => s.name === 'monitoring-service')) {
      env['OPSMESH_TRACE_STORE_URL'] ??= `http://127.0.0.1:${env[portVariable('monitoring-service')]}`;
    }
    env['OPSMESH_SERVICES'] ??= this.services
      .map((s) => `${s.name}=http://127.0.0.1:${env[portVariable(s.name)]}`)
      .join(',');
    this.env = env;
  }

  /**
   * The environment a service's process gets: the supervisor's own, plus everything it sets up
   * (ports, service accounts, the alert route). Deploy manifests must set the same.
   *
   * @example
   * new Supervisor({ root, env: {} }).environmentOf('monitoring-service')['ALERT_RECEIVERS']
   */
  environmentOf(service: string): NodeJS.ProcessEnv {
    const isPublic = this.services.find((s) => s.name === service)?.public ?? false;
    return {
      ...this.env,
      PORT: this.env[portVariable(service)],
      HOST: '127.0.0.1',
      // The services sit behind the gateway this supervisor runs on loopback: they believe its
      // X-Forwarded-For. The public one keeps the TRUST_PROXY it was given (none by default).
      ...(isPublic ? {} : { TRUST_PROXY: 'loopback' }),
      ...(this.secrets[service]
        ? { OPSMESH_CLIENT_ID: service, OPSMESH_CLIENT_SECRET: this.secrets[service] }
        : {}),
    };
  }

  url(service: string): string {
    return `http://127.0.0.1:${this.env[portVariable(service)]}`;
  }

  /** Starts every service in order, each once the previous one is ready. */
  async start(): Promise<void> {
    for (const spec of this.services) {
      this.launch(spec);
      await this.waitReady(spec);
    }
  }

  private launch(spec: ServiceSpec): void {
    const state = this.running.get(spec.name) ?? {
      spec,
      child: null,
      restarts: 0,
      startedAt: 0,
      stopping: false,
      timer: null,
      probe: null,
    };
    this.running.set(spec.name, state);
    const args = [
      '--conditions=source',
      '--import',
      'tsx',
      '--import',
      '@opsmesh/shared/register',
      spec.entry,
    ];
    const child = spawn(process.execPath, args, {
      cwd: spec.dir,
      env: this.environmentOf(spec.name),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    state.child = child;
    state.startedAt = Date.now();
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        if (this.options.onOutput) this.options.onOutput(spec.name, line);
        else process.stdout.write(`${line}\n`);
      }
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    const timeoutS = this.config.OPSMESH_LIVENESS_TIMEOUT_SECONDS;
    state.probe = new LivenessProbe({
      url: `${this.url(spec.name)}/health/live`,
      settings: livenessSettings(this.config),
      onUnhealthy: (failures, lastError) => {
        this.say(
          `${spec.name} did not answer /health/live ${failures} times in a row (${timeoutS} s timeout; last: ${lastError}); restarting`,
        );
        void terminate(child, this.config.OPSMESH_KILL_GRACE_SECONDS * 1000);
      },
    });
    state.probe.start();
    child.on('exit', (code, signal) => {
      state.child = null;
      state.probe?.stop();
      if (state.stopping) return;
      if (Date.now() - state.startedAt > 60_000) state.restarts = 0;
      const delay = Math.min(this.options.maxBackoffMs ?? 30_000, 500 * 2 ** state.restarts);
      state.restarts++;
      this.say(`${spec.name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      state.timer = setTimeout(() => this.launch(spec), delay);
    });
  }

  private async waitReady(spec: ServiceSpec): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 60_000);
    const url = `${this.url(spec.name)}/health/ready`;
    let last = '';
    while (Date.now() < deadline) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        if (res.ok) {
          this.say(`${spec.name} ready at ${this.url(spec.name)}`);
          return;
        }
        last = `readiness answered ${res.status}`;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${spec.name} was not ready within the timeout (${last}); see its log lines above`);
  }

  /** Sends SIGTERM to every child (in reverse order) and waits for them to exit. */
  async stop(graceMs = 15_000): Promise<void> {
    const states = [...this.running.values()].reverse();
    await Promise.all(
      states.map(
        (state) =>
          new Promise<void>((resolve) => {
            state.stopping = true;
            if (state.timer) clearTimeout(state.timer);
            state.probe?.stop();
            if (!state.child) return resolve();
            void terminate(state.child, graceMs).then(resolve);
          }),
      ),
    );
  }

  /** Kills one service's process (for tests of restart and failover). */
  kill(service: string, signal: NodeJS.Signals = 'SIGKILL'): void {
    this.running.get(service)?.child?.kill(signal);
  }

  pid(service: string): number | undefined {
    return this.running.get(service)?.child?.pid;
  }
}

/** SIGTERM, then SIGKILL if the process has not exited within `graceMs`; resolves on exit. */
function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
