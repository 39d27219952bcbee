import { describe, expect, it } from 'vitest';
import { nextSteps } from './models.js';

describe('models upload: what to do next', () => {
  it('says predicting works now when no alias pins the model, and that promote pins it', () => {
    expect(nextSteps('my-iris', 1, null)).toEqual([
      "Predict with it now (by name, a model with no production alias serves its latest version): opsmesh models predict my-iris --input '<row>'",
      'Pin it: opsmesh models promote my-iris 1 (by name then serves production, whatever is uploaded later)',
    ]);
  });

  it('says which version predicting by name serves when production points elsewhere', () => {
    expect(nextSteps('my-iris', 3, 2)).toEqual([
      "By name, my-iris serves production (v2); try this version with: opsmesh models predict my-iris --version 3 --input '<row>'",
      'Serve it by name: opsmesh models promote my-iris 3',
    ]);
    expect(nextSteps('my-iris', 2, 2)).toEqual([
      "By name, my-iris serves this version (production): opsmesh models predict my-iris --input '<row>'",
    ]);
    expect(nextSteps('my-iris', 3, undefined)[0]).toContain('serves its production alias, if set');
  });
});
