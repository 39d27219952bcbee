import type { GatewayConfig } from '../config/gateway-config-schema.js';
import type { CorsConfig } from '../config/plugin-schemas.js';
import { type RateLimitStores, RouteTable } from './route-table.js';

/** One config version with everything derived from it; swapped whole on reload. */
export interface GatewaySnapshot {
  config: GatewayConfig;
  table: RouteTable;
  /** The global cors plugin, for preflights and paths no route matches. */
  cors: CorsConfig | undefined;
  loadedAt: string;
}

export function buildSnapshot(config: GatewayConfig, stores: RateLimitStores): GatewaySnapshot {
  const cors = config.plugins.find((p) => p.name === 'cors' && p.enabled)?.config as CorsConfig | undefined;
  return { config, table: RouteTable.build(config, stores), cors, loadedAt: new Date().toISOString() };
}
