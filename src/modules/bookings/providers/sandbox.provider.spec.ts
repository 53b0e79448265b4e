import { describe, expect, it } from '@jest/globals';
import { currencyExponent } from '#libs/common/money/money.js';
import type { ProviderBookingRequest } from './booking-provider.js';
import { SandboxBookingProvider } from './sandbox.provider.js';

const request = (overrides: Partial<ProviderBookingRequest> = {}): ProviderBookingRequest => ({
  bookingType: 'hotel',
  currency: 'EUR',
  details: { hotelId: 'H-1', checkInDate: '2027-03-01', checkOutDate: '2027-03-04' },
  travelerTypes: ['adult'],
  travelStartDate: '2027-03-01',
  travelEndDate: '2027-03-04',
  units: 3,
  ...overrides,
});

describe('sandbox provider', () => {
  const sandbox = new SandboxBookingProvider();

  it.each(['EUR', 'USD', 'JPY', 'BHD', 'KWD', 'CLP'])(
    'prices in %s as safe integers that add up exactly',
    async (currency) => {
      const quote = await sandbox.quote(request({ currency }));
      for (const amount of [
        quote.baseAmountMinor,
        quote.taxesAmountMinor,
        quote.feesAmountMinor,
        quote.totalAmountMinor,
      ]) {
        expect(Number.isSafeInteger(amount)).toBe(true);
        expect(amount).toBeGreaterThan(0);
      }
      expect(quote.totalAmountMinor).toBe(
        quote.baseAmountMinor + quote.taxesAmountMinor + quote.feesAmountMinor,
      );
      expect(quote.currency).toBe(currency);
      // The unit price is 40..999 major units (×100 without minor units): the exponent is honoured.
      const perUnit = quote.baseAmountMinor / 3;
      const scale = 10 ** currencyExponent(currency) * (currencyExponent(currency) === 0 ? 100 : 1);
      expect(perUnit).toBeGreaterThanOrEqual(40 * scale);
      expect(perUnit).toBeLessThan(1000 * scale);
    },
  );

  it('is deterministic and depends on the request', async () => {
    const a = await sandbox.quote(request());
    expect(await sandbox.quote(request())).toEqual(a);
    const other = await sandbox.quote(request({ details: { hotelId: 'H-2' } }));
    expect(other.totalAmountMinor).not.toBe(a.totalAmountMinor);
    // Key order in the details does not change the price (canonical JSON).
    const reordered = await sandbox.quote(
      request({
        details: { checkOutDate: '2027-03-04', checkInDate: '2027-03-01', hotelId: 'H-1' },
      }),
    );
    expect(reordered).toEqual(a);
  });

  it('charges infants 10 % of a seat on flights', async () => {
    const base = { bookingType: 'flight' as const, details: { x: 1 } };
    const adult = await sandbox.quote(request({ ...base, travelerTypes: ['adult'], units: 1 }));
    const withInfant = await sandbox.quote(
      request({ ...base, travelerTypes: ['adult', 'infant'], units: 2 }),
    );
    const seat = adult.baseAmountMinor;
    expect(withInfant.baseAmountMinor).toBe(seat + Math.round(seat / 10));
  });

  it('confirms by default with a stable code per reference; fails or stays pending on request', async () => {
    const quote = await sandbox.quote(request());
    const confirmed = await sandbox.book(request(), quote, { reference: 'PTH-AAAAAAAAAA' });
    expect(confirmed).toMatchObject({ status: 'confirmed', failureReason: null });
    expect(confirmed.confirmationCode).toMatch(/^[A-Z2-9]{6}$/);
    expect(await sandbox.book(request(), quote, { reference: 'PTH-AAAAAAAAAA' })).toEqual(
      confirmed,
    );
    const failed = await sandbox.book(request(), quote, { reference: 'PTH-B', outcome: 'fail' });
    expect(failed).toMatchObject({
      status: 'failed',
      confirmationCode: null,
      paymentReference: null,
    });
    const pending = await sandbox.book(request(), quote, {
      reference: 'PTH-C',
      outcome: 'pending',
    });
    expect(pending).toMatchObject({ status: 'pending', confirmationCode: null });
  });

  it('answers status from what it booked and cancelled', async () => {
    const provider = new SandboxBookingProvider();
    const quote = await provider.quote(request());
    const booked = await provider.book(request(), quote, { reference: 'PTH-STATUS0001' });
    const reference = booked.providerReference ?? '';
    expect((await provider.status(reference)).state).toBe('active');
    expect((await provider.status('SBX-UNKNOWN')).state).toBe('unknown');
    const input = {
      providerReference: reference,
      currency: 'EUR',
      chargedAmountMinor: quote.totalAmountMinor,
      travelStartDate: '2027-03-01',
      cancellationPolicy: quote.cancellationPolicy,
    };
    const cancelled = await provider.cancel(input);
    expect(await provider.status(reference)).toMatchObject({
      state: 'cancelled',
      cancellationReference: cancelled.cancellationReference,
    });
    // Idempotent: cancelling again answers the same cancellation; booking again does not revive it.
    expect(await provider.cancel(input)).toEqual(cancelled);
    await provider.book(request(), quote, { reference: 'PTH-STATUS0001' });
    expect((await provider.status(reference)).state).toBe('cancelled');
    const failed = await provider.book(request(), quote, { reference: 'PTH-F', outcome: 'fail' });
    expect(failed.providerReference).toBeNull();
  });
});
