import type { RouteOptions } from 'fastify';
import type { Permission } from './permissions.js';

/** What a guard demands of a caller, recorded so tests can check every protected route. */
export interface GuardInfo {
  /** The permission needed; absent when any authenticated caller (or a custom credential) passes. */
  permission?: Permission;
  /**
   * The guard reads the parsed body (e.g. a request signature over it): it runs as a
   * preValidation hook, after parsing and still before the body is validated.
   */
  needsBody?: boolean;
}

export interface GuardedRoute {
  method: string;
  url: string;
  guards: GuardInfo[];
}

const GUARD = Symbol.for('opsmesh.authGuard');
const LATE_PHASES = ['preParsing', 'preValidation', 'preHandler'] as const;

type Hook = (...args: never[]) => unknown;

/**
 * Marks a hook as an authentication/authorisation guard. Whichever route phase it is listed
 * under, createService moves it to the front: onRequest (or preValidation for a guard that
 * needs the body), so the caller's credentials are checked before the request's shape.
 *
 * @example
 * const guard = authGuard({ permission: 'alerts:write' }, async (request) => { ... });
 * app.post('/rules', { preHandler: guard }, handler); // still runs before validation
 */
export function authGuard<T extends Hook>(info: GuardInfo, hook: T): T {
  Object.defineProperty(hook, GUARD, { value: info, enumerable: false });
  return hook;
}

export function guardInfo(hook: unknown): GuardInfo | undefined {
  return typeof hook === 'function' ? (hook as unknown as Record<symbol, GuardInfo>)[GUARD] : undefined;
}

const asList = (hooks: unknown): unknown[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? [...hooks] : [hooks];

/**
 * Moves the guards of a route being registered to the phase before validation, in their
 * order and ahead of the route's other hooks there. Returns what the guards demand.
 */
export function hoistAuthGuards(route: RouteOptions): GuardInfo[] {
  const options = route as unknown as Record<string, unknown>;
  const early: unknown[] = [];
  const bodyGuards: unknown[] = [];
  const infos: GuardInfo[] = [];
  for (const phase of LATE_PHASES) {
    const hooks = asList(options[phase]);
    const rest = hooks.filter((hook) => {
      const info = guardInfo(hook);
      if (!info) return true;
      infos.push(info);
      (info.needsBody ? bodyGuards : early).push(hook);
      return false;
    });
    if (rest.length !== hooks.length) options[phase] = rest;
  }
  const onRequest = asList(options['onRequest']);
  for (const hook of onRequest) {
    const info = guardInfo(hook);
    if (info) infos.push(info);
  }
  if (early.length > 0) options['onRequest'] = [...early, ...onRequest];
  if (bodyGuards.length > 0) options['preValidation'] = [...bodyGuards, ...asList(options['preValidation'])];
  return infos;
}
