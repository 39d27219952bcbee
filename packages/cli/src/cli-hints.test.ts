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
});
