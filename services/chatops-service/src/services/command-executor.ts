import { inSpan } from '@opsmesh/shared';
import { Value } from '@sinclair/typebox/value';
import type { Actor, AnyCommand, CommandResult } from '../models/command.js';
import type { ConfirmationRepository } from '../models/confirmation-repository.js';
import { newConfirmationCode, newId } from '../models/ids.js';
import type { RunRecord, RunRepository } from '../models/run-repository.js';
import { type Block, type Choice, context, escapeMrkdwn, textBlocks } from '../slack/blocks.js';
import { askFor, askForLength, clarify, typoNotes, unknownName } from './clarifications.js';
import type { Entities } from './nlp/lexicon.js';
import { type Interpretation, MAX_MESSAGE_CHARS, type NlpProcessor } from './nlp-processor.js';
import { confirmationPrompt } from './replies.js';

export type Outcome =
  | 'succeeded'
  | 'failed'
  | 'denied'
  | 'needs_input'
  | 'needs_confirmation'
  | 'cancelled'
  | 'expired'
  | 'clarify'
  | 'upstream_unavailable';

export interface Execution {
  /**
   * The reply as Slack mrkdwn: `&`, `<` and `>` escaped (`&amp;`, `&lt;`, `&gt;`), so a usage such as
   * `<alert id | name>` or a person's "a<b" is never read as a link. The run keeps it unescaped.
   */
  reply: string;
  blocks: Block[];
  interpretation: Interpretation;
  run: RunRecord;
  confirmation?: { code: string; expiresAt: Date };
  /** Messages offered as buttons (names it may have meant, commands it may have been). */
  choices?: Choice[];
  /** The trace the command ran in, for a link to its waterfall. */
  traceId: string | null;
}

export interface ExecutorDeps {
  nlp: () => NlpProcessor;
  commands: readonly AnyCommand[];
  runs: RunRepository;
  confirmations: ConfirmationRepository;
  confirmationTtlSeconds: number;
  now?: () => Date;
  /** Thrown by handlers for downstream failures; turned into `upstream_unavailable` / `failed`. */
  classifyError: (err: unknown) => { outcome: Outcome; reply: string } | undefined;
  linkHelp: string;
}

export interface Incoming {
  text: string;
  actor: Actor;
  /** Where Slack wants a late answer; kept with a pending confirmation. */
  responseUrl?: string | null;
}

/**
 * Runs chat messages as commands: interpret, check link and permission, ask for missing
 * parameters, hold changes for confirmation, call the handler with the caller's identity, and
 * record every run (who, where, text, intent, parameters, outcome, duration).
 */
export class CommandExecutor {
  private readonly byIntent: Map<string, AnyCommand>;
  private readonly now: () => Date;

  constructor(private readonly deps: ExecutorDeps) {
    this.byIntent = new Map(deps.commands.map((c) => [c.intent, c]));
    this.now = deps.now ?? (() => new Date());
  }

  get commands(): readonly AnyCommand[] {
    return this.deps.commands;
  }

  /** Runs one message in a `chatops <intent>` span carrying the intent, command and outcome. */
  handle(incoming: Incoming): Promise<Execution> {
    return inSpan('chatops.command', { 'opsmesh.chatops.source': incoming.actor.source }, async (span) => {
      const out = await this.process(incoming);
      span.updateName(`chatops ${out.run.intent}`);
      span.setAttributes({
        'opsmesh.chatops.intent': out.interpretation.intent,
        'opsmesh.chatops.command': out.run.intent,
        'opsmesh.chatops.outcome': out.run.outcome,
        'opsmesh.chatops.run_id': out.run.id,
      });
      if (out.run.outcome === 'upstream_unavailable')
        span.setStatus({ code: 2, message: out.reply.slice(0, 200) });
      const sc = span.spanContext();
      out.traceId = sc.traceId !== '0'.repeat(32) ? sc.traceId : null;
      return out;
    });
  }

  private async process(incoming: Incoming): Promise<Execution> {
    const started = performance.now();
    const nlp = this.deps.nlp();
    const interpretation = nlp.interpret(incoming.text);
    const step = await this.decide(incoming, interpretation, nlp);
    // Say which names were read as typos of known ones, whatever happened next.
    const note = typoNotes(interpretation.resolutions);
    if (note) {
      step.blocks = [context(note), ...(step.blocks ?? textBlocks(step.reply))];
      step.reply = `${note} ${step.reply}`;
    }
    const run: RunRecord = {
      id: newId('run'),
      actor: incoming.actor.subject ?? incoming.actor.chatUser ?? 'anonymous',
      chatUser: incoming.actor.chatUser,
      source: incoming.actor.source,
      channel: incoming.actor.channel,
      text: incoming.text.slice(0, 2000),
      intent: step.intent ?? interpretation.intent,
      parameters: step.parameters ?? (interpretation.entities as Record<string, unknown>),
      outcome: step.outcome,
      reply: step.reply,
      durationMs: Math.round(performance.now() - started),
      createdAt: this.now(),
    };
    await this.deps.runs.insert(run);
    const out: Execution = {
      reply: escapeMrkdwn(step.reply),
      blocks: step.blocks ?? textBlocks(step.reply),
      interpretation,
      run,
      traceId: null,
    };
    if (step.confirmation) out.confirmation = step.confirmation;
    if (step.choices?.length) out.choices = step.choices;
    return out;
  }

  private async decide(incoming: Incoming, nlp: Interpretation, processor: NlpProcessor): Promise<Step> {
    const { actor } = incoming;
    if (nlp.intent === 'confirm' || nlp.intent === 'cancel') {
      return this.settle(incoming, nlp.intent, String(nlp.entities.code ?? '').toUpperCase());
    }
    // A bare yes or no settles the one change waiting for this user; with none waiting it is
    // read as any other message.
    const answer = bareAnswer(incoming.text);
    if (answer && actor.subject) {
      const waiting = await this.deps.confirmations.pendingFor(actor.subject, this.now());
      if (waiting.length === 1) return this.settle(incoming, answer, waiting[0]!.code);
      if (waiting.length > 1) {
        const list = waiting.map((w) => `• \`${answer} ${w.code}\` — ${w.text}`).join('\n');
        return {
          intent: answer,
          parameters: {},
          outcome: 'needs_input',
          reply: `${waiting.length} changes are waiting for you; say which:\n${list}`,
        };
      }
    }
    if (nlp.tooLong) {
      return {
        outcome: 'needs_input',
        reply: `That message is ${incoming.text.length.toLocaleString('en-US')} characters long; I read commands of up to ${MAX_MESSAGE_CHARS.toLocaleString('en-US')}. Send the command by itself (\`ack 12\`, \`status gateway\`), or say \`help\`.`,
      };
    }
    if (nlp.clarify) {
      return { outcome: 'clarify', ...clarify(nlp, this.byIntent, processor.names, incoming.text) };
    }
    const command = this.byIntent.get(nlp.intent);
    if (!command) return { outcome: 'failed', reply: `I cannot do "${nlp.intent}" yet. Say \`help\`.` };
    if (command.needsLink && actor.subject === null) return { outcome: 'denied', reply: this.deps.linkHelp };
    if (command.permission && !actor.permissions.has(command.permission)) {
      return {
        outcome: 'denied',
        reply: `You are not allowed to ${command.summary.toLowerCase()}: it needs the \`${command.permission}\` permission, which your roles (${actor.roles.join(', ') || 'none'}) do not grant.`,
      };
    }
    // A name the live registries do not have is a question back, before anything is asked of them.
    const unknown = nlp.resolutions.find((r) => r.match === 'unknown' && processor.isLive(r.key));
    if (unknown) {
      return { outcome: 'needs_input', ...unknownName(unknown, processor.names[unknown.key], incoming.text) };
    }
    // "silence X until tomorrow morning": whose morning, in which time zone? Asked for a length
    // rather than silenced for the default one.
    if (nlp.until !== undefined && command.intent === 'alerts.silence')
      return { outcome: 'needs_input', ...askForLength(nlp.until, nlp.entities) };
    let params = nlp.entities as Record<string, unknown>;
    const missing = missingParameter(command, params);
    if (missing)
      return { outcome: 'needs_input', ...askFor(missing, command.intent, nlp.entities, processor.names) };
    if (!Value.Check(command.params, params)) {
      const first = [...Value.Errors(command.params, params)][0];
      const field = first?.path.replace(/^\//, '') || 'parameters';
      return {
        outcome: 'needs_input',
        reply: `The ${field} does not look right (${first?.message ?? 'invalid'}). Usage: \`${command.usage}\``,
      };
    }
    if (command.prepare) {
      const prepared = await this.prepare(command, actor, params);
      if ('outcome' in prepared) return prepared;
      params = prepared.params;
    }
    if (command.mutating) {
      const code = newConfirmationCode();
      const expiresAt = new Date(this.now().getTime() + this.deps.confirmationTtlSeconds * 1000);
      await this.deps.confirmations.create({
        code,
        actor: actor.subject!,
        chatUser: actor.chatUser,
        source: actor.source,
        channel: actor.channel,
        intent: command.intent,
        parameters: params,
        text: incoming.text,
        responseUrl: incoming.responseUrl ?? null,
        expiresAt,
      });
      const description = command.describe?.(params) ?? command.summary.toLowerCase();
      const prompt = confirmationPrompt(description, code, this.deps.confirmationTtlSeconds);
      return { outcome: 'needs_confirmation', ...prompt, confirmation: { code, expiresAt } };
    }
    return this.execute(command, actor, params, nlp.about);
  }

  /** `confirm <code>` / `cancel <code>` (or the Slack buttons, or a bare yes/no): only the requester may settle it. */
  private async settle(incoming: Incoming, intent: 'confirm' | 'cancel', code: string): Promise<Step> {
    const { actor } = incoming;
    const taken = await this.deps.confirmations.take(code, actor.subject);
    if (taken.kind === 'none')
      return { outcome: 'failed', reply: `There is nothing waiting for confirmation with code ${code}.` };
    if (taken.kind === 'others') {
      return {
        outcome: 'denied',
        reply: `Code ${code} belongs to someone else's request; only they can settle it.`,
      };
    }
    const { pending } = taken;
    const base = { intent: pending.intent, parameters: pending.parameters };
    if (intent === 'cancel')
      return { ...base, outcome: 'cancelled', reply: `Cancelled: nothing was changed (${code}).` };
    if (pending.expiresAt.getTime() <= this.now().getTime()) {
      return {
        ...base,
        outcome: 'expired',
        reply: `Code ${code} expired; nothing was changed. Ask again to get a new code.`,
      };
    }
    const command = this.byIntent.get(pending.intent);
    if (!command)
      return { ...base, outcome: 'failed', reply: `The command ${pending.intent} no longer exists.` };
    // Rights are checked again: they may have changed since the request.
    if (command.permission && !actor.permissions.has(command.permission)) {
      return {
        ...base,
        outcome: 'denied',
        reply: `You no longer have the \`${command.permission}\` permission.`,
      };
    }
    return { ...base, ...(await this.execute(command, actor, pending.parameters)) };
  }

  private async prepare(
    command: AnyCommand,
    actor: Actor,
    params: Record<string, unknown>,
  ): Promise<{ params: Record<string, unknown> } | Step> {
    let prepared: Awaited<ReturnType<NonNullable<AnyCommand['prepare']>>>;
    try {
      prepared = await command.prepare!({ actor, params });
    } catch (err) {
      const known = this.deps.classifyError(err);
      if (known) return known;
      throw err;
    }
    if ('params' in prepared) return { params: prepared.params as Record<string, unknown> };
    const step: Step = { outcome: prepared.failed ? 'failed' : 'needs_input', reply: prepared.reply };
    if (prepared.blocks) step.blocks = prepared.blocks;
    if (prepared.choices) step.choices = prepared.choices;
    return step;
  }

  private async execute(
    command: AnyCommand,
    actor: Actor,
    params: Record<string, unknown>,
    about?: string,
  ): Promise<Step> {
    let result: CommandResult;
    try {
      result = await command.run({ actor, params, ...(about ? { about } : {}) });
    } catch (err) {
      const known = this.deps.classifyError(err);
      if (known) return known;
      throw err;
    }
    const step: Step = { outcome: result.failed ? 'failed' : 'succeeded', reply: result.reply };
    if (result.blocks) step.blocks = result.blocks;
    if (result.choices) step.choices = result.choices;
    return step;
  }
}

interface Step {
  outcome: Outcome;
  reply: string;
  blocks?: Block[];
  intent?: string;
  parameters?: Record<string, unknown>;
  confirmation?: { code: string; expiresAt: Date };
  choices?: Choice[];
}

function missingParameter(command: AnyCommand, params: Record<string, unknown>): string | undefined {
  const required = (command.params.required ?? []) as (keyof Entities)[];
  for (const key of required) {
    if (params[key] !== undefined) continue;
    const ask = command.ask[key];
    return typeof ask === 'function' ? ask(params) : (ask ?? `Which ${key}? Usage: \`${command.usage}\``);
  }
  return command.need?.(params);
}

const YES = /^(?:yes|y|yep|yeah|ok|okay|confirm|go ahead|do it)[\s.!]*$/i;
const NO = /^(?:no|n|nope|cancel|stop|abort|never ?mind)[\s.!]*$/i;

/** 'confirm' for a bare yes, 'cancel' for a bare no, else null. */
export function bareAnswer(text: string): 'confirm' | 'cancel' | null {
  const t = text.trim();
  return YES.test(t) ? 'confirm' : NO.test(t) ? 'cancel' : null;
}
