import { AppError, defineErrors } from '@opsmesh/shared';

/** The monitoring service's one error catalogue. Codes are stable: retire, never reuse. */
export const errors = defineErrors({
  MONITORING_INVALID_RULE: {
    status: 400,
    title: 'Invalid alert rule',
    detail: (p: { summary: string }) => p.summary,
  },
  MONITORING_RULE_NOT_FOUND: {
    status: 404,
    title: 'Rule not found',
    detail: (p: { id: string }) => `No alert rule has id "${p.id}".`,
  },
  MONITORING_ALERT_NOT_FOUND: {
    status: 404,
    title: 'Alert not found',
    detail: (p: { fingerprint: string }) => `No current alert has fingerprint "${p.fingerprint}".`,
  },
  MONITORING_INVALID_SILENCE: {
    status: 400,
    title: 'Invalid silence',
    detail: (p: { summary: string }) => p.summary,
  },
  MONITORING_SILENCE_NOT_FOUND: {
    status: 404,
    title: 'Silence not found',
    detail: (p: { id: string }) => `No silence has id "${p.id}".`,
  },
  MONITORING_SILENCE_EXPIRED: {
    status: 409,
    title: 'Silence expired',
    detail: (p: { id: string }) =>
      `Silence "${p.id}" has ended and stays as it was; create a new one with POST /silences.`,
  },
  MONITORING_TOO_MANY_RULES: {
    status: 409,
    title: 'Too many rules',
    detail: (p: { limit: number; adding: number }) =>
      `This service keeps at most ${p.limit} alert rules (RULES_MAX) and adding ${p.adding} would pass that; delete rules you no longer need, or fold several into one with a label matcher.`,
  },
  MONITORING_TOO_MANY_SILENCES: {
    status: 409,
    title: 'Too many silences',
    detail: (p: { limit: number }) =>
      `${p.limit} silences are pending or active, the most this service keeps (SILENCES_MAX); expire some with DELETE /silences/{id}, or widen one silence's matchers instead of adding another.`,
  },
  MONITORING_INVALID_SELECTOR: {
    status: 400,
    title: 'Invalid series selector',
    detail: (p: { message: string }) => p.message,
  },
  MONITORING_INVALID_DURATION: {
    status: 400,
    title: 'Invalid duration',
    detail: (p: { message: string }) => p.message,
  },
  MONITORING_RANGE_TOO_LARGE: {
    status: 400,
    title: 'Range too large',
    detail: (p: { points: number; max: number }) =>
      `The request asks for ${p.points} points; at most ${p.max} are served. Use a larger step or a shorter window.`,
  },
  MONITORING_UNKNOWN_SERVICE: {
    status: 404,
    title: 'Unknown service',
    detail: (p: { service: string; known: string }) =>
      `No service "${p.service}" is monitored. Known: ${p.known}.`,
  },
  MONITORING_PROMETHEUS_DISABLED: {
    status: 409,
    title: 'Prometheus not configured',
    detail: () => 'PromQL passthrough needs a Prometheus: start the service with PROMETHEUS_URL set.',
  },
  MONITORING_BAD_QUERY: {
    status: 400,
    title: 'Query rejected by Prometheus',
    detail: (p: { message: string }) => p.message,
  },
  MONITORING_PROMETHEUS_UNAVAILABLE: {
    status: 503,
    title: 'Prometheus unavailable',
    detail: () => 'Prometheus did not answer; try again shortly.',
  },
  MONITORING_INVALID_OTLP: {
    status: 400,
    title: 'Invalid OTLP trace export',
    detail: (p: { message: string }) =>
      `${p.message}. Send an OTLP ExportTraceServiceRequest as application/x-protobuf or application/json.`,
  },
  MONITORING_OTLP_TOO_LARGE: {
    status: 413,
    title: 'OTLP export too large',
    detail: (p: { limit: number }) =>
      `The export inflates past ${p.limit} bytes once gunzipped, this receiver's limit; send smaller batches.`,
  },
  MONITORING_TRACE_NOT_FOUND: {
    status: 404,
    title: 'Trace not found',
    detail: (p: { traceId: string }) =>
      `No trace ${p.traceId} is in the trace store: it was not sampled, has not been exported yet, or was evicted.`,
  },
});

/** A catalogue error carrying per-field problems (the problem's `errors` member). */
export function withFieldErrors(err: AppError, fieldErrors: { field: string; message: string }[]): AppError {
  return new AppError({
    code: err.code,
    status: err.status,
    title: err.title,
    detail: err.detail,
    fieldErrors,
  });
}
