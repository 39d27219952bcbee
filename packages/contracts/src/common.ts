import { type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * RFC 9457 problem details with the two opsmesh extension members, `code` and `requestId`.
 *
 * @example
 * { type: 'https://opsmesh.dev/problems/auth-invalid-token', title: 'Invalid token', status: 401,
 *   detail: 'The access token has expired; refresh it.', instance: '/me', code: 'AUTH_INVALID_TOKEN',
 *   requestId: 'req_...' }
 */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String(),
    instance: Type.String(),
    code: Type.String(),
    requestId: Type.String(),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String(),
          message: Type.String(),
        }),
      ),
    ),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);
export type Problem = Static<typeof ProblemSchema>;

/** A prefixed identifier such as `usr_01J...`. */
export const prefixedId = (prefix: string) =>
  Type.String({
    pattern: `^${prefix}_[0-9A-Za-z]+$`,
    maxLength: 64,
    examples: [`${prefix}_0123456789abcdef`],
  });

export const TimestampSchema = Type.String({ format: 'date-time' });

/** `limit`/`offset` query properties with a list's own default and maximum page size. */
export function pageQueryProperties(defaultLimit: number, maxLimit: number) {
  return {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: maxLimit,
        default: defaultLimit,
        description: `page size (default ${defaultLimit}, at most ${maxLimit}); x-next-offset gives the next page`,
      }),
    ),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  };
}

export const PageQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});

/** Response schemas for the error statuses a route can answer with. */
export function problemResponses(...statuses: number[]): Record<number, typeof ProblemSchema> {
  const out: Record<number, typeof ProblemSchema> = {};
  for (const s of statuses) out[s] = ProblemSchema;
  return out;
}

export const OkSchema = Type.Object({ ok: Type.Literal(true) });

export type StaticOf<T extends TSchema> = Static<T>;
