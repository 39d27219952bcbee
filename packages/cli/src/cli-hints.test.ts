import { describe, expect, it } from 'vitest';
import { problemError } from './cli-error.js';
import { cliHints } from './cli-hints.js';

describe('cliHints', () => {
  it('names the CLI command where the platform names an HTTP route', () => {
    expect(cliHints('No model named "irs"; GET /api/ml/models lists them.')).toBe(
      'No model named "irs"; `opsmesh models list` lists them.',
    );
    expect(
      cliHints('Model "iris" has no version yet; upload one to POST /api/ml/models/iris/versions.'),
    ).toBe('Model "iris" has no version yet; upload one with `opsmesh models upload iris <file.onnx>`.');
    expect(
      cliHints(
        'Silence "sil_1" has ended and stays as it was; create a new one with POST /api/monitoring/silences.',
      ),
    ).toBe('Silence "sil_1" has ended and stays as it was; create a new one with `opsmesh alerts silence`.');
    expect(
      cliHints(
        'No credentials: send "Authorization: Bearer <access token>" (log in at POST /api/auth/login).',
      ),
    ).toBe('No credentials: send "Authorization: Bearer <access token>" (run `opsmesh login`).');
    expect(
      cliHints(
        'You hold 50 live API keys, the most one owner may hold (API_KEYS_MAX); revoke one you no longer use (DELETE /api-keys/{id}) and create this one again.',
      ),
    ).toBe(
      'You hold 50 live API keys, the most one owner may hold (API_KEYS_MAX); revoke one you no longer use (`opsmesh keys revoke <id>`) and create this one again.',
    );
  });

  it('leaves other text as it is', () => {
    expect(cliHints('Alias "production" of "iris" has no earlier version to return to.')).toBe(
      'Alias "production" of "iris" has no earlier version to return to.',
    );
  });
});

describe('problemError', () => {
  it('shows the CLI command in its message and keeps the platform detail for --json', () => {
    const detail = 'No model named "irs"; GET /api/ml/models lists them.';
    const err = problemError({ title: 'Model not found', detail }, 404);
    expect(err.message).toBe('Model not found: No model named "irs"; `opsmesh models list` lists them.');
    expect(err.problem?.detail).toBe(detail);
  });

  it('shows a detail that restates its title alone, and no field error the detail already says', () => {
    const onnx = problemError(
      {
        title: 'Not a loadable ONNX model',
        detail: 'The upload is not a loadable ONNX model: not a valid protobuf',
        code: 'ML_INVALID_MODEL',
      },
      400,
    );
    expect(onnx.message).toBe(
      'The upload is not a loadable ONNX model: not a valid protobuf\n  (ML_INVALID_MODEL)',
    );
    const field = problemError(
      {
        title: 'Invalid request',
        detail: 'params.name must look like "iris-classifier"',
        errors: [
          { field: 'params.name', message: 'must look like "iris-classifier"' },
          { field: 'query.limit', message: 'must be at most 100' },
        ],
      },
      400,
    );
    expect(field.message).toBe(
      'Invalid request: params.name must look like "iris-classifier"\n  query.limit: must be at most 100',
    );
  });

  it('names the versions command where the platform names the versions route', () => {
    expect(cliHints('Model "iris" has no version 7; GET /api/ml/models/iris/versions lists them.')).toBe(
      'Model "iris" has no version 7; `opsmesh models versions iris` lists them.',
    );
  });
});
