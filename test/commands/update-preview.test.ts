import { describe, expect, it } from 'vitest';
import { applyQuestion } from '../../src/deploy/change-preview.js';

describe('update confirmation', () => {
  it('says "this change" for one change and "these N changes" for more', () => {
    expect(applyQuestion(1, 'demo', 'in account 123456789012, eu-west-1')).toBe('Apply this change to cluster demo in account 123456789012, eu-west-1?');
    expect(applyQuestion(3, 'demo', 'in account 123456789012, eu-west-1')).toBe('Apply these 3 changes to cluster demo in account 123456789012, eu-west-1?');
    expect(applyQuestion(2, 'demo', '')).toBe('Apply these 2 changes to cluster demo?');
  });
});
