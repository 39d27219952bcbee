import type { ChatEntities, ChatMessageResponse, CommandRun } from '@opsmesh/contracts';
import type { Identity } from '@opsmesh/shared';
import type { Actor } from '../models/command.js';
import type { LinkRepository } from '../models/link-repository.js';
import type { RunRecord } from '../models/run-repository.js';
import { apiActor, type DelegatedTokens, slackActor } from './chat-identity.js';
import type { CommandExecutor, Execution } from './command-executor.js';
import type { LiveNlp } from './live-nlp.js';

export interface ChatServiceDeps {
  executor: CommandExecutor;
  nlp: LiveNlp;
  links: LinkRepository;
  tokens: DelegatedTokens;
}

export interface SlackWho {
  teamId: string;
  userId: string;
  channelId: string | null;
  requestId: string;
}

/** Maps a stored run to its API shape (no column names leave the service). */
export function toCommandRun(run: RunRecord): CommandRun {
  return {
    id: run.id,
    actor: run.actor,
    chatUser: run.chatUser,
    source: run.source,
    channel: run.channel,
    text: run.text,
    intent: run.intent,
    parameters: run.parameters,
    outcome: run.outcome as CommandRun['outcome'],
    reply: run.reply,
    durationMs: run.durationMs,
    createdAt: run.createdAt.toISOString(),
  };
}

/** The one entry for chat messages, from the API or from Slack. */
export class ChatService {
  constructor(private readonly deps: ChatServiceDeps) {}

  async fromApi(identity: Identity, text: string, requestId: string): Promise<ChatMessageResponse> {
    return this.toResponse(await this.run(apiActor(identity, requestId), text, null));
  }

  /** Resolves the Slack user (linked or not) and runs the message as them. */
  async fromSlack(who: SlackWho, text: string, responseUrl: string | null): Promise<Execution> {
    const actor = await slackActor(this.deps, who);
    return this.run(actor, text, responseUrl);
  }

  private async run(actor: Actor, text: string, responseUrl: string | null): Promise<Execution> {
    const token = actor.subject ? await actor.token().catch(() => undefined) : undefined;
    await this.deps.nlp.refresh(token);
    return this.deps.executor.handle({ text, actor, responseUrl });
  }

  private toResponse(execution: Execution): ChatMessageResponse {
    const { interpretation } = execution;
    const out: ChatMessageResponse = {
      reply: execution.reply,
      blocks: execution.blocks as unknown as ChatMessageResponse['blocks'],
      intent: interpretation.intent,
      confidence: interpretation.confidence,
      entities: interpretation.entities as ChatEntities,
      run: toCommandRun(execution.run),
      traceId: execution.traceId,
    };
    if (execution.confirmation) {
      out.confirmation = {
        code: execution.confirmation.code,
        expiresAt: execution.confirmation.expiresAt.toISOString(),
      };
    }
    if (interpretation.clarify)
      out.options = interpretation.alternatives.map((a) => ({ intent: a.intent, confidence: a.confidence }));
    if (execution.choices) out.choices = execution.choices;
    return out;
  }
}
