import type { Redis } from 'ioredis';
import type { RateLimitStore } from './rate-limit-store.js';
import { describeWindow, type HitResult, type WindowSpec } from './sliding-window.js';

/**
 * Decides and counts every window of one key in one step, on Redis's own clock so every
 * gateway instance agrees on window boundaries. ARGV holds pairs (window ms, limit).
 * Returns allowed, then (prev, curr, elapsed) per window, curr including the hit if counted.
 * Keys share a hash tag so the script stays on one slot in a cluster.
 */
export const HIT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = #ARGV / 2
local out = {1}
local keys = {}
for i = 1, n do
  local w = tonumber(ARGV[2 * i - 1])
  local limit = tonumber(ARGV[2 * i])
  local idx = math.floor(now / w)
  local elapsed = now - idx * w
  local ck = '{' .. KEYS[1] .. '}:' .. w .. ':' .. idx
  local curr = tonumber(redis.call('GET', ck) or '0')
  local prev = tonumber(redis.call('GET', '{' .. KEYS[1] .. '}:' .. w .. ':' .. (idx - 1)) or '0')
  if prev * (w - elapsed) / w + curr + 1 > limit then out[1] = 0 end
  keys[i] = ck
  out[#out + 1] = prev
  out[#out + 1] = curr
  out[#out + 1] = elapsed
end
if out[1] == 1 then
  for i = 1, n do
    redis.call('INCR', keys[i])
    redis.call('PEXPIRE', keys[i], tonumber(ARGV[2 * i - 1]) * 2)
    out[3 * i] = out[3 * i] + 1
  end
end
return out
`;

/**
 * The Redis key of one fixed window's counter: `{<key>}:<window ms>:<window index>`, the
 * braces a hash tag keeping a key's windows on one cluster slot. Both policies' scripts use it.
 */
export function counterKey(key: string, windowMs: number, index: number): string {
  return `{${key}}:${windowMs}:${index}`;
}

type HitCommand = (key: string, ...args: (string | number)[]) => Promise<number[]>;

/** Counters in Redis, shared by every gateway instance. */
export class RedisStore implements RateLimitStore {
  readonly kind = 'redis' as const;
  #hit: HitCommand;

  constructor(
    readonly redis: Redis,
    private readonly prefix = 'opsmesh:gw:rl:',
  ) {
    if (!('gatewayRateLimitHit' in redis)) {
      redis.defineCommand('gatewayRateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    }
    const command = (redis as unknown as { gatewayRateLimitHit: HitCommand }).gatewayRateLimitHit;
    this.#hit = command.bind(redis);
  }

  async hit(key: string, windows: readonly WindowSpec[]): Promise<HitResult> {
    const args: number[] = [];
    for (const w of windows) args.push(w.windowMs, w.limit);
    const out = await this.#hit(this.prefix + key, ...args);
    return {
      allowed: out[0] === 1,
      windows: windows.map((spec, i) =>
        describeWindow(out[3 * i + 1]!, out[3 * i + 2]!, out[3 * i + 3]!, spec),
      ),
    };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
