// The image recipe, run without a container engine: deploy/Dockerfile.service is parsed and its
// steps are carried out in temporary directories standing in for each stage's file system (the
// build context filtered by .dockerignore, COPY, ENV, WORKDIR, ARG and the build stage's RUN lines
// as written). Then every service starts from its runtime stage's layout with the image's CMD,
// production dependencies only, until the image's own HEALTHCHECK passes, and a login goes
// through the compiled gateway.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { discoverServices } from '@opsmesh/shared';
import {
  createPostgresDatabase,
  freePort,
  REPO_ROOT,
  SYSTEM_ADMIN,
  type TestDatabase,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Instruction {
  op: string;
  args: string;
  line: number;
}
interface Stage {
  name: string | undefined;
  instructions: Instruction[];
}

/** Stages of a Dockerfile with their instructions; continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
    const [op, ...rest] = line.split(/\s+/);
    const instruction = { op: op!.toUpperCase(), args: rest.join(' '), line: start };
    if (instruction.op === 'FROM') {
      const as = / AS (\S+)$/i.exec(instruction.args);
      stages.push({ name: as?.[1], instructions: [] });
    }
    if (!stages.length) throw new Error(`line ${start}: ${instruction.op} before FROM`);
    stages.at(-1)!.instructions.push(instruction);
  }
  return stages;
}

/** .dockerignore patterns as a predicate over context-relative paths (`*` within a segment, `**` across). */
function ignoreMatcher(text: string): (path: string) => boolean {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((p) => {
      const re = p
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .split('**/')
        .map((part) => part.replace(/\*/g, '[^/]*'))
        .join('(?:.*/)?');
      return new RegExp(`^${re}(?:/.*)?$`);
    });
  return (path) => patterns.some((re) => re.test(path));
}

interface StageResult {
  root: string;
  env: Record<string, string>;
  workdir: string;
  cmd: string[];
  healthcheck: string[];
}

/** Carries out one stage in `root`; `stages` maps earlier stage names to their roots. */
function runStage(
  stage: Stage,
  root: string,
  args: Record<string, string>,
  stages: Record<string, string>,
  ignored: (p: string) => boolean,
  onRun: (command: string, cwd: string, env: Record<string, string>) => void,
): StageResult {
  const env: Record<string, string> = {};
  let workdir = '/';
  let cmd: string[] = [];
  let healthcheck: string[] = [];
  const inStage = (p: string) => join(root, isAbsolute(p) ? p : join(workdir, p));
  const subst = (s: string) =>
    s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? env[a ?? b] ?? '');
  for (const { op, args: raw, line } of stage.instructions) {
    const text = subst(raw);
    if (op === 'FROM' || op === 'USER') continue; // the base image and user are the container's concern
    if (op === 'ARG') {
      const [name, value] = text.split('=');
      if (!(name! in args)) args[name!] = value ?? '';
    } else if (op === 'ENV') {
      for (const m of text.matchAll(/(\w+)=(\S+)/g)) env[m[1]!] = m[2]!;
    } else if (op === 'WORKDIR') {
      workdir = isAbsolute(text) ? text : join(workdir, text);
      mkdirSync(inStage('.'), { recursive: true });
    } else if (op === 'COPY') {
      const parts = text.split(/\s+/);
      const from = parts[0]!.startsWith('--from=') ? parts.shift()!.slice('--from='.length) : undefined;
      const dest = parts.pop()!;
      const sourceRoot = from ? stages[from] : REPO_ROOT;
      if (!sourceRoot) throw new Error(`line ${line}: unknown stage ${from}`);
      for (const src of parts) {
        // Sources are relative to the build context, or to the named stage's root with --from.
        const origin = join(sourceRoot, src);
        // The base image's own files (the node binary) are the container's concern, like FROM.
        if (from && src.startsWith('/usr/') && !existsSync(origin)) continue;
        if (!existsSync(origin)) throw new Error(`line ${line}: COPY source ${src} does not exist`);
        const target =
          dest.endsWith('/') || parts.length > 1
            ? join(inStage(dest), src.split('/').at(-1)!)
            : inStage(dest);
        if (statSync(origin).isDirectory()) {
          mkdirSync(target, { recursive: true });
          if (from)
            execFileSync('cp', ['-al', `${origin}/.`, target]); // hard links: fast, same bytes
          else {
            cpSync(origin, target, {
              recursive: true,
              filter: (p) => !ignored(relative(REPO_ROOT, p)),
            });
          }
        } else {
          mkdirSync(dirname(target), { recursive: true });
          if (!from && ignored(relative(REPO_ROOT, origin)))
            throw new Error(`line ${line}: ${src} is ignored`);
          cpSync(origin, target);
        }
      }
    } else if (op === 'RUN') {
      onRun(text, inStage('.'), env);
    } else if (op === 'CMD') {
      cmd = JSON.parse(raw) as string[];
    } else if (op === 'HEALTHCHECK') {
      healthcheck = JSON.parse(raw.slice(raw.indexOf('CMD') + 3).trim()) as string[];
    } else {
      throw new Error(`line ${line}: ${op} is not handled here`);
    }
  }
  return { root, env, workdir: inStage('.'), cmd, healthcheck };
}

// Every service the supervisor would start, in its start order (the auth service first).
const SERVICES = discoverServices(REPO_ROOT).map((s) => s.name);

describe('deploy/Dockerfile.service, carried out without a container engine', () => {
  const work = mkdtempSync(join(tmpdir(), 'opsmesh-image-'));
  const stages = parseDockerfile(readFileSync(join(REPO_ROOT, 'deploy/Dockerfile.service'), 'utf8'));
  const ignored = ignoreMatcher(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));
  const children: ChildProcess[] = [];
  const runtime: Record<string, StageResult> = {};
  const runtimeRuns: string[] = [];

  const stage = (name: string) => {
    const found = stages.find((s) => s.name === name);
    if (!found) throw new Error(`deploy/Dockerfile.service has no stage ${name}`);
    return found;
  };
  /** Carries out RUN lines on this machine, with the stage's own /usr/local/bin first on PATH. */
  const execute = (root: string) => (command: string, cwd: string, env: Record<string, string>) => {
    const r = spawnSync('sh', ['-c', command], {
      cwd,
      env: { ...process.env, ...env, PATH: `${join(root, 'usr/local/bin')}:${process.env['PATH'] ?? ''}` },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`RUN ${command} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  };

  beforeAll(() => {
    const buildRoot = join(work, 'build');
    process.stderr.write('image build stage: npm ci and npm run build (about a minute)...\n');
    runStage(stage('build'), buildRoot, {}, {}, ignored, execute(buildRoot));
    for (const service of SERVICES) {
      // ml-service has its own glibc stages (onnxruntime); the others share the Alpine pair.
      const [depsName, runtimeName] =
        service === 'ml-service' ? ['ml-deps', 'ml-service'] : ['service-deps', 'service'];
      const depsRoot = join(work, `${service}-deps`);
      process.stderr.write(`image ${service}: production dependencies (npm ci --workspace)...\n`);
      runStage(
        stage(depsName),
        depsRoot,
        { SERVICE: service },
        { build: buildRoot },
        ignored,
        execute(depsRoot),
      );
      runtime[service] = runStage(
        stage(runtimeName),
        join(work, service),
        { SERVICE: service },
        { build: buildRoot, [depsName]: depsRoot },
        ignored,
        (command) => runtimeRuns.push(command),
      );
    }
  }, 900_000);

  let mlDatabase: TestDatabase;
  afterAll(async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise((resolve) => {
            if (c.exitCode !== null) return resolve(null);
            c.once('exit', resolve);
            c.kill('SIGTERM');
            // A service that has not drained within its grace period is not what is tested here.
            setTimeout(() => c.kill('SIGKILL'), 15_000).unref();
          }),
      ),
    );
    await rm(work, { recursive: true, force: true });
    await mlDatabase?.drop();
  }, 180_000);

  it('has a build stage and a dependency and runtime stage per C library; the context keeps out dependencies, build output and data', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'ml-deps', 'ml-service', 'service-deps', 'service']);
    for (const p of [
      'node_modules/x',
      'services/ml-service/node_modules/x',
      'packages/shared/dist/index.js',
    ]) {
      expect(ignored(p), p).toBe(true);
    }
    expect(ignored('services/auth-service/data/auth/pgdata/PG_VERSION')).toBe(true);
    expect(ignored('services/ml-service/src/main.ts')).toBe(false);
    expect(ignored('services/ml-service/models/iris-classifier.onnx')).toBe(false);
    expect(ignored('services/auth-service/data/common-passwords.txt')).toBe(false);
    // The runtime stages only prepare the user and the data volume; nothing is installed but
    // the C++ runtime node needs on Alpine.
    const alpineUser =
      'apk add --no-cache libstdc++ && addgroup -g 1000 node && adduser -u 1000 -G node -s /sbin/nologin -D -H node && ';
    for (const run of runtimeRuns)
      expect(run.replace(alpineUser, '')).toBe('mkdir -p /data && chown node:node /data');
  });

  it("ships compiled JavaScript, each service's own files and its production dependencies only", () => {
    const gw = runtime['gateway']!;
    expect(existsSync(join(gw.workdir, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(gw.workdir, 'src'))).toBe(false);
    expect(existsSync(join(gw.workdir, 'test'))).toBe(false);
    expect(existsSync(join(gw.root, 'app/web/index.html'))).toBe(true);
    expect(existsSync(join(gw.root, 'app/node_modules/vitest'))).toBe(false);
    expect(existsSync(join(gw.root, 'app/node_modules/tsx'))).toBe(false);
    expect(existsSync(join(gw.root, 'app/services/ml-service/dist'))).toBe(false);
    expect(readdirSync(join(runtime['ml-service']!.workdir, 'models'))).toContain('iris-classifier.onnx');
    expect(gw.cmd).toEqual(['node', '--import', '@opsmesh/shared/register', 'dist/main.js']);
    for (const service of SERVICES) {
      const app = join(runtime[service]!.root, 'app');
      // Only ml-service carries onnxruntime, and only this platform's build of it.
      expect(existsSync(join(app, 'node_modules/onnxruntime-node')), service).toBe(service === 'ml-service');
      expect(existsSync(join(app, 'web')), service).toBe(service === 'gateway');
      // Every folder a service keeps beside its sources ships, unless it is for development only.
      const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'services', service, 'package.json'), 'utf8')) as {
        files: string[];
      };
      const devOnly = ['src', 'test', 'scripts', 'datasets', 'node_modules', 'dist'];
      for (const entry of readdirSync(join(REPO_ROOT, 'services', service), { withFileTypes: true })) {
        if (!entry.isDirectory() || devOnly.includes(entry.name)) continue;
        expect(pkg.files, `${service}/${entry.name} is not in "files"`).toContain(entry.name);
      }
    }
    const ort = join(runtime['ml-service']!.root, 'app/node_modules/onnxruntime-node/bin');
    for (const napi of readdirSync(ort)) expect(readdirSync(join(ort, napi))).toEqual(['linux']);
    // What each image adds to its base, printed for the README's figures.
    for (const service of SERVICES) {
      const mb = Number(
        execFileSync('du', ['-sm', join(runtime[service]!.root, 'app')], { encoding: 'utf8' }).split('\t')[0],
      );
      process.stderr.write(`image ${service}: ${mb} MB of application on its base\n`);
      // The Alpine runtime with node is about 105 MB, so these images stay well under 200 MB
      // (the OpenTelemetry SDK and its instrumentations add about 8 MB to each).
      if (service !== 'ml-service') expect(mb, service).toBeLessThan(80);
    }
  });

  it('starts every service from its image layout until the image HEALTHCHECK passes; login works; spans reach the trace store', async () => {
    // The ML service on a real PostgreSQL: the compiled build's pg instrumentation (an ESM loader
    // hook) must see its queries.
    mlDatabase = await createPostgresDatabase('opsmesh_image');
    const ports: Record<string, number> = {};
    for (const s of SERVICES) ports[s] = await freePort();
    const url = (s: string) => `http://127.0.0.1:${ports[s]}`;
    const common = {
      PATH: process.env['PATH'] ?? '',
      AUTH_URL: url('auth-service'),
      OPSMESH_SERVICES: SERVICES.map((s) => `${s}=${url(s)}`).join(','),
      OPSMESH_ADMIN_EMAIL: SYSTEM_ADMIN.email,
      OPSMESH_ADMIN_PASSWORD: SYSTEM_ADMIN.password,
      LOG_LEVEL: 'warn',
      OPSMESH_TRACE_STORE_URL: url('monitoring-service'),
      OTEL_BSP_SCHEDULE_DELAY: '300',
    };
    const outputs: Record<string, () => string> = {};
    for (const service of SERVICES) {
      const r = runtime[service]!;
      // The image listens on 0.0.0.0 with its data at /data; here, loopback and a temporary folder.
      const env = {
        ...r.env,
        ...common,
        HOST: '127.0.0.1',
        PORT: String(ports[service]),
        OPSMESH_DATA_DIR: join(r.root, 'data'),
        ...(service === 'ml-service' ? { DATABASE_URL: mlDatabase.url! } : {}),
      };
      mkdirSync(env.OPSMESH_DATA_DIR, { recursive: true });
      let output = '';
      const child = spawn(r.cmd[0]!, r.cmd.slice(1), {
        cwd: r.workdir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (c: Buffer) => {
        output += c.toString();
      });
      child.stderr!.on('data', (c: Buffer) => {
        output += c.toString();
      });
      children.push(child);
      outputs[service] = () => output.slice(-2000);
      const deadline = Date.now() + 90_000;
      let healthy = false;
      while (!healthy && Date.now() < deadline && child.exitCode === null) {
        const check = spawnSync(r.healthcheck[0]!, r.healthcheck.slice(1), {
          cwd: r.workdir,
          env,
          timeout: 5000,
        });
        healthy = check.status === 0;
        if (!healthy) await new Promise((res) => setTimeout(res, 300));
      }
      expect(healthy, `${service} never passed its HEALTHCHECK:\n${output.slice(-3000)}`).toBe(true);
    }
    const login = await fetch(`${url('gateway')}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(SYSTEM_ADMIN),
    });
    expect(login.status).toBe(200);
    const { access_token } = (await login.json()) as { access_token: string };
    const models = await fetch(`${url('gateway')}/api/ml/models`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(((await models.json()) as { items: Array<{ name: string }> }).items.map((m) => m.name)).toContain(
      'iris-classifier',
    );

    // The compiled services trace: the request's spans reach the monitoring service's store.
    const requestId = models.headers.get('x-request-id')!;
    let services: string[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !services.includes('gateway')) {
      const list = await fetch(`${url('gateway')}/api/monitoring/traces?requestId=${requestId}`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      services = ((await list.json()) as { traces: { services: string[] }[] }).traces[0]?.services ?? [];
      if (!services.includes('gateway')) await new Promise((res) => setTimeout(res, 500));
    }
    expect(services, `monitoring-service: ${outputs['monitoring-service']!()}`).toContain('gateway');
  }, 300_000);
});
