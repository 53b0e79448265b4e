import { describe, expect, it } from '@jest/globals';
import { cancellationTerms, hoursBeforeStart, penaltyBasisPoints } from './cancellation-policy.js';
import { SANDBOX_CANCELLATION_POLICY } from '../providers/sandbox.provider.js';

describe('cancellation policy', () => {
  it.each([
    [500, 0],
    [168, 0],
    [167, 2500],
    [72, 2500],
    [71, 5000],
    [24, 5000],
    [23, 10000],
    [0, 10000],
    [-5, 10000],
  ])('%i hours before the start → %i bps kept', (hours, bps) => {
    expect(penaltyBasisPoints(SANDBOX_CANCELLATION_POLICY, hours)).toBe(bps);
  });

  it('keeps everything when not refundable', () => {
    expect(penaltyBasisPoints({ refundable: false, rules: [] }, 1000)).toBe(10000);
  });

  it('counts whole hours to 00:00 UTC of the start date', () => {
    expect(hoursBeforeStart('2027-03-02', new Date('2027-03-01T00:00:00Z'))).toBe(24);
    expect(hoursBeforeStart('2027-03-02', new Date('2027-03-01T00:30:00Z'))).toBe(23);
  });

  it.each([
    [10001, 'EUR', 5001, 5000],
    [333, 'JPY', 167, 166],
    [12345, 'BHD', 6173, 6172],
    [1, 'EUR', 1, 0],
  ])(
    '%i %s at 50 %%: penalty %i, refund %i — always adding up',
    (charged, currency, penalty, refund) => {
      const terms = cancellationTerms(
        SANDBOX_CANCELLATION_POLICY,
        charged,
        currency,
        '2027-03-02',
        new Date('2027-03-01T00:00:00Z'),
      );
      expect(terms).toEqual({ penaltyAmountMinor: penalty, refundAmountMinor: refund });
      expect(terms.penaltyAmountMinor + terms.refundAmountMinor).toBe(charged);
    },
  );
});
