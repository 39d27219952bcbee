// Types of api-keys.js for the TypeScript that shares it (the `opsmesh` CLI).
export declare function keyState(
  key: { revoked_at: string | null; expires_at: string },
  now?: number,
): 'live' | 'revoked' | 'expired';
