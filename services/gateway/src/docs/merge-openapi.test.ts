import { ProblemSchema } from '@opsmesh/contracts';
import { describe, expect, it } from 'vitest';
import { mergeOpenApi, type OpenApiDoc, operationsWithoutSummary } from './merge-openapi.js';

const { $id: _id, ...inlineProblem } = JSON.parse(JSON.stringify(ProblemSchema));
const problem = {
  description: 'RFC 9457 problem details',
  content: { 'application/json': { schema: inlineProblem } },
};

const ml: OpenApiDoc = {
  info: { title: 'ml-service', version: '0.1.0' },
  paths: {
    '/models/{name}': {
      delete: { summary: 'Delete', responses: { 204: { description: 'gone' }, 404: problem } },
      get: { summary: 'One', responses: { 200: { description: 'ok' }, 401: problem, 404: problem } },
    },
    '/models': { get: { responses: { 200: { description: 'ok' } } } },
  },
  components: { schemas: { Model: { type: 'object' } } },
};
const auth: OpenApiDoc = {
  info: { title: 'auth-service', version: '0.1.0' },
  paths: { '/login': { post: { summary: 'Log in', responses: { 401: problem } } } },
  components: { schemas: { User: { type: 'object' } } },
};

const merge = (docs: { name: string; mount: string; doc: OpenApiDoc }[], unavailable: string[] = []) =>
  mergeOpenApi({ title: 't', version: '1', description: 'd', docs, unavailable });

describe('mergeOpenApi', () => {
  it('mounts each service at its gateway prefix, tagged with the service, in a fixed order', () => {
    const a = merge(
      [
        { name: 'ml', mount: '/api/ml', doc: ml },
        { name: 'auth', mount: '/api/auth', doc: auth },
      ],
      ['monitoring', 'chatops'],
    );
    const b = merge(
      [
        { name: 'auth', mount: '/api/auth', doc: auth },
        { name: 'ml', mount: '/api/ml', doc: ml },
      ],
      ['chatops', 'monitoring'],
    );
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(Object.keys(a.paths!)).toEqual(['/api/auth/login', '/api/ml/models', '/api/ml/models/{name}']);
    expect(Object.keys(a.paths!['/api/ml/models/{name}']!)).toEqual(['get', 'delete']);
    expect(a.paths!['/api/ml/models/{name}']!['get']).toMatchObject({ tags: ['ml'], summary: 'One' });
    expect(a.tags).toEqual([
      { name: 'auth', description: 'auth-service 0.1.0' },
      { name: 'ml', description: 'ml-service 0.1.0' },
    ]);
    expect(a['x-opsmesh-unavailable']).toEqual(['chatops', 'monitoring']);
    expect(Object.keys(a.components!.schemas!)).toEqual(['Model', 'Problem', 'User']);
  });

  it('holds the problem schema once and answers errors as application/problem+json referring to it', () => {
    const doc = merge([{ name: 'ml', mount: '/api/ml', doc: ml }]);
    const text = JSON.stringify(doc);
    expect(text.split('"requestId"').length - 1).toBe(2); // the component: its property and `required`
    const notFound = (doc.paths!['/api/ml/models/{name}']!['get'] as { responses: Record<string, unknown> })
      .responses['404'];
    expect(notFound).toEqual({
      description: 'RFC 9457 problem details',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    expect(doc.components!.schemas!['Problem']).toEqual(inlineProblem);
  });

  it('finds the operations that lack a summary', () => {
    expect(operationsWithoutSummary(merge([{ name: 'ml', mount: '/api/ml', doc: ml }]))).toEqual([
      'GET /api/ml/models',
    ]);
  });
});
