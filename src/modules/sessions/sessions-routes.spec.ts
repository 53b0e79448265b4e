import { describe, expect, it } from '@jest/globals';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { CONSENT_KEY, IS_PUBLIC_KEY } from '#libs/common/auth/decorators.js';
import { SavedItemsController } from './saved-items.controller.js';
import { SessionsController } from './sessions.controller.js';

/** Every route of the module, read from the decorators: none public. */
const routes = [SessionsController, SavedItemsController].flatMap((controller) =>
  Object.getOwnPropertyNames(controller.prototype)
    .filter((name) => name !== 'constructor')
    .map((name) => {
      const handler = (controller.prototype as unknown as Record<string, object>)[name] as object;
      return { controller, name, handler };
    })
    .filter(({ handler }) => Reflect.getMetadata(METHOD_METADATA, handler) !== undefined),
);

describe('sessions routes', () => {
  it('are all found (12 routes, no GET /sessions/:id/bookings: bookings serves it)', () => {
    expect(routes).toHaveLength(12);
    const paths = routes.map(({ controller, handler }) =>
      [
        Reflect.getMetadata(PATH_METADATA, controller),
        Reflect.getMetadata(PATH_METADATA, handler),
      ].join('/'),
    );
    expect(paths.some((path) => path.includes('bookings'))).toBe(false);
  });

  it.each(routes.map((route) => [`${route.controller.name}.${route.name}`, route] as const))(
    '%s: creating and changing need travel_planning consent, reading and archiving never; not public',
    (_name, { controller, handler }) => {
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
      const writes = [RequestMethod.POST, RequestMethod.PATCH, RequestMethod.PUT].includes(method);
      expect(Reflect.getMetadata(CONSENT_KEY, controller)).toBeUndefined();
      expect(Reflect.getMetadata(CONSENT_KEY, handler)).toBe(
        writes ? 'travel_planning' : undefined,
      );
      expect(Reflect.getMetadata(IS_PUBLIC_KEY, handler)).toBeUndefined();
      expect(Reflect.getMetadata(IS_PUBLIC_KEY, controller)).toBeUndefined();
    },
  );
});
