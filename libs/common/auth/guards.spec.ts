import { describe, expect, it } from '@jest/globals';
import { type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '../errors/problem.exception.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import type { ConsentDecider } from './consent-decider.js';
import { Public, RequiresConsent, RequiresVerifiedEmail, Roles } from './decorators.js';
import { ConsentGuard, RolesGuard, VerifiedEmailGuard } from './guards.js';

const user = (overrides: Partial<AuthenticatedUser> = {}): AuthenticatedUser => ({
  id: '00000000-0000-4000-8000-000000000001',
  roles: ['user'],
  emailVerified: true,
  sessionId: 's',
  issuedAt: 0,
  ...overrides,
});

/** A handler carrying the given decorators, as Nest would see it. */
function contextFor(
  decorators: Array<MethodDecorator & ClassDecorator>,
  caller?: AuthenticatedUser,
  classDecorators: Array<MethodDecorator & ClassDecorator> = [],
): ExecutionContext {
  class Target {
    handler(): void {}
  }
  for (const decorator of classDecorators) decorator(Target);
  const descriptor = Object.getOwnPropertyDescriptor(
    Target.prototype,
    'handler',
  ) as PropertyDescriptor;
  for (const decorator of decorators) decorator(Target.prototype, 'handler', descriptor);
  return {
    getHandler: () => Target.prototype.handler,
    getClass: () => Target,
    switchToHttp: () => ({ getRequest: () => ({ user: caller }) }),
  } as unknown as ExecutionContext;
}

async function problemOf(run: () => unknown): Promise<ProblemException> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('expected a problem');
}

describe('RolesGuard', () => {
  const guard = new RolesGuard(new Reflector());

  it.each([
    [['admin'], ['admin']],
    [['admin', 'compliance'], ['compliance']],
    [[], ['user']],
  ] as const)('needs %j, caller has %j → allowed', (required, roles) => {
    const decorators = required.length ? [Roles(...required)] : [];
    expect(guard.canActivate(contextFor(decorators, user({ roles })))).toBe(true);
  });

  it('refuses a caller without the role with 403 FORBIDDEN_ROLE', async () => {
    const problem = await problemOf(() =>
      guard.canActivate(contextFor([Roles('admin')], user({ roles: ['user', 'compliance'] }))),
    );
    expect(problem.getStatus()).toBe(403);
    expect(problem.code).toBe('FORBIDDEN_ROLE');
  });

  it('reads the method first, then the class', () => {
    const context = contextFor([Roles('user')], user({ roles: ['user'] }), [Roles('admin')]);
    expect(guard.canActivate(context)).toBe(true);
  });
});

describe('VerifiedEmailGuard', () => {
  const guard = new VerifiedEmailGuard(new Reflector());

  it('refuses an unverified caller only where required', async () => {
    expect(guard.canActivate(contextFor([], user({ emailVerified: false })))).toBe(true);
    const problem = await problemOf(() =>
      guard.canActivate(contextFor([RequiresVerifiedEmail()], user({ emailVerified: false }))),
    );
    expect(problem.code).toBe('EMAIL_NOT_VERIFIED');
  });
});

describe('ConsentGuard', () => {
  const decider = (granted: boolean): ConsentDecider => ({
    decide: async (_subject, purpose) => ({ granted, purpose, currentVersion: 2 }),
  });

  it('allows routes without a consent requirement and public routes', async () => {
    const guard = new ConsentGuard(new Reflector());
    await expect(guard.canActivate(contextFor([], user()))).resolves.toBe(true);
    await expect(
      guard.canActivate(contextFor([Public(), RequiresConsent('travel_planning')])),
    ).resolves.toBe(true);
  });

  it('refuses when no decider is installed: consent is never assumed', async () => {
    const guard = new ConsentGuard(new Reflector());
    const problem = await problemOf(() =>
      guard.canActivate(contextFor([RequiresConsent('travel_planning')], user())),
    );
    expect(problem.getStatus()).toBe(403);
    expect(problem.code).toBe('CONSENT_REQUIRED');
  });

  it('follows the decider and names purpose and version', async () => {
    const context = contextFor([RequiresConsent('travel_booking')], user());
    await expect(
      new ConsentGuard(new Reflector(), decider(true)).canActivate(context),
    ).resolves.toBe(true);
    const problem = await problemOf(() =>
      new ConsentGuard(new Reflector(), decider(false)).canActivate(context),
    );
    expect(problem.extras).toMatchObject({ purpose: 'travel_booking', version: 2 });
  });
});
