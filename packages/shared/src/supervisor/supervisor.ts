import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { newId, randomBase62 } from '../ids/new-id.js';
import { type AdminCredentials, AdminCredentialsReader } from './admin-credentials.js';
import { LivenessProbe, type LivenessSettings } from './liveness-probe.js';
import { alreadyRunning, portAdvice, portProblem, serviceListening } from './port-check.js';
import { OrderedLines, startDependencies } from './start-order.js';
import { livenessSettings, type SupervisorConfig, supervisorConfig } from './supervisor-config.js';
import type { EventLevel } from './terminal.js';

export interface ServiceSpec {
  name: string;
  dir: string;
  port: number;
  order: number;
  public: boolean;
  /** Extra arguments before the entry point (e.g. node flags). */
  entry: string;
  /** Services that must be ready before this one starts; see startDependencies. */
  after?: string[];
}

/**
 * Reads `services/* /package.json` files carrying an `opsmesh` block: `{ port, order, public?,
 * after? }`. `order` is the order services are listed and their start lines printed in; `after`
 * names the services that must be ready before this one starts (the others start together).
 */
export function discoverServices(root: string): ServiceSpec[] {
  const servicesDir = join(root, 'services');
  const specs: ServiceSpec[] = [];
  for (const name of readdirSync(servicesDir)) {
    let pkg: {
      name?: string;
      opsmesh?: { port?: number; order?: number; public?: boolean; entry?: string; after?: string[] };
    };
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
      after: pkg.opsmesh.after ?? [],
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
  /** The id the current process was launched with (`OPSMESH_INSTANCE_ID`); its health answers carry it. */
  instance: string;
  /** Set when the supervisor stopped restarting the service, saying why. */
  gaveUp: string | null;
  /** Whether the current process has been seen ready (under its own instance id). */
  ready: boolean;
  credentials: AdminCredentialsReader;
  /** A restarted process is being watched until it is ready again. */
  watching: boolean;
}

/** Every child listens here: the gateway is the only entry meant for others. */
const HOST = '127.0.0.1';

export interface SupervisorOptions {
  root: string;
  env?: NodeJS.ProcessEnv;
  services?: ServiceSpec[];
  /**
   * Where each child's output goes; stdout of the supervisor by default (JSON lines pass through).
   * `at` is when the line was written: lines of services started together are shown in order.
   */
  onOutput?: (service: string, line: string, at: Date) => void;
  /** The supervisor's own events, with a level, the service they concern and when they happened. */
  say?: (msg: string, level?: EventLevel, service?: string, at?: Date) => void;
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
  private readonly sayNow: (msg: string, level?: EventLevel, service?: string, at?: Date) => void;
  /** During start(): holds back what services started together print, to show it in their order. */
  private lines: OrderedLines | null = null;
  readonly services: ServiceSpec[];
  private secrets: Record<string, string> = {};
  /**
   * The bootstrap admin's generated password, when the auth service this supervisor started
   * created it on this start and then became ready; null otherwise (an existing data directory).
   */
  adminCredentials: AdminCredentials | null = null;
  /** The services each waits for before it starts (see startDependencies); checked for cycles here. */
  private readonly dependencies: Map<string, string[]>;
  /** Settings from the environment (liveness probing, the kill grace); a bad one throws a ConfigError. */
  readonly config: SupervisorConfig;

  constructor(private readonly options: SupervisorOptions) {
    this.services = options.services ?? discoverServices(options.root);
    this.dependencies = startDependencies(this.services);
    this.config = supervisorConfig(options.env ?? process.env);
    this.sayNow = options.say ?? ((m) => process.stderr.write(`[opsmesh] ${m}\n`));
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

  /** One of the supervisor's events, shown in the start's order when it concerns a service. */
  private say(msg: string, level?: EventLevel, service?: string): void {
    const at = new Date();
    this.emit(service, () => this.sayNow(msg, level, service, at));
  }

  private emit(service: string | undefined, show: () => void): void {
    if (this.lines && service) this.lines.write(service, show);
    else show();
  }

  url(service: string): string {
    return `http://${HOST}:${this.port(service)}`;
  }

  private port(service: string): number {
    return Number(this.env[portVariable(service)]);
  }

  /** Why the service's port cannot be listened on, with the variable that moves it; null when free. */
  private async portTrouble(service: string): Promise<string | null> {
    const port = this.port(service);
    const problem = await portProblem(HOST, port);
    return problem && portAdvice(service, port, portVariable(service), problem);
  }

  /**
   * The probe's settings; a child is not taken for hung while start() would still wait for it to
   * be ready (the startup window is at least the ready timeout).
   */
  private liveness(spec: ServiceSpec): LivenessSettings {
    const settings = livenessSettings(this.config);
    return { ...settings, startupMs: Math.max(settings.startupMs, this.readyWait(spec)) };
  }

  /**
   * How long start() waits for a service to be ready: the ready timeout (60 s by default) times
   * the number of services started together with it, since they share the machine's cores (three
   * starting at once on a loaded two-core machine each take about three times as long).
   */
  private readyWait(spec: ServiceSpec): number {
    const base = this.options.readyTimeoutMs ?? 60_000;
    const waitsFor = (name: string) => (this.dependencies.get(name) ?? []).join(',');
    const together = this.services.filter((s) => waitsFor(s.name) === waitsFor(spec.name)).length;
    return base * Math.max(1, together);
  }

  /**
   * Starts every service once those it waits for are ready (startDependencies: auth first, then
   * ml, monitoring and chatops together, then the gateway), printing their lines in the listed
   * order. Fails at once, naming each one, when a service's port is taken: whatever answers there
   * is not a process started here.
   */
  async start(): Promise<void> {
    // A start after stop() begins afresh: what the stopped processes left (given up, backoff) goes.
    for (const [name, state] of this.running) if (!state.child) this.running.delete(name);
    const troubles = await Promise.all(this.services.map((s) => this.portTrouble(s.name)));
    const taken = this.services.filter((_, i) => troubles[i]);
    if (taken.length) {
      // Every taken port answered by the service this supervisor would start there: the platform
      // already runs (in another terminal, say). Said so, instead of a list of ports in use.
      const answering = await Promise.all(taken.map((s) => serviceListening(HOST, this.port(s.name))));
      if (answering.every((name, i) => name === taken[i]!.name)) {
        const gateway = taken.find((s) => s.public);
        throw new Error(
          alreadyRunning(
            taken.map((s) => s.name),
            gateway ? this.url(gateway.name) : null,
          ),
        );
      }
      throw new Error(troubles.filter(Boolean).join('\n'));
    }
    const dependencies = this.dependencies;
    const lines = new OrderedLines(this.services.map((s) => s.name));
    this.lines = lines;
    const started = new Map<string, Promise<void>>();
    const startOne = (spec: ServiceSpec): Promise<void> => {
      let done = started.get(spec.name);
      if (!done) {
        done = (async () => {
          const before = dependencies.get(spec.name) ?? [];
          await Promise.all(this.services.filter((s) => before.includes(s.name)).map(startOne));
          this.launch(spec);
          await this.waitReady(spec);
          lines.ready(spec.name);
        })();
        started.set(spec.name, done);
      }
      return done;
    };
    try {
      await Promise.all(this.services.map(startOne));
    } finally {
      this.lines = null;
      lines.release();
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
      instance: '',
      gaveUp: null,
      ready: false,
      credentials: new AdminCredentialsReader(),
      watching: false,
    };
    this.running.set(spec.name, state);
    state.instance = newId('ins');
    state.ready = false;
    state.credentials = new AdminCredentialsReader();
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
      env: { ...this.environmentOf(spec.name), OPSMESH_INSTANCE_ID: state.instance },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    endWithThisProcess(child);
    state.child = child;
    state.startedAt = Date.now();
    const credentials = state.credentials;
    const forward = (line: string) => {
      // The generated admin password is held back until this very process is ready.
      if (!line || credentials.take(line)) return;
      const at = new Date();
      this.emit(spec.name, () => {
        if (this.options.onOutput) this.options.onOutput(spec.name, line, at);
        else process.stdout.write(`${line}\n`);
      });
    };
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', forward);
    }
    const timeoutS = this.config.OPSMESH_LIVENESS_TIMEOUT_SECONDS;
    state.probe = new LivenessProbe({
      url: `${this.url(spec.name)}/health/live`,
      settings: this.liveness(spec),
      instance: state.instance,
      onUnhealthy: (failures, lastError) => {
        this.say(
          `${spec.name} did not answer /health/live ${failures} times in a row (${timeoutS} s timeout; last: ${lastError}); restarting`,
          'error',
          spec.name,
        );
        void terminate(child, this.config.OPSMESH_KILL_GRACE_SECONDS * 1000);
      },
    });
    state.probe.start();
    child.on('exit', (code, signal) => {
      state.child = null;
      state.probe?.stop();
      if (state.stopping) return;
      void this.afterExit(state, signal ?? `code ${code}`);
    });
  }

  /** Restarts an exited child with backoff, unless another process has taken its port. */
  private async afterExit(state: Running, how: string): Promise<void> {
    const { spec } = state;
    if (state.credentials.credentials && !state.ready) {
      this.say(
        `${spec.name} created the bootstrap admin but exited before it was ready, so its password is not shown; once it runs, reset it (npx opsmesh admin reset-password)`,
        'warn',
        spec.name,
      );
    }
    const trouble = await this.portTrouble(spec.name);
    if (state.stopping) return;
    if (trouble) {
      state.gaveUp = `${spec.name} exited (${how}) and cannot listen again: ${trouble}; not restarting it`;
      this.say(state.gaveUp, 'error', spec.name);
      return;
    }
    if (Date.now() - state.startedAt > 60_000) state.restarts = 0;
    const delay = Math.min(this.options.maxBackoffMs ?? 30_000, 500 * 2 ** state.restarts);
    state.restarts++;
    this.say(`${spec.name} exited (${how}); restarting in ${delay} ms`, 'warn', spec.name);
    state.timer = setTimeout(() => {
      this.launch(spec);
      this.watchReadiness(state);
    }, delay);
  }

  /** Says when a restarted service is ready again, or that it is not within the ready timeout. */
  private watchReadiness(state: Running): void {
    if (state.watching) return;
    state.watching = true;
    this.waitReady(state.spec)
      .catch((err: Error) => {
        if (!state.stopping && !state.gaveUp)
          this.say(`${err.message}; still restarting it`, 'error', state.spec.name);
      })
      .finally(() => {
        state.watching = false;
      });
  }

  /** Waits until the process this supervisor started (its instance id) answers ready. */
  private async waitReady(spec: ServiceSpec): Promise<void> {
    const deadline = Date.now() + this.readyWait(spec);
    const url = `${this.url(spec.name)}/health/ready`;
    const state = this.running.get(spec.name);
    let last = '';
    while (Date.now() < deadline && state) {
      if (state.gaveUp) throw new Error(state.gaveUp);
      if (state.stopping) throw new Error(`${spec.name} was stopped before it was ready`);
      const instance = state.instance;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        const body = (await res.json().catch(() => ({}))) as { instance?: unknown };
        if (body.instance !== instance) {
          last = `port ${this.port(spec.name)} is answered by another process (instance ${String(body.instance)}), not the one started`;
        } else if (res.ok) {
          state.ready = true;
          if (state.credentials.credentials) this.adminCredentials = state.credentials.credentials;
          this.say(`${spec.name} ready at ${this.url(spec.name)}`, 'info', spec.name);
          return;
        } else last = `readiness answered ${res.status}`;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${spec.name} was not ready within the timeout (${last}); see its log lines above`);
  }

  /**
   * Stops every child and waits for them to exit, in the reverse of the start's order: a service
   * gets SIGTERM once those that wait for it have exited (the gateway first, the auth service
   * last), so none is left calling one already gone while it drains.
   */
  async stop(graceMs = 15_000): Promise<void> {
    const states = [...this.running.values()];
    for (const state of states) {
      state.stopping = true;
      if (state.timer) clearTimeout(state.timer);
      state.probe?.stop();
    }
    const dependencies = this.dependencies;
    const stopped = new Map<string, Promise<void>>();
    const stopOne = (state: Running): Promise<void> => {
      let done = stopped.get(state.spec.name);
      if (!done) {
        const dependents = states.filter((s) => dependencies.get(s.spec.name)?.includes(state.spec.name));
        done = Promise.all(dependents.map(stopOne)).then(() =>
          state.child ? terminate(state.child, graceMs) : undefined,
        );
        stopped.set(state.spec.name, done);
      }
      return done;
    };
    await Promise.all(states.map(stopOne));
  }

  /** Kills one service's process (for tests of restart and failover). */
  kill(service: string, signal: NodeJS.Signals = 'SIGKILL'): void {
    this.running.get(service)?.child?.kill(signal);
  }

  pid(service: string): number | undefined {
    return this.running.get(service)?.child?.pid;
  }
}

const children = new Set<ChildProcess>();
let endsChildrenOnExit = false;

/**
 * Children run in their own process group (`detached`), so a Ctrl-C on the terminal, which goes
 * to its whole foreground group, reaches the supervisor alone and `stop()` ends them in order,
 * dependents first. In the terminal's group every service got SIGINT at once: the ML service
 * warned that the auth service was unreachable while it drained. Outside that group a child would
 * outlive a supervisor that ends any other way (an uncaught error, `process.exit`), so each one
 * still running gets SIGTERM when this process exits.
 */
function endWithThisProcess(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (endsChildrenOnExit) return;
  endsChildrenOnExit = true;
  process.once('exit', () => {
    for (const c of children) c.kill('SIGTERM');
  });
}

/**
 * SIGTERM, then SIGKILL if the process has not exited within `graceMs`; resolves on exit.
 *
 * @example
 * await terminate(child, 5000);
 */
export function terminate(child: ChildProcess, graceMs: number): Promise<void> {
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
