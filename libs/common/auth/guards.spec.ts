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
  authTime: 0,
  amr: ['pwd'],
  mfaEnrolled: false,
  mfaPassed: false,
  ...overrides,
});

/** A handler carrying the given decorators, as Nest would see it. */
function contextFor(
  decorators: Array<MethodDecorator & ClassDecorator>,
  caller?: AuthenticatedUser,
  classDecorators: Array<MethodDecorator & ClassDecorator> = [],
  request: Record<string, unknown> = {},
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
    switchToHttp: () => ({ getRequest: () => ({ ...request, user: caller }) }),
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

  describe('with the decision the bearer authenticator read along with the session', () => {
    const caller = user();
    const prefetched = (granted: boolean, purpose = 'travel_planning', subjectId = caller.id) => ({
      prefetchedConsent: { subjectId, decision: { granted, purpose, currentVersion: 7 } },
    });
    const counting = (granted: boolean) => {
      const calls: string[] = [];
      const counted: ConsentDecider = {
        decide: async (_subject, purpose) => {
          calls.push(purpose);
          return { granted, purpose, currentVersion: 2 };
        },
      };
      return { calls, counted };
    };

    it('enforces it without asking the decider again', async () => {
      const { calls, counted } = counting(true);
      const refused = contextFor(
        [RequiresConsent('travel_planning')],
        caller,
        [],
        prefetched(false),
      );
      const problem = await problemOf(() =>
        new ConsentGuard(new Reflector(), counted).canActivate(refused),
      );
      expect(problem.code).toBe('CONSENT_REQUIRED');
      expect(problem.extras).toMatchObject({ purpose: 'travel_planning', version: 7 });
      const allowed = contextFor(
        [RequiresConsent('travel_planning')],
        caller,
        [],
        prefetched(true),
      );
      await expect(
        new ConsentGuard(new Reflector(), counting(false).counted).canActivate(allowed),
      ).resolves.toBe(true);
      expect(calls).toEqual([]);
    });

    it('ignores one read for another purpose or another subject and asks the decider', async () => {
      for (const other of [
        prefetched(true, 'travel_booking'),
        prefetched(true, 'travel_planning', '00000000-0000-4000-8000-000000000002'),
      ]) {
        const { calls, counted } = counting(false);
        const context = contextFor([RequiresConsent('travel_planning')], caller, [], other);
        const problem = await problemOf(() =>
          new ConsentGuard(new Reflector(), counted).canActivate(context),
        );
        expect(problem.code).toBe('CONSENT_REQUIRED');
        expect(calls).toEqual(['travel_planning']);
      }
    });
  });
});
