import { describe, expect, it } from '@jest/globals';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import {
  CONSENT_KEY,
  IS_PUBLIC_KEY,
  ROLES_KEY,
  VERIFIED_EMAIL_KEY,
} from '#libs/common/auth/decorators.js';
import {
  AdminBookingsController,
  BookingsByOwnerController,
  BookingsController,
} from './bookings.controller.js';

type Controller = abstract new (...args: never[]) => unknown;

function routesOf(controller: Controller) {
  return Object.getOwnPropertyNames(controller.prototype)
    .filter((name) => name !== 'constructor')
    .map((name) => ({
      controller,
      name,
      handler: (controller.prototype as Record<string, object>)[name] as object,
    }))
    .filter(({ handler }) => Reflect.getMetadata(METHOD_METADATA, handler) !== undefined);
}

const meta = (key: string, controller: Controller, handler: object): unknown =>
  Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);

const userRoutes = [BookingsController, BookingsByOwnerController].flatMap(routesOf);
const adminRoutes = routesOf(AdminBookingsController);

describe('bookings routes (read from the decorators)', () => {
  it('are all found: 6 booking routes, 2 by owner, 2 admin', () => {
    expect(routesOf(BookingsController)).toHaveLength(6);
    expect(
      routesOf(BookingsByOwnerController).map(({ handler }) =>
        Reflect.getMetadata(PATH_METADATA, handler),
      ),
    ).toEqual(['travelers/:id/bookings', 'sessions/:id/bookings']);
    expect(adminRoutes).toHaveLength(2);
  });

  it.each(userRoutes.map((route) => [`${route.controller.name}.${route.name}`, route] as const))(
    '%s: only booking asks for travel_booking consent (reads and cancelling never); not public',
    (_name, { controller, handler }) => {
      const books = controller === BookingsController && _name.endsWith('.create');
      expect(meta(CONSENT_KEY, controller, handler)).toBe(books ? 'travel_booking' : undefined);
      expect(meta(IS_PUBLIC_KEY, controller, handler)).toBeUndefined();
    },
  );

  it('booking and cancelling need a verified email', () => {
    for (const { controller, handler } of routesOf(BookingsController)) {
      expect(meta(VERIFIED_EMAIL_KEY, controller, handler)).toBe(true);
    }
  });

  it.each(adminRoutes.map((route) => [route.name, route] as const))(
    'admin %s needs the admin role',
    (_name, { controller, handler }) => {
      expect(meta(ROLES_KEY, controller, handler)).toEqual(['admin']);
      expect(meta(IS_PUBLIC_KEY, controller, handler)).toBeUndefined();
    },
  );
});
