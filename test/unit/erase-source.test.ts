import { describe, expect, it } from 'vitest';
import { erasureSource } from '../../functions/core/leads/erase-lead';

describe('who erased a lead, as its suppression entry records it', () => {
  it('names a signed-in person with their user name, an API token by its name', () => {
    expect(erasureSource({ name: 'Alex Novak', username: 'alex' })).toBe('admin:Alex Novak (alex)');
    expect(erasureSource({ name: 'local marketing' })).toBe('admin:local marketing');
    expect(erasureSource('local marketing')).toBe('admin:local marketing');
  });
});
