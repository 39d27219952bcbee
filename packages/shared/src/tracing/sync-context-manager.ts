import { type Context, type ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';

/**
 * A context manager that keeps the active context for the synchronous run of `with` only:
 * nothing follows an `await`, a timer or a callback, so callers pass contexts on by hand (the
 * gateway's proxy path carries its span and `traceparent` on each exchange). It exists for that
 * one reason: on Node 20 the SDK's AsyncLocalStorage manager, once any `context.with` ran,
 * installs an async hook on every promise, tick and socket of the process, sampled or not; in
 * the gateway that was 1.5 µs of hook code and 5-6 µs more garbage collection per proxied
 * request (bench/gateway, tracing block, profiled), most of the cost of tracing at 10%.
 *
 * @example
 * provider.register({ contextManager: new SyncContextManager() });
 */
export class SyncContextManager implements ContextManager {
  #active: Context = ROOT_CONTEXT;

  active(): Context {
    return this.#active;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.#active;
    this.#active = ctx;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#active = previous;
    }
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = target as unknown as (...args: unknown[]) => unknown;
    const manager = this;
    return function (this: unknown, ...args: unknown[]) {
      return manager.with(ctx, () => run.apply(this, args));
    } as unknown as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.#active = ROOT_CONTEXT;
    return this;
  }
}
