import { Supervisor } from '@opsmesh/shared';
import { REPO_ROOT } from '@opsmesh/shared/testing';
import type { TObject } from '@sinclair/typebox';
import { AuthConfigSchema } from '../../services/auth-service/src/config.js';
import { ChatopsConfigSchema } from '../../services/chatops-service/src/config.js';
import { GatewayEnvSchema } from '../../services/gateway/src/config/env-config.js';
import { MlConfigSchema } from '../../services/ml-service/src/config.js';
import { MonitoringConfigSchema } from '../../services/monitoring-service/src/config.js';

/** Each service's config schema: the variables it reads at start. */
const SCHEMAS: Record<string, TObject> = {
  'auth-service': AuthConfigSchema,
  'ml-service': MlConfigSchema,
  'monitoring-service': MonitoringConfigSchema,
  'chatops-service': ChatopsConfigSchema,
  gateway: GatewayEnvSchema,
};

/** Set on loopback only: a deployment sets them its own way (the image's ENV, its volumes). */
const LOOPBACK_ONLY = new Set(['OPSMESH_DATA_DIR']);

/**
 * The variables a deployment of `service` must set: those its config requires (no default), and
 * those it reads that `npm start` sets up for it (service accounts, the alert route, discovery).
 */
export function serviceEnvironment(service: string): string[] {
  const schema = SCHEMAS[service];
  if (!schema) throw new Error(`no config schema known for ${service}`);
  const reads = Object.keys(schema.properties);
  const required = reads.filter((k) => schema.required?.includes(k) && !('default' in schema.properties[k]!));
  const setUp = new Supervisor({ root: REPO_ROOT, env: {} }).environmentOf(service);
  const fromStart = reads.filter((k) => setUp[k] !== undefined && !LOOPBACK_ONLY.has(k));
  return [...new Set([...required, ...fromStart])].sort();
}
