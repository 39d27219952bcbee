import { problemResponses, ServicesResponseSchema } from '@opsmesh/contracts';
import { type Discovery, requirePermission, type ServiceApp } from '@opsmesh/shared';
import { formatDuration } from '../services/duration.js';
import type { ReadinessPoller } from '../services/scraping/readiness-poller.js';
import type { Scraper } from '../services/scraping/scraper.js';
import { finiteOrNull } from './presenters.js';

export interface ServiceRoutesOptions {
  discovery: Discovery;
  scraper: Scraper;
  readiness: ReadinessPoller;
  availabilityWindowMs: number;
  /** Instances in their start-up grace (not alerted on), by URL, with when it ends. */
  heldTargets(): Promise<Map<string, number>>;
  /** This service's name in discovery, and which of its replicas evaluates (the lease holder's URL). */
  self: { service: string; evaluator(): Promise<{ holder: string | null }> };
}

export async function serviceRoutes(app: ServiceApp, opts: ServiceRoutesOptions): Promise<void> {
  app.get(
    '/services',
    {
      onRequest: requirePermission('monitoring:read'),
      schema: {
        summary:
          'Every service from discovery with its instances: scrape, readiness, last error, availability',
        tags: ['services'],
        security: [{ bearer: [] }],
        response: { 200: ServicesResponseSchema, ...problemResponses(401, 403) },
      },
    },
    async () => {
      const scrapes = new Map(opts.scraper.status().map((s) => [s.url, s]));
      const ready = new Map(opts.readiness.status().map((r) => [r.url, r]));
      const { holder } = await opts.self.evaluator().catch(() => ({ holder: null }));
      const held = await opts.heldTargets();
      const services = Object.entries(await opts.discovery.services())
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, urls]) => {
          const instances = urls.map((url) => {
            const s = scrapes.get(url);
            const r = ready.get(url);
            return {
              url,
              up: s?.up ?? null,
              ready: r?.ready ?? null,
              lastScrapeAt: s?.lastScrapeAt ? new Date(s.lastScrapeAt).toISOString() : null,
              lastUpAt: s?.lastUpAt ? new Date(s.lastUpAt).toISOString() : null,
              scrapeDurationSeconds: finiteOrNull(s?.durationSeconds),
              // The most useful error: a failing scrape says more than an old readiness miss.
              lastError: s?.lastError ?? (r?.ready === false ? r.lastError : null) ?? null,
              availability: finiteOrNull(r?.availability),
              ...(name === opts.self.service
                ? { role: url === holder ? ('evaluator' as const) : ('standby' as const) }
                : {}),
              circuits: r?.circuits ?? [],
              alertsHeldUntil: held.has(url) ? new Date(held.get(url)!).toISOString() : null,
            };
          });
          const known = instances.map((i) => i.availability).filter((a): a is number => a !== null);
          return {
            name,
            instances,
            availability: known.length > 0 ? known.reduce((x, y) => x + y, 0) / known.length : null,
            replicas: {
              total: instances.length,
              up: instances.filter((i) => i.up === true).length,
              ready: instances.filter((i) => i.ready === true).length,
            },
          };
        });
      return { window: formatDuration(opts.availabilityWindowMs), services };
    },
  );
}
