/**
 * The rule cycle of this checkout against another's (the code before a change), in
 * alternating rounds of fresh processes under the same load: CPU milliseconds per 1,000 rules,
 * medians of each side, and their ratio.
 * Run: node --conditions=source --import tsx bench/monitoring/rules-ab.ts <other checkout> [rounds]
 * The other checkout needs its dependencies installed (or a link to these node_modules).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = resolve(fileURLToPath(import.meta.url), '../../..');
const CYCLES = 15;

interface Round {
  /** The first cycle, which also compiles the code it runs. */
  first: number;
  /** Median of the cycles after it. */
  steady: number;
}

if (process.argv[2] === '--child') {
  // In the child: one side's store and rules, then its cycles. A checkout from before
  // setupRules existed only has benchRules: its cold median of 7 is what it can report.
  const mod = await import(resolve(process.argv[3]!, 'bench/monitoring/rules.ts'));
  let round: Round;
  if (typeof mod.setupRules === 'function') {
    const s = mod.setupRules(100, 1000);
    const first: number = s.cycle(0);
    const rest: number[] = [];
    for (let r = 1; r <= CYCLES; r++) rest.push(s.cycle(r));
    rest.sort((a, b) => a - b);
    round = { first, steady: rest[Math.floor(rest.length / 2)]! };
  } else {
    const r = mod.benchRules(100, 1000);
    round = { first: Number.NaN, steady: r.ms };
  }
  console.log(JSON.stringify(round));
} else {
  const other = process.argv[2];
  if (!other) {
    console.error('usage: rules-ab.ts <other checkout> [rounds]');
    process.exit(2);
  }
  const rounds = Number(process.argv[3] ?? 3);
  const sides = { this: here, other: resolve(other) };
  const runs: Record<keyof typeof sides, Round[]> = { this: [], other: [] };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (let i = 0; i < rounds; i++) {
    // Rotate which side goes first, so neither always meets the same moment of the load.
    const order = (i % 2 === 0 ? ['other', 'this'] : ['this', 'other']) as Array<keyof typeof sides>;
    for (const side of order) {
      const out = execFileSync(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', sides[side]],
        { cwd: sides[side], encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const r = JSON.parse(out.trim().split('\n').pop()!) as Round;
      runs[side].push(r);
      const load = (await import('node:os')).loadavg()[0]!.toFixed(1);
      console.log(
        `round ${i + 1} ${side}: steady ${r.steady.toFixed(1)} ms, first ${r.first.toFixed(1)} ms (load ${load})`,
      );
    }
  }
  const a = median(runs.this.map((r) => r.steady));
  const b = median(runs.other.map((r) => r.steady));
  console.log(
    `rules: this checkout ${a.toFixed(1)} ms of CPU per 1,000 rules, the other ${b.toFixed(1)} ms: ${(a / b).toFixed(2)}x (medians of ${rounds} rounds)`,
  );
}
