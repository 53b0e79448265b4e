import { describe, expect, it } from 'vitest';
import { paramsWithSearch, searchFromParams, searchQuery } from './bookings-search';

describe('booking search in the URL', () => {
  it('reads the search from the URL, absent fields empty', () => {
    expect(searchFromParams(new URLSearchParams('reference=PTH-ABC&status=confirmed'))).toEqual({
      reference: 'PTH-ABC',
      confirmationCode: '',
      email: '',
    });
  });

  it('submitting trims, drops empty fields, keeps status and restarts paging', () => {
    const params = new URLSearchParams('status=confirmed&cursor=abc&email=old%40example.test');
    const next = paramsWithSearch(params, {
      reference: '  pth-abcde23456 ',
      confirmationCode: 'X7K2QP',
      email: '',
    });
    expect(Object.fromEntries(next)).toEqual({
      status: 'confirmed',
      reference: 'pth-abcde23456',
      confirmationCode: 'X7K2QP',
    });
  });

  it('sends only the fields that are set', () => {
    expect(searchQuery({ reference: '', confirmationCode: 'X7K2QP', email: '' })).toEqual({
      confirmationCode: 'X7K2QP',
    });
    expect(searchQuery({ reference: '', confirmationCode: '', email: '' })).toEqual({});
  });
});
