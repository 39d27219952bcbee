/** What a service's package.json `opsmesh` block says about when it may start. */
export interface StartSpec {
  name: string;
  /** The entry others reach the platform through: it starts once every other service is ready. */
  public: boolean;
  /** Services that must be ready before this one starts (e.g. auth-service, for its keys and accounts). */
  after?: readonly string[];
}

/**
 * The services each one waits for, among those being started: its `after` list (a name not being
 * started is left out, so `npm start -- ml-service` runs ml alone), and for the public entry every
 * other service, so the gateway takes no traffic for a service not ready yet. Throws naming the
 * cycle when services wait for each other, which would never start.
 *
 * @example
 * startDependencies([{ name: 'auth', public: false }, { name: 'ml', public: false, after: ['auth'] }])
 * // Map { 'auth' => [], 'ml' => ['auth'] }
 */
export function startDependencies(specs: readonly StartSpec[]): Map<string, string[]> {
  const names = new Set(specs.map((s) => s.name));
  const deps = new Map(
    specs.map((s) => [
      s.name,
      s.public
        ? specs.filter((o) => !o.public).map((o) => o.name)
        : (s.after ?? []).filter((n) => names.has(n) && n !== s.name),
    ]),
  );
  const done = new Set<string>();
  const visit = (name: string, path: string[]) => {
    if (done.has(name)) return;
    if (path.includes(name)) {
      throw new Error(
        `services wait for each other and would never start: ${[...path.slice(path.indexOf(name)), name].join(' -> ')}; fix "after" in their package.json opsmesh blocks`,
      );
    }
    for (const d of deps.get(name) ?? []) visit(d, [...path, name]);
    done.add(name);
  };
  for (const s of specs) visit(s.name, []);
  return deps;
}

/**
 * Shows what services started together print in the order they are listed, as a start one after
 * another would: the first service not yet ready prints as it goes, a later one's lines wait until
 * every service before it is ready, then come out at once (each with the time it was written).
 * Once the start is over (or failed), `release()` shows what is held and everything prints live.
 *
 * @example
 * const order = new OrderedLines(['auth-service', 'ml-service']);
 * order.write('ml-service', () => print('ml ready'));   // held: auth is not ready yet
 * order.ready('auth-service');                          // ml's line prints now
 */
export class OrderedLines {
  private readonly held = new Map<string, (() => void)[]>();
  private readonly readySet = new Set<string>();
  private head = 0;
  private live = false;

  constructor(private readonly order: readonly string[]) {}

  /** Shows a line of `service` now if nothing listed before it is still starting, else later. */
  write(service: string, show: () => void): void {
    const at = this.order.indexOf(service);
    if (this.live || at < 0 || at <= this.head) {
      show();
      return;
    }
    const queue = this.held.get(service) ?? [];
    queue.push(show);
    this.held.set(service, queue);
  }

  /** `service` is ready: the services after it that were waiting on it print what they hold. */
  ready(service: string): void {
    this.readySet.add(service);
    while (this.head < this.order.length && this.readySet.has(this.order[this.head]!)) {
      this.head++;
      this.flush(this.order[this.head]);
    }
  }

  /** Prints everything held, in order, and every line live from now on. */
  release(): void {
    if (this.live) return;
    this.live = true;
    for (const name of this.order) this.flush(name);
  }

  private flush(service: string | undefined): void {
    if (!service) return;
    const queue = this.held.get(service);
    this.held.delete(service);
    for (const show of queue ?? []) show();
  }
}
