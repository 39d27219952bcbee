import type { HttpClient } from '@opsmesh/shared';
import { Type } from '@sinclair/typebox';
import type { Actor, AnyCommand, CommandDefinition } from '../../models/command.js';
import { since } from '../../notifications/alert-message.js';
import { context, fields, section } from '../../slack/blocks.js';
import { signalValue } from './signal-text.js';
import { callAs } from './upstream.js';

interface ModelSummary {
  name: string;
  description: string;
  latestVersion: number | null;
  aliases: Record<string, number>;
}
interface PredictResult {
  model: string;
  version: number;
  alias: string | null;
  predictions: unknown[];
  labels?: string[];
}
interface AliasHistoryEntry {
  fromVersion: number | null;
  toVersion: number | null;
}
interface AliasResult {
  alias: string;
  model: string;
  version: number;
}
interface AliasView extends AliasResult {
  updatedBy: string;
  updatedAt: string;
}

const Name = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,127}$' });
const AliasName = Type.String({ pattern: '^[a-z][a-z0-9_-]{0,62}$' });
const Version = Type.Integer({ minimum: 1, maximum: 999_999_999 });
const DEFAULT_ALIAS = 'production';
const enc = encodeURIComponent;

/** `*iris-classifier* — latest v9, production→v7, staging→v9`: a model as lists show it. */
function modelLine(m: ModelSummary): string {
  const aliases = Object.entries(m.aliases)
    .map(([a, v]) => `${a}→v${v}`)
    .join(', ');
  return `*${m.name}* — latest v${m.latestVersion ?? '-'}${aliases ? `, ${aliases}` : ''}`;
}

/** The version an alias of a model points at now, or undefined when the model has no such alias. */
async function aliasVersion(ml: HttpClient, actor: Actor, model: string, alias: string) {
  const found = await callAs<ModelSummary>(ml, actor, { path: `/models/${enc(model)}` });
  return found.aliases[alias];
}

/**
 * `iris-classifier@staging serves version 3 (set 2026-12-06 10:14 UTC by usr_…)`, or the aliases
 * the model has when it has no such one.
 */
async function aliasOfModel(ml: HttpClient, actor: Actor, model: string, alias: string) {
  const { items } = await callAs<{ items: AliasView[] }>(ml, actor, {
    path: `/models/${enc(model)}/aliases`,
  });
  const found = items.find((a) => a.alias === alias);
  if (!found) {
    const has = items.map((a) => `${a.alias}→v${a.version}`).join(', ');
    return {
      reply: `${model} has no alias ${alias}; ${has ? `its aliases: ${has}` : 'it has no aliases yet'}.`,
    };
  }
  const set = since(found.updatedAt);
  const reply = `${model}@${alias} serves version ${found.version}${set ? ` (set ${set} by ${found.updatedBy})` : ''}.`;
  return {
    reply,
    blocks: [
      section(reply),
      fields([
        ['Model', model],
        ['Alias', alias],
        ['Version', `v${found.version}`],
      ]),
    ],
  };
}

/** Each model of the page that has the alias, with the version it serves there. */
function aliasAcrossModels(models: ModelSummary[], alias: string) {
  const having = models.filter((m) => m.aliases[alias] !== undefined);
  if (having.length === 0) return { reply: `No model has an alias ${alias}.` };
  const reply = `${having.length} model(s) with ${alias}:\n${having.map((m) => `• *${m.name}* — ${alias}→v${m.aliases[alias]}`).join('\n')}`;
  return { reply, blocks: [section(reply)] };
}

interface SignalsResult {
  services: { service: string; signals: Record<string, number | null> }[];
}

/**
 * How the ML service is serving right now (p99 latency and error ratio over 5 minutes), for the
 * line under a prediction; null when the monitoring service cannot say. Never fails the command.
 */
async function servingHealth(monitoring: HttpClient | undefined, actor: Actor): Promise<string | null> {
  if (!monitoring) return null;
  try {
    const res = await callAs<SignalsResult>(monitoring, actor, { path: '/signals', query: { window: '5m' } });
    const row = res.services.find((s) => s.service === 'ml-service');
    const p99 = row?.signals['latency_p99'];
    const errors = row?.signals['error_ratio'];
    if (p99 === undefined || p99 === null) return null;
    const ratio = errors === null || errors === undefined ? 'no data' : signalValue('error_ratio', errors);
    return `ml-service over 5m: p99 latency ${signalValue('latency_p99', p99)}, error ratio ${ratio}`;
  } catch {
    return null;
  }
}

/**
 * models.list / predict / promote / rollback, each a call to the ML service as the chat user;
 * a prediction also reads how the ML service is serving from `monitoring`, when given.
 */
export function modelCommands(ml: HttpClient, monitoring?: HttpClient): AnyCommand[] {
  const list: CommandDefinition<{ model?: string; alias?: string }> = {
    intent: 'models.list',
    summary: 'List the models in the registry, or the version an alias serves',
    usage: 'models list [model] [alias]',
    example: 'which version does staging serve for iris-classifier?',
    permission: 'models:read',
    needsLink: true,
    mutating: false,
    // "what versions of churn are there": one model's versions and aliases instead of them all;
    // "which version is fraud on in prod": what one alias serves, of one model or of each.
    params: Type.Object({ model: Type.Optional(Name), alias: Type.Optional(AliasName) }),
    ask: {},
    async run({ actor, params }) {
      if (params.model !== undefined && params.alias !== undefined)
        return aliasOfModel(ml, actor, params.model, params.alias);
      if (params.model !== undefined) {
        const one = await callAs<ModelSummary>(ml, actor, { path: `/models/${enc(params.model)}` });
        const reply = modelLine(one);
        return { reply, blocks: [section(reply)] };
      }
      const page = await callAs<{ items: ModelSummary[]; total: number }>(ml, actor, {
        path: '/models',
        query: { limit: 50 },
      });
      if (params.alias !== undefined) return aliasAcrossModels(page.items, params.alias);
      if (page.items.length === 0) return { reply: 'The registry has no models yet.' };
      const reply = `${page.total} model(s):\n${page.items.map((m) => `• ${modelLine(m)}`).join('\n')}`;
      return { reply, blocks: [section(reply)] };
    },
  };

  const predict: CommandDefinition<{
    model?: string;
    features?: number[];
    alias?: string;
    version?: number;
  }> = {
    intent: 'models.predict',
    summary: 'Run a prediction',
    usage: 'models predict <model> <v1 v2 ...>',
    example: 'predict iris-classifier 5.1 3.5 1.4 0.2',
    permission: 'models:read',
    needsLink: true,
    mutating: false,
    params: Type.Object({
      model: Name,
      features: Type.Array(Type.Number(), { minItems: 1, maxItems: 1024 }),
      alias: Type.Optional(AliasName),
      version: Type.Optional(Version),
    }),
    ask: {
      model: 'Which model? e.g. `predict iris-classifier 5.1 3.5 1.4 0.2`',
      features: (p) =>
        `With which feature values? e.g. \`predict ${p.model ?? 'iris-classifier'} 5.1 3.5 1.4 0.2\``,
    },
    async run({ actor, params }) {
      // A version wins over an alias: the ML service takes one or the other.
      const query =
        params.version !== undefined
          ? { version: params.version }
          : params.alias
            ? { alias: params.alias }
            : {};
      const res = await callAs<PredictResult>(ml, actor, {
        method: 'POST',
        path: `/models/${enc(params.model!)}/predict`,
        query,
        body: { instances: [params.features] },
        idempotent: true,
      });
      const label = res.labels?.[0];
      const prediction = label ?? JSON.stringify(res.predictions[0]);
      const health = await servingHealth(monitoring, actor);
      const reply = `${res.model} v${res.version}${res.alias ? ` (${res.alias})` : ''} predicts *${prediction}* for [${params.features!.join(', ')}].${health ? ` (${health})` : ''}`;
      return {
        reply,
        blocks: [section(reply), context(`raw: ${JSON.stringify(res.predictions[0]).slice(0, 500)}`)],
      };
    },
  };

  const promote: CommandDefinition<{ model?: string; version?: number; alias?: string }> = {
    intent: 'models.promote',
    summary: 'Move a model alias to a version',
    usage: 'models promote <model> <version> [alias]',
    example: 'promote iris-classifier v2 to production',
    permission: 'models:write',
    needsLink: true,
    mutating: true,
    params: Type.Object({ model: Name, version: Version, alias: Type.Optional(AliasName) }),
    ask: {
      model: 'Which model? e.g. `promote iris-classifier v2 to production`',
      version: (p) =>
        `To which version of ${p.model ?? 'the model'}? e.g. \`promote ${p.model ?? 'iris-classifier'} v2 to ${p.alias ?? DEFAULT_ALIAS}\``,
    },
    // Asking to confirm a move that changes nothing would waste a round trip: said at once.
    async prepare({ actor, params }) {
      const alias = params.alias ?? DEFAULT_ALIAS;
      if ((await aliasVersion(ml, actor, params.model!, alias)) !== params.version) return { params };
      return {
        reply: `${params.model}@${alias} already serves version ${params.version}; nothing to change.`,
        failed: true,
      };
    },
    describe: (p) => `point ${p.model}@${p.alias ?? DEFAULT_ALIAS} at version ${p.version}`,
    async run({ actor, params }) {
      const alias = params.alias ?? DEFAULT_ALIAS;
      const res = await callAs<AliasResult>(ml, actor, {
        method: 'PUT',
        path: `/models/${enc(params.model!)}/aliases/${enc(alias)}`,
        body: { version: params.version },
      });
      const reply = `Promoted: ${res.model}@${res.alias} now serves version ${res.version}.`;
      return {
        reply,
        blocks: [
          section(reply),
          fields([
            ['Model', res.model],
            ['Alias', res.alias],
            ['Version', `v${res.version}`],
          ]),
        ],
      };
    },
  };

  const rollback: CommandDefinition<{ model?: string; alias?: string; version?: number }> = {
    intent: 'models.rollback',
    summary: 'Move a model alias back',
    usage: 'models rollback <model> [alias]',
    example: 'roll back iris-classifier',
    permission: 'models:write',
    needsLink: true,
    mutating: true,
    params: Type.Object({ model: Name, alias: Type.Optional(AliasName), version: Type.Optional(Version) }),
    ask: { model: 'Which model? e.g. `rollback iris-classifier`' },
    // The ML service's own rule (the alias's last move must have come from a version), read before
    // asking to confirm, so a rollback that cannot happen is answered at once.
    async prepare({ actor, params }) {
      const alias = params.alias ?? DEFAULT_ALIAS;
      const name = `${params.model}@${alias}`;
      const current = await aliasVersion(ml, actor, params.model!, alias);
      if (current === undefined)
        return { reply: `${name} does not exist, so there is nothing to roll back.`, failed: true };
      if (params.version !== undefined)
        return params.version === current
          ? { reply: `${name} already serves version ${current}; nothing to change.`, failed: true }
          : { params };
      const history = await callAs<{ items: AliasHistoryEntry[] }>(ml, actor, {
        path: `/models/${enc(params.model!)}/aliases/${enc(alias)}/history`,
        query: { limit: 1 },
      });
      const last = history.items[0];
      if (last && last.toVersion === current && last.fromVersion !== null) return { params };
      return {
        reply: `Nothing to roll back: ${name} serves version ${current} and has no earlier version to go back to. Promote a version instead, e.g. \`promote ${params.model} v2 to ${alias}\`.`,
        failed: true,
      };
    },
    describe: (p) =>
      p.version !== undefined
        ? `move ${p.model}@${p.alias ?? DEFAULT_ALIAS} back to version ${p.version}`
        : `roll ${p.model}@${p.alias ?? DEFAULT_ALIAS} back to its previous version`,
    async run({ actor, params }) {
      const alias = params.alias ?? DEFAULT_ALIAS;
      const path = `/models/${enc(params.model!)}/aliases/${enc(alias)}`;
      const res =
        params.version !== undefined
          ? await callAs<AliasResult>(ml, actor, { method: 'PUT', path, body: { version: params.version } })
          : await callAs<AliasResult>(ml, actor, { method: 'POST', path: `${path}/rollback` });
      return { reply: `Rolled back: ${res.model}@${res.alias} now serves version ${res.version}.` };
    },
  };

  return [list, predict, promote, rollback];
}
