type Body = Record<string, unknown>;

/** Today + `days` (UTC) as YYYY-MM-DD. */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A valid POST /bookings body: three nights at Casa Azul (Lisbon) two months from now.
 * `details` replaces or adds hotel details; `overrides` replaces or adds top-level fields.
 */
export function hotelBookingBody(
  travelerIds: string[],
  details: Body = {},
  overrides: Body = {},
): Body {
  return {
    bookingType: 'hotel',
    travelerIds,
    currency: 'EUR',
    details: {
      hotelId: 'H-100',
      hotelName: 'Casa Azul',
      city: 'Lisbon',
      country: 'PT',
      checkInDate: daysFromNow(60),
      checkOutDate: daysFromNow(63),
      roomType: 'Double',
      mealPlan: 'breakfast',
      ...details,
    },
    ...overrides,
  };
}
