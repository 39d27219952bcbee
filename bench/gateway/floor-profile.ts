// Where the floor's CPU goes (floor.ts: node:http passing requests to an undici pool with no
// gateway logic), under the bench's load and request (a bearer token of the auth service's
// size). Two views of one run:
// - CPU per request of the floor and of the upstream (upstream.ts, a node:http server
//   answering by itself), from /proc: the upstream's figure is what node:http's server side
//   costs alone, so the floor's figure over it is mostly the undici client's and the pass-on;
// - the floor's CPU profile (--cpu-prof), self time by the layer it falls in (node:http server
//   parse, node:http answer write, undici, socket and stream code, GC, the floor's own code),
//   a native call counted in the layer of the JavaScript that called it, and the socket writes
//   a layer makes (undici's request head, node:http's answer) counted as that layer's I/O.
//   node --import tsx bench/gateway/floor-profile.ts   (BENCH_DURATION, BENCH_CONNECTIONS)
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const here = import.meta.dirname;
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const DURATION = Number(process.env['BENCH_DURATION'] ?? 10);
const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);
const work = mkdtempSync(join(tmpdir(), 'opsmesh-floor-prof-'));
const children: ChildProcess[] = [];

function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, {
    cwd: here,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve) =>
    child.stdout!.once('data', (c: Buffer) => resolve({ child, url: c.toString().trim() })),
  );
}

/** User + system CPU so far of a process's main thread, in µs. */
function mainThreadUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_US;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

const SOCKET = 'socket and stream code';
/** Layers whose socket work is counted as theirs: the write system calls they make. */
const CALLERS = new Set(['undici (client)', 'node:http answer write', 'node:http server (parse, request)']);

/** The layer a frame's code belongs to, or undefined for a native frame (no url). */
function layer(url: string, fn: string): string | undefined {
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(program)' || fn === '(idle)' || fn === '(root)') return fn;
  if (!url) return undefined;
  if (url.includes('/undici/')) return 'undici (client)';
  if (/node:_http_(server|incoming|common)/.test(url)) return 'node:http server (parse, request)';
  if (url.includes('node:_http_outgoing')) return 'node:http answer write';
  if (/node:(net|internal\/(stream_base_commons|streams\/))/.test(url)) return SOCKET;
  if (url.includes('floor.ts')) return 'floor code (header copy, pass-on)';
  return 'other JavaScript';
}

/** Self time per layer; a native frame counts for the layer of its nearest JavaScript caller. */
function byLayer(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const owner = new Map<number, string>();
  const walk = (id: number, inherited: string) => {
    const n = nodes.get(id)!;
    let own = layer(n.callFrame.url, n.callFrame.functionName) ?? inherited;
    // Socket and stream code called by a layer (undici writing a request head, node:http an
    // answer) is that layer's I/O; on its own it is the event loop's reading.
    if (own === SOCKET && CALLERS.has(inherited)) own = `${inherited}: socket I/O`;
    else if (own === SOCKET && inherited.endsWith(': socket I/O')) own = inherited;
    owner.set(id, own);
    for (const c of n.children ?? []) walk(c, own);
  };
  walk(profile.nodes[0]!.id, 'other JavaScript');
  const us = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const name = owner.get(id)!;
    us.set(name, (us.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return us;
}

async function main(): Promise<void> {
  const upstream = await start(['--import', 'tsx', join(here, 'upstream.ts')]);
  const floor = await start(
    ['--cpu-prof', `--cpu-prof-dir=${work}`, '--import', 'tsx', join(here, 'floor.ts')],
    {
      UPSTREAM_URL: upstream.url,
    },
  );
  // A token of the auth service's size, as every bench target is sent.
  const headers = { authorization: `Bearer ${'eyJhbGciOiJFZERTQSJ9.'.padEnd(700, 'x')}` };
  await autocannon({ url: `${floor.url}/`, connections: CONNECTIONS, headers, duration: 2 });
  const pids = [floor.child.pid!, upstream.child.pid!];
  const before = pids.map(mainThreadUs);
  const run = await autocannon({
    url: `${floor.url}/`,
    connections: CONNECTIONS,
    headers,
    duration: DURATION,
  });
  const [floorUs, upstreamUs] = pids.map((pid, i) => (mainThreadUs(pid) - before[i]!) / run.requests.total);
  floor.child.kill('SIGTERM');
  await new Promise((r) => floor.child.once('exit', r));
  const file = readdirSync(work).find((f) => f.endsWith('.cpuprofile'))!;
  if (process.env['FLOOR_PROFILE_KEEP']) copyFileSync(join(work, file), process.env['FLOOR_PROFILE_KEEP']);
  const us = byLayer(JSON.parse(readFileSync(join(work, file), 'utf8')));
  const busy = [...us].filter(([k]) => k !== '(idle)').reduce((n, [, v]) => n + v, 0);
  console.log(
    `floor under ${CONNECTIONS} connections, ${DURATION} s: ${run.requests.average.toFixed(0)} req/s; main-thread CPU per request: floor ${floorUs!.toFixed(1)} µs, upstream (node:http server alone) ${upstreamUs!.toFixed(1)} µs; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log("the floor's busy time by layer (whole run, warm-up included):");
  for (const [name, v] of [...us].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]))
    console.log(
      `  ${name.padEnd(36)} ${((v / busy) * 100).toFixed(1).padStart(5)}%  ~${((v / busy) * floorUs!).toFixed(1)} µs/req`,
    );
}

try {
  await main();
} finally {
  for (const c of children) c.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
