import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOpenApi, OPENAPI_FILE } from '../scripts/openapi.js';

describe('the published OpenAPI document', () => {
  it('matches what the routes generate (run `npm run openapi -w auth-service` after changing a contract)', async () => {
    const generated = JSON.parse(await generateOpenApi());
    const published = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    expect(generated).toEqual(published);
    expect(Object.keys(generated.paths)).toEqual(
      expect.arrayContaining([
        '/login',
        '/refresh',
        '/me',
        '/users',
        '/token',
        '/introspect',
        '/.well-known/jwks.json',
      ]),
    );
    expect(
      generated.paths['/login'].post.responses['401'].content['application/json'].schema.$ref ??
        generated.paths['/login'].post.responses['401'],
    ).toBeTruthy();
  });
});
