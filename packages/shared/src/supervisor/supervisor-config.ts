import { type Static, Type } from '@sinclair/typebox';
import { loadConfig } from '../config/load-config.js';
import type { LivenessSettings } from './liveness-probe.js';

const seconds = (defaultValue: number, description: string) =>
  Type.Number({ default: defaultValue, minimum: 0, description });

/** The supervisor's own settings (`npm start`), read from its environment. */
export const SupervisorConfigSchema = Type.Object({
  OPSMESH_LIVENESS_INITIAL_DELAY_SECONDS: seconds(10, 'seconds after a launch before the first probe'),
  OPSMESH_LIVENESS_PERIOD_SECONDS: seconds(5, 'seconds between probes; 0 turns liveness probing off'),
  OPSMESH_LIVENESS_TIMEOUT_SECONDS: Type.Number({
    default: 2,
    exclusiveMinimum: 0,
    description: 'seconds a probe waits for an answer (more than 0)',
  }),
  OPSMESH_LIVENESS_FAILURE_THRESHOLD: Type.Integer({ default: 3, minimum: 1 }),
  OPSMESH_LIVENESS_STARTUP_SECONDS: seconds(
    60,
    'seconds a child that has not answered yet may take to start before its failures count',
  ),
  OPSMESH_KILL_GRACE_SECONDS: seconds(5, 'seconds between SIGTERM and SIGKILL when a hung child is replaced'),
  /** `auto`: readable lines on a terminal, JSON lines otherwise. */
  LOG_FORMAT: Type.Union([Type.Literal('auto'), Type.Literal('json'), Type.Literal('pretty')], {
    default: 'auto',
  }),
});
export type SupervisorConfig = Static<typeof SupervisorConfigSchema>;

/**
 * Reads the supervisor's settings; throws a ConfigError naming every bad variable.
 *
 * @example
 * supervisorConfig({ OPSMESH_LIVENESS_PERIOD_SECONDS: '1' }).OPSMESH_LIVENESS_PERIOD_SECONDS // 1
 */
export function supervisorConfig(env: NodeJS.ProcessEnv): SupervisorConfig {
  return loadConfig('npm start', SupervisorConfigSchema, env, { dotenvPath: false });
}

/** The liveness probe's settings in milliseconds. */
export function livenessSettings(config: SupervisorConfig): LivenessSettings {
  return {
    initialDelayMs: config.OPSMESH_LIVENESS_INITIAL_DELAY_SECONDS * 1000,
    periodMs: config.OPSMESH_LIVENESS_PERIOD_SECONDS * 1000,
    timeoutMs: config.OPSMESH_LIVENESS_TIMEOUT_SECONDS * 1000,
    failureThreshold: config.OPSMESH_LIVENESS_FAILURE_THRESHOLD,
    startupMs: config.OPSMESH_LIVENESS_STARTUP_SECONDS * 1000,
  };
}
