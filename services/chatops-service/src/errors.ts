import { defineErrors } from '@opsmesh/shared';

/** The ChatOps service's one error catalogue. Codes are stable: retire, never reuse. */
export const chatopsErrors = defineErrors({
  CHATOPS_SLACK_DISABLED: {
    status: 404,
    title: 'Slack is not configured',
    detail: () =>
      'This ChatOps instance has no Slack signing secret (SLACK_SIGNING_SECRET), so it takes no Slack requests.',
  },
  CHATOPS_SLACK_SIGNATURE_INVALID: {
    status: 401,
    title: 'Invalid Slack signature',
    detail: (p: { reason: string }) => p.reason,
  },
  CHATOPS_SLACK_PAYLOAD_INVALID: {
    status: 400,
    title: 'Invalid Slack payload',
    detail: (p: { reason: string }) => p.reason,
  },
  CHATOPS_NOTIFY_UNAUTHORIZED: {
    status: 401,
    title: 'Notification sender not recognised',
    detail: () => 'Send the notify token or a service account token as a bearer token.',
  },
  CHATOPS_NOTIFY_FORBIDDEN: {
    status: 403,
    title: 'Not allowed to send notifications',
    detail: () => 'Only service accounts and holders of the alerts:write permission may post alerts.',
  },
});
