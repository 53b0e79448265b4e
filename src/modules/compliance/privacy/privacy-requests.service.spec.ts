import { describe, expect, it } from '@jest/globals';
import { dueDate } from './privacy-requests.service.js';

describe('dueDate (one month, GDPR Art. 12(3))', () => {
  it.each<[string, string]>([
    ['2026-03-15T10:00:00.000Z', '2026-04-15T10:00:00.000Z'],
    ['2026-01-31T12:00:00.000Z', '2026-02-28T12:00:00.000Z'],
    ['2028-01-31T12:00:00.000Z', '2028-02-29T12:00:00.000Z'],
    ['2026-12-20T00:00:00.000Z', '2027-01-20T00:00:00.000Z'],
    ['2026-08-31T23:59:59.999Z', '2026-09-30T23:59:59.999Z'],
  ])('%s → %s', (received, due) => {
    expect(dueDate(new Date(received)).toISOString()).toBe(due);
  });
});
