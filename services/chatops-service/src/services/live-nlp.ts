import type { Discovery, HttpClient } from '@opsmesh/shared';
import type { Lexicon } from './nlp/lexicon.js';
import type { NlpProcessor } from './nlp-processor.js';

export interface LiveNlpDeps {
  base: NlpProcessor;
  /** Defaults used until (and wherever) the live registries answer. */
  fallback: Lexicon;
  discovery: Discovery;
  ml: HttpClient;
  monitoring: HttpClient;
  refreshMs: number;
  now?: () => number;
}

/**
 * The NLP processor over a live vocabulary: service names from discovery, model names and aliases
 * from the ML registry, alert names from the monitoring rules. Refreshed at most every `refreshMs`
 * with the caller's token (so it only learns names that caller may see); a failed refresh keeps the
 * last good vocabulary.
 */
export class LiveNlp {
  private processor: NlpProcessor;
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: LiveNlpDeps) {
    this.processor = deps.base.withLexicon(deps.fallback);
    this.now = deps.now ?? Date.now;
  }

  get current(): NlpProcessor {
    return this.processor;
  }

  /** Refreshes the vocabulary when stale; resolves quickly when fresh or already refreshing. */
  async refresh(token: string | undefined): Promise<void> {
    if (this.now() - this.refreshedAt < this.deps.refreshMs) return;
    this.inFlight ??= this.load(token).finally(() => {
      this.inFlight = undefined;
    });
    await this.inFlight;
  }

  private async load(token: string | undefined): Promise<void> {
    const fallback = this.deps.fallback;
    const [services, models, rules, active] = await Promise.all([
      this.deps.discovery.services().catch(() => undefined),
      token
        ? this.deps.ml.request<{ items: { name: string; aliases: Record<string, number> }[] }>({
            path: '/models',
            query: { limit: 500 },
            token,
            timeoutMs: 1000,
          })
        : undefined,
      token
        ? this.deps.monitoring.request<{ rules: { name: string }[] }>({
            path: '/rules',
            token,
            timeoutMs: 1000,
          })
        : undefined,
      // Alerts from Alertmanager carry names no rule here has; they are real all the same.
      token
        ? this.deps.monitoring.request<{ alerts: { alertname: string }[] }>({
            path: '/alerts',
            token,
            timeoutMs: 1000,
          })
        : undefined,
    ]);
    const lexicon: Lexicon = {
      services: unique([...fallback.services, ...Object.keys(services ?? {})]),
      // What a registry answered is the whole truth: a model it does not list does not exist.
      models: models?.ok ? unique(models.data.items.map((m) => m.name)) : fallback.models,
      aliases: models?.ok
        ? unique([...fallback.aliases, ...models.data.items.flatMap((m) => Object.keys(m.aliases))])
        : fallback.aliases,
      alerts: rules?.ok
        ? unique([
            ...rules.data.rules.map((r) => r.name),
            ...(active?.ok ? active.data.alerts.map((a) => a.alertname) : []),
          ])
        : fallback.alerts,
      signals: fallback.signals,
      live: {
        service: services !== undefined && Object.keys(services).length > 0,
        model: models?.ok === true,
        alert: rules?.ok === true,
      },
    };
    this.processor = this.deps.base.withLexicon(lexicon);
    this.refreshedAt = this.now();
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}
