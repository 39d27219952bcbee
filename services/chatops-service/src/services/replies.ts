import { type Block, confirmButtons, context, section } from '../slack/blocks.js';

/** A failure from another service, in the shape of the shared client's `UpstreamError`. */
export interface UpstreamFailure {
  service: string;
  kind: 'timeout' | 'unavailable' | 'problem' | 'circuit_open';
  status?: number | undefined;
  message: string;
  problem?: { detail?: string; code?: string } | undefined;
}

const SERVICE_LABEL: Record<string, string> = {
  'ml-service': 'The ML service',
  'monitoring-service': 'The monitoring service',
  'auth-service': 'The auth service',
};

/**
 * A reply a person can act on for a failed downstream call: never a stack trace, never a 5xx body.
 * A 4xx problem is passed on (its detail is written for people); anything else says who is down.
 */
export function upstreamReply(err: UpstreamFailure): string {
  const who = SERVICE_LABEL[err.service] ?? err.service;
  if (err.kind === 'timeout')
    return `${who} did not answer in time. Nothing was changed by this message; try again shortly.`;
  if (err.kind === 'circuit_open') {
    return `${who} is unavailable: ${err.service} kept failing, so calls to it are paused for a few seconds (circuit open). Nothing was changed; try again shortly (\`status\` shows service health).`;
  }
  if (err.kind === 'unavailable' || (err.status ?? 500) >= 500) {
    // A 503 problem names what the service could not reach in turn (the monitoring service's
    // Prometheus); a person can act on that.
    const why =
      err.status === 503 && err.problem?.detail ? ` (${err.problem.detail.replace(/\.$/, '')})` : '';
    return `${who} is unavailable right now${why}, so I could not do that. Try again once it is back (\`status\` shows service health).`;
  }
  if (err.status === 401 || err.status === 403) {
    return `${who} refused: ${err.problem?.detail ?? 'your account is not allowed to do that.'}`;
  }
  return err.problem?.detail ?? `${who} could not do that (HTTP ${err.status}).`;
}

/** The prompt for a change that waits for confirmation, with buttons for Slack. */
export function confirmationPrompt(
  description: string,
  code: string,
  ttlSeconds: number,
): { reply: string; blocks: Block[] } {
  const minutes = Math.max(1, Math.round(ttlSeconds / 60));
  const reply = `About to ${description}. Reply \`confirm ${code}\` (or \`yes\`) within ${minutes} min to go ahead, or \`cancel ${code}\` (\`no\`).`;
  return {
    reply,
    blocks: [
      section(`About to *${description}*.`),
      confirmButtons(code),
      context(
        `Or reply \`confirm ${code}\` (\`yes\`) or \`cancel ${code}\` (\`no\`) · expires in ${minutes} min`,
      ),
    ],
  };
}
